import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import { MessagesService } from '../messages.service';

/**
 * Deletes messages older than 180 days (MESSAGE_RETENTION_DAYS) and their outbox rows, daily at 03:30
 * Asia/Shanghai, under the lease `messages-purge` so one process of several runs it. A run missed while the
 * servers were down is simply done by the next one (the purge is by age, idempotent).
 */
@Injectable()
export class MessagesPurgeJob {
  private readonly logger = new Logger('MessagesPurge');

  constructor(
    private readonly messages: MessagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron('0 30 3 * * *', { name: 'messages-purge', timeZone: 'Asia/Shanghai' })
  async tick(): Promise<void> {
    if (!this.config.notify.schedule) return;
    try {
      await this.messages.withLease('messages-purge', 600, async () => {
        const n = await this.messages.purgeExpired();
        if (n) this.logger.log(`${n} messages past retention deleted`);
      });
    } catch (e) {
      this.logger.warn(`purge failed: ${(e as Error).message}`);
    }
  }
}
