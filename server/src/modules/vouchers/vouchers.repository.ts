import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { CampaignStatus, MerchantCategory, MerchantStatus, VoucherStatus } from '@union/shared';
import { dialectOf, likeContains, likePrefix, sqlLike } from '../../database/dialect';
import { UnionOrg } from '../orgs/org.entity';
import { Campaign, CampaignMerchant, VoucherType } from './entities/campaign.entity';
import { Merchant, MerchantClerk } from './entities/merchant.entity';
import { Redemption, Voucher } from './entities/voucher.entity';

/** No cap: the largest int column value. */
export const NO_CAP = 2_147_483_647;

const n = (v: unknown) => Number(v ?? 0);

/** Every query of the vouchers module. `scopePath` null means the whole tree. */
@Injectable()
export class VouchersRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // --- merchants and clerks
  async insertMerchant(em: EntityManager, m: Partial<Merchant>): Promise<Merchant> {
    const repo = em.getRepository(Merchant);
    return repo.save(repo.create(m));
  }
  findMerchant(id: number, em: EntityManager = this.db.manager): Promise<Merchant | null> {
    return em.getRepository(Merchant).findOneBy({ id });
  }
  async findMerchants(ids: number[]): Promise<Map<number, Merchant>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.getRepository(Merchant).findBy({ id: In(unique) });
    return new Map(rows.map((m) => [m.id, m]));
  }
  listMerchants(f: { scopePath: string | null; status?: MerchantStatus; skip: number; take: number }): Promise<[Merchant[], number]> {
    const qb = this.db.getRepository(Merchant).createQueryBuilder('m').innerJoin(UnionOrg, 'o', 'o.id = m.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.status) qb.andWhere('m.status = :s', { s: f.status });
    return qb.orderBy('m.id', 'DESC').skip(f.skip).take(f.take).getManyAndCount();
  }
  listMerchantsOfApplicant(userId: number): Promise<Merchant[]> {
    return this.db.getRepository(Merchant).find({ where: { applicantUserId: userId }, order: { id: 'DESC' } });
  }
  /** Approved merchants under `scopePath`, optionally of some categories or ids. */
  approvedMerchants(f: { scopePath: string; categories?: string[]; ids?: number[]; category?: MerchantCategory; limit: number }): Promise<Merchant[]> {
    const qb = this.db.getRepository(Merchant).createQueryBuilder('m').innerJoin(UnionOrg, 'o', 'o.id = m.orgId')
      .where("m.status = 'approved'").andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.categories) qb.andWhere('m.category IN (:...cats)', { cats: f.categories.length ? f.categories : ['-'] });
    if (f.ids) qb.andWhere('m.id IN (:...ids)', { ids: f.ids.length ? f.ids : [0] });
    if (f.category) qb.andWhere('m.category = :cat', { cat: f.category });
    return qb.orderBy('m.id', 'ASC').take(f.limit).getMany();
  }
  /** Moves a pending merchant to approved or rejected; false when no longer pending. */
  async closeMerchant(em: EntityManager, id: number, patch: { status: 'approved' | 'rejected'; reviewedById: number; rejectReason?: string }): Promise<boolean> {
    const res = await em.getRepository(Merchant).update(
      { id, status: 'pending' },
      { ...patch, reviewedAt: new Date(), ...(patch.status === 'rejected' ? { licenceKey: null } : {}) },
    );
    return (res.affected ?? 0) === 1;
  }
  async insertClerk(em: EntityManager, c: Omit<MerchantClerk, 'id'>): Promise<void> {
    await em.getRepository(MerchantClerk).insert(c);
  }
  async deleteClerksOf(em: EntityManager, merchantId: number): Promise<void> {
    await em.getRepository(MerchantClerk).delete({ merchantId });
  }
  findClerkByUser(userId: number): Promise<MerchantClerk | null> {
    return this.db.getRepository(MerchantClerk).findOneBy({ userId });
  }

  /** The materialised path of an org. Paths never change once an org exists (codes are immutable), so they are cached. */
  async orgPath(orgId: number): Promise<string | null> {
    const hit = this.orgPaths.get(orgId);
    if (hit) return hit;
    const org = await this.db.getRepository(UnionOrg).findOneBy({ id: orgId });
    if (org) this.orgPaths.set(orgId, org.path);
    return org?.path ?? null;
  }
  private readonly orgPaths = new Map<number, string>();

  /** Ids of the orgs with these codes (a member's org and its ancestors, from its path). */
  async orgIdsByCodes(codes: string[]): Promise<number[]> {
    if (!codes.length) return [];
    return (await this.db.getRepository(UnionOrg).findBy({ code: In(codes) })).map((o) => o.id);
  }

  // --- campaigns
  async insertCampaign(em: EntityManager, c: Partial<Campaign>): Promise<Campaign> {
    const repo = em.getRepository(Campaign);
    return repo.save(repo.create(c));
  }
  findCampaign(id: number, em: EntityManager = this.db.manager): Promise<Campaign | null> {
    return em.getRepository(Campaign).findOneBy({ id });
  }
  async findCampaigns(ids: number[]): Promise<Map<number, Campaign>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.getRepository(Campaign).findBy({ id: In(unique) });
    return new Map(rows.map((c) => [c.id, c]));
  }
  /** Updates a campaign only while it has status `from`; false when it no longer has. */
  async updateCampaignIf(em: EntityManager, id: number, from: CampaignStatus[], patch: Partial<Campaign>): Promise<boolean> {
    const res = await em.getRepository(Campaign).createQueryBuilder().update(Campaign).set(patch)
      .where('id = :id', { id }).andWhere('status IN (:...from)', { from }).execute();
    return (res.affected ?? 0) === 1;
  }
  listCampaigns(f: { scopePath: string | null; status?: CampaignStatus; skip: number; take: number }): Promise<[Campaign[], number]> {
    const qb = this.db.getRepository(Campaign).createQueryBuilder('c').innerJoin(UnionOrg, 'o', 'o.id = c.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.status) qb.andWhere('c.status = :s', { s: f.status });
    return qb.orderBy('c.id', 'DESC').skip(f.skip).take(f.take).getManyAndCount();
  }
  /** Published or closed campaigns of the given orgs (a member's org and its ancestors) open to `occupation`. */
  listCampaignsForMember(orgIds: number[], occupation: string, skip: number, take: number): Promise<[Campaign[], number]> {
    return this.db.getRepository(Campaign).createQueryBuilder('c')
      .where('c.orgId IN (:...orgIds)', { orgIds: orgIds.length ? orgIds : [0] })
      .andWhere("c.status IN ('published', 'closed')")
      .andWhere(`(c.occupations = '' OR ${sqlLike('c.occupations', ':occ')})`, { occ: likeContains(occupation) })
      .orderBy('c.claimStartAt', 'DESC').addOrderBy('c.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }
  async replaceTypes(em: EntityManager, campaignId: number, types: Array<Omit<VoucherType, 'id' | 'campaignId' | 'claimed'>>): Promise<void> {
    await em.getRepository(VoucherType).delete({ campaignId });
    if (types.length) await em.getRepository(VoucherType).insert(types.map((t) => ({ ...t, campaignId, claimed: 0 })));
  }
  findTypes(campaignIds: number[], em: EntityManager = this.db.manager): Promise<VoucherType[]> {
    if (!campaignIds.length) return Promise.resolve([]);
    return em.getRepository(VoucherType).find({ where: { campaignId: In(campaignIds) }, order: { id: 'ASC' } });
  }
  findType(id: number, em: EntityManager = this.db.manager): Promise<VoucherType | null> {
    return em.getRepository(VoucherType).findOneBy({ id });
  }
  /** Raises a type's quantity; never lowers it (false when `quantity` is below the current one). */
  async raiseQuantity(em: EntityManager, typeId: number, quantity: number): Promise<boolean> {
    const res = await em.getRepository(VoucherType).createQueryBuilder().update(VoucherType).set({ quantity })
      .where('id = :id', { id: typeId }).andWhere('quantity <= :q', { q: quantity }).execute();
    return (res.affected ?? 0) === 1;
  }
  async replaceCampaignMerchants(em: EntityManager, campaignId: number, merchantIds: number[]): Promise<void> {
    await em.getRepository(CampaignMerchant).delete({ campaignId });
    if (merchantIds.length) await em.getRepository(CampaignMerchant).insert([...new Set(merchantIds)].map((merchantId) => ({ campaignId, merchantId })));
  }
  async campaignMerchantIds(campaignId: number): Promise<number[]> {
    const rows = await this.db.getRepository(CampaignMerchant).find({ where: { campaignId }, order: { merchantId: 'ASC' } });
    return rows.map((r) => r.merchantId);
  }
  async isCampaignMerchant(campaignId: number, merchantId: number): Promise<boolean> {
    return (await this.db.getRepository(CampaignMerchant).countBy({ campaignId, merchantId })) > 0;
  }

  // --- claims
  // The claim path's statements are written once as plain SQL (placeholders, identifiers quoted by the driver,
  // values converted by the driver exactly as TypeORM persists them): the query builder's per-call work was a
  // measurable share of the CPU of a claim (bench:claim). Same statements, same results, on SQLite and MySQL.
  private claimSql?: { insertVoucher: string; voucherColumns: Array<{ prop: keyof Omit<Voucher, 'id'>; meta: any }>; takeStock: string };
  private sql() {
    if (this.claimSql) return this.claimSql;
    const d = this.db.driver;
    const q = (name: string) => d.escape(name);
    const cols = <T>(entity: Function, props: string[]) => props.map((prop) => ({ prop: prop as keyof T, meta: this.db.getMetadata(entity).findColumnWithPropertyPath(prop)! }));
    const vProps = ['campaignId', 'voucherTypeId', 'memberId', 'userId', 'orgId', 'typeSlot', 'campaignSlot', 'claimDay', 'daySlot', 'faceValueFen', 'minSpendFen', 'status', 'claimedAt', 'validFrom', 'validUntil', 'redeemedAt'];
    this.claimSql = {
      insertVoucher: `INSERT INTO ${q('vouchers')} (${vProps.map(q).join(', ')}) VALUES (${vProps.map(() => '?').join(', ')})`,
      voucherColumns: cols<Omit<Voucher, 'id'>>(Voucher, vProps),
      // roundClaimed is assigned before roundNo: MySQL evaluates SET left to right with the new values, SQLite with the old ones,
      // and in this order both read the old roundNo.
      takeStock: `UPDATE ${q('voucher_types')} SET ${q('claimed')} = ${q('claimed')} + 1, `
        + `${q('roundClaimed')} = CASE WHEN ${q('roundNo')} = ? THEN ${q('roundClaimed')} + 1 ELSE 1 END, ${q('roundNo')} = ? `
        + `WHERE ${q('id')} = ? AND ${q('claimed')} < ${q('quantity')} AND ${q('claimed')} < ? AND (${q('roundNo')} < ? OR (${q('roundNo')} = ? AND ${q('roundClaimed')} < ?))`,
    };
    return this.claimSql;
  }
  private async run(em: EntityManager, sql: string, params: unknown[]): Promise<{ affected: number; insertId: number }> {
    const runner = em.queryRunner ?? this.db.createQueryRunner();
    let res: { affected?: number; raw: any };
    try {
      res = await runner.query(sql, params, true);
    } finally {
      if (!em.queryRunner) await runner.release();
    }
    const raw = res.raw;
    return { affected: res.affected ?? 0, insertId: Number(raw && typeof raw === 'object' ? raw.insertId : raw) };
  }

  /** The atomic stock step: one more claimed while below quantity. False = sold out. */
  /**
   * Takes one voucher of a type from stock in round `round` (0-based; 0 without rounds), in one conditional UPDATE:
   * never past `quantity`, never past `released` (everything released so far), never more than `perRound` in the
   * round, and never in a round older than the latest one anyone claimed in. Counts the round's claims as it goes.
   * @returns false when any of those refuses (sold out, for this round or for good).
   */
  async takeStock(em: EntityManager, typeId: number, round = 0, released = NO_CAP, perRound = NO_CAP): Promise<boolean> {
    return (await this.run(em, this.sql().takeStock, [round, round, typeId, released, round, round, perRound])).affected === 1;
  }
  /** Inserts a voucher; a taken slot fails with a duplicate key (statement-level). @returns its id */
  async insertVoucher(em: EntityManager, v: Omit<Voucher, 'id'>): Promise<number> {
    const { insertVoucher, voucherColumns } = this.sql();
    const d = this.db.driver;
    return (await this.run(em, insertVoucher, voucherColumns.map((c) => d.preparePersistentValue(v[c.prop], c.meta)))).insertId;
  }
  /** Vouchers a member holds of a type and of its campaign (any status). */
  async heldCounts(memberId: number, typeId: number, campaignId: number): Promise<{ type: number; campaign: number }> {
    const row = await this.db.getRepository(Voucher).createQueryBuilder('v')
      .select('COUNT(*)', 'campaign').addSelect('SUM(CASE WHEN v.voucherTypeId = :t THEN 1 ELSE 0 END)', 'type')
      .where('v.memberId = :m', { m: memberId }).andWhere('v.campaignId = :c', { c: campaignId }).setParameter('t', typeId).getRawOne();
    return { type: n(row?.type), campaign: n(row?.campaign) };
  }
  /** Vouchers a member holds, per type, in the given campaigns. */
  async heldByType(memberId: number, campaignIds: number[]): Promise<Map<number, number>> {
    if (!campaignIds.length) return new Map();
    const rows = await this.db.getRepository(Voucher).createQueryBuilder('v').select('v.voucherTypeId', 'typeId').addSelect('COUNT(*)', 'n')
      .where('v.memberId = :m', { m: memberId }).andWhere('v.campaignId IN (:...ids)', { ids: campaignIds }).groupBy('v.voucherTypeId').getRawMany();
    return new Map(rows.map((r) => [n(r.typeId), n(r.n)]));
  }

  // --- vouchers
  findVoucher(id: number, em: EntityManager = this.db.manager): Promise<Voucher | null> {
    return em.getRepository(Voucher).findOneBy({ id });
  }
  async findVouchers(ids: number[]): Promise<Map<number, Voucher>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.getRepository(Voucher).findBy({ id: In(unique) });
    return new Map(rows.map((v) => [v.id, v]));
  }
  /** A user's vouchers; `expired` includes unused ones already past validity (before the job marks them). */
  listVouchersOfUser(userId: number, status: VoucherStatus | undefined, now: Date, skip: number, take: number): Promise<[Voucher[], number]> {
    const qb = this.db.getRepository(Voucher).createQueryBuilder('v').where('v.userId = :u', { u: userId });
    if (status === 'unused') qb.andWhere("v.status = 'unused'").andWhere('v.validUntil > :now', { now });
    if (status === 'redeemed') qb.andWhere("v.status = 'redeemed'");
    if (status === 'expired') qb.andWhere("(v.status = 'expired' OR (v.status = 'unused' AND v.validUntil <= :now))", { now });
    return qb.orderBy('v.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }
  /** unused → redeemed while within validity; false when it was not (already redeemed, expired, not yet valid). */
  async markRedeemed(em: EntityManager, id: number, now: Date): Promise<boolean> {
    const res = await em.createQueryBuilder().update(Voucher).set({ status: 'redeemed', redeemedAt: now })
      .where('id = :id', { id }).andWhere("status = 'unused'").andWhere('validUntil > :now', { now }).andWhere('validFrom <= :now', { now }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** redeemed → unused (or expired when past validity) after a reversal. */
  async restoreVoucher(em: EntityManager, id: number, now: Date): Promise<void> {
    await em.createQueryBuilder().update(Voucher)
      .set({ status: () => "CASE WHEN validUntil > :now THEN 'unused' ELSE 'expired' END", redeemedAt: null })
      .where('id = :id', { id }).andWhere("status = 'redeemed'").setParameter('now', now).execute();
  }
  /** Marks every unused voucher past validity expired (idempotent). Returns how many changed. */
  async expireVouchers(now: Date): Promise<number> {
    const res = await this.db.createQueryBuilder().update(Voucher).set({ status: 'expired' })
      .where("status = 'unused'").andWhere('validUntil <= :now', { now }).execute();
    return res.affected ?? 0;
  }

  // --- redemptions
  async insertRedemption(em: EntityManager, r: Omit<Redemption, 'id'>): Promise<number> {
    const res = await em.getRepository(Redemption).insert(r);
    return Number(res.identifiers[0].id);
  }
  findRedemption(id: number): Promise<Redemption | null> {
    return this.db.getRepository(Redemption).findOneBy({ id });
  }
  async reverseRedemption(em: EntityManager, id: number, byUserId: number, now: Date): Promise<boolean> {
    const res = await em.getRepository(Redemption).update({ id, status: 'active' }, { status: 'reversed', activeKey: null, reversedAt: now, reversedById: byUserId });
    return (res.affected ?? 0) === 1;
  }
  /** One page of a merchant's redemptions of one Asia/Shanghai day, newest first, and how many there are (index (merchantId, serviceDate)). */
  redemptionsOfMerchantDay(merchantId: number, date: string, skip: number, take: number): Promise<[Redemption[], number]> {
    return this.db.getRepository(Redemption).findAndCount({ where: { merchantId, serviceDate: date }, order: { id: 'DESC' }, skip, take });
  }

  // --- settlement and reconciliation
  /** Settlement lines: active redemptions per merchant per Asia/Shanghai day. */
  async settlementLines(f: { scopePath: string | null; merchantId?: number; from: string; to: string }) {
    const qb = this.db.getRepository(Redemption).createQueryBuilder('r').innerJoin(Merchant, 'm', 'm.id = r.merchantId').innerJoin(UnionOrg, 'o', 'o.id = m.orgId')
      .select('r.merchantId', 'merchantId').addSelect('r.serviceDate', 'date').addSelect('COUNT(*)', 'count')
      .addSelect('SUM(r.faceValueFen)', 'face').addSelect('SUM(r.orderAmountFen)', 'orderFen')
      .where("r.status = 'active'").andWhere('r.serviceDate >= :from AND r.serviceDate <= :to', { from: f.from, to: f.to });
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.merchantId) qb.andWhere('r.merchantId = :mid', { mid: f.merchantId });
    const rows = await qb.groupBy('r.merchantId').addGroupBy('r.serviceDate').orderBy('r.serviceDate', 'ASC').addOrderBy('r.merchantId', 'ASC').getRawMany();
    return rows.map((r) => ({ merchantId: n(r.merchantId), date: String(r.date), count: n(r.count), faceValueFen: n(r.face), orderAmountFen: n(r.orderFen) }));
  }

  /** Raw facts for reconciliation, over campaigns of the `scopePath` subtree. */
  async reconciliationFacts(scopePath: string | null) {
    const scope = scopePath ? `AND ${sqlLike('o.path', '?')}` : '';
    const p = scopePath ? [likePrefix(scopePath)] : [];
    const q = (sql: string) => this.db.query(sql, p);
    const campaignJoin = 'INNER JOIN voucher_campaigns c ON c.id = v.campaignId INNER JOIN union_orgs o ON o.id = c.orgId';
    const [unsettled, many, notRedeemed, faceMismatch, redeemedTotals, settledTotals] = await Promise.all([
      q(`SELECT v.id AS id FROM vouchers v ${campaignJoin} LEFT JOIN voucher_redemptions r ON r.voucherId = v.id AND r.status = 'active' WHERE v.status = 'redeemed' AND r.id IS NULL ${scope} ORDER BY v.id`),
      q(`SELECT r.voucherId AS id, COUNT(*) AS n FROM voucher_redemptions r INNER JOIN vouchers v ON v.id = r.voucherId ${campaignJoin} WHERE r.status = 'active' ${scope} GROUP BY r.voucherId HAVING COUNT(*) > 1`),
      q(`SELECT r.id AS id, r.voucherId AS voucherId, v.status AS status FROM voucher_redemptions r INNER JOIN vouchers v ON v.id = r.voucherId ${campaignJoin} WHERE r.status = 'active' AND v.status <> 'redeemed' ${scope} ORDER BY r.id`),
      q(`SELECT r.id AS id, r.voucherId AS voucherId, r.faceValueFen AS rf, v.faceValueFen AS vf FROM voucher_redemptions r INNER JOIN vouchers v ON v.id = r.voucherId ${campaignJoin} WHERE r.status = 'active' AND r.faceValueFen <> v.faceValueFen ${scope} ORDER BY r.id`),
      q(`SELECT COUNT(*) AS n, SUM(v.faceValueFen) AS face FROM vouchers v ${campaignJoin} WHERE v.status = 'redeemed' ${scope}`),
      q(`SELECT COUNT(*) AS n, SUM(r.faceValueFen) AS face FROM voucher_redemptions r INNER JOIN vouchers v ON v.id = r.voucherId ${campaignJoin} WHERE r.status = 'active' ${scope}`),
    ]);
    return {
      unsettled: unsettled.map((r: any) => n(r.id)),
      many: many.map((r: any) => ({ voucherId: n(r.id), count: n(r.n) })),
      notRedeemed: notRedeemed.map((r: any) => ({ redemptionId: n(r.id), voucherId: n(r.voucherId), status: String(r.status) })),
      faceMismatch: faceMismatch.map((r: any) => ({ redemptionId: n(r.id), voucherId: n(r.voucherId), redemptionFen: n(r.rf), voucherFen: n(r.vf) })),
      redeemed: { count: n(redeemedTotals[0]?.n), faceValueFen: n(redeemedTotals[0]?.face) },
      settled: { count: n(settledTotals[0]?.n), faceValueFen: n(settledTotals[0]?.face) },
    };
  }

  // --- statistics of one campaign
  async campaignStats(campaignId: number) {
    const day = dialectOf(this.db).shanghaiDate('v.claimedAt');
    const vq = () => this.db.getRepository(Voucher).createQueryBuilder('v').where('v.campaignId = :c', { c: campaignId });
    const rq = () => this.db.getRepository(Redemption).createQueryBuilder('r').where('r.campaignId = :c', { c: campaignId }).andWhere("r.status = 'active'");
    const [claimed, redeemed, claimsByDay, redeemsByDay, byCategory, byOrg] = await Promise.all([
      vq().select('COUNT(*)', 'n').addSelect('SUM(v.faceValueFen)', 'face').getRawOne(),
      rq().select('COUNT(*)', 'n').addSelect('SUM(r.faceValueFen)', 'face').addSelect('SUM(r.orderAmountFen)', 'orderFen').getRawOne(),
      vq().select(day, 'date').addSelect('COUNT(*)', 'n').groupBy(day).orderBy(day, 'ASC').getRawMany(),
      rq().select('r.serviceDate', 'date').addSelect('COUNT(*)', 'n').addSelect('SUM(r.faceValueFen)', 'face').addSelect('SUM(r.orderAmountFen)', 'orderFen')
        .groupBy('r.serviceDate').orderBy('r.serviceDate', 'ASC').getRawMany(),
      rq().innerJoin(Merchant, 'm', 'm.id = r.merchantId').select('m.category', 'category').addSelect('COUNT(*)', 'n').addSelect('SUM(r.faceValueFen)', 'face')
        .addSelect('SUM(r.orderAmountFen)', 'orderFen').groupBy('m.category').orderBy('face', 'DESC').getRawMany(),
      vq().select('v.orgId', 'orgId').addSelect('COUNT(*)', 'n').addSelect('SUM(v.faceValueFen)', 'face').groupBy('v.orgId').orderBy('n', 'DESC').getRawMany(),
    ]);
    return {
      claimed: { count: n(claimed?.n), faceValueFen: n(claimed?.face) },
      redeemed: { count: n(redeemed?.n), faceValueFen: n(redeemed?.face), orderAmountFen: n(redeemed?.orderFen) },
      claimsByDay: claimsByDay.map((r) => ({ date: String(r.date), count: n(r.n) })),
      redeemsByDay: redeemsByDay.map((r) => ({ date: String(r.date), count: n(r.n), faceValueFen: n(r.face), orderAmountFen: n(r.orderFen) })),
      byCategory: byCategory.map((r) => ({ category: r.category as MerchantCategory, count: n(r.n), faceValueFen: n(r.face), orderAmountFen: n(r.orderFen) })),
      byOrg: byOrg.map((r) => ({ orgId: n(r.orgId), count: n(r.n), faceValueFen: n(r.face) })),
    };
  }
}
