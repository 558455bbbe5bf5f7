import pino, { type Logger } from 'pino';

export type { Logger };

/** The one logger. Child loggers carry `eventId` / `jobId` (style rule 10). */
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
