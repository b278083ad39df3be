import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerStorage, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RATE_LIMIT_POLICIES, RateLimit, RateLimitPolicyName } from './rate-limit.policies';

const POLICY_KEY = 'rateLimitPolicy';

/**
 * Applies one policy of the rate-limit table (rate-limit.policies.ts) to a route: per account (user id) and per
 * client address. Needs a logged-in caller (the global auth guard runs first); a route without one is refused
 * by that guard before this one counts anything.
 */
export const RateLimited = (policy: RateLimitPolicyName) => applyDecorators(SetMetadata(POLICY_KEY, policy), UseGuards(RateLimitGuard));

/** One counter of a policy: which dimension, its key in the throttler storage, and its limit. */
export interface RateLimitCounter {
  dimension: 'account' | 'client';
  key: string;
  limit: RateLimit;
}

/**
 * The storage keys of a policy for one caller: `<RATE_LIMIT_KEY_PREFIX>rl:<policy>:<account|client>:<user id|address>`
 * (the Redis storage wraps them as `{<key>:<dimension>}:hits` / `:blocked`).
 */
export function rateLimitCounters(prefix: string, policy: RateLimitPolicyName, userId: number, clientAddress: string): RateLimitCounter[] {
  const p = RATE_LIMIT_POLICIES[policy];
  return [
    { dimension: 'account', key: `${prefix}rl:${policy}:account:${userId}`, limit: p.perAccount },
    { dimension: 'client', key: `${prefix}rl:${policy}:client:${clientAddress}`, limit: p.perClient },
  ];
}

/**
 * Counts the request against both counters of the route's policy in the throttler storage (Redis when
 * REDIS_URL is set, so every API process shares them) and refuses it when either is over its limit.
 * @throws ThrottlerException → 429 RATE_LIMITED in the error envelope, with `Retry-After` (seconds until the
 *         blocking counter frees up).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.get<RateLimitPolicyName | undefined>(POLICY_KEY, context.getHandler());
    if (!policy || !this.config.submissionRateLimits) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: { id: number } }>();
    const userId = req.user?.id;
    if (!userId) return true; // public route misuse; the auth guard has refused anonymous callers already
    const counters = rateLimitCounters(this.config.rateLimitKeyPrefix, policy, userId, req.ip ?? 'unknown');
    const records = await Promise.all(counters.map((c) =>
      this.storage.increment(c.key, c.limit.windowSeconds * 1000, c.limit.limit, c.limit.windowSeconds * 1000, c.dimension)));
    const blocked = records.filter((r) => r.isBlocked);
    if (!blocked.length) return true;
    const retryAfter = Math.max(1, ...blocked.map((r) => r.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new ThrottlerException();
  }
}
