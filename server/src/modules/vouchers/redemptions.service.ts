import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { formatFen, PageQuery, RedemptionView, shanghaiDate, TodayRedemptionsView } from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { SignedCodeService } from '../../common/signed-code.service';
import { pageParams, toPage } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { MESSAGE_TEXTS } from '../messages/message-texts';
import { MessagesService } from '../messages/messages.service';
import { CampaignsService } from './campaigns.service';
import { RedeemDto } from './dto/vouchers.dto';
import { Redemption } from './entities/voucher.entity';
import { IdempotencyService } from '../../common/idempotency';
import { MerchantsService } from './merchants.service';
import { VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

/**
 * Redemption (核销) by a merchant's clerk and its same-day reversal (撤销核销).
 * The voucher moves unused → redeemed only by `UPDATE … WHERE status = 'unused' AND validUntil > now`,
 * so of two clerks scanning the same voucher exactly one succeeds; the redemption row's unique
 * `activeKey` backs that up at the database level.
 */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly merchants: MerchantsService,
    private readonly campaigns: CampaignsService,
    private readonly idem: IdempotencyService,
    private readonly codes: SignedCodeService,
    private readonly audit: AuditService,
    private readonly messages: MessagesService,
  ) {}

  /**
   * Redeems the voucher named by a redemption code against an order. A retry with the same key returns the same redemption.
   * @throws 403 NOT_A_CLERK; 404 REDEMPTION_CODE_INVALID; 410 REDEMPTION_CODE_EXPIRED; 403 MERCHANT_NOT_IN_SCOPE;
   *         422 BELOW_MIN_SPEND; 409 ALREADY_REDEEMED; 410 VOUCHER_EXPIRED; 409 VOUCHER_NOT_YET_VALID;
   *         403 SELF_REDEMPTION when the voucher was claimed by the clerk's own account (the attempt is audited as
   *         `refuse_self_redemption` on the voucher).
   */
  async redeem(user: User, dto: RedeemDto, key: string): Promise<RedemptionView> {
    const { merchant } = await this.merchants.requireClerk(user);
    const fingerprint = 'redeem:' + createHash('sha256').update(`${dto.redemptionCode}|${dto.orderAmountFen}`).digest('hex');
    const replay = await this.idem.find(user.id, 'redeem', key, fingerprint);
    if (replay) return this.viewById(replay);

    const { body } = this.codes.verify('redemption', dto.redemptionCode, E.codeErrors);
    const voucherId = parseInt(body.split('~')[0], 36);
    const voucher = Number.isFinite(voucherId) ? await this.repo.findVoucher(voucherId) : null;
    if (!voucher) throw E.codeInvalid();
    if (voucher.userId === user.id) {
      // A clerk cashing their own voucher at their own till: refused, and kept on record for the union.
      await this.audit.record(user.id, 'refuse_self_redemption', 'voucher', [voucher.id], [`merchant:${merchant.id}`]);
      throw E.selfRedemption();
    }
    const campaign = (await this.repo.findCampaign(voucher.campaignId))!;
    if (campaign.pausedAt && campaign.redemptionFrozen) throw E.redemptionFrozen();
    if (!(await this.campaigns.merchantInScope(campaign, merchant))) throw E.merchantNotInScope();
    if (dto.orderAmountFen < voucher.minSpendFen) throw E.belowMinSpend(voucher.minSpendFen);

    const now = new Date();
    try {
      const id = await this.idem.retryOnLock(() => this.repo.transaction(async (em) => {
        if (!(await this.repo.markRedeemed(em, voucher.id, now))) {
          const current = (await this.repo.findVoucher(voucher.id, em))!;
          if (current.status === 'redeemed') throw E.alreadyRedeemed();
          if (current.status === 'expired' || current.validUntil <= now) throw E.voucherExpired();
          if (current.validFrom > now) throw E.notYetValid();
          throw E.alreadyRedeemed();
        }
        const redemptionId = await this.repo.insertRedemption(em, {
          voucherId: voucher.id, activeKey: voucher.id, campaignId: voucher.campaignId, merchantId: merchant.id, clerkUserId: user.id,
          orderAmountFen: dto.orderAmountFen, faceValueFen: voucher.faceValueFen, status: 'active', redeemedAt: now, serviceDate: shanghaiDate(now),
          reversedAt: null, reversedById: null,
        });
        await this.idem.record(em, user.id, 'redeem', key, fingerprint, redemptionId);
        await this.audit.record(user.id, 'redeem', 'voucher_redemption', [redemptionId], ['faceValueFen', 'orderAmountFen'], em);
        // the receipt to the voucher's holder, committed with the redemption
        await this.messages.enqueueTo(em, [voucher.userId], 'voucher_redeemed', `voucher_redemption:${redemptionId}`, MESSAGE_TEXTS.voucherRedeemed({
          voucherId: voucher.id, merchantName: merchant.name, faceValueYuan: formatFen(voucher.faceValueFen), orderAmountYuan: formatFen(dto.orderAmountFen),
        }), now);
        return redemptionId;
      }));
      return this.viewById(id);
    } catch (e) {
      const twin = await this.idem.find(user.id, 'redeem', key, fingerprint);
      if (twin) return this.viewById(twin);
      throw e;
    }
  }

  /**
   * Reverses a redemption of the clerk's merchant made today (Asia/Shanghai); the voucher becomes
   * usable again if still valid (else expired). Both rows stay in the history.
   * @throws 404 REDEMPTION_NOT_FOUND (another merchant's); 409 REVERSAL_NOT_ALLOWED (another day); 409 ALREADY_REVERSED.
   */
  async reverse(user: User, id: number): Promise<RedemptionView> {
    const { merchant } = await this.merchants.requireClerk(user);
    const r = await this.repo.findRedemption(id);
    if (!r || r.merchantId !== merchant.id) throw E.redemptionNotFound();
    if (r.status === 'reversed') throw E.alreadyReversed();
    const now = new Date();
    if (r.serviceDate !== shanghaiDate(now)) throw E.reversalNotAllowed();
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.reverseRedemption(em, r.id, user.id, now))) throw E.alreadyReversed();
      await this.repo.restoreVoucher(em, r.voucherId, now);
      await this.audit.record(user.id, 'reverse', 'voucher_redemption', [r.id], ['faceValueFen', 'orderAmountFen'], em);
    });
    return this.viewById(r.id);
  }

  /**
   * One page of the merchant's redemptions of today (Asia/Shanghai), newest first, reversed ones included, with the
   * day's totals of the active ones over every page. @throws 403 when the caller is no clerk of an approved merchant.
   */
  async today(user: User, q: PageQuery = {}): Promise<TodayRedemptionsView> {
    const { merchant } = await this.merchants.requireClerk(user);
    const date = shanghaiDate(new Date());
    const { skip, take } = pageParams(q);
    // the day's totals are the merchant's settlement line of the day: one definition of what counts (active redemptions)
    const [[rows, total], [line]] = await Promise.all([
      this.repo.redemptionsOfMerchantDay(merchant.id, date, skip, take),
      this.repo.settlementLines({ scopePath: null, merchantId: merchant.id, from: date, to: date }),
    ]);
    return { ...toPage(await this.views(rows), total, q), date, count: line?.count ?? 0, faceValueFen: line?.faceValueFen ?? 0, orderAmountFen: line?.orderAmountFen ?? 0 };
  }

  async viewById(id: number): Promise<RedemptionView> {
    return (await this.views([(await this.repo.findRedemption(id))!]))[0];
  }

  async views(rows: Redemption[]): Promise<RedemptionView[]> {
    const [campaigns, merchants, vouchers] = await Promise.all([
      this.repo.findCampaigns(rows.map((r) => r.campaignId)),
      this.repo.findMerchants(rows.map((r) => r.merchantId)),
      this.repo.findVouchers(rows.map((r) => r.voucherId)),
    ]);
    const types = new Map((await this.repo.findTypes([...campaigns.keys()])).map((t) => [t.id, t]));
    return rows.map((r) => ({
      id: r.id, voucherId: r.voucherId, campaignId: r.campaignId, campaignName: campaigns.get(r.campaignId)?.name ?? '',
      typeName: types.get(vouchers.get(r.voucherId)?.voucherTypeId ?? 0)?.name ?? '',
      merchant: { id: r.merchantId, name: merchants.get(r.merchantId)?.name ?? '' }, clerkUserId: r.clerkUserId,
      orderAmountFen: r.orderAmountFen, faceValueFen: r.faceValueFen, status: r.status, redeemedAt: r.redeemedAt.toISOString(),
      serviceDate: r.serviceDate, reversedAt: r.reversedAt?.toISOString() ?? null,
    }));
  }
}
