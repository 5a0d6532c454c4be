import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';

export type { Logger };

// Fields that could carry personal data or secrets are redacted wherever they
// appear in a logged object; request logging (web/request-logger.ts) logs no
// bodies and no query strings in the first place.
const REDACT = [
  'password',
  '*.password',
  'email',
  '*.email',
  'personnummer',
  '*.personnummer',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } });
}
