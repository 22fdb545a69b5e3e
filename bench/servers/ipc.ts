/**
 * The benchmark servers' side of the IPC channel: announce the port, report memory usage, take a
 * CPU profile of a chosen window (so start-up and warm-up stay out of it), stop on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

export type ServerMessage = { type: 'ready'; port: number } | { type: 'memory'; usage: NodeJS.MemoryUsage } | { type: 'profile-written' };
/** `collectGarbage`: run a full GC first (only in a server started with --expose-gc; never in the RSS measurement). */
export type ParentMessage = { type: 'memory'; collectGarbage?: boolean } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

export function serveIpc(port: number, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('a benchmark server must be started by bench/lib/server-process.ts');
  const reply = (message: ServerMessage) => process.send!(message);
  let profiler: Session | undefined;

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') {
      if (message.collectGarbage) (globalThis as { gc?: () => void }).gc?.();
      reply({ type: 'memory', usage: process.memoryUsage() });
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
  reply({ type: 'ready', port });
}
