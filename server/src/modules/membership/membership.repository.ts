import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ApplicationStatus, Occupation } from '@union/shared';
import { dialectOf, likePrefix, sqlLike } from '../../database/dialect';
import { UnionOrg } from '../orgs/org.entity';
import { MembershipApplication } from './entities/application.entity';
import { JoinCode } from './entities/join-code.entity';
import { Member, MembershipHistory } from './entities/member.entity';
import { batchedRead } from '../../common/batched-reads';

/** What the claim path needs of a member. */
export type Claimant = Pick<Member, 'id' | 'orgId' | 'status' | 'occupation'>;

/** Every query of the membership module. `scopePath` null means the whole tree. */

/** Leaves out attempts refused automatically (ID number held by another account): rejected without a reviewer. Staff rejections always have one. */
const NOT_AUTO_REFUSED = "NOT (a.status = 'rejected' AND a.reviewedById IS NULL)";

@Injectable()
export class MembershipRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // --- join codes
  saveJoinCode(jc: Partial<JoinCode>): Promise<JoinCode> {
    const repo = this.db.getRepository(JoinCode);
    return repo.save(repo.create(jc));
  }
  findJoinCodeByBody(body: string): Promise<JoinCode | null> {
    return this.db.getRepository(JoinCode).findOneBy({ body });
  }
  async revokeJoinCode(id: number, at: Date): Promise<void> {
    await this.db.getRepository(JoinCode).update({ id }, { revokedAt: at });
  }
  listJoinCodes(scopePath: string | null, skip: number, take: number): Promise<[JoinCode[], number]> {
    const qb = this.db.getRepository(JoinCode).createQueryBuilder('j').innerJoin(UnionOrg, 'o', 'o.id = j.orgId');
    if (scopePath) qb.where(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    return qb.orderBy('j.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  // --- applications
  findApplication(id: number, em: EntityManager = this.db.manager): Promise<MembershipApplication | null> {
    return em.getRepository(MembershipApplication).findOneBy({ id });
  }
  findPendingByIdHash(idNumberHash: string): Promise<MembershipApplication | null> {
    return this.db.getRepository(MembershipApplication).findOneBy({ pendingKey: idNumberHash });
  }
  findPendingByUser(userId: number): Promise<MembershipApplication | null> {
    return this.db.getRepository(MembershipApplication).findOneBy({ userId, status: 'pending' });
  }
  insertApplication(em: EntityManager, a: Partial<MembershipApplication>): Promise<MembershipApplication> {
    const repo = em.getRepository(MembershipApplication);
    return repo.save(repo.create(a));
  }
  /** Moves a pending application to `approved` or `rejected`; false when it was no longer pending (lost race). */
  async closeApplication(em: EntityManager, id: number, patch: { status: 'approved' | 'rejected'; reviewedById: number | null; rejectReason?: string }): Promise<boolean> {
    const res = await em.getRepository(MembershipApplication).update(
      { id, status: 'pending' },
      { ...patch, pendingKey: null, reviewedAt: new Date() },
    );
    return (res.affected ?? 0) === 1;
  }
  async setApplicationMember(em: EntityManager, id: number, memberId: number): Promise<void> {
    await em.getRepository(MembershipApplication).update({ id }, { memberId });
  }
  listMyApplications(userId: number, skip: number, take: number): Promise<[MembershipApplication[], number]> {
    return this.db.getRepository(MembershipApplication).findAndCount({ where: { userId }, order: { id: 'DESC' }, skip, take });
  }
  listApplications(f: { scopePath: string | null; orgId?: number; status?: ApplicationStatus; occupation?: Occupation; skip: number; take: number }): Promise<[MembershipApplication[], number]> {
    const qb = this.db.getRepository(MembershipApplication).createQueryBuilder('a').innerJoin(UnionOrg, 'o', 'o.id = a.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.orgId) qb.andWhere('a.orgId = :orgId', { orgId: f.orgId });
    if (f.status) qb.andWhere('a.status = :status', { status: f.status });
    if (f.occupation) qb.andWhere('a.occupation = :occ', { occ: f.occupation });
    return qb.orderBy('a.id', 'DESC').skip(f.skip).take(f.take).getManyAndCount();
  }

  // --- members
  findMemberByUser(userId: number, em: EntityManager = this.db.manager): Promise<Member | null> {
    return em.getRepository(Member).findOneBy({ userId });
  }
  /**
   * What the claim path needs of the caller's membership, in one narrow indexed read (no encrypted columns):
   * id, org, status, occupation; null when the account is no member.
   */
  /**
   * The claim path's one read: the member of a user (id, org, status, occupation) or null. Concurrent claims share
   * one `WHERE userId IN (…)` query per event-loop round ({@link batchedRead}); plain SQL, because this runs once
   * per claim in a rush and the query builder's own CPU showed in bench:claim.
   */
  findClaimantByUser(userId: number): Promise<Claimant | null> {
    return this.claimants.load(userId);
  }
  private readonly claimants = batchedRead<number, Claimant>(async (userIds) => {
    const q = (c: string) => this.db.driver.escape(c);
    const rows: Array<{ id: number | string; userId: number | string; orgId: number | string; status: Member['status']; occupation: Member['occupation'] }> =
      await this.db.query(`SELECT ${['id', 'userId', 'orgId', 'status', 'occupation'].map(q).join(', ')} FROM ${q('members')} WHERE ${q('userId')} IN (${userIds.map(() => '?').join(', ')})`, [...userIds]);
    const byUser = new Map(rows.map((r) => [Number(r.userId), { id: Number(r.id), orgId: Number(r.orgId), status: r.status, occupation: r.occupation }]));
    return userIds.map((u) => byUser.get(u) ?? null);
  });
  findMemberById(id: number): Promise<Member | null> {
    return this.db.getRepository(Member).findOneBy({ id });
  }
  findMemberByIdHash(idNumberHash: string, em: EntityManager = this.db.manager): Promise<Member | null> {
    return em.getRepository(Member).findOneBy({ idNumberHash });
  }
  /** Inserts the member and gives it its member number `GH` + 10-digit id. */
  async insertMember(em: EntityManager, m: Partial<Member>): Promise<Member> {
    const repo = em.getRepository(Member);
    const saved = await repo.save(repo.create({ ...m, memberNo: null }));
    saved.memberNo = `GH${String(saved.id).padStart(10, '0')}`;
    await repo.update({ id: saved.id }, { memberNo: saved.memberNo });
    return saved;
  }
  async moveMember(em: EntityManager, memberId: number, orgId: number): Promise<void> {
    await em.getRepository(Member).update({ id: memberId }, { orgId });
  }
  async addHistory(em: EntityManager, h: Partial<MembershipHistory>): Promise<void> {
    await em.getRepository(MembershipHistory).insert(h);
  }
  history(memberId: number): Promise<MembershipHistory[]> {
    return this.db.getRepository(MembershipHistory).find({ where: { memberId }, order: { id: 'ASC' } });
  }
  listMembers(f: { scopePath: string | null; orgId?: number; occupation?: Occupation; skip: number; take: number }): Promise<[Member[], number]> {
    const qb = this.db.getRepository(Member).createQueryBuilder('m').innerJoin(UnionOrg, 'o', 'o.id = m.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.orgId) qb.andWhere('m.orgId = :orgId', { orgId: f.orgId });
    if (f.occupation) qb.andWhere('m.occupation = :occ', { occ: f.occupation });
    return qb.orderBy('m.id', 'ASC').skip(f.skip).take(f.take).getManyAndCount();
  }

  // --- statistics
  private scoped<T extends object>(qb: import('typeorm').SelectQueryBuilder<T>, alias: string, scopePath: string | null) {
    qb.innerJoin(UnionOrg, 'o', `o.id = ${alias}.orgId`);
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    return qb;
  }
  async countMembers(scopePath: string | null): Promise<number> {
    return this.scoped(this.db.getRepository(Member).createQueryBuilder('m'), 'm', scopePath).getCount();
  }
  async membersGroupedBy(scopePath: string | null, column: 'occupation' | 'platform' | 'orgId'): Promise<Array<{ key: string | number | null; count: number }>> {
    const rows = await this.scoped(this.db.getRepository(Member).createQueryBuilder('m'), 'm', scopePath)
      .select(`m.${column}`, 'key').addSelect('COUNT(*)', 'count').groupBy(`m.${column}`).orderBy('count', 'DESC').getRawMany();
    return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
  }
  async applicationsPerDay(scopePath: string | null, since: Date): Promise<Array<{ date: string; count: number }>> {
    const day = dialectOf(this.db).shanghaiDate('a.createdAt');
    const rows = await this.scoped(this.db.getRepository(MembershipApplication).createQueryBuilder('a'), 'a', scopePath)
      .andWhere('a.createdAt >= :since', { since }).andWhere(NOT_AUTO_REFUSED).select(day, 'date').addSelect('COUNT(*)', 'count').groupBy(day).orderBy(day, 'ASC').getRawMany();
    return rows.map((r) => ({ date: String(r.date), count: Number(r.count) }));
  }
  async pendingCount(scopePath: string | null): Promise<number> {
    return this.scoped(this.db.getRepository(MembershipApplication).createQueryBuilder('a'), 'a', scopePath).andWhere("a.status = 'pending'").getCount();
  }
  async averageReviewSeconds(scopePath: string | null): Promise<number | null> {
    const secs = dialectOf(this.db).secondsBetween('a.createdAt', 'a.reviewedAt');
    const row = await this.scoped(this.db.getRepository(MembershipApplication).createQueryBuilder('a'), 'a', scopePath)
      .andWhere('a.reviewedAt IS NOT NULL').andWhere(NOT_AUTO_REFUSED).select(`AVG(${secs})`, 'avg').getRawOne();
    return row?.avg === null || row?.avg === undefined ? null : Math.round(Number(row.avg));
  }
}
