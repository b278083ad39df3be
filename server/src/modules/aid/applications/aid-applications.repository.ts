import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { AidApplicationStatus, AidDocumentKind } from '@union/shared';
import { User } from '../../auth/user.entity';
import { UnionOrg } from '../../orgs/org.entity';
import { Household, HouseholdBinding } from '../entities/household.entity';
import { AidApplication, AidApplicationDocument, AidApplicationEvent } from './entities/aid-application.entity';
import { likeContains, likePrefix, sqlLike } from '../../../database/dialect';
import { withDeferredTallies } from '../aid-tallies';

/** Filters of the staff to-do list. `scopePath` null means the whole tree (admin). */
export interface AidApplicationFilter {
  scopePath: string | null;
  statuses?: AidApplicationStatus[];
  /** Submitted before this instant and still not accepted. */
  submittedBefore?: Date;
  handlerId?: number;
}

/** Every query of online aid applications (plain SQL both MySQL/MariaDB and SQLite run). */
@Injectable()
export class AidApplicationsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** `work` in a new transaction; an approval that files a household writes its monitoring tallies just before the commit (withDeferredTallies). */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return withDeferredTallies(this.db, work);
  }

  // ------------------------------------------------------------ applications
  insertApplication(em: EntityManager, a: Partial<AidApplication>): Promise<AidApplication> {
    const repo = em.getRepository(AidApplication);
    return repo.save(repo.create(a));
  }
  /** Links the application to the household file and/or one-off payout batch its approval produced. */
  async linkResults(id: number, links: Partial<Pick<AidApplication, 'householdId' | 'payoutBatchId'>>, em: EntityManager = this.db.manager): Promise<void> {
    await em.getRepository(AidApplication).update({ id }, links);
  }
  findApplication(id: number, em: EntityManager = this.db.manager): Promise<AidApplication | null> {
    return em.getRepository(AidApplication).findOneBy({ id });
  }
  /** The open application with this `openKey` (one per account and ID number). */
  findOpenByKey(openKey: string): Promise<AidApplication | null> {
    return this.db.getRepository(AidApplication).findOneBy({ openKey });
  }
  /** Open applications of other accounts with the same ID number (staff see the count). */
  countOtherOpenWithIdHash(idNumberHash: string, exceptUserId: number): Promise<number> {
    return this.db.getRepository(AidApplication).createQueryBuilder('a')
      .where('a.idNumberHash = :h AND a.userId <> :u AND a.openKey IS NOT NULL', { h: idNumberHash, u: exceptUserId }).getCount();
  }

  /**
   * The state transition as one conditional UPDATE: only when the row is in one of `from` (and, when
   * given, handled by `handlerId`, or proposed by someone other than `notProposedBy`). False when the
   * conditions did not hold (a concurrent twin won, or the state moved on).
   */
  async transition(
    em: EntityManager, id: number, from: AidApplicationStatus[], patch: Partial<AidApplication>,
    cond: { handlerId?: number; notProposedBy?: number; handlerIsNull?: boolean; ownerId?: number; proposedAt?: Date } = {},
  ): Promise<boolean> {
    const qb = em.createQueryBuilder().update(AidApplication).set(patch).where('id = :id AND status IN (:...from)', { id, from });
    if (cond.handlerId !== undefined) qb.andWhere('handlerId = :h', { h: cond.handlerId });
    if (cond.handlerIsNull) qb.andWhere('handlerId IS NULL');
    if (cond.ownerId !== undefined) qb.andWhere('userId = :owner', { owner: cond.ownerId });
    if (cond.notProposedBy !== undefined) qb.andWhere('proposedById <> :np', { np: cond.notProposedBy });
    if (cond.proposedAt !== undefined) qb.andWhere('proposedAt = :pa', { pa: cond.proposedAt });
    const res = await qb.execute();
    return (res.affected ?? 0) === 1;
  }

  private staffQuery(f: AidApplicationFilter): SelectQueryBuilder<AidApplication> {
    const qb = this.db.getRepository(AidApplication).createQueryBuilder('a').innerJoin(UnionOrg, 'o', 'o.id = a.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.statuses?.length) qb.andWhere('a.status IN (:...st)', { st: f.statuses });
    if (f.submittedBefore) qb.andWhere("a.status = 'submitted' AND a.createdAt < :sb", { sb: f.submittedBefore });
    if (f.handlerId !== undefined) qb.andWhere('a.handlerId = :hid', { hid: f.handlerId });
    return qb;
  }
  /** Oldest first: a to-do list works from the longest-waiting item. */
  listForStaff(f: AidApplicationFilter, skip: number, take: number): Promise<[AidApplication[], number]> {
    return this.staffQuery(f).orderBy('a.createdAt', 'ASC').addOrderBy('a.id', 'ASC').skip(skip).take(take).getManyAndCount();
  }
  countForStaff(f: AidApplicationFilter, extra?: (qb: SelectQueryBuilder<AidApplication>) => void): Promise<number> {
    const qb = this.staffQuery(f);
    extra?.(qb);
    return qb.getCount();
  }
  listMine(userId: number, skip: number, take: number): Promise<[AidApplication[], number]> {
    return this.db.getRepository(AidApplication).findAndCount({ where: { userId }, order: { id: 'DESC' }, skip, take });
  }
  latestOfUser(userId: number): Promise<AidApplication | null> {
    return this.db.getRepository(AidApplication).findOne({ where: { userId }, order: { id: 'DESC' } });
  }
  /** Whether the user has applied to this org (any application, any status). */
  async userAppliedTo(userId: number, orgId: number): Promise<boolean> {
    return (await this.db.getRepository(AidApplication).countBy({ userId, orgId })) > 0;
  }
  /** Orgs of the household files the user is bound to (一户一码 binding). */
  async boundHouseholdOrgIds(userId: number): Promise<number[]> {
    const rows: Array<{ orgId: number }> = await this.db.getRepository(HouseholdBinding).createQueryBuilder('b')
      .innerJoin(Household, 'h', 'h.id = b.householdId').select('h.orgId', 'orgId').where('b.userId = :userId', { userId }).getRawMany();
    return rows.map((r) => Number(r.orgId));
  }

  /** Approved applications still on notice at `now`, newest first: of `org` itself, or of its whole subtree. */
  listNotices(org: UnionOrg, subtree: boolean, now: Date, skip: number, take: number): Promise<[AidApplication[], number]> {
    const qb = this.db.getRepository(AidApplication).createQueryBuilder('a')
      .where("a.status = 'approved' AND a.noticeUntil > :now AND a.decidedAt <= :now", { now });
    if (subtree) qb.innerJoin(UnionOrg, 'o', 'o.id = a.orgId').andWhere(sqlLike('o.path', ':p'), { p: likePrefix(org.path) });
    else qb.andWhere('a.orgId = :orgId', { orgId: org.id });
    return qb.orderBy('a.decidedAt', 'DESC').addOrderBy('a.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  /** Which of these ID hashes have an open household file (registered or active). */
  async idHashesWithOpenHousehold(idNumberHashes: string[]): Promise<Set<string>> {
    if (!idNumberHashes.length) return new Set();
    const rows = await this.db.getRepository(Household).find({ where: { activeKey: In([...new Set(idNumberHashes)]) }, select: { activeKey: true } });
    return new Set(rows.map((r) => r.activeKey!));
  }

  // ------------------------------------------------------------ timeline
  async insertEvent(em: EntityManager, e: Omit<AidApplicationEvent, 'id'>): Promise<void> {
    await em.getRepository(AidApplicationEvent).insert(e);
  }
  async eventsOf(applicationIds: number[]): Promise<Map<number, AidApplicationEvent[]>> {
    const out = new Map<number, AidApplicationEvent[]>();
    if (!applicationIds.length) return out;
    const rows = await this.db.getRepository(AidApplicationEvent).find({ where: { applicationId: In(applicationIds) }, order: { at: 'ASC', id: 'ASC' } });
    for (const r of rows) out.set(r.applicationId, [...(out.get(r.applicationId) ?? []), r]);
    return out;
  }

  // ------------------------------------------------------------ documents
  async usedSlots(em: EntityManager, applicationId: number, kind: AidDocumentKind): Promise<number[]> {
    const rows = await em.getRepository(AidApplicationDocument).find({ where: { applicationId, kind }, select: { slot: true } });
    return rows.map((r) => r.slot);
  }
  async insertDocument(em: EntityManager, d: Omit<AidApplicationDocument, 'id'>): Promise<AidApplicationDocument> {
    const repo = em.getRepository(AidApplicationDocument);
    return repo.save(repo.create(d));
  }
  async documentsOf(applicationIds: number[]): Promise<Map<number, AidApplicationDocument[]>> {
    const out = new Map<number, AidApplicationDocument[]>();
    if (!applicationIds.length) return out;
    const rows = await this.db.getRepository(AidApplicationDocument).find({ where: { applicationId: In(applicationIds) }, order: { id: 'ASC' } });
    for (const r of rows) out.set(r.applicationId, [...(out.get(r.applicationId) ?? []), r]);
    return out;
  }
  /** Every document of an application (both kinds), read within the caller's transaction. */
  documentsIn(em: EntityManager, applicationId: number): Promise<AidApplicationDocument[]> {
    return em.getRepository(AidApplicationDocument).find({ where: { applicationId }, order: { id: 'ASC' } });
  }
  /** Deletes document rows; returns how many went. */
  async deleteDocuments(em: EntityManager, ids: number[]): Promise<number> {
    if (!ids.length) return 0;
    const res = await em.createQueryBuilder().delete().from(AidApplicationDocument).where('id IN (:...ids)', { ids }).execute();
    return res.affected ?? 0;
  }
  findDocument(id: number): Promise<AidApplicationDocument | null> {
    return this.db.getRepository(AidApplicationDocument).findOneBy({ id });
  }

  // ------------------------------------------------------------ orgs and accounts (core tables, read only)
  /** City, district and grassroots unions whose name or city contains `q`, in tree order. */
  listApplicationOrgs(q: string | undefined, skip: number, take: number): Promise<[UnionOrg[], number]> {
    const qb = this.db.getRepository(UnionOrg).createQueryBuilder('o').where('o.level IN (:...lv)', { lv: ['city', 'district', 'grassroots'] });
    if (q) {
      const term = likeContains(q);
      qb.andWhere(new Brackets((w) => w.where(sqlLike('o.name', ':t'), { t: term }).orWhere(sqlLike('o.city', ':t'), { t: term })));
    }
    return qb.orderBy('o.path', 'ASC').skip(skip).take(take).getManyAndCount();
  }
  findUser(id: number, em: EntityManager = this.db.manager): Promise<User | null> {
    return em.getRepository(User).findOneBy({ id });
  }
}
