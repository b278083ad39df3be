import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import { MessagesService } from '../messages.service';
import { RemindersService } from '../reminders.service';

/** Lease names of the scheduled reminder jobs (rows of scheduler_leases). */
export const REMINDER_LEASES = {
  campaigns: 'reminders:campaign-opening', expiry: 'reminders:voucher-expiry', settlement: 'reminders:settlement-ready', aidDigest: 'reminders:aid-overdue-digest',
} as const;

/**
 * The reminder schedule (@nestjs/schedule), in every API process when NOTIFY_SCHEDULE is on: every minute,
 * campaign openings and voucher expiries; every ten minutes, yesterday's settlement notices and (from 09:00 Asia/Shanghai, once a day) the overdue aid
 * applications digest to staff. Each job runs under
 * a lease row (scheduler_leases, 50 s / 9 min), so of several processes one runs it per period; the messages'
 * dedup keys make even an overlapping run harmless. Quiet hours: MessagesService.enqueue holds the WeChat send
 * of reminders written 22:00–08:00 (Asia/Shanghai) until 08:00.
 */
@Injectable()
export class RemindersJob {
  private readonly logger = new Logger('RemindersJob');
  private running = false;

  constructor(
    private readonly reminders: RemindersService,
    private readonly messages: MessagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'reminders' })
  async everyMinute(): Promise<void> {
    if (!this.config.notify.schedule) return;
    await this.runOnce();
  }

  @Cron('0 */10 * * * *', { name: 'settlement-ready' })
  async everyTenMinutes(): Promise<void> {
    if (!this.config.notify.schedule) return;
    await this.guard(async () => {
      await this.messages.withLease(REMINDER_LEASES.settlement, 540, async (cursor) => (await this.reminders.settlementsReady(cursor)).cursor);
      await this.messages.withLease(REMINDER_LEASES.aidDigest, 540, async () => void (await this.reminders.aidOverdueDigest()));
    });
  }

  /** One run of the per-minute jobs (tests call it directly). */
  async runOnce(now = new Date()): Promise<void> {
    await this.guard(async () => {
      await this.messages.withLease(REMINDER_LEASES.campaigns, 50, async () => void (await this.reminders.campaignOpenings(now)), now);
      await this.messages.withLease(REMINDER_LEASES.expiry, 50, async (cursor) => (await this.reminders.voucherExpiries(cursor, now)).cursor, now);
    });
  }

  private async guard(work: () => Promise<unknown>): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await work();
    } catch (e) {
      this.logger.warn(`reminder run failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
