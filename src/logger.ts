import pino, { type Logger } from 'pino';

export type { Logger };

export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * Whether to print readable lines (issue 17 "First run"): `auto` is pretty when the output is a terminal and
 * NODE_ENV is not production, JSON otherwise (log collectors read JSON lines).
 */
export function prettyLogs(format: LogFormat, env: { readonly isTTY: boolean; readonly nodeEnv?: string }): boolean {
  if (format !== 'auto') return format === 'pretty';
  return env.isTTY && env.nodeEnv !== 'production';
}

/**
 * pino-pretty as a stream in this thread (https://github.com/pinojs/pino-pretty#usage-as-a-stream); it is a
 * development dependency, so an install without it (npm ci --omit=dev) keeps JSON.
 */
function prettyStream(): pino.DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const build = require('pino-pretty') as typeof import('pino-pretty');
    return build({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', singleLine: true });
  } catch {
    return undefined;
  }
}

/** The one logger. Child loggers carry `eventId` / `jobId` (https://getpino.io/#/docs/child-loggers). */
export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): Logger {
  const pretty = destination === undefined && prettyLogs(format, { isTTY: process.stdout.isTTY === true, nodeEnv: process.env.NODE_ENV });
  return pino(
    {
      level,
      base: { app: 'luoshi' },
      redact: {
        paths: ['*.token', '*.secret', '*.app_secret', '*.authorization', 'req.headers.authorization'],
        censor: '***',
      },
    },
    destination ?? (pretty ? prettyStream() : undefined),
  );
}
