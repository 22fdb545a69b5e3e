/**
 * The benchmark servers' side of the IPC channel: announce the ports, report memory usage, take a
 * CPU profile of a chosen window (so start-up and warm-up stay out of it), stop on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import v8 from 'node:v8';

/** process.memoryUsage() and, per V8 heap space (new_space, old_space, code_space…), the bytes it holds from the OS. */
export interface MemorySample extends NodeJS.MemoryUsage {
  spaces: Record<string, number>;
}

export type ServerMessage = { type: 'ready'; ports: Record<string, number> } | { type: 'memory'; usage: MemorySample } | { type: 'profile-written' };
/** `collectGarbage`: run a full GC first (only in a server started with --expose-gc; never in the RSS measurement). */
export type ParentMessage = { type: 'memory'; collectGarbage?: boolean } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

/** `ports`: each hosted variant's port. */
export function serveIpc(ports: Record<string, number>, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('a benchmark server must be started by bench/lib/server-process.ts');
  const reply = (message: ServerMessage) => process.send!(message);
  let profiler: Session | undefined;

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') {
      if (message.collectGarbage) (globalThis as { gc?: () => void }).gc?.();
      const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size]));
      reply({ type: 'memory', usage: { ...process.memoryUsage(), spaces } });
    }
    if (message.type === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      profiler.post('Profiler.enable', () => profiler!.post('Profiler.start'));
    }
    if (message.type === 'profile-stop') {
      profiler?.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(message.file, JSON.stringify(result.profile));
        profiler!.disconnect();
        reply({ type: 'profile-written' });
      });
    }
  });
  process.once('SIGTERM', () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  reply({ type: 'ready', ports });
}
