import { Injectable } from '@nestjs/common';
import { currentRound, Page, RedemptionCodeView, shanghaiDate, validityEnded, VoucherView } from '@union/shared';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { CampaignsService, phaseOf } from './campaigns.service';
import { VoucherListQueryDto } from './dto/vouchers.dto';
import { Voucher } from './entities/voucher.entity';
import { IdempotencyService } from '../../common/idempotency';
import { ClaimRulesCache, soldOutKey } from './claim-rules.cache';
import { MembershipRepository } from '../membership/membership.repository';
import { isDuplicateKey } from '../../common/db-errors';
import { VoucherErrors as E } from './vouchers.errors';
import { LotteryErrors } from './lottery.errors';
import { NO_CAP, VouchersRepository } from './vouchers.repository';

/** Lifetime of a redemption code (seconds): a screenshot is useless a minute later. */
export const REDEMPTION_CODE_TTL_SECONDS = 60;
const DAY_MS = 86_400_000;

/**
 * Claiming (领取) and the member's vouchers.
 *
 * The claim path reads nothing it could already know (docs/vouchers.md, "The claim rush"):
 * - the caller's identity comes from the access token (the guard reads no row; revocation through
 *   the token-claims watch), campaign and types from {@link ClaimRulesCache} (memory, ≤ 1 s stale,
 *   invalidated on edit, top-up, publish and close);
 * - a sold-out type answers 409 SOLD_OUT from memory once this process has seen the stock gone;
 * - the only read is the caller's membership (one narrow indexed SELECT: eligibility must be fresh);
 * - then one transaction of three writes: insert the voucher into the member's first slots (the
 *   unique slot keys enforce the per-member limits: a taken slot moves to the next, past the limit is
 *   409 LIMIT_REACHED; with a daily cap the day's slot too, past it 409 DAILY_LIMIT_REACHED), record the
 *   Idempotency-Key, take one from stock with the conditional `UPDATE voucher_types SET claimed = claimed + 1 …
 *   WHERE id = ? AND claimed < quantity …` (with release rounds also within the open round's release:
 *   VouchersRepository.takeStock). Stock never goes below zero because of that condition; a sold-out or failed
 *   step rolls back the voucher and the key together.
 * A retry with a used key is answered from the key's row when the attempt fails (the key's unique
 * index or the member's slot refuse it), so replays cost one look-up and never a second voucher.
 */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly campaigns: CampaignsService,
    private readonly idem: IdempotencyService,
    private readonly codes: SignedCodeService,
    private readonly rules: ClaimRulesCache,
    private readonly membership: MembershipRepository,
  ) {}

  /**
   * Claims one voucher of `voucherTypeId` for `user` (only `user.id` is used). A retry with the same `key` returns the same voucher.
   * SQL: 4 statements when issued (membership read + 3 writes, inside START TRANSACTION/COMMIT), 1 when refused
   * (the key look-up that recognises a replay), 0 more on a cache miss than 2 SELECTs per campaign per second per process;
   * the membership read and the key look-up are shared by the concurrent claims of one event-loop round (batched reads).
   * @throws 404 CAMPAIGN_NOT_FOUND / VOUCHER_TYPE_NOT_FOUND; 409 NOT_STARTED; 410 ENDED; 409 CAMPAIGN_PAUSED; 410 VALIDITY_ENDED; 403 NOT_ELIGIBLE;
   *         409 LIMIT_REACHED; 409 DAILY_LIMIT_REACHED; 409 SOLD_OUT; 422 IDEMPOTENCY_KEY_REUSED.
   */
  async claim(user: Pick<User, 'id'>, campaignId: number, voucherTypeId: number, key: string): Promise<VoucherView> {
    const fingerprint = `claim:${campaignId}:${voucherTypeId}`;
    try {
      return await this.attempt(user, campaignId, voucherTypeId, key, fingerprint);
    } catch (e) {
      // A replay (or a concurrent twin with the same key) is answered with its voucher; a reused key for another request is 422.
      const twin = await this.idem.find(user.id, 'claim', key, fingerprint);
      if (twin) return this.viewById(twin);
      throw e;
    }
  }

  private async attempt(user: Pick<User, 'id'>, campaignId: number, voucherTypeId: number, key: string, fingerprint: string): Promise<VoucherView> {
    const rules = await this.rules.get(campaignId);
    const c = rules?.campaign;
    if (!rules || !c || c.status === 'draft') throw E.campaignNotFound();
    if (c.allocation === 'lottery') throw LotteryErrors.lotteryCampaign(); // vouchers come from the draw
    const type = rules.types.get(voucherTypeId);
    if (!type) throw E.voucherTypeNotFound();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000); // whole seconds, as datetime columns keep them
    const phase = phaseOf(c, now);
    if (phase === 'upcoming') throw E.notStarted(c.claimStartAt);
    if (phase === 'ended') throw E.ended();
    if (c.pausedAt) throw E.paused(); // from the cached rules: a pause reaches every process within 1 s (bus + TTL)
    // A voucher whose validity is already over would be dead on arrival: refuse before any write (no stock taken).
    if (validityEnded(c, now)) throw E.validityEnded();
    // Release rounds: the round open now decides the stock on offer (a sold-out round names the next one).
    const round = currentRound(c, new Date()); // to the millisecond, as the member's view computes it (not the whole second of `now`)
    const k = round?.index ?? 0;
    const soldOut = () => (round ? E.roundSoldOut(round.nextAt) : E.soldOut());
    // Stock this process has seen gone: answer without a transaction (a top-up reloads the rules and clears it).
    if (rules.soldOut.has(soldOutKey(type.id, k))) throw soldOut();
    const member = await this.membership.findClaimantByUser(user.id);
    if (!member) throw E.notEligible('您还不是工会会员，入会后即可领取');
    const problem = await this.campaigns.eligibilityProblem(c, member);
    if (problem) throw E.notEligible(problem);

    const validFrom = c.validityKind === 'fixed' ? c.validFrom! : now;
    const validUntil = c.validityKind === 'fixed' ? c.validUntil! : new Date(now.getTime() + c.validDays! * DAY_MS);
    const dailyLimit = c.perMemberDailyLimit ?? null;
    const claimDay = dailyLimit ? shanghaiDate(now) : null;
    const id = await this.idem.retryOnLock(() => this.repo.transaction(async (em) => {
      let typeSlot = 1;
      let campaignSlot = 1;
      let daySlot = dailyLimit ? 1 : null;
      let voucherId = 0;
      while (!voucherId) {
        if (typeSlot > type.perMemberLimit || campaignSlot > c.perMemberLimit) throw E.limitReached();
        if (dailyLimit && daySlot! > dailyLimit) throw E.dailyLimitReached(dailyLimit);
        try {
          voucherId = await this.repo.insertVoucher(em, {
            campaignId: c.id, voucherTypeId: type.id, memberId: member.id, userId: user.id, orgId: member.orgId, typeSlot, campaignSlot, claimDay, daySlot,
            faceValueFen: type.faceValueFen, minSpendFen: type.minSpendFen, status: 'unused', claimedAt: now, validFrom, validUntil, redeemedAt: null,
          });
        } catch (e) {
          // The member already holds this slot (an earlier or concurrent claim): try the next one (statement-level failure only).
          if (!isDuplicateKey(e)) throw e;
          const msg = String((e as Error).message);
          if (/type_slot|typeSlot/i.test(msg)) typeSlot++;
          else if (/day_slot|daySlot/i.test(msg)) daySlot!++;
          else if (/campaign_slot|campaignSlot/i.test(msg)) campaignSlot++;
          else throw e;
        }
      }
      await this.idem.record(em, user.id, 'claim', key, fingerprint, voucherId);
      const perRound = round && type.roundQuantity ? type.roundQuantity : null;
      const taken = !perRound ? await this.repo.takeStock(em, type.id)
        : c.roundRollover ? await this.repo.takeStock(em, type.id, k, (k + 1) * perRound, NO_CAP)
          : await this.repo.takeStock(em, type.id, k, NO_CAP, perRound);
      if (!taken) {
        this.rules.markSoldOut(c.id, type.id, k);
        throw soldOut();
      }
      return voucherId;
    }));
    // Built from what is in hand: the hot path reads nothing more.
    return {
      id, campaignId: c.id, campaignName: c.name, voucherTypeId: type.id, typeName: type.name, faceValueFen: type.faceValueFen,
      minSpendFen: type.minSpendFen, status: 'unused', claimedAt: now.toISOString(), validFrom: validFrom.toISOString(),
      validUntil: validUntil.toISOString(), redeemedAt: null, merchantScope: c.merchantScope,
    };
  }

  async myVouchers(user: User, q: VoucherListQueryDto): Promise<Page<VoucherView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listVouchersOfUser(user.id, q.status, new Date(), skip, take);
    return toPage(await this.views(rows), total, q);
  }

  async myVoucher(user: User, id: number): Promise<VoucherView> {
    return (await this.views([await this.own(user, id)]))[0];
  }

  /** A fresh redemption code for an unused, valid voucher (kind `redemption`, 60 s). @throws 409 VOUCHER_NOT_USABLE. */
  async redemptionCode(user: User, id: number): Promise<RedemptionCodeView> {
    const v = await this.own(user, id);
    if (v.status !== 'unused' || v.validUntil <= new Date()) throw E.voucherNotUsable();
    const { code, expiresAt } = this.codes.sign('redemption', `${v.id.toString(36)}~${this.codes.randomBody().slice(0, 8)}`, REDEMPTION_CODE_TTL_SECONDS);
    return { code, expiresAt: expiresAt!.toISOString(), ttlSeconds: REDEMPTION_CODE_TTL_SECONDS };
  }

  private async own(user: User, id: number): Promise<Voucher> {
    const v = await this.repo.findVoucher(id);
    if (!v || v.userId !== user.id) throw E.voucherNotFound();
    return v;
  }

  async viewById(id: number): Promise<VoucherView> {
    return (await this.views([(await this.repo.findVoucher(id))!]))[0];
  }

  /** Vouchers as members see them; an unused voucher past validity shows as expired even before the job runs. */
  async views(rows: Voucher[]): Promise<VoucherView[]> {
    const campaigns = await this.repo.findCampaigns(rows.map((v) => v.campaignId));
    const types = new Map((await this.repo.findTypes([...campaigns.keys()])).map((t) => [t.id, t]));
    const now = new Date();
    return rows.map((v) => ({
      id: v.id, campaignId: v.campaignId, campaignName: campaigns.get(v.campaignId)?.name ?? '', voucherTypeId: v.voucherTypeId,
      typeName: types.get(v.voucherTypeId)?.name ?? '', faceValueFen: v.faceValueFen, minSpendFen: v.minSpendFen,
      status: v.status === 'unused' && v.validUntil <= now ? 'expired' : v.status, claimedAt: v.claimedAt.toISOString(),
      validFrom: v.validFrom.toISOString(), validUntil: v.validUntil.toISOString(), redeemedAt: v.redeemedAt?.toISOString() ?? null,
      merchantScope: campaigns.get(v.campaignId)?.merchantScope ?? 'all',
    }));
  }
}
