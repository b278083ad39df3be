/**
 * A fresh `Idempotency-Key` for one user action, kept across retries of that action: `mp-` + time + random,
 * 8–64 characters of [A-Za-z0-9_-] as the server requires. A create with a key the server has seen answers the
 * first result instead of creating a second record (server: common/idempotency.ts).
 */
export function newIdempotencyKey(): string {
  return `mp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The header carrying `key`. */
export const idempotencyHeader = (key: string) => ({ 'Idempotency-Key': key });
