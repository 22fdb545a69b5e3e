/** Structured logs (pino): JSON, or pino-pretty lines for a developer's terminal. Credentials are redacted wherever they might appear. */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT wins; otherwise pretty only for a person: development, on a terminal. Log collectors get JSON. */
export function chooseLogFormat({ requested, environment, isTTY }: { requested?: LogFormat; environment: string; isTTY: boolean }): LogFormat {
  if (requested) return requested;
  return environment === 'development' && isTTY ? 'pretty' : 'json';
}

function prettyStream(): DestinationStream {
  // Loaded only when asked for, and in-process (no transport thread): JSON output never pays for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  return pretty({ colorize: Boolean(process.stdout.isTTY), sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const options = {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken', '*.token'],
      censor: '[redacted]',
    },
  };
  return format === 'pretty' ? pino(options, prettyStream()) : pino(options);
}
