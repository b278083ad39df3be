import { Injectable } from '@nestjs/common';
import { Page, RedemptionCodeView, validityEnded, VoucherView } from '@union/shared';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { CampaignsService, phaseOf } from './campaigns.service';
import { VoucherListQueryDto } from './dto/vouchers.dto';
import { Voucher } from './entities/voucher.entity';
import { IdempotencyService } from './idempotency.service';
import { isDuplicateKey, VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

/** Lifetime of a redemption code (seconds): a screenshot is useless a minute later. */
export const REDEMPTION_CODE_TTL_SECONDS = 60;
const DAY_MS = 86_400_000;

/**
 * Claiming (领取) and the member's vouchers.
 *
 * A claim is one transaction: insert the voucher into the member's next free slots, record the
 * Idempotency-Key, then take one from stock with `UPDATE voucher_types SET claimed = claimed + 1
 * WHERE id = ? AND claimed < quantity`. Stock never goes below zero because of that condition; the
 * per-member limits hold because slots are unique and bounded by the limit (no read-then-write);
 * a sold-out or failed step rolls back the voucher and the key together.
 */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly campaigns: CampaignsService,
    private readonly idem: IdempotencyService,
    private readonly codes: SignedCodeService,
  ) {}

  /**
   * Claims one voucher of `voucherTypeId`. A retry with the same `key` returns the same voucher.
   * @throws 404 CAMPAIGN_NOT_FOUND / VOUCHER_TYPE_NOT_FOUND; 409 NOT_STARTED; 410 ENDED; 410 VALIDITY_ENDED; 403 NOT_ELIGIBLE;
   *         409 LIMIT_REACHED; 409 SOLD_OUT; 422 IDEMPOTENCY_KEY_REUSED.
   */
  async claim(user: User, campaignId: number, voucherTypeId: number, key: string): Promise<VoucherView> {
    const fingerprint = `claim:${campaignId}:${voucherTypeId}`;
    const replay = await this.idem.find(user.id, 'claim', key, fingerprint);
    if (replay) return this.viewById(replay);

    const c = await this.repo.findCampaign(campaignId);
    if (!c || c.status === 'draft') throw E.campaignNotFound();
    const type = await this.repo.findType(voucherTypeId);
    if (!type || type.campaignId !== c.id) throw E.voucherTypeNotFound();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000); // whole seconds, as datetime columns keep them
    const phase = phaseOf(c, now);
    if (phase === 'upcoming') throw E.notStarted(c.claimStartAt);
    if (phase === 'ended') throw E.ended();
    // A voucher whose validity is already over would be dead on arrival: refuse before any write (no stock taken).
    // The campaign in hand carries the validity, so the hot path reads nothing more.
    if (validityEnded(c, now)) throw E.validityEnded();
    // Cheap early answer in the rush; the conditional UPDATE below is what actually guards the stock.
    if (type.claimed >= type.quantity) throw E.soldOut();
    const member = await this.campaigns.requireMember(user).catch(() => {
      throw E.notEligible('您还不是工会会员，入会后即可领取');
    });
    const problem = await this.campaigns.eligibilityProblem(c, member);
    if (problem) throw E.notEligible(problem);
    const held = await this.repo.heldCounts(member.id, type.id, c.id);
    if (held.type >= type.perMemberLimit || held.campaign >= c.perMemberLimit) throw E.limitReached();

    const validFrom = c.validityKind === 'fixed' ? c.validFrom! : now;
    const validUntil = c.validityKind === 'fixed' ? c.validUntil! : new Date(now.getTime() + c.validDays! * DAY_MS);
    try {
      const id = await this.idem.retryOnLock(() => this.repo.transaction(async (em) => {
        let typeSlot = held.type + 1;
        let campaignSlot = held.campaign + 1;
        let voucherId = 0;
        while (!voucherId) {
          if (typeSlot > type.perMemberLimit || campaignSlot > c.perMemberLimit) throw E.limitReached();
          try {
            voucherId = await this.repo.insertVoucher(em, {
              campaignId: c.id, voucherTypeId: type.id, memberId: member.id, userId: user.id, orgId: member.orgId, typeSlot, campaignSlot,
              faceValueFen: type.faceValueFen, minSpendFen: type.minSpendFen, status: 'unused', claimedAt: now, validFrom, validUntil, redeemedAt: null,
            });
          } catch (e) {
            // A concurrent claim of the same member took this slot: try the next one (statement-level failure only).
            if (!isDuplicateKey(e)) throw e;
            const msg = String((e as Error).message);
            if (/type_slot|typeSlot/i.test(msg)) typeSlot++;
            else if (/campaign_slot|campaignSlot/i.test(msg)) campaignSlot++;
            else throw e;
          }
        }
        await this.idem.record(em, user.id, 'claim', key, fingerprint, voucherId);
        if (!(await this.repo.takeStock(em, type.id))) throw E.soldOut();
        return voucherId;
      }));
      // Built from what is in hand: the hot path reads nothing more.
      return {
        id, campaignId: c.id, campaignName: c.name, voucherTypeId: type.id, typeName: type.name, faceValueFen: type.faceValueFen,
        minSpendFen: type.minSpendFen, status: 'unused', claimedAt: now.toISOString(), validFrom: validFrom.toISOString(),
        validUntil: validUntil.toISOString(), redeemedAt: null, merchantScope: c.merchantScope,
      };
    } catch (e) {
      // A concurrent twin with the same key may have won: answer with its voucher.
      const twin = await this.idem.find(user.id, 'claim', key, fingerprint);
      if (twin) return this.viewById(twin);
      throw e;
    }
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
