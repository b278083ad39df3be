import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Member } from '../membership/entities/member.entity';
import { Merchant } from './entities/merchant.entity';
import { Redemption, Voucher } from './entities/voucher.entity';

const n = (v: unknown) => Number(v ?? 0);

/** One employer's figures; `employer` '' = none recorded. Amounts in fen. */
export interface EmployerSpendingFacts { employer: string; members: number; claimed: number; claimedFen: number; redeemed: number; redeemedFen: number; drivenSpendingFen: number }
/** One merchant's active redemptions of a campaign. Amounts in fen. */
export interface MerchantSpendingFacts { merchantId: number; redeemed: number; redeemedFen: number; drivenSpendingFen: number }

/**
 * The statistics queries of one campaign beyond `VouchersRepository.campaignStats`: spending driven by
 * employer and by merchant, and the live figures of the staff campaign page. Read-only; never on the claim path.
 * Ordering is by driven spending, then face value, then the key, so pages are stable on both databases.
 */
@Injectable()
export class CampaignStatsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Per employer (the member's `platform`, '' when none): vouchers claimed and, through the voucher's one active
   * redemption (the unique `activeKey` makes it at most one, so the join does not multiply), redeemed and spending.
   * `take` null = all rows (exports).
   */
  async byEmployer(campaignId: number, skip: number, take: number | null): Promise<{ rows: EmployerSpendingFacts[]; total: number }> {
    const employer = "COALESCE(m.platform, '')";
    const base = () => this.db.getRepository(Voucher).createQueryBuilder('v')
      .leftJoin(Member, 'm', 'm.id = v.memberId')
      .where('v.campaignId = :c', { c: campaignId });
    const qb = base()
      .leftJoin(Redemption, 'r', "r.voucherId = v.id AND r.status = 'active'")
      .select(employer, 'employer').addSelect('COUNT(DISTINCT v.memberId)', 'members').addSelect('COUNT(v.id)', 'claimed')
      .addSelect('SUM(v.faceValueFen)', 'claimedFen').addSelect('COUNT(r.id)', 'redeemed')
      .addSelect('COALESCE(SUM(r.faceValueFen), 0)', 'redeemedFen').addSelect('COALESCE(SUM(r.orderAmountFen), 0)', 'spending')
      .groupBy(employer).orderBy('spending', 'DESC').addOrderBy('redeemedFen', 'DESC').addOrderBy('employer', 'ASC');
    if (take !== null) qb.offset(skip).limit(take);
    const [rows, count] = await Promise.all([
      qb.getRawMany(),
      base().select(`COUNT(DISTINCT ${employer})`, 'n').getRawOne(),
    ]);
    return {
      rows: rows.map((r) => ({
        employer: String(r.employer ?? ''), members: n(r.members), claimed: n(r.claimed), claimedFen: n(r.claimedFen),
        redeemed: n(r.redeemed), redeemedFen: n(r.redeemedFen), drivenSpendingFen: n(r.spending),
      })),
      total: n(count?.n),
    };
  }

  /** Per merchant: the campaign's active redemptions there. `take` null = all rows (exports). */
  async byMerchant(campaignId: number, skip: number, take: number | null): Promise<{ rows: MerchantSpendingFacts[]; total: number }> {
    const base = () => this.db.getRepository(Redemption).createQueryBuilder('r')
      .where('r.campaignId = :c', { c: campaignId }).andWhere("r.status = 'active'");
    const qb = base()
      .select('r.merchantId', 'merchantId').addSelect('COUNT(*)', 'redeemed').addSelect('SUM(r.faceValueFen)', 'redeemedFen')
      .addSelect('SUM(r.orderAmountFen)', 'spending')
      .groupBy('r.merchantId').orderBy('spending', 'DESC').addOrderBy('redeemedFen', 'DESC').addOrderBy('r.merchantId', 'ASC');
    if (take !== null) qb.offset(skip).limit(take);
    const [rows, count] = await Promise.all([
      qb.getRawMany(),
      base().select('COUNT(DISTINCT r.merchantId)', 'n').getRawOne(),
    ]);
    return {
      rows: rows.map((r) => ({ merchantId: n(r.merchantId), redeemed: n(r.redeemed), redeemedFen: n(r.redeemedFen), drivenSpendingFen: n(r.spending) })),
      total: n(count?.n),
    };
  }

  /** Vouchers claimed and active redemptions of the campaign: counts, face value and order totals (fen). */
  async totals(campaignId: number) {
    const [claimed, redeemed] = await Promise.all([
      this.db.getRepository(Voucher).createQueryBuilder('v').select('COUNT(*)', 'n').addSelect('SUM(v.faceValueFen)', 'face')
        .where('v.campaignId = :c', { c: campaignId }).getRawOne(),
      this.db.getRepository(Redemption).createQueryBuilder('r').select('COUNT(*)', 'n').addSelect('SUM(r.faceValueFen)', 'face').addSelect('SUM(r.orderAmountFen)', 'orderFen')
        .where('r.campaignId = :c', { c: campaignId }).andWhere("r.status = 'active'").getRawOne(),
    ]);
    return {
      claimed: { count: n(claimed?.n), faceValueFen: n(claimed?.face) },
      redeemed: { count: n(redeemed?.n), faceValueFen: n(redeemed?.face), orderAmountFen: n(redeemed?.orderFen) },
    };
  }

  /** Merchants by id with the fields a statistics row shows. */
  async merchants(ids: number[]): Promise<Map<number, Pick<Merchant, 'id' | 'name' | 'category' | 'orgId'>>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.getRepository(Merchant).find({ where: { id: In(unique) }, select: ['id', 'name', 'category', 'orgId'] });
    return new Map(rows.map((m) => [m.id, m]));
  }

  /**
   * Claims of the campaign in consecutive windows ending at `now`: `edges` are the window starts, oldest first
   * (window i = [edges[i], edges[i+1]), the last one ends at `now`). One scan of the campaign's recent vouchers.
   */
  async claimsInWindows(campaignId: number, edges: Date[], now: Date): Promise<number[]> {
    const qb = this.db.getRepository(Voucher).createQueryBuilder('v').select('COUNT(*)', 'total')
      .where('v.campaignId = :c', { c: campaignId }).andWhere('v.claimedAt >= :e0').andWhere('v.claimedAt < :now')
      .setParameter('now', now);
    edges.forEach((e, i) => {
      const upper = i + 1 < edges.length ? `:e${i + 1}` : ':now';
      qb.addSelect(`SUM(CASE WHEN v.claimedAt >= :e${i} AND v.claimedAt < ${upper} THEN 1 ELSE 0 END)`, `w${i}`).setParameter(`e${i}`, e);
    });
    const row = await qb.getRawOne();
    return edges.map((_, i) => n(row?.[`w${i}`]));
  }

  /** When the last unit of each given voucher type was claimed (its newest voucher's `claimedAt`). */
  async lastClaimedAt(typeIds: number[]): Promise<Map<number, Date>> {
    const out = new Map<number, Date>();
    for (const id of typeIds) {
      const v = await this.db.getRepository(Voucher).findOne({ where: { voucherTypeId: id }, order: { claimedAt: 'DESC', id: 'DESC' }, select: ['id', 'claimedAt'] });
      if (v) out.set(id, v.claimedAt);
    }
    return out;
  }
}
