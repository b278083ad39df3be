import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { ServerResponse } from 'http';
import type { Response } from 'express';
import type { ErrorEnvelope } from '@union/shared';
import { DomainError } from './domain-error';

/** Error codes of database drivers that mean the database cannot be reached (→ 503). */
const DB_DOWN_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_SERVER_SHUTDOWN', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'POOL_CLOSED',
]);
const DUPLICATE_CODES = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

const STATUS_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', '请求有误'],
  401: ['UNAUTHENTICATED', '请先登录'],
  403: ['FORBIDDEN', '无权进行此操作'],
  404: ['NOT_FOUND', '请求的资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持该请求方法'],
  409: ['CONFLICT', '数据冲突'],
  410: ['EXPIRED', '已过期'],
  413: ['PAYLOAD_TOO_LARGE', '请求内容过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
  429: ['RATE_LIMITED', '请求过于频繁，请稍后再试'],
};

/**
 * Answers `status` with `body` as JSON (`application/json; charset=utf-8`, Content-Length), headers and body in one
 * write; how the error envelope is sent, by the filter and by the body-parser error middleware (app.factory.ts).
 * No ETag: an error is never served from a cache. (Successful answers, fast routes included, go through Nest's
 * own reply, Express's `res.json`.)
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Finds a driver error code anywhere in an error's cause chain. */
function driverCode(err: unknown): string | undefined {
  let e: any = err;
  for (let i = 0; e && i < 5; i++, e = e.driverError ?? e.cause) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * Turns every failure into the one error envelope `{ code, message, details? }`.
 * Never leaks a stack trace; unknown errors become `500 INTERNAL` and are logged.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toEnvelope(exception);
    if (status >= 500) this.logger.error({ err: exception, code: body.code }, 'request failed');
    if (res.headersSent) return;
    // A route that answers CSV or PNG has set its own headers before failing: the error is JSON, not a download.
    res.removeHeader('Content-Disposition');
    sendJson(res, status, body);
  }

  toEnvelope(exception: unknown): [number, ErrorEnvelope] {
    if (exception instanceof DomainError) {
      return [exception.status, { code: exception.code, message: exception.message, ...(exception.details !== undefined ? { details: exception.details } : {}) }];
    }
    if (exception instanceof ThrottlerException) return [429, { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' }];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, message] = STATUS_CODES[status] ?? ['HTTP_ERROR', '请求失败'];
      // body-parser's JSON syntax errors arrive as 400 HttpException
      return [status, { code: status === 400 ? 'VALIDATION_FAILED' : code, message: status === 400 ? '请求格式有误' : message }];
    }
    const anyErr = exception as any;
    if (anyErr?.type === 'entity.parse.failed') return [400, { code: 'VALIDATION_FAILED', message: '请求格式有误' }];
    if (anyErr?.type === 'entity.too.large') return [413, { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' }];
    const dc = driverCode(exception);
    if (dc && DUPLICATE_CODES.has(dc)) return [409, { code: 'CONFLICT', message: '数据已存在' }];
    if ((dc && DB_DOWN_CODES.has(dc)) || /ECONNREFUSED|Connection lost|Pool is closed|connect ETIMEDOUT/i.test(anyErr?.message ?? '')) {
      return [HttpStatus.SERVICE_UNAVAILABLE, { code: 'DB_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' }];
    }
    return [500, { code: 'INTERNAL', message: '服务器内部错误' }];
  }
}
