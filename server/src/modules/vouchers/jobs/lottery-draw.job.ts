import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LotteryService } from '../lottery.service';

/** How often the job looks for lotteries due (ms). */
export const LOTTERY_DRAW_INTERVAL_MS = 60_000;
/** Staff draw by hand (摇号开奖) at the draw time; the job steps in only once a lottery is this late (ms). */
export const LOTTERY_AUTO_DRAW_GRACE_MS = 10 * 60_000;

/**
 * Draws the lotteries staff have not drawn within {@link LOTTERY_AUTO_DRAW_GRACE_MS} of their draw time, so members
 * are not left waiting. Safe in every process at once without a lock: the draw record is a conditional update
 * (`… WHERE drawnAt IS NULL`) inside the draw's transaction, so a second process's draw rolls back with ALREADY_DRAWN.
 * A plain unref'd interval, as VoucherExpiryJob (why: see there).
 */
@Injectable()
export class LotteryDrawJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LotteryDraw');
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;

  constructor(private readonly lottery: LotteryService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), LOTTERY_DRAW_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One run at `now`: draws every lottery due; resolves with the campaign ids drawn by this run. */
  async run(now: Date = new Date()): Promise<number[]> {
    const drawn: number[] = [];
    for (const campaignId of await this.lottery.dueForAutomaticDraw(new Date(now.getTime() - LOTTERY_AUTO_DRAW_GRACE_MS))) {
      try {
        const v = await this.lottery.drawAutomatically(campaignId);
        drawn.push(campaignId);
        this.logger.log(`campaign ${campaignId}: lottery drawn automatically, ${v.winners} winners of ${v.registrations}`);
      } catch (e) {
        this.logger.warn(`campaign ${campaignId}: automatic draw not done: ${(e as Error).message}`);
      }
    }
    return drawn;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run();
    } catch (e) {
      this.logger.warn(`lottery draw run failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
