/**
 * THE rate-limit policy table for submissions (OWASP API4 unrestricted resource consumption, API6 unrestricted
 * access to sensitive business flows). Each policy limits one kind of submission twice, and both must pass:
 * - per account: keyed by the caller's user id — what one account may do, whatever address it comes from;
 * - per client: keyed by the client address (`req.ip`; the app trusts loopback proxies, so behind the local
 *   reverse proxy this is the first X-Forwarded-For hop) — what one address may do across all the accounts it uses.
 * Windows are fixed windows of `windowSeconds`; once a limit is exceeded the key is blocked for one window.
 * The counters live in the throttler storage: Redis (shared by every API process) when REDIS_URL is set,
 * process memory otherwise. Routes opt in with `@RateLimited('<policy>')` (rate-limit.guard.ts).
 *
 * Per-client limits are deliberately higher than per-account ones: a recruitment drive at a delivery station puts
 * dozens of riders behind one carrier NAT address within the hour.
 * The public code look-ups and login keep the global per-client limit (RATE_LIMIT per RATE_LIMIT_WINDOW_SECONDS).
 */
export interface RateLimit {
  /** Requests allowed in one window. */
  limit: number;
  /** Window length, seconds. */
  windowSeconds: number;
}

export interface RateLimitPolicy {
  perAccount: RateLimit;
  perClient: RateLimit;
  /** The abuse the policy answers (docs/security.md lists the table with these). */
  threat: string;
}

const HOUR = 3600;

export const RATE_LIMIT_POLICIES = {
  /** POST /api/membership/applications */
  membershipApplication: {
    perAccount: { limit: 10, windowSeconds: HOUR },
    perClient: { limit: 60, windowSeconds: HOUR },
    threat: 'probing whose ID number is a member (oracle), flooding an org\'s review queue',
  },
  /** POST /api/membership/transfers */
  membershipTransfer: {
    perAccount: { limit: 5, windowSeconds: HOUR },
    perClient: { limit: 60, windowSeconds: HOUR },
    threat: 'flooding receiving orgs with transfer requests',
  },
  /** POST /api/aid/applications */
  aidApplication: {
    perAccount: { limit: 10, windowSeconds: HOUR },
    perClient: { limit: 60, windowSeconds: HOUR },
    threat: 'probing whose ID number has a household file, flooding the aid review queue',
  },
  /** POST /api/aid/bindings */
  householdBinding: {
    perAccount: { limit: 10, windowSeconds: HOUR },
    perClient: { limit: 60, windowSeconds: HOUR },
    threat: 'guessing the head\'s name and ID tail of a household code to read a needy family\'s file',
  },
  /** POST /api/stations/checkins */
  stationCheckIn: {
    perAccount: { limit: 30, windowSeconds: HOUR },
    perClient: { limit: 300, windowSeconds: HOUR },
    threat: 'inflating station visit statistics with scripted check-ins',
  },
} as const satisfies Record<string, RateLimitPolicy>;

export type RateLimitPolicyName = keyof typeof RATE_LIMIT_POLICIES;
