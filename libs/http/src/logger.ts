import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * Structured JSON logger. Credentials never reach the log: authorization headers, cookies and
 * any password/secret/token field are redacted. Lines go to stdout, or to `destination` (tests
 * that read what was logged).
 *
 * @example
 * const log = createLogger({ name: 'control-plane', level: 'info' });
 */
export function createLogger(options: {
  name: string;
  level: LevelWithSilent;
  destination?: { write(line: string): void };
}): Logger {
  const settings = {
    name: options.name,
    level: options.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.client_secret',
        '*.refresh_token',
        '*.access_token',
        '*.dsn',
      ],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
