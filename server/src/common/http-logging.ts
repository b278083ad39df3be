import type { IncomingMessage, ServerResponse } from 'http';
import { randomUUID } from 'crypto';
import pino from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/config';

/**
 * The request id of a request: the caller's `X-Request-Id` when it is 1–64 of `[A-Za-z0-9_-]`, a fresh UUID
 * otherwise; echoed in the `X-Request-Id` response header and logged with every line of the request.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const known = (req as { id?: unknown }).id;
  if (typeof known === 'string') return known;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  (req as { id?: string }).id = id;
  return id;
}

/** Express middleware, first of all: every answer carries its request id, also one refused before the request log. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  requestId(req, res);
  next();
}

/**
 * The options of the per-request log line (pino-http), one definition for the Nest logger module and for the
 * fast routes (common/fast-routes.ts). Personal data never reaches the logs: no bodies, no headers, no query
 * strings (codes, search terms); the path, method, status, request id and response time only.
 */
export function httpLogOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    genReqId: requestId,
    customProps: () => ({ service: 'union-api' }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => !(req.url ?? '').startsWith('/api') },
  };
}

/** Where logs go: `LOG_FILE` (asynchronous writes) or standard output. */
export function httpLogDestination(config: AppConfig): pino.DestinationStream {
  return config.logFile ? pino.destination({ dest: config.logFile, mkdir: true, sync: false }) : pino.destination(1);
}
