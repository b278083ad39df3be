import { Injectable, Logger } from '@nestjs/common';
import { ACCEPT_WITHIN_HOURS, formatShanghai, shanghaiDate } from '@union/shared';
import { dateWords, MESSAGE_TEXTS } from './message-texts';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/** A campaign's 提醒我 is answered this long before it opens. */
export const CAMPAIGN_REMINDER_LEAD_MS = 10 * 60_000;
/** Holders of an unused voucher are told this long before it expires. */
export const VOUCHER_EXPIRY_LEAD_MS = 3 * 86_400_000;
/** After downtime, settlement notices are caught up for at most this many past days. */
const SETTLEMENT_CATCH_UP_DAYS = 7;
const BATCH = 500;
const DAY_MS = 86_400_000;

/** `2026-12-02T02:00Z` → `2026年12月2日 10:00` (Asia/Shanghai). */
export function timeWords(at: Date): string {
  const [date, time] = formatShanghai(at).split(' ');
  return `${dateWords(date)} ${time}`;
}

/**
 * Messages computed on a schedule (see jobs/reminders.job.ts): campaign openings for members who tapped 提醒我,
 * vouchers expiring in 3 days, merchants' settlement of the previous day. Each message is written with a dedup
 * key naming its event (`campaign_opening:<campaign>`, `voucher_expiring:<voucher>`, `settlement_ready:<merchant>:<date>`)
 * and the recipient, so a run repeated by another process, or after a crash between writing and recording
 * progress, writes nothing twice. Progress is kept in the job's lease row (`cursor`), so a run after downtime
 * picks up everything that fell due meanwhile.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('Reminders');

  constructor(
    private readonly repo: MessagesRepository,
    private readonly messages: MessagesService,
  ) {}

  /** Campaigns opening within 10 minutes (or opened during downtime and still claimable): one message per 提醒我. */
  async campaignOpenings(now = new Date()): Promise<number> {
    let written = 0;
    for (;;) {
      const due = await this.repo.dueCampaignReminders(now, new Date(now.getTime() + CAMPAIGN_REMINDER_LEAD_MS), BATCH);
      if (!due.length) return written;
      await this.repo.transaction(async (em) => {
        await this.messages.enqueue(em, due.map((r) => ({
          userId: r.userId, kind: 'campaign_opening' as const, eventKey: `campaign_opening:${r.campaignId}`,
          text: MESSAGE_TEXTS.campaignOpening({ campaignId: r.campaignId, name: r.name, startsAt: timeWords(r.claimStartAt) }),
        })), now);
        await this.repo.markReminded(em, due.map((r) => r.id), now);
      });
      written += due.length;
      if (due.length < BATCH) return written;
    }
  }

  /**
   * Unused vouchers whose validity ends in (`cursor`, now + 3 days]; answers the new cursor. The first run starts
   * at `now` (vouchers already closer to expiry than 3 days are told too, once).
   */
  async voucherExpiries(cursor: Date | null, now = new Date()): Promise<{ written: number; cursor: Date }> {
    const upTo = new Date(now.getTime() + VOUCHER_EXPIRY_LEAD_MS);
    const after = cursor ?? now;
    let written = 0;
    let from: { validUntil: Date; id: number } | null = null;
    for (;;) {
      const due = await this.repo.expiringVouchers(after, upTo, from, BATCH);
      if (!due.length) break;
      await this.repo.transaction((em) => this.messages.enqueue(em, due.map((v) => ({
        userId: v.userId, kind: 'voucher_expiring' as const, eventKey: `voucher_expiring:${v.id}`,
        text: MESSAGE_TEXTS.voucherExpiring({ voucherId: v.id, name: v.name, validUntil: timeWords(v.validUntil) }),
      })), now));
      written += due.length;
      from = due[due.length - 1];
      if (due.length < BATCH) break;
    }
    return { written, cursor: upTo };
  }

  /**
   * The daily digest of overdue aid applications (submitted, not accepted within 24 hours) to every staff account
   * whose subtree holds any: once per Asia/Shanghai day from 09:00 (dedup key `aid_overdue_digest:<day>`); a day
   * missed while the servers were down is not sent afterwards (the next digest counts what is overdue then).
   */
  async aidOverdueDigest(now = new Date()): Promise<number> {
    const shanghaiHour = (now.getUTCHours() + 8) % 24;
    if (shanghaiHour < 9 || shanghaiHour >= 22) return 0;
    const counts = await this.repo.overdueAidApplicationsByStaff(new Date(now.getTime() - ACCEPT_WITHIN_HOURS * 3600_000));
    if (!counts.size) return 0;
    const day = shanghaiDate(now);
    await this.repo.transaction((em) => this.messages.enqueue(em, [...counts].map(([userId, count]) => ({
      userId, kind: 'aid_application_overdue_digest' as const, eventKey: `aid_overdue_digest:${day}`, text: MESSAGE_TEXTS.aidOverdueDigest({ count }),
    })), now));
    return counts.size;
  }

  /**
   * Settlement notices for each Asia/Shanghai day after `cursor` up to yesterday (at most 7 days back): every
   * clerk of a merchant with active redemptions that day is told its settlement is ready. Answers the new cursor
   * (midnight UTC of the last day done, as a date marker).
   */
  async settlementsReady(cursor: Date | null, now = new Date()): Promise<{ written: number; cursor: Date }> {
    const yesterday = shanghaiDate(new Date(now.getTime() - DAY_MS));
    const first = cursor ? shanghaiDate(new Date(cursor.getTime() + DAY_MS)) : yesterday;
    const oldest = shanghaiDate(new Date(now.getTime() - SETTLEMENT_CATCH_UP_DAYS * DAY_MS));
    let written = 0;
    for (let day = first < oldest ? oldest : first; day <= yesterday; day = shanghaiDate(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS))) {
      const merchants = await this.repo.merchantsWithRedemptions(day);
      await this.repo.transaction(async (em) => {
        for (const m of merchants) {
          await this.messages.enqueueTo(em, m.clerkUserIds, 'settlement_ready', `settlement_ready:${m.merchantId}:${day}`,
            MESSAGE_TEXTS.settlementReady({ merchantName: m.name, period: day }), now);
          written += m.clerkUserIds.length;
        }
      });
    }
    if (written) this.logger.log(`${written} settlement notices`);
    return { written, cursor: new Date(`${yesterday}T00:00:00Z`) };
  }
}
