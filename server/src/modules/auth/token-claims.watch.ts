import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { InvalidationBus } from '../../common/invalidation-bus';
import { User } from './user.entity';

/** How often every process re-reads the accounts whose role or org changed recently (ms). */
export const TOKEN_CLAIMS_POLL_MS = 500;
/** How far back each poll looks (ms): covers clock skew between processes and slow commits. */
const POLL_OVERLAP_MS = 60_000;
/** Clocks of the processes that sign tokens and stamp changes may differ by this much: tokens signed that soon after a change read the row. */
const MAX_CLOCK_SKEW_MS = 5_000;

/**
 * Which accounts' role or org changed, and when: the revocation list of the claims an access token carries.
 *
 * An access token states `role` and `orgId` as they were when it was signed (`iat`). A route marked
 * `@IdentityFromToken()` trusts them without reading the user row, unless the account's role or org
 * changed at or after `iat` ({@link stale}); then the guard reads the row as every other route does.
 * Kept in memory per process: loaded at start (changes within the token lifetime), refreshed by a poll
 * of `users.claimsChangedAt` every {@link TOKEN_CLAIMS_POLL_MS} ms (one indexed SELECT per process, not per
 * request), and at once through the {@link InvalidationBus} (`user` topic; Redis pub/sub across processes).
 * So a role change takes effect within 1 s in every process, with or without Redis.
 */
@Injectable()
export class TokenClaimsWatch implements OnModuleInit, OnApplicationShutdown {
  private readonly changedAt = new Map<number, number>();
  private watermark = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(@InjectDataSource() private readonly db: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig, bus: InvalidationBus) {
    bus.on('user', (id) => this.note(id, Date.now()));
  }

  async onModuleInit(): Promise<void> {
    this.watermark = Date.now() - this.config.jwtTtlSeconds * 1000 - POLL_OVERLAP_MS;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), TOKEN_CLAIMS_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * True when the account's role or org changed at or after `issuedAtSeconds` (the token's `iat`), or less than
   * {@link MAX_CLOCK_SKEW_MS} before it: its claims must not be trusted (the guard reads the row instead).
   */
  stale(userId: number, issuedAtSeconds: number): boolean {
    const at = this.changedAt.get(userId);
    return at !== undefined && at + MAX_CLOCK_SKEW_MS >= issuedAtSeconds * 1000;
  }

  /** Records a change seen in this process (before the poll would). */
  note(userId: number, at: number): void {
    if ((this.changedAt.get(userId) ?? 0) < at) this.changedAt.set(userId, at);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const since = new Date(Math.min(this.watermark, Date.now()) - POLL_OVERLAP_MS);
      const rows = await this.db.getRepository(User).find({ select: { id: true, claimsChangedAt: true }, where: { claimsChangedAt: MoreThanOrEqual(since) } });
      for (const r of rows) {
        const at = r.claimsChangedAt!.getTime();
        // a datetime column keeps whole seconds: count the change from the end of its second
        this.note(r.id, at + 999);
        if (at > this.watermark) this.watermark = at;
      }
    } catch {
      // the database is briefly unreachable: keep what we know; the next poll catches up
    } finally {
      this.polling = false;
    }
  }
}
