import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Household, HouseholdBinding } from '../aid/entities';
import { Campaign, VoucherType } from './entities/campaign.entity';
import { Lottery, LotteryRegistration } from './entities/lottery.entity';
import { Voucher } from './entities/voucher.entity';

/** Rows per multi-row statement of the draw. */
const CHUNK = 500;
const chunks = <T>(xs: T[]): T[][] => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** Every query of the lottery (摇号): lotteries, registrations, the draw's writes. */
@Injectable()
export class LotteryRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insertLottery(em: EntityManager, l: Omit<Lottery, 'id'>): Promise<void> {
    await em.getRepository(Lottery).insert(l);
  }
  findLottery(campaignId: number, em: EntityManager = this.db.manager): Promise<Lottery | null> {
    return em.getRepository(Lottery).findOneBy({ campaignId });
  }
  /** Stores the seed and its commitment, once (false when already committed). */
  async commit(em: EntityManager, campaignId: number, seedEnc: string, commitment: string, at: Date): Promise<boolean> {
    const res = await em.getRepository(Lottery).createQueryBuilder().update(Lottery).set({ seedEnc, commitment, committedAt: at })
      .where('campaignId = :campaignId', { campaignId }).andWhere('commitment IS NULL').execute();
    return (res.affected ?? 0) === 1;
  }
  /** Marks the lottery drawn, only if it was not: the draw record. False = already drawn. */
  async markDrawn(em: EntityManager, id: number, patch: Pick<Lottery, 'drawnAt' | 'drawnById' | 'winners' | 'stockJson'>): Promise<boolean> {
    const res = await em.getRepository(Lottery).createQueryBuilder().update(Lottery).set(patch)
      .where('id = :id', { id }).andWhere('drawnAt IS NULL').execute();
    return (res.affected ?? 0) === 1;
  }

  /** Campaign ids of committed, undrawn lotteries with `drawAt` ≤ `before` whose campaign is published (oldest first, at most 20). */
  async dueLotteries(before: Date): Promise<number[]> {
    const rows = await this.db.getRepository(Lottery).createQueryBuilder('l').innerJoin(Campaign, 'c', 'c.id = l.campaignId')
      .select('l.campaignId', 'campaignId').where('l.drawnAt IS NULL').andWhere('l.commitment IS NOT NULL').andWhere('l.drawAt <= :before', { before })
      .andWhere("c.status = 'published'").orderBy('l.drawAt', 'ASC').limit(20).getRawMany<{ campaignId: number | string }>();
    return rows.map((r) => Number(r.campaignId));
  }

  // --- registrations
  /** Inserts a registration; a second one of the same member fails on the unique key (duplicate key error). */
  async insertRegistration(r: Omit<LotteryRegistration, 'id'>): Promise<void> {
    await this.db.getRepository(LotteryRegistration).insert(r);
  }
  findRegistration(campaignId: number, memberId: number): Promise<LotteryRegistration | null> {
    return this.db.getRepository(LotteryRegistration).findOneBy({ campaignId, memberId });
  }
  countRegistrations(campaignId: number): Promise<number> {
    return this.db.getRepository(LotteryRegistration).countBy({ campaignId });
  }
  /** Every registration of a lottery, sorted by pseudonymous id (the published order). */
  registrations(campaignId: number, em: EntityManager = this.db.manager): Promise<LotteryRegistration[]> {
    return em.getRepository(LotteryRegistration).find({ where: { campaignId }, order: { pseudonymousId: 'ASC' } });
  }
  /** Whether the member's registration in `campaignId` lost its draw. */
  async lostDraw(campaignId: number, memberId: number): Promise<boolean> {
    return (await this.db.getRepository(LotteryRegistration).countBy({ campaignId, memberId, outcome: 'lost' })) > 0;
  }
  /** Whether the account is bound to a household file that is active (在档困难职工家庭). */
  async boundToActiveHousehold(userId: number): Promise<boolean> {
    const n = await this.db.getRepository(HouseholdBinding).createQueryBuilder('b').innerJoin(Household, 'h', 'h.id = b.householdId')
      .where('b.userId = :userId', { userId }).andWhere("h.status = 'active'").getCount();
    return n > 0;
  }
  /** The voucher a member holds of a campaign (a lottery gives at most one). */
  wonVoucher(campaignId: number, memberId: number): Promise<Pick<Voucher, 'id'> | null> {
    return this.db.getRepository(Voucher).findOne({ select: { id: true }, where: { campaignId, memberId }, order: { id: 'ASC' } });
  }

  // --- the draw (inside its transaction)
  async insertVouchers(em: EntityManager, rows: Array<Omit<Voucher, 'id'>>): Promise<void> {
    for (const part of chunks(rows)) await em.getRepository(Voucher).insert(part);
  }
  /** Adds `count` to a type's claimed counter while it stays within quantity; false otherwise. */
  async addClaimed(em: EntityManager, typeId: number, count: number): Promise<boolean> {
    const res = await em.getRepository(VoucherType).createQueryBuilder().update(VoucherType).set({ claimed: () => `claimed + ${Number(count)}` })
      .where('id = :id', { id: typeId }).andWhere('claimed + :n <= quantity', { n: count }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** Writes the outcome of every registration: winners with their rank and type, then everyone else `lost`. */
  async recordOutcomes(em: EntityManager, campaignId: number, winners: Array<{ registrationId: number; rank: number; voucherTypeId: number }>): Promise<void> {
    const repo = em.getRepository(LotteryRegistration);
    for (const part of chunks(winners)) {
      const params: Record<string, number> = {};
      const rank = part.map((w, i) => { params[`i${i}`] = w.registrationId; params[`r${i}`] = w.rank; return `WHEN :i${i} THEN :r${i}`; }).join(' ');
      const type = part.map((w, i) => { params[`t${i}`] = w.voucherTypeId; return `WHEN :i${i} THEN :t${i}`; }).join(' ');
      await repo.createQueryBuilder().update(LotteryRegistration)
        .set({ outcome: 'won', drawRank: () => `CASE id ${rank} END`, voucherTypeId: () => `CASE id ${type} END` })
        .where({ id: In(part.map((w) => w.registrationId)) }).setParameters(params).execute();
    }
    await repo.createQueryBuilder().update(LotteryRegistration).set({ outcome: 'lost' })
      .where('campaignId = :campaignId', { campaignId }).andWhere("outcome = 'registered'").execute();
  }
}
