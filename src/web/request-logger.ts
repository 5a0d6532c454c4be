import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../platform/logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One log line per request with a request id (taken from X-Request-Id when a
 * proxy sets a sane one) that every req.log line carries. The URL is logged
 * without its query string, and no headers or bodies: they can hold personal data.
 */
export function requestLogger(log: Logger) {
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // 503 is a known degraded state (logged where it arises); other 5xx are bugs.
    customLogLevel: (_req, res) =>
      res.statusCode >= 500 && res.statusCode !== 503 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
}
