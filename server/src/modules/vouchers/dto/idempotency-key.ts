import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { VoucherErrors as E } from '../vouchers.errors';

const KEY = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The request's `Idempotency-Key` header: 8–64 characters of `A–Z a–z 0–9 - _` (a UUID fits).
 * @throws 400 IDEMPOTENCY_KEY_REQUIRED when missing or malformed (after the auth guard ran).
 */
export const IdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const value = ctx.switchToHttp().getRequest().headers['idempotency-key'];
  if (typeof value !== 'string' || !KEY.test(value)) throw E.idempotencyKeyRequired();
  return value;
});
