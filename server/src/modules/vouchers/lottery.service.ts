import { Injectable } from '@nestjs/common';
import {
  LotteryProof, LotteryRegistrationView, LotteryState, LotteryView, MemberLotteryView, validityEnded,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { PersonalDataCipher } from '../../common/crypto.service';
import { isDuplicateKey } from '../../common/db-errors';
import { InvalidationBus } from '../../common/invalidation-bus';
import type { User } from '../auth/user.entity';
import { Member } from '../membership/entities/member.entity';
import { MembershipRepository } from '../membership/membership.repository';
import { CampaignsService } from './campaigns.service';
import { Campaign } from './entities/campaign.entity';
import { Lottery, LotteryRegistration } from './entities/lottery.entity';
import { drawWinners, DrawStock } from './lottery.draw';
import { LotteryErrors as L } from './lottery.errors';
import { MESSAGE_TEXTS } from '../messages/message-texts';
import { MessagesService } from '../messages/messages.service';
import { LotteryRepository } from './lottery.repository';
import { VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

const DAY_MS = 86_400_000;
const wholeSeconds = () => new Date(Math.floor(Date.now() / 1000) * 1000);

/**
 * The lottery (摇号) of a campaign with `allocation: 'lottery'` (docs/vouchers.md, "Lottery"):
 * members register during [claimStartAt, registrationEndAt) under a pseudonymous id, with the weight the published
 * rules give them; from `drawAt` staff run the draw once, which issues the winners' vouchers and the `claimed` counters
 * in one transaction with the draw record; afterwards the proof (seed, sorted registrations, stock, winners) is public.
 */
@Injectable()
export class LotteryService {
  constructor(
    private readonly repo: LotteryRepository,
    private readonly vouchers: VouchersRepository,
    private readonly campaigns: CampaignsService,
    private readonly membership: MembershipRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
    private readonly messages: MessagesService,
  ) {}

  /** Staff view of a campaign's lottery. @throws 404 CAMPAIGN_NOT_FOUND (outside the subtree); 409 NOT_A_LOTTERY. */
  async manageView(user: User, campaignId: number): Promise<LotteryView> {
    const c = await this.campaigns.inScope(user, campaignId);
    return this.view(c, await this.lotteryOf(c));
  }

  /**
   * The member's view: the lottery, the caller's registration and outcome, or why they may not register.
   * @throws 404 CAMPAIGN_NOT_FOUND (draft, or not in the member's org lineage) / NOT_MEMBER; 409 NOT_A_LOTTERY.
   */
  async memberView(user: User, campaignId: number): Promise<MemberLotteryView> {
    const { c, member, problem } = await this.forMember(user, campaignId);
    if (!member) await this.campaigns.requireMember(user); // 404 NOT_MEMBER, as the member's campaign list
    const lottery = await this.lotteryOf(c);
    const reg = member ? await this.repo.findRegistration(c.id, member.id) : null;
    return { ...(await this.view(c, lottery)), mine: reg ? await this.registrationView(reg) : null, ineligibleReason: problem };
  }

  /**
   * Registers the caller (登记参加摇号). One registration per member and campaign (unique index); a second attempt,
   * also a concurrent one, answers 409 LOTTERY_ALREADY_REGISTERED with the existing registration in `details`.
   * @throws 404 CAMPAIGN_NOT_FOUND; 409 NOT_A_LOTTERY / REGISTRATION_NOT_OPEN / REGISTRATION_CLOSED / CAMPAIGN_PAUSED;
   *         403 NOT_ELIGIBLE (same rules as claims: active member of the subtree, allowed occupation).
   */
  async register(user: User, campaignId: number): Promise<LotteryRegistrationView> {
    const { c, member, problem } = await this.forMember(user, campaignId);
    const lottery = await this.lotteryOf(c);
    const now = wholeSeconds();
    if (c.status === 'closed' || now >= lottery.registrationEndAt || lottery.drawnAt) throw L.registrationClosed();
    if (now < c.claimStartAt) throw L.registrationNotOpen(c.claimStartAt);
    if (c.pausedAt) throw E.paused();
    if (!member || problem) throw E.notEligible(problem ?? '您还不是工会会员，入会后即可登记');
    const existing = await this.repo.findRegistration(c.id, member.id);
    if (existing) throw L.alreadyRegistered(await this.registrationView(existing));
    const weight = await this.weightOf(lottery, user.id, member.id);
    try {
      await this.repo.insertRegistration({
        campaignId: c.id, memberId: member.id, userId: user.id, orgId: member.orgId, pseudonymousId: this.pseudonymousId(c.id, member.id),
        weight, registeredAt: now, outcome: 'registered', drawRank: null, voucherTypeId: null,
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const twin = await this.repo.findRegistration(c.id, member.id);
      if (twin) throw L.alreadyRegistered(await this.registrationView(twin));
      throw e;
    }
    return this.registrationView((await this.repo.findRegistration(c.id, member.id))!);
  }

  /**
   * Runs the draw (开奖), once, at or after `drawAt`: ranks the registrations with the committed seed, gives the winners
   * one voucher each (typeSlot = campaignSlot = 1) and raises each type's `claimed`, all in one transaction with the
   * draw record; audited. @throws 404 CAMPAIGN_NOT_FOUND; 409 NOT_A_LOTTERY / CAMPAIGN_NOT_PUBLISHED / DRAW_TOO_EARLY /
   * ALREADY_DRAWN; 410 VALIDITY_ENDED.
   */
  async draw(user: User, campaignId: number): Promise<LotteryView> {
    const c = await this.campaigns.inScope(user, campaignId);
    return this.runDraw(c, await this.lotteryOf(c), user.id);
  }

  /**
   * The automatic draw ({@link LotteryDrawJob}) of a lottery staff have not drawn by hand: the same draw, recorded with
   * `drawnById` null and audited as actor 0 (`automatic`). @throws as {@link draw}.
   */
  async drawAutomatically(campaignId: number): Promise<LotteryView> {
    const c = await this.vouchers.findCampaign(campaignId);
    if (!c) throw E.campaignNotFound();
    return this.runDraw(c, await this.lotteryOf(c), null);
  }

  /** Lotteries due for the automatic draw: committed, not drawn, `drawAt` at or before `before`, campaign published. */
  dueForAutomaticDraw(before: Date): Promise<number[]> {
    return this.repo.dueLotteries(before);
  }

  private async runDraw(c: Campaign, lottery: Lottery, actorId: number | null): Promise<LotteryView> {
    if (lottery.drawnAt) throw L.alreadyDrawn();
    if (c.status !== 'published' || !lottery.commitment || !lottery.seedEnc) throw L.notPublished();
    const now = wholeSeconds();
    if (now < lottery.drawAt) throw L.drawTooEarly(lottery.drawAt);
    if (validityEnded(c, now)) throw E.validityEnded();
    const seed = this.cipher.decrypt(lottery.seedEnc);
    await this.repo.transaction(async (em) => {
      // Registration closed at registrationEndAt ≤ drawAt ≤ now, so this list is final.
      const regs = await this.repo.registrations(c.id, em);
      const stock: DrawStock[] = (await this.vouchers.findTypes([c.id], em)).map((t) => ({ voucherTypeId: t.id, quantity: Math.max(0, t.quantity - t.claimed) }));
      const winners = drawWinners(seed, regs.map((r) => ({ id: r.pseudonymousId, weight: r.weight })), stock);
      if (!(await this.repo.markDrawn(em, lottery.id, { drawnAt: now, drawnById: actorId, winners: winners.length, stockJson: JSON.stringify(stock) }))) throw L.alreadyDrawn();
      const byPseudonym = new Map(regs.map((r) => [r.pseudonymousId, r]));
      const types = new Map((await this.vouchers.findTypes([c.id], em)).map((t) => [t.id, t]));
      const validFrom = c.validityKind === 'fixed' ? c.validFrom! : now;
      const validUntil = c.validityKind === 'fixed' ? c.validUntil! : new Date(now.getTime() + c.validDays! * DAY_MS);
      await this.repo.insertVouchers(em, winners.map((w) => {
        const r = byPseudonym.get(w.id)!;
        const t = types.get(w.voucherTypeId)!;
        return {
          campaignId: c.id, voucherTypeId: t.id, memberId: r.memberId, userId: r.userId, orgId: r.orgId, typeSlot: 1, campaignSlot: 1, claimDay: null, daySlot: null,
          faceValueFen: t.faceValueFen, minSpendFen: t.minSpendFen, status: 'unused', claimedAt: now, validFrom, validUntil, redeemedAt: null,
        };
      }));
      const perType = new Map<number, number>();
      for (const w of winners) perType.set(w.voucherTypeId, (perType.get(w.voucherTypeId) ?? 0) + 1);
      for (const [typeId, n] of perType) if (!(await this.repo.addClaimed(em, typeId, n))) throw L.stockChanged();
      await this.repo.recordOutcomes(em, c.id, winners.map((w) => ({ registrationId: byPseudonym.get(w.id)!.id, rank: w.rank, voucherTypeId: w.voucherTypeId })));
      // every registrant learns the result, in the draw's transaction (docs/messages.md)
      const won = new Set(winners.map((w) => byPseudonym.get(w.id)!.userId));
      const registrants = [...new Set(regs.map((r) => r.userId))];
      const text = { campaignId: c.id, name: c.name };
      await this.messages.enqueueTo(em, registrants.filter((u) => won.has(u)), 'lottery_won', `lottery:${c.id}`, MESSAGE_TEXTS.lotteryWon(text), now);
      await this.messages.enqueueTo(em, registrants.filter((u) => !won.has(u)), 'lottery_lost', `lottery:${c.id}`, MESSAGE_TEXTS.lotteryLost(text), now);
      await this.audit.record(actorId ?? 0, 'draw', 'voucher_campaign', [c.id], [`registrations:${regs.length}`, `winners:${winners.length}`, ...(actorId === null ? ['automatic'] : [])], em);
    });
    this.bus.publish('campaign', c.id);
    return this.view(c, (await this.repo.findLottery(c.id))!);
  }

  /**
   * The public proof of a drawn lottery: commitment, seed, every registration (pseudonymous id and weight, sorted by id),
   * the stock and the winners in draw order. @throws 404 CAMPAIGN_NOT_FOUND / LOTTERY_NOT_DRAWN.
   */
  async proof(campaignId: number): Promise<LotteryProof> {
    const c = await this.vouchers.findCampaign(campaignId);
    if (!c || c.status === 'draft' || c.allocation !== 'lottery') throw E.campaignNotFound();
    const lottery = (await this.repo.findLottery(c.id))!;
    if (!lottery.drawnAt || !lottery.seedEnc || !lottery.commitment) throw L.notDrawn();
    const regs = await this.repo.registrations(c.id);
    return {
      campaignId: c.id, algorithm: lottery.algorithm, rules: this.rules(lottery), commitment: lottery.commitment, seed: this.cipher.decrypt(lottery.seedEnc),
      drawnAt: lottery.drawnAt.toISOString(),
      registrations: regs.map((r) => ({ id: r.pseudonymousId, weight: r.weight })),
      stock: JSON.parse(lottery.stockJson ?? '[]'),
      winners: regs.filter((r) => r.outcome === 'won').sort((a, b) => a.drawRank! - b.drawRank!).map((r) => ({ id: r.pseudonymousId, voucherTypeId: r.voucherTypeId! })),
    };
  }

  // --- helpers

  /** The campaign as the member may see it, the caller's membership and why they may not take part (null = eligible). */
  private async forMember(user: User, campaignId: number): Promise<{ c: Campaign; member: Pick<Member, 'id' | 'orgId' | 'status' | 'occupation'> | null; problem: string | null }> {
    const c = await this.vouchers.findCampaign(campaignId);
    if (!c || c.status === 'draft') throw E.campaignNotFound();
    const member = await this.membership.findClaimantByUser(user.id);
    if (!member) return { c, member: null, problem: '您还不是工会会员，入会后即可登记' };
    // Outside the member's org lineage the campaign does not exist for them (as on the other member campaign routes).
    if (!(await this.campaigns.orgLineage(member as Member)).includes(c.orgId)) throw E.campaignNotFound();
    return { c, member, problem: await this.campaigns.eligibilityProblem(c, member) };
  }

  private async lotteryOf(c: Campaign): Promise<Lottery> {
    const lottery = c.allocation === 'lottery' ? await this.repo.findLottery(c.id) : null;
    if (!lottery) throw L.notALottery();
    return lottery;
  }

  /** Product of the published weight factors that apply to the member. */
  private async weightOf(l: Lottery, userId: number, memberId: number): Promise<number> {
    let w = 1;
    if (l.hardshipWeight > 1 && (await this.repo.boundToActiveHousehold(userId))) w *= l.hardshipWeight;
    if (l.previousCampaignId && l.previousLoserWeight > 1 && (await this.repo.lostDraw(l.previousCampaignId, memberId))) w *= l.previousLoserWeight;
    return w;
  }

  /** 16 hex characters of an HMAC (server data key) of campaign and member: stable, unlinkable across campaigns, reveals no one. */
  private pseudonymousId(campaignId: number, memberId: number): string {
    return this.cipher.lookupHash(`lottery-registration:${campaignId}`, String(memberId)).slice(0, 16);
  }

  private rules(l: Lottery) {
    return { algorithm: l.algorithm, hardshipWeight: l.hardshipWeight, previousCampaignId: l.previousCampaignId, previousLoserWeight: l.previousLoserWeight };
  }

  private stateOf(c: Campaign, l: Lottery, now: Date): LotteryState {
    if (l.drawnAt) return 'drawn';
    if (c.status === 'draft') return 'draft';
    if (now < c.claimStartAt) return 'upcoming';
    return now < l.registrationEndAt && c.status === 'published' ? 'registering' : 'awaiting_draw';
  }

  private async view(c: Campaign, l: Lottery): Promise<LotteryView> {
    return {
      campaignId: c.id, state: this.stateOf(c, l, new Date()), registrationStartAt: c.claimStartAt.toISOString(), registrationEndAt: l.registrationEndAt.toISOString(),
      drawAt: l.drawAt.toISOString(), rules: this.rules(l), commitment: l.commitment, committedAt: l.committedAt?.toISOString() ?? null,
      registrations: await this.repo.countRegistrations(c.id), drawnAt: l.drawnAt?.toISOString() ?? null, winners: l.winners,
      seed: l.drawnAt && l.seedEnc ? this.cipher.decrypt(l.seedEnc) : null,
    };
  }

  private async registrationView(r: LotteryRegistration): Promise<LotteryRegistrationView> {
    const outcome = r.outcome === 'won' || r.outcome === 'lost' ? r.outcome : 'registered';
    return {
      pseudonymousId: r.pseudonymousId, weight: r.weight, registeredAt: r.registeredAt.toISOString(), outcome,
      voucherId: outcome === 'won' ? (await this.repo.wonVoucher(r.campaignId, r.memberId))?.id ?? null : null,
    };
  }
}
