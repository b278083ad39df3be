import { Injectable } from '@nestjs/common';
import {
  CampaignLiveView, EMPLOYER_NOT_RECORDED, EmployerSpendingRow, MERCHANT_CATEGORY_LABELS, MerchantSpendingRow, Page, PageQuery, validityEnded,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { CsvCell, fenColumn, writeCsv } from '../../common/csv';
import { pageParams, toPage } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { toOrgSummary } from '../orgs/orgs.service';
import { CampaignStatsRepository, EmployerSpendingFacts, MerchantSpendingFacts } from './campaign-stats.repository';
import { CampaignsService, phaseOf } from './campaigns.service';
import { VouchersRepository } from './vouchers.repository';

const MINUTE_MS = 60_000;
/** Minutes of claim history the live page draws. */
const RATE_MINUTES = 10;
/** Rows of top merchants and employers on the live page. */
const TOP = 5;

/**
 * Spending driven (拉动消费) by employer and by merchant, their CSV exports, and the live figures of the
 * staff campaign page. Staff of the campaign's subtree only (404 CAMPAIGN_NOT_FOUND otherwise, as for the
 * other campaign routes); exports are audited (`export` on `voucher_campaign`). Amounts in fen.
 */
@Injectable()
export class CampaignStatsService {
  constructor(
    private readonly stats: CampaignStatsRepository,
    private readonly repo: VouchersRepository,
    private readonly campaigns: CampaignsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly audit: AuditService,
  ) {}

  /** One page of employers, largest driven spending first. @throws 404 CAMPAIGN_NOT_FOUND. */
  async byEmployer(user: User, id: number, q: PageQuery): Promise<Page<EmployerSpendingRow>> {
    const c = await this.campaigns.inScope(user, id);
    const { skip, take } = pageParams(q);
    const { rows, total } = await this.stats.byEmployer(c.id, skip, take);
    return toPage(rows.map(employerRow), total, q);
  }

  /** One page of merchants, largest driven spending first. @throws 404 CAMPAIGN_NOT_FOUND. */
  async byMerchant(user: User, id: number, q: PageQuery): Promise<Page<MerchantSpendingRow>> {
    const c = await this.campaigns.inScope(user, id);
    const { skip, take } = pageParams(q);
    const { rows, total } = await this.stats.byMerchant(c.id, skip, take);
    return toPage(await this.merchantRows(rows), total, q);
  }

  /** Every employer as CSV (one writer: common/csv.ts), amounts in yuan, with a total row; audited. */
  async exportByEmployer(user: User, id: number): Promise<string> {
    const c = await this.campaigns.inScope(user, id);
    const { rows } = await this.stats.byEmployer(c.id, 0, null);
    await this.audit.record(user.id, 'export', 'voucher_campaign', [c.id], ['spending_by_employer', `rows:${rows.length}`]);
    const sum = (k: keyof Omit<EmployerSpendingFacts, 'employer'>) => rows.reduce((s, r) => s + r[k], 0);
    const cells: CsvCell[][] = rows.map((r) => [r.employer || EMPLOYER_NOT_RECORDED, r.members, r.claimed, r.claimedFen, r.redeemed, r.redeemedFen, r.drivenSpendingFen]);
    cells.push(['合计', sum('members'), sum('claimed'), sum('claimedFen'), sum('redeemed'), sum('redeemedFen'), sum('drivenSpendingFen')]);
    return writeCsv(['工作单位/平台', '领券会员数', '领券张数', fenColumn('领券面额(元)'), '核销张数', fenColumn('核销面额(元)'), fenColumn('带动消费(元)')], cells);
  }

  /** Every merchant as CSV (one writer: common/csv.ts), amounts in yuan, with a total row; audited. */
  async exportByMerchant(user: User, id: number): Promise<string> {
    const c = await this.campaigns.inScope(user, id);
    const rows = await this.merchantRows((await this.stats.byMerchant(c.id, 0, null)).rows);
    await this.audit.record(user.id, 'export', 'voucher_campaign', [c.id], ['spending_by_merchant', `rows:${rows.length}`]);
    const sum = (k: 'redeemed' | 'redeemedFen' | 'drivenSpendingFen') => rows.reduce((s, r) => s + r[k], 0);
    const cells: CsvCell[][] = rows.map((r) => [r.merchantId, r.merchantName, MERCHANT_CATEGORY_LABELS[r.category] ?? r.category, r.org.name, r.redeemed, r.redeemedFen, r.drivenSpendingFen]);
    cells.push(['合计', null, null, null, sum('redeemed'), sum('redeemedFen'), sum('drivenSpendingFen')]);
    return writeCsv(['商户ID', '商户名称', '品类', '所属工会', '核销张数', fenColumn('核销面额(元)'), fenColumn('带动消费(元)')], cells);
  }

  /**
   * The staff campaign page in one answer: phase and pause, claims per minute, stock and sell-out time per
   * type, redemption rate, top merchants and employers. Reads only (no claim-path table is written).
   * @throws 404 CAMPAIGN_NOT_FOUND.
   */
  async live(user: User, id: number): Promise<CampaignLiveView> {
    const c = await this.campaigns.inScope(user, id);
    const now = new Date();
    const edges = Array.from({ length: RATE_MINUTES + 1 }, (_, i) => new Date(now.getTime() - (RATE_MINUTES - i) * MINUTE_MS));
    // RATE_MINUTES one-minute windows ending now; the newest is the last minute
    const [types, totals, windows, employers, merchants] = await Promise.all([
      this.repo.findTypes([c.id]),
      this.stats.totals(c.id),
      this.stats.claimsInWindows(c.id, edges.slice(0, RATE_MINUTES), now),
      this.stats.byEmployer(c.id, 0, TOP),
      this.stats.byMerchant(c.id, 0, TOP),
    ]);
    const soldOut = types.filter((t) => t.quantity > 0 && t.claimed >= t.quantity);
    const last = await this.stats.lastClaimedAt(soldOut.map((t) => t.id));
    const typeViews = types.map((t) => ({
      id: t.id, name: t.name, faceValueFen: t.faceValueFen, quantity: t.quantity, claimed: t.claimed, remaining: Math.max(0, t.quantity - t.claimed),
      soldOutAt: last.get(t.id)?.toISOString() ?? null,
    }));
    const allSoldOut = typeViews.length > 0 && typeViews.every((t) => t.soldOutAt);
    const claimed = totals.claimed.count;
    return {
      campaignId: c.id, name: c.name, status: c.status, phase: validityEnded(c, now) ? 'ended' : phaseOf(c, now),
      pausedAt: c.pausedAt?.toISOString() ?? null, redemptionFrozen: c.redemptionFrozen,
      claimStartAt: c.claimStartAt.toISOString(), claimEndAt: c.claimEndAt.toISOString(), serverTime: now.toISOString(),
      claimRate: { lastMinute: windows[RATE_MINUTES - 1], perMinute: windows },
      types: typeViews,
      soldOutAt: allSoldOut ? typeViews.map((t) => t.soldOutAt!).sort().at(-1)! : null,
      claimedCount: claimed, claimedFen: totals.claimed.faceValueFen,
      redeemedCount: totals.redeemed.count, redeemedFen: totals.redeemed.faceValueFen, drivenSpendingFen: totals.redeemed.orderAmountFen,
      redemptionRate: claimed ? Math.round((totals.redeemed.count / claimed) * 10_000) / 10_000 : null,
      topMerchants: await this.merchantRows(merchants.rows), merchantCount: merchants.total,
      topEmployers: employers.rows.map(employerRow), employerCount: employers.total,
    };
  }

  private async merchantRows(rows: MerchantSpendingFacts[]): Promise<MerchantSpendingRow[]> {
    const merchants = await this.stats.merchants(rows.map((r) => r.merchantId));
    const orgs = await this.orgsRepo.findByIds([...merchants.values()].map((m) => m.orgId));
    return rows.map((r) => {
      const m = merchants.get(r.merchantId)!;
      return { merchantId: r.merchantId, merchantName: m.name, category: m.category, org: toOrgSummary(orgs.get(m.orgId)!), redeemed: r.redeemed, redeemedFen: r.redeemedFen, drivenSpendingFen: r.drivenSpendingFen };
    });
  }
}

const employerRow = (r: EmployerSpendingFacts): EmployerSpendingRow => ({ ...r, employer: r.employer || null });
