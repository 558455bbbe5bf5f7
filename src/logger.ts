import pino, { type Logger } from 'pino';

export type { Logger };

/** The one logger. Child loggers carry `eventId` / `jobId` (https://getpino.io/#/docs/child-loggers). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'luoshi' },
      redact: {
        paths: ['*.token', '*.secret', '*.app_secret', '*.authorization', 'req.headers.authorization'],
        censor: '***',
      },
    },
    destination,
  );
}
