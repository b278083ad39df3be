import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { RedisConnection } from '../../../common/redis.provider';
import { VouchersRepository } from '../vouchers.repository';

/** How often the expiry job runs (ms). */
export const EXPIRY_INTERVAL_MS = 60_000;

/** Redis key prefix of the per-tick lock; the tick number (epoch ms ÷ interval) is appended. */
export const EXPIRY_LOCK_PREFIX = 'union:lock:voucher-expiry:';

/**
 * Marks unused vouchers past validity as expired, once a minute. The UPDATE is idempotent
 * (`… WHERE status = 'unused' AND validUntil <= now`), and with several server processes it runs once
 * per tick across all of them: each tick (epoch ms ÷ interval) is claimed in Redis with
 * `SET union:lock:voucher-expiry:<tick> <owner> NX PX <2 intervals>`, and only the process that set it
 * runs. The lock is never released early, so a process whose timer fires later in the same minute
 * skips. Without Redis (single-process demo) it simply runs; if Redis cannot be reached it runs too
 * (harmless, being idempotent) rather than skip expiry. Redemption checks validity itself, so nothing
 * redeems an expired voucher before this runs.
 *
 * Scheduled with a plain unref'd interval rather than @nestjs/schedule: the installed
 * @nestjs/schedule 12 is an ES module only, which the CommonJS test runner cannot load (and every
 * test imports the whole AppModule).
 */
@Injectable()
export class VoucherExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('VoucherExpiry');
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;
  private readonly owner = randomUUID();

  constructor(
    private readonly repo: VouchersRepository,
    private readonly redis: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One run: how many vouchers changed to expired. */
  async run(now: Date = new Date()): Promise<number> {
    const n = await this.repo.expireVouchers(now);
    if (n) this.logger.log(`${n} vouchers expired`);
    return n;
  }

  /** Whether this process holds the lock of the tick containing `now` (true without Redis). */
  async acquireTick(now: Date = new Date()): Promise<boolean> {
    const client = this.redis.client;
    if (!client) return true;
    const tick = Math.floor(now.getTime() / EXPIRY_INTERVAL_MS);
    try {
      return (await client.set(`${EXPIRY_LOCK_PREFIX}${tick}`, this.owner, 'PX', 2 * EXPIRY_INTERVAL_MS, 'NX')) === 'OK';
    } catch (e) {
      this.logger.warn(`expiry lock unavailable, running anyway: ${(e as Error).message}`);
      return true;
    }
  }

  /** One scheduled tick: runs when this process wins the tick's lock. Resolves with whether it ran. */
  async tick(now: Date = new Date()): Promise<boolean> {
    if (this.running) return false;
    this.running = true;
    try {
      if (!(await this.acquireTick(now))) return false;
      await this.run(now);
      return true;
    } catch (e) {
      this.logger.warn(`expiry run failed: ${(e as Error).message}`);
      return false;
    } finally {
      this.running = false;
    }
  }
}
