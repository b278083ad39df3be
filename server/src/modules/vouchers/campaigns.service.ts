import { Injectable } from '@nestjs/common';
import {
  CampaignPhase, CampaignStats, CampaignView, distanceMetres, MemberCampaignView, MemberVoucherTypeView, MerchantCategory, Occupation,
  Page, PublicMerchantView, validateValidityCoversClaimWindow, validityEnded, VoucherTypeInput,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { InvalidationBus } from '../../common/invalidation-bus';
import { DomainError } from '../../common/domain-error';
import { pageParams, toPage } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { Member } from '../membership/entities/member.entity';
import { MembershipRepository } from '../membership/membership.repository';
import { UnionOrg } from '../orgs/org.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { CampaignListQueryDto, CampaignMerchantQueryDto, CreateCampaignDto, UpdateCampaignDto } from './dto/vouchers.dto';
import { Campaign, VoucherType } from './entities/campaign.entity';
import { remainingNow, roundView } from './rounds';
import { Merchant } from './entities/merchant.entity';
import { LotterySetupService } from './lottery-setup.service';
import { VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';
import { MessagesService } from '../messages/messages.service';

/** Rules members rely on: they cannot change once a campaign is published. */
const FROZEN_FIELDS = ['types', 'perMemberLimit', 'perMemberDailyLimit', 'roundCount', 'roundIntervalMinutes', 'roundRollover', 'occupations', 'claimStartAt', 'validityKind', 'validFrom', 'validUntil', 'validDays', 'merchantScope', 'categories', 'merchantIds'] as const;
/** How many in-scope merchants a member's merchant list considers (sorted by distance in memory). */
const MERCHANT_LIST_LIMIT = 5000;

const csv = (v: string) => (v ? v.split(',') : []);
const allocated = (types: Array<{ faceValueFen: number; quantity: number }>) => types.reduce((s, t) => s + t.faceValueFen * t.quantity, 0);

/** A type row as stored from its input (counters start at 0). */
const typeRow = (t: VoucherTypeInput) => ({
  name: t.name, faceValueFen: t.faceValueFen, minSpendFen: t.minSpendFen, quantity: t.quantity, perMemberLimit: t.perMemberLimit,
  roundQuantity: t.roundQuantity ?? null, roundNo: 0, roundClaimed: 0,
});

/** The round fields of a campaign as stored: null without rounds. */
const roundColumns = (d: CreateCampaignDto) => (d.roundCount
  ? { roundCount: d.roundCount, roundIntervalMinutes: d.roundIntervalMinutes ?? null, roundRollover: d.roundRollover ?? true }
  : { roundCount: null, roundIntervalMinutes: null, roundRollover: true });

/** The phase of a campaign's claim window at `now`. */
export function phaseOf(c: Campaign, now: Date): CampaignPhase {
  if (c.status === 'closed' || now >= c.claimEndAt) return 'ended';
  return now < c.claimStartAt ? 'upcoming' : 'open';
}

/**
 * Campaigns (活动): staff create them for their org, publish and close them; members see the ones
 * they are eligible for. Budget rule: Σ face value × quantity ≤ budget, always. After publishing the
 * member-facing rules are frozen and stock only grows (within budget).
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly membership: MembershipRepository,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
    private readonly messages: MessagesService,
    private readonly lottery: LotterySetupService,
  ) {}

  /** @throws 400 VALIDATION_FAILED / VALIDITY_ENDS_BEFORE_CLAIM_END / BUDGET_EXCEEDED; 404 ORG_NOT_FOUND / MERCHANT_NOT_FOUND outside the scope. */
  async create(user: User, dto: CreateCampaignDto): Promise<CampaignView> {
    const org = dto.orgCode ? await this.orgs.getInScope(user, dto.orgCode) : await this.ownOrg(user);
    await this.checkRules(org, dto);
    this.lottery.check(dto);
    const c = await this.repo.transaction(async (em) => {
      const created = await this.repo.insertCampaign(em, {
        orgId: org.id, name: dto.name, description: dto.description ?? null, budgetFen: dto.budgetFen, status: 'draft',
        perMemberLimit: dto.perMemberLimit, perMemberDailyLimit: dto.perMemberDailyLimit ?? null, ...roundColumns(dto), occupations: (dto.occupations ?? []).join(','), claimStartAt: new Date(dto.claimStartAt),
        claimEndAt: new Date(dto.claimEndAt), validityKind: dto.validityKind,
        validFrom: dto.validityKind === 'fixed' ? new Date(dto.validFrom!) : null, validUntil: dto.validityKind === 'fixed' ? new Date(dto.validUntil!) : null,
        validDays: dto.validityKind === 'relative' ? dto.validDays! : null, merchantScope: dto.merchantScope,
        categories: dto.merchantScope === 'categories' ? [...new Set(dto.categories)].join(',') : '', createdById: user.id, createdAt: new Date(),
        publishedAt: null, closedAt: null, allocation: dto.allocation ?? 'first_come',
      });
      if (dto.allocation === 'lottery') await this.lottery.create(em, created.id, dto);
      await this.repo.replaceTypes(em, created.id, dto.types.map(typeRow));
      if (dto.merchantScope === 'merchants') await this.repo.replaceCampaignMerchants(em, created.id, dto.merchantIds!);
      return created;
    });
    return this.view(c);
  }

  /**
   * Changes a campaign. Draft: anything. Published: name, description, claim end, budget (not below
   * what is allocated); sending a frozen rule → 409 CAMPAIGN_RULE_FROZEN. Closed: 409 CAMPAIGN_CLOSED.
   */
  async update(user: User, id: number, dto: UpdateCampaignDto): Promise<CampaignView> {
    const c = await this.inScope(user, id);
    if (c.status === 'closed') throw E.campaignClosed();
    if (c.status === 'published') {
      const frozen = FROZEN_FIELDS.filter((f) => (dto as Record<string, unknown>)[f] !== undefined);
      if (frozen.length) throw E.ruleFrozen(frozen);
    }
    const org = (await this.orgsRepo.findById(c.orgId))!;
    const types = await this.repo.findTypes([c.id]);
    const merged: CreateCampaignDto = {
      name: dto.name ?? c.name, description: dto.description ?? c.description ?? undefined, budgetFen: dto.budgetFen ?? c.budgetFen,
      types: dto.types ?? types, perMemberLimit: dto.perMemberLimit ?? c.perMemberLimit,
      perMemberDailyLimit: dto.perMemberDailyLimit !== undefined ? dto.perMemberDailyLimit : c.perMemberDailyLimit, occupations: dto.occupations ?? (csv(c.occupations) as Occupation[]),
      roundCount: dto.roundCount !== undefined ? dto.roundCount : c.roundCount, roundIntervalMinutes: dto.roundIntervalMinutes !== undefined ? dto.roundIntervalMinutes : c.roundIntervalMinutes,
      roundRollover: dto.roundRollover ?? c.roundRollover,
      claimStartAt: dto.claimStartAt ?? c.claimStartAt.toISOString(), claimEndAt: dto.claimEndAt ?? c.claimEndAt.toISOString(),
      validityKind: dto.validityKind ?? c.validityKind, validFrom: dto.validFrom ?? c.validFrom?.toISOString(), validUntil: dto.validUntil ?? c.validUntil?.toISOString(),
      validDays: dto.validDays ?? c.validDays ?? undefined, merchantScope: dto.merchantScope ?? c.merchantScope,
      categories: dto.categories ?? (csv(c.categories) as MerchantCategory[]), merchantIds: dto.merchantIds ?? (await this.repo.campaignMerchantIds(c.id)),
    };
    await this.checkRules(org, merged);
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.updateCampaignIf(em, c.id, [c.status], {
        name: merged.name, description: merged.description ?? null, budgetFen: merged.budgetFen, claimEndAt: new Date(merged.claimEndAt),
        ...(c.status === 'draft' && {
          perMemberLimit: merged.perMemberLimit, perMemberDailyLimit: merged.perMemberDailyLimit ?? null, ...roundColumns(merged), occupations: (merged.occupations ?? []).join(','), claimStartAt: new Date(merged.claimStartAt),
          validityKind: merged.validityKind, validFrom: merged.validityKind === 'fixed' ? new Date(merged.validFrom!) : null,
          validUntil: merged.validityKind === 'fixed' ? new Date(merged.validUntil!) : null, validDays: merged.validityKind === 'relative' ? merged.validDays! : null,
          merchantScope: merged.merchantScope, categories: merged.merchantScope === 'categories' ? [...new Set(merged.categories)].join(',') : '',
        }),
      });
      if (!ok) throw new DomainError('CAMPAIGN_CHANGED', '活动状态已变化，请刷新后重试', 409);
      if (c.status === 'draft') {
        if (dto.types) await this.repo.replaceTypes(em, c.id, dto.types.map(typeRow));
        await this.repo.replaceCampaignMerchants(em, c.id, merged.merchantScope === 'merchants' ? merged.merchantIds! : []);
      } else {
        // Published: the budget may not fall below the stock already allocated (checked again under the campaign's row lock).
        const now = await this.repo.findTypes([c.id], em);
        if (allocated(now) > merged.budgetFen) throw E.budgetExceeded(allocated(now), merged.budgetFen);
      }
    });
    this.bus.publish('campaign', c.id); // claim rules held in memory: every process reloads within 1 s
    return this.view((await this.repo.findCampaign(c.id))!);
  }

  /**
   * Raises one type's quantity. Under the campaign row's lock (a no-op conditional update), so two
   * concurrent raises cannot together pass the budget. @throws 409 STOCK_CANNOT_SHRINK, 400 BUDGET_EXCEEDED.
   */
  async addStock(user: User, id: number, typeId: number, quantity: number): Promise<CampaignView> {
    const c = await this.inScope(user, id);
    if (c.status === 'closed') throw E.campaignClosed();
    if (c.roundCount) throw E.roundsStockFixed();
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.updateCampaignIf(em, c.id, ['draft', 'published'], { status: () => 'status' } as any))) throw E.campaignClosed();
      const types = await this.repo.findTypes([c.id], em);
      const type = types.find((t) => t.id === typeId);
      if (!type) throw E.voucherTypeNotFound();
      if (quantity < type.quantity) throw E.stockCannotShrink();
      const fresh = (await this.repo.findCampaign(c.id, em))!;
      const total = allocated(types.map((t) => (t.id === typeId ? { ...t, quantity } : t)));
      if (total > fresh.budgetFen) throw E.budgetExceeded(total, fresh.budgetFen);
      if (!(await this.repo.raiseQuantity(em, typeId, quantity))) throw E.stockCannotShrink();
      await this.audit.record(user.id, 'add_stock', 'voucher_type', [typeId], [`quantity:${quantity}`], em);
    });
    this.bus.publish('campaign', c.id); // claim rules held in memory: every process reloads within 1 s
    return this.view((await this.repo.findCampaign(c.id))!);
  }

  /** draft → published. @throws 409 CAMPAIGN_NOT_DRAFT, 400 BUDGET_EXCEEDED / VALIDITY_ENDS_BEFORE_CLAIM_END (a draft stored before that rule). */
  async publish(user: User, id: number): Promise<CampaignView> {
    const c = await this.inScope(user, id);
    if (c.status !== 'draft') throw E.notDraft();
    const types = await this.repo.findTypes([c.id]);
    if (allocated(types) > c.budgetFen) throw E.budgetExceeded(allocated(types), c.budgetFen);
    if (c.claimEndAt <= new Date()) throw E.invalid('claimEndAt', '领取结束时间已过，请先修改');
    const validity = validateValidityCoversClaimWindow(c);
    if (validity) throw E.validityBeforeClaimEnd(validity);
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.updateCampaignIf(em, c.id, ['draft'], { status: 'published', publishedAt: new Date() }))) throw E.notDraft();
      if (c.allocation === 'lottery') await this.lottery.commit(em, c); // the seed's commitment, public before registration closes
      await this.audit.record(user.id, 'publish', 'voucher_campaign', [c.id], ['status'], em);
    });
    this.bus.publish('campaign', c.id); // claim rules held in memory: every process reloads within 1 s
    return this.view((await this.repo.findCampaign(c.id))!);
  }

  /** published → closed (early end of claiming; issued vouchers stay valid). @throws 409 CAMPAIGN_NOT_PUBLISHED. */
  async close(user: User, id: number): Promise<CampaignView> {
    const c = await this.inScope(user, id);
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.updateCampaignIf(em, c.id, ['published'], { status: 'closed', closedAt: new Date() }))) throw E.notPublished();
      await this.audit.record(user.id, 'close', 'voucher_campaign', [c.id], ['status'], em);
    });
    this.bus.publish('campaign', c.id); // claim rules held in memory: every process reloads within 1 s
    return this.view((await this.repo.findCampaign(c.id))!);
  }

  /**
   * Pauses claiming of a published campaign (暂停领取); with `freezeRedemption` redemptions of held vouchers stop too.
   * Audited; every process honours it within 1 s (claim rules cache, invalidation bus). @throws 409 CAMPAIGN_NOT_PUBLISHED.
   */
  async pause(user: User, id: number, freezeRedemption: boolean): Promise<CampaignView> {
    const c = await this.inScope(user, id);
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.updateCampaignIf(em, c.id, ['published'], { pausedAt: new Date(), redemptionFrozen: freezeRedemption }))) throw E.notPublished();
      await this.audit.record(user.id, 'pause', 'voucher_campaign', [c.id], ['pausedAt', `redemptionFrozen:${freezeRedemption}`], em);
    });
    this.bus.publish('campaign', c.id);
    return this.view((await this.repo.findCampaign(c.id))!);
  }

  /** Resumes claiming (and redemption) of a paused campaign. Audited. @throws 409 CAMPAIGN_NOT_PAUSED. */
  async resume(user: User, id: number): Promise<CampaignView> {
    const c = await this.inScope(user, id);
    if (!c.pausedAt) throw E.notPaused();
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.updateCampaignIf(em, c.id, ['published', 'closed'], { pausedAt: null, redemptionFrozen: false }))) throw E.notPaused();
      await this.audit.record(user.id, 'resume', 'voucher_campaign', [c.id], ['pausedAt', 'redemptionFrozen'], em);
    });
    this.bus.publish('campaign', c.id);
    return this.view((await this.repo.findCampaign(c.id))!);
  }

  async list(user: User, q: CampaignListQueryDto): Promise<Page<CampaignView>> {
    const scopePath = await this.orgs.scopePath(user);
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listCampaigns({ scopePath, status: q.status, skip, take });
    return toPage(await Promise.all(rows.map((c) => this.view(c))), total, q);
  }

  async get(user: User, id: number): Promise<CampaignView> {
    return this.view(await this.inScope(user, id));
  }

  /** Claimed, redeemed, driven spending and leverage, by day, merchant category and org. */
  async stats(user: User, id: number): Promise<CampaignStats> {
    const c = await this.inScope(user, id);
    const s = await this.repo.campaignStats(c.id);
    const days = new Map<string, CampaignStats['byDay'][number]>();
    const day = (date: string) => days.get(date) ?? days.set(date, { date, claimed: 0, redeemed: 0, redeemedFen: 0, drivenSpendingFen: 0 }).get(date)!;
    for (const r of s.claimsByDay) day(r.date).claimed = r.count;
    for (const r of s.redeemsByDay) Object.assign(day(r.date), { redeemed: r.count, redeemedFen: r.faceValueFen, drivenSpendingFen: r.orderAmountFen });
    const orgs = await this.orgsRepo.findByIds(s.byOrg.map((r) => r.orgId));
    return {
      campaignId: c.id,
      claimedCount: s.claimed.count, claimedFen: s.claimed.faceValueFen,
      redeemedCount: s.redeemed.count, redeemedFen: s.redeemed.faceValueFen, drivenSpendingFen: s.redeemed.orderAmountFen,
      leverage: s.redeemed.faceValueFen ? Math.round((s.redeemed.orderAmountFen / s.redeemed.faceValueFen) * 100) / 100 : null,
      byDay: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)),
      byCategory: s.byCategory.map((r) => ({ category: r.category, redeemed: r.count, redeemedFen: r.faceValueFen, drivenSpendingFen: r.orderAmountFen })),
      byOrg: s.byOrg.map((r) => ({ org: toOrgSummary(orgs.get(r.orgId)!), claimed: r.count, claimedFen: r.faceValueFen })),
    };
  }

  // --- members

  /** The caller's member record. @throws 404 NOT_MEMBER. */
  async requireMember(user: User): Promise<Member> {
    const m = await this.membership.findMemberByUser(user.id);
    if (!m) throw new DomainError('NOT_MEMBER', '您还不是工会会员，入会后即可领取消费券', 404);
    return m;
  }

  /** Ids of a member's org and its ancestors (from the materialised path). */
  async orgLineage(member: Member): Promise<number[]> {
    const org = (await this.orgsRepo.findById(member.orgId))!;
    return this.repo.orgIdsByCodes(org.path.split('/').filter(Boolean));
  }

  /** Whether the member may claim in the campaign: active, in its subtree, of an allowed occupation. Null = eligible. */
  async eligibilityProblem(c: Campaign, member: Pick<Member, 'status' | 'orgId' | 'occupation'>): Promise<string | null> {
    if (member.status !== 'active') return '会籍状态异常，暂不能领取';
    const [campaignPath, memberPath] = await Promise.all([this.repo.orgPath(c.orgId), this.repo.orgPath(member.orgId)]);
    if (!campaignPath || !memberPath?.startsWith(campaignPath)) return '本活动仅限活动工会所属会员领取';
    const occ = csv(c.occupations);
    if (occ.length && !occ.includes(member.occupation)) return '本活动仅限指定职业的会员领取';
    return null;
  }

  /** Campaigns the member is eligible for: open, upcoming (with opening time) and ended, with stock and holdings. */
  async memberCampaigns(user: User, q: { page?: number; pageSize?: number }): Promise<Page<MemberCampaignView>> {
    const member = await this.requireMember(user);
    const lineage = await this.orgLineage(member);
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listCampaignsForMember(lineage, member.occupation, skip, take);
    const types = await this.repo.findTypes(rows.map((c) => c.id));
    const held = await this.repo.heldByType(member.id, rows.map((c) => c.id));
    const orgs = await this.orgsRepo.findByIds(rows.map((c) => c.orgId));
    const reminded = await this.messages.remindedCampaigns(user.id, rows.filter((c) => phaseOf(c, new Date()) === 'upcoming').map((c) => c.id));
    const now = new Date();
    return toPage(rows.map((c) => {
      // a campaign stored before the validity rule, whose vouchers are already dead, offers nothing to claim
      const phase = validityEnded(c, now) ? 'ended' : phaseOf(c, now);
      const own = types.filter((t) => t.campaignId === c.id);
      const heldCampaign = own.reduce((s, t) => s + (held.get(t.id) ?? 0), 0);
      return {
        id: c.id, name: c.name, description: c.description, org: toOrgSummary(orgs.get(c.orgId)!), phase,
        claimStartAt: c.claimStartAt.toISOString(), claimEndAt: c.claimEndAt.toISOString(), perMemberLimit: c.perMemberLimit, perMemberDailyLimit: c.perMemberDailyLimit, held: heldCampaign,
        merchantScope: c.merchantScope, serverTime: now.toISOString(), paused: c.pausedAt !== null && c.status === 'published', round: roundView(c, now),
        reminded: reminded.has(c.id), allocation: c.allocation,
        types: own.map((t): MemberVoucherTypeView => {
          const h = held.get(t.id) ?? 0;
          const remaining = remainingNow(c, t, now);
          const state = phase === 'upcoming' ? 'not_started' : phase === 'ended' ? 'ended'
            : h >= t.perMemberLimit || heldCampaign >= c.perMemberLimit ? 'limit_reached' : remaining === 0 ? 'sold_out' : 'claimable';
          return { id: t.id, name: t.name, faceValueFen: t.faceValueFen, minSpendFen: t.minSpendFen, quantity: t.quantity, remaining, perMemberLimit: t.perMemberLimit, held: h, state };
        }),
      };
    }), total, q);
  }

  /** Approved merchants where the campaign's vouchers are accepted, by category, nearest first when a location is given. */
  async campaignMerchants(user: User, id: number, q: CampaignMerchantQueryDto): Promise<Page<PublicMerchantView>> {
    const c = await this.repo.findCampaign(id);
    if (!c || c.status === 'draft') throw E.campaignNotFound();
    const member = await this.requireMember(user);
    if (!(await this.orgLineage(member)).includes(c.orgId)) throw E.campaignNotFound();
    const org = (await this.orgsRepo.findById(c.orgId))!;
    const rows = await this.repo.approvedMerchants({
      scopePath: org.path, category: q.category, limit: MERCHANT_LIST_LIMIT,
      ...(c.merchantScope === 'categories' && { categories: csv(c.categories) }),
      ...(c.merchantScope === 'merchants' && { ids: await this.repo.campaignMerchantIds(c.id) }),
    });
    const hasLoc = q.lat !== undefined && q.lng !== undefined;
    const items = rows.map((m): PublicMerchantView => ({
      id: m.id, name: m.name, category: m.category, address: m.address, lat: m.lat, lng: m.lng, discountNote: m.discountNote,
      distanceMetres: hasLoc ? distanceMetres(q.lat!, q.lng!, m.lat, m.lng) : null,
    }));
    if (hasLoc) items.sort((a, b) => a.distanceMetres! - b.distanceMetres! || a.id - b.id);
    const { skip, take } = pageParams(q);
    return toPage(items.slice(skip, skip + take), items.length, q);
  }

  /** Whether `merchant` accepts the campaign's vouchers: approved, in its org's subtree, and in its merchant scope. */
  async merchantInScope(c: Campaign, merchant: Merchant): Promise<boolean> {
    if (merchant.status !== 'approved') return false;
    const [campaignOrg, merchantOrg] = await Promise.all([this.orgsRepo.findById(c.orgId), this.orgsRepo.findById(merchant.orgId)]);
    if (!campaignOrg || !merchantOrg || !merchantOrg.path.startsWith(campaignOrg.path)) return false;
    if (c.merchantScope === 'categories') return csv(c.categories).includes(merchant.category);
    if (c.merchantScope === 'merchants') return this.repo.isCampaignMerchant(c.id, merchant.id);
    return true;
  }

  // --- helpers

  async inScope(user: User, id: number): Promise<Campaign> {
    const c = await this.repo.findCampaign(id);
    if (!c) throw E.campaignNotFound();
    const org = await this.orgsRepo.findById(c.orgId);
    if (!org || !(await this.orgs.inScope(user, org))) throw E.campaignNotFound();
    return c;
  }

  private async ownOrg(user: User): Promise<UnionOrg> {
    if (!user.orgId) throw E.invalid('orgCode', '请选择活动所属工会');
    return (await this.orgsRepo.findById(user.orgId))!;
  }

  /**
   * Cross-field rules: window order, validity (and validity lasting to the claim window's end, the shared
   * {@link validateValidityCoversClaimWindow}), merchant scope, budget.
   * @throws 400 VALIDATION_FAILED / VALIDITY_ENDS_BEFORE_CLAIM_END / BUDGET_EXCEEDED; 404 MERCHANT_NOT_FOUND.
   */
  private async checkRules(org: UnionOrg, d: CreateCampaignDto): Promise<void> {
    const start = new Date(d.claimStartAt);
    const end = new Date(d.claimEndAt);
    if (end <= start) throw E.invalid('claimEndAt', '领取结束时间应晚于开始时间');
    if (d.perMemberDailyLimit != null && d.perMemberDailyLimit > d.perMemberLimit) throw E.invalid('perMemberDailyLimit', '每日限领不能多于每人限领总数');
    if (d.roundCount && d.allocation === 'lottery') throw E.invalid('roundCount', '摇号活动一次开奖，不能分轮发放');
    if (d.roundCount) {
      if (!d.roundIntervalMinutes) throw E.invalid('roundIntervalMinutes', '请填写每轮间隔');
      if (start.getTime() + (d.roundCount - 1) * d.roundIntervalMinutes * 60_000 >= end.getTime()) throw E.invalid('roundCount', '最后一轮应在领取结束前开始');
      const bad = d.types.findIndex((t) => !t.roundQuantity || t.roundQuantity * d.roundCount! !== t.quantity);
      if (bad >= 0) throw E.invalid(`types.${bad}.roundQuantity`, '分轮发放时，每个券种的总数量应等于每轮数量×轮数');
    } else if (d.types.some((t) => t.roundQuantity != null)) {
      throw E.invalid('roundCount', '设置了每轮数量时请填写发放轮数');
    }
    if (d.validityKind === 'fixed') {
      if (!d.validFrom || !d.validUntil) throw E.invalid('validUntil', '请填写有效期起止时间');
      if (new Date(d.validUntil) <= new Date(d.validFrom)) throw E.invalid('validUntil', '有效期结束应晚于开始');
      const validity = validateValidityCoversClaimWindow(d);
      if (validity) throw E.validityBeforeClaimEnd(validity);
    } else if (!d.validDays) {
      throw E.invalid('validDays', '请填写领取后有效天数');
    }
    if (d.merchantScope === 'categories' && !d.categories?.length) throw E.invalid('categories', '请选择适用的商户品类');
    if (d.merchantScope === 'merchants') {
      if (!d.merchantIds?.length) throw E.invalid('merchantIds', '请选择适用商户');
      const found = await this.repo.approvedMerchants({ scopePath: org.path, ids: d.merchantIds, limit: 1000 });
      if (found.length !== new Set(d.merchantIds).size) throw E.merchantNotFound();
    }
    const total = allocated(d.types);
    if (total > d.budgetFen) throw E.budgetExceeded(total, d.budgetFen);
  }

  async view(c: Campaign): Promise<CampaignView> {
    const [types, org, merchantIds] = await Promise.all([this.repo.findTypes([c.id]), this.orgsRepo.findById(c.orgId), this.repo.campaignMerchantIds(c.id)]);
    return {
      id: c.id, name: c.name, description: c.description, org: toOrgSummary(org!), status: c.status, budgetFen: c.budgetFen, allocatedFen: allocated(types),
      types: types.map((t: VoucherType) => ({ id: t.id, name: t.name, faceValueFen: t.faceValueFen, minSpendFen: t.minSpendFen, quantity: t.quantity, perMemberLimit: t.perMemberLimit, roundQuantity: t.roundQuantity, claimed: t.claimed, remaining: Math.max(0, t.quantity - t.claimed) })),
      perMemberLimit: c.perMemberLimit, perMemberDailyLimit: c.perMemberDailyLimit, roundCount: c.roundCount, roundIntervalMinutes: c.roundIntervalMinutes, roundRollover: c.roundRollover, occupations: csv(c.occupations) as Occupation[], claimStartAt: c.claimStartAt.toISOString(), claimEndAt: c.claimEndAt.toISOString(),
      validityKind: c.validityKind, validFrom: c.validFrom?.toISOString() ?? null, validUntil: c.validUntil?.toISOString() ?? null, validDays: c.validDays,
      merchantScope: c.merchantScope, categories: csv(c.categories) as MerchantCategory[], merchantIds, createdAt: c.createdAt.toISOString(),
      publishedAt: c.publishedAt?.toISOString() ?? null, closedAt: c.closedAt?.toISOString() ?? null,
      pausedAt: c.pausedAt?.toISOString() ?? null, redemptionFrozen: c.redemptionFrozen, allocation: c.allocation,
    };
  }
}
