import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isRetryableLock, VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

/**
 * Idempotency keys of claims and redemptions: (userId, scope, key) unique, recorded inside the
 * transaction that produced the result, so a key exists exactly when its result does.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly repo: VouchersRepository) {}

  /** The id produced earlier under this key, or null. @throws 422 IDEMPOTENCY_KEY_REUSED for a different request. */
  async find(userId: number, scope: string, key: string, fingerprint: string): Promise<number | null> {
    const row = await this.repo.findIdempotencyKey(userId, scope, key);
    if (!row) return null;
    if (row.fingerprint !== fingerprint) throw E.idempotencyKeyReused();
    return row.resultId;
  }

  /** Records the key in the producing transaction; a concurrent twin makes this fail with a duplicate key. */
  record(em: EntityManager, userId: number, scope: string, key: string, fingerprint: string, resultId: number): Promise<void> {
    return this.repo.insertIdempotencyKey(em, { userId, scope, key, fingerprint, resultId, createdAt: new Date() });
  }

  /** Runs a transaction again (up to 5 times) when the database chose it as a deadlock victim. */
  async retryOnLock<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (e) {
        if (attempt >= 5 || !isRetryableLock(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }
}
