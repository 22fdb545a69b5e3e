/** Log format: pino-pretty for a developer's terminal, JSON for everything else, LOG_FORMAT to choose. */
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat } from '../src/logger.js';
import { startServerProcess } from './helpers/process.js';
import { TEST_ENV } from './helpers/server.js';

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

describe('log format', () => {
  it('is pretty only in development on a terminal, unless LOG_FORMAT says otherwise', () => {
    expect(chooseLogFormat({ environment: 'development', isTTY: true })).toBe('pretty');
    expect(chooseLogFormat({ environment: 'development', isTTY: false })).toBe('json');
    expect(chooseLogFormat({ environment: 'production', isTTY: true })).toBe('json');
    expect(chooseLogFormat({ environment: 'test', isTTY: true })).toBe('json');
    expect(chooseLogFormat({ requested: 'json', environment: 'development', isTTY: true })).toBe('json');
    expect(chooseLogFormat({ requested: 'pretty', environment: 'production', isTTY: false })).toBe('pretty');
  });

  it('LOG_FORMAT=pretty makes the server print readable lines, not JSON', async () => {
    const server = await startServerProcess({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'info', DATABASE_URL: 'memory:' });
    await server.stop();
    const lines = server.output().split('\n').filter((line) => line.includes('API ready'));
    expect(lines).toHaveLength(1);
    expect(isJson(lines[0]!)).toBe(false);
    expect(lines[0]).toMatch(/INFO.*API ready at http:\/\/localhost:\d+\/graphql/);
  });

  it('in development with stdout piped (not a terminal), the server prints JSON', async () => {
    const server = await startServerProcess({ NODE_ENV: 'development', LOG_LEVEL: 'info', DATABASE_URL: 'memory:', METRICS_PORT: '0' });
    await server.stop();
    const lines = server.output().split('\n').filter((line) => line.includes('API ready'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: expect.stringMatching(/^API ready at/) });
  });
});

describe('npm start on a terminal', () => {
  it('prints pino-pretty lines in development', async () => {
    // `script` gives the server a pseudo-terminal, as a developer's shell would.
    const command = `${process.execPath} --import tsx src/main.ts`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH, ...TEST_ENV, NODE_ENV: 'development', LOG_LEVEL: 'info', DATABASE_URL: 'memory:', METRICS_PORT: '0', PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('API ready') && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    // Colours, since it is a terminal; without them the line reads "HH:MM:ss.lll INFO: API ready at …".
    const line = output.split(/\r?\n/).find((entry) => entry.includes('API ready'))!;
    const plain = stripVTControlCharacters(line);
    expect(line).not.toBe(plain);
    expect(isJson(plain)).toBe(false);
    expect(plain).toMatch(/^\[?\d{2}:\d{2}:\d{2}\.\d{3}\]? INFO: API ready at http:\/\/localhost:\d+\/graphql/);
  });
});
