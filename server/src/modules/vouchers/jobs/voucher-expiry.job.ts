import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { VouchersRepository } from '../vouchers.repository';

/** How often the expiry job runs (ms). */
export const EXPIRY_INTERVAL_MS = 60_000;

/**
 * Marks unused vouchers past validity as expired, once a minute. Idempotent (`UPDATE … WHERE
 * status = 'unused' AND validUntil <= now`), so several server processes may all run it without a
 * lock. Redemption checks validity itself, so nothing redeems an expired voucher before this runs.
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

  constructor(private readonly repo: VouchersRepository) {}

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

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run();
    } catch (e) {
      this.logger.warn(`expiry run failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
