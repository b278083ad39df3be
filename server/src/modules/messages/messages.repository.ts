import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, LessThan } from 'typeorm';
import type { MessageTopic } from '@union/shared';
import { isDuplicateKey } from '../../common/db-errors';
import { likePrefix, sqlLike } from '../../database/dialect';
import { User } from '../auth/user.entity';
import { HouseholdBinding } from '../aid/entities/household.entity';
import { Member } from '../membership/entities/member.entity';
import { UnionOrg } from '../orgs/org.entity';
import { AidApplication } from '../aid/applications/entities/aid-application.entity';
import { Campaign } from '../vouchers/entities/campaign.entity';
import { Merchant, MerchantClerk } from '../vouchers/entities/merchant.entity';
import { Redemption, Voucher } from '../vouchers/entities/voucher.entity';
import { CampaignReminder, Message, MessageDelivery, MessageGrant, SchedulerLease } from './entities/message.entity';

/** Most one-time grants kept per account and topic. */
export const MAX_GRANTS = 20;

/** A claimed outbox row with what a send needs. */
export interface ClaimedDelivery {
  id: number;
  messageId: number;
  userId: number;
  topic: MessageTopic;
  attempts: number;
  grantUsed: boolean;
  createdAt: Date;
}

/** Queries of the messages module: message centre, outbox, grants, reminders, leases. */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  get isMysql(): boolean {
    return this.db.options.type === 'mysql' || this.db.options.type === 'mariadb';
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // --- writing messages (inside the caller's transaction)

  /** Inserts messages, skipping any whose dedupKey exists; answers the ids of the given keys (new or old). */
  async insertMessages(em: EntityManager, rows: Array<Omit<Message, 'id' | 'readAt'>>): Promise<Map<string, number>> {
    if (!rows.length) return new Map();
    for (let i = 0; i < rows.length; i += 500) {
      await em.createQueryBuilder().insert().into(Message).values(rows.slice(i, i + 500).map((r) => ({ ...r, readAt: null }))).orIgnore().execute();
    }
    const ids = new Map<string, number>();
    const keys = rows.map((r) => r.dedupKey);
    for (let i = 0; i < keys.length; i += 500) {
      const found = await em.getRepository(Message).find({ select: { id: true, dedupKey: true }, where: { dedupKey: In(keys.slice(i, i + 500)) } });
      for (const f of found) ids.set(f.dedupKey, f.id);
    }
    return ids;
  }

  /** Inserts outbox rows; one per message and channel (the unique index makes a repeat a no-op). */
  async insertDeliveries(em: EntityManager, rows: Array<Pick<MessageDelivery, 'messageId' | 'userId' | 'topic' | 'nextAttemptAt' | 'createdAt'>>): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await em.createQueryBuilder().insert().into(MessageDelivery)
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, channel: 'wechat' as const, status: 'pending' as const, attempts: 0, grantUsed: false, sendStartedAt: null, lockedUntil: null, lockedBy: null, lastError: null, sentAt: null, failedAt: null })))
        .orIgnore().execute();
    }
  }

  // --- recipients

  /** Staff accounts whose org is `orgId` or one of its ancestors (their subtree covers it). */
  async staffCovering(em: EntityManager, orgId: number): Promise<number[]> {
    const org = await em.getRepository(UnionOrg).findOne({ where: { id: orgId } });
    if (!org) return [];
    const codes = org.path.split('/').filter(Boolean);
    const rows = await em.getRepository(User).createQueryBuilder('u').select('u.id', 'id').innerJoin(UnionOrg, 'o', 'o.id = u.orgId')
      .where('u.role = :role', { role: 'union_staff' }).andWhere('o.code IN (:...codes)', { codes }).orderBy('u.id').getRawMany<{ id: number }>();
    return rows.map((r) => Number(r.id));
  }

  /** Accounts bound to the household (the only ones who may read its aid amounts). */
  async boundAccounts(em: EntityManager, householdId: number): Promise<number[]> {
    const rows = await em.getRepository(HouseholdBinding).find({ where: { householdId }, order: { userId: 'ASC' } });
    return rows.map((r) => r.userId);
  }

  // --- message centre

  listMine(userId: number, unreadOnly: boolean, skip: number, take: number): Promise<[Message[], number]> {
    return this.db.getRepository(Message).findAndCount({ where: { userId, ...(unreadOnly ? { readAt: IsNull() } : {}) }, order: { id: 'DESC' }, skip, take });
  }

  countUnread(userId: number): Promise<number> {
    return this.db.getRepository(Message).count({ where: { userId, readAt: IsNull() } });
  }

  findMessage(id: number): Promise<Message | null> {
    return this.db.getRepository(Message).findOne({ where: { id } });
  }

  async markRead(userId: number, id: number, at: Date): Promise<void> {
    await this.db.getRepository(Message).update({ id, userId, readAt: IsNull() }, { readAt: at });
  }

  async markAllRead(userId: number, at: Date): Promise<number> {
    const res = await this.db.getRepository(Message).update({ userId, readAt: IsNull() }, { readAt: at });
    return res.affected ?? 0;
  }

  /** Deletes messages (and their outbox rows) written before `before`; answers how many messages went. */
  async purgeBefore(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const old = await this.db.getRepository(Message).find({ select: { id: true }, where: { createdAt: LessThan(before) }, take: 1000 });
      if (!old.length) return total;
      const ids = old.map((m) => m.id);
      await this.db.transaction(async (em) => {
        await em.getRepository(MessageDelivery).delete({ messageId: In(ids) });
        await em.getRepository(Message).delete({ id: In(ids) });
      });
      total += ids.length;
    }
  }

  // --- grants

  /** Adds one grant per topic, holding at most {@link MAX_GRANTS} per topic (WeChat keeps its own count; ours only saves requests). */
  async addGrants(userId: number, topics: MessageTopic[], at: Date): Promise<void> {
    for (const topic of topics) {
      await this.db.createQueryBuilder().insert().into(MessageGrant).values({ userId, topic, remaining: 0, updatedAt: at }).orIgnore().execute();
      await this.db.createQueryBuilder().update(MessageGrant).set({ remaining: () => `CASE WHEN remaining < ${MAX_GRANTS} THEN remaining + 1 ELSE remaining END`, updatedAt: at })
        .where('userId = :userId AND topic = :topic', { userId, topic }).execute();
    }
  }

  async clearGrants(userId: number, topic: MessageTopic, at: Date): Promise<void> {
    await this.db.getRepository(MessageGrant).update({ userId, topic }, { remaining: 0, updatedAt: at });
  }

  grantsOf(userId: number): Promise<MessageGrant[]> {
    return this.db.getRepository(MessageGrant).find({ where: { userId } });
  }

  // --- outbox (dispatcher)

  /**
   * Claims up to `limit` due rows for `holder` until `lockedUntil`: on MySQL/MariaDB with
   * `SELECT … FOR UPDATE SKIP LOCKED`, so several dispatcher processes take disjoint rows without waiting on
   * each other; on SQLite (one writer at a time, one dispatcher) by the same conditional update.
   */
  async claim(holder: string, now: Date, lockedUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    return this.db.transaction(async (em) => {
      const lock = this.isMysql ? ' FOR UPDATE SKIP LOCKED' : '';
      // better-sqlite3 binds no Date: SQLite columns hold TypeORM's UTC text form 'YYYY-MM-DD HH:MM:SS.SSS'
      const at = this.isMysql ? now : now.toISOString().replace('T', ' ').replace('Z', '');
      const rows: Array<{ id: number }> = await em.query(
        `SELECT id FROM message_deliveries WHERE status = 'pending' AND nextAttemptAt <= ? ORDER BY nextAttemptAt, id LIMIT ${Math.floor(limit)}${lock}`,
        [at],
      );
      if (!rows.length) return [];
      const ids = rows.map((r) => Number(r.id));
      await em.createQueryBuilder().update(MessageDelivery).set({ status: 'sending', lockedBy: holder, lockedUntil, attempts: () => 'attempts + 1' })
        .where('id IN (:...ids) AND status = :s', { ids, s: 'pending' }).execute();
      const claimed = await em.getRepository(MessageDelivery).find({ where: { id: In(ids), status: 'sending', lockedBy: holder } });
      return claimed.map((d) => ({ id: d.id, messageId: d.messageId, userId: d.userId, topic: d.topic, attempts: d.attempts, grantUsed: d.grantUsed, createdAt: d.createdAt }));
    });
  }

  /**
   * In one transaction: takes one of the account's grants for the topic (unless this row already holds one) and
   * records that the send is about to leave. After this a crash means "maybe sent": never resent. Answers
   * `no_grant` (nothing written), `lost` (another holder owns the row now; nothing written) or `started`.
   */
  async startSend(id: number, holder: string, userId: number, topic: MessageTopic, needGrant: boolean, at: Date): Promise<'started' | 'no_grant' | 'lost'> {
    const lost = new Error('lease lost');
    try {
      return await this.db.transaction(async (em) => {
        if (needGrant) {
          const taken = await em.createQueryBuilder().update(MessageGrant).set({ remaining: () => 'remaining - 1', updatedAt: at })
            .where('userId = :userId AND topic = :topic AND remaining > 0', { userId, topic }).execute();
          if ((taken.affected ?? 0) !== 1) return 'no_grant' as const;
        }
        const res = await em.getRepository(MessageDelivery).update({ id, status: 'sending', lockedBy: holder }, { sendStartedAt: at, grantUsed: true });
        if ((res.affected ?? 0) !== 1) throw lost; // rolls the grant back
        return 'started' as const;
      });
    } catch (e) {
      if (e === lost) return 'lost';
      throw e;
    }
  }

  async finish(id: number, holder: string, patch: Partial<MessageDelivery>): Promise<void> {
    await this.db.getRepository(MessageDelivery).update({ id, lockedBy: holder }, { ...patch, lockedUntil: null, lockedBy: null });
  }

  /**
   * Rows whose dispatcher died (lease expired): not yet started → pending again; started → `sent` with the
   * note "unconfirmed" — a send that may have reached WeChat is not repeated to the user.
   */
  async recoverExpired(now: Date): Promise<{ requeued: number; unconfirmed: number }> {
    const repo = this.db.getRepository(MessageDelivery);
    const requeued = await repo.createQueryBuilder().update().set({ status: 'pending', lockedBy: null, lockedUntil: null })
      .where('status = :s AND lockedUntil < :now AND sendStartedAt IS NULL', { s: 'sending', now }).execute();
    const unconfirmed = await repo.createQueryBuilder().update().set({ status: 'sent', sentAt: now, lastError: 'unconfirmed: dispatcher stopped during the send', lockedBy: null, lockedUntil: null })
      .where('status = :s AND lockedUntil < :now AND sendStartedAt IS NOT NULL', { s: 'sending', now }).execute();
    return { requeued: requeued.affected ?? 0, unconfirmed: unconfirmed.affected ?? 0 };
  }

  messagesByIds(ids: number[]): Promise<Message[]> {
    return ids.length ? this.db.getRepository(Message).find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  async openidsOf(userIds: number[]): Promise<Map<number, string | null>> {
    if (!userIds.length) return new Map();
    const users = await this.db.getRepository(User).find({ select: { id: true, openid: true }, where: { id: In(userIds) } });
    return new Map(users.map((u) => [u.id, u.openid]));
  }

  /** Failed deliveries whose recipient (a member's org, else the account's org) lies in `scopePath` (null: all). */
  async listFailed(scopePath: string | null, skip: number, take: number): Promise<[Array<MessageDelivery & { kind: string }>, number]> {
    const qb = this.db.getRepository(MessageDelivery).createQueryBuilder('d').innerJoin(Message, 'm', 'm.id = d.messageId')
      .addSelect('m.kind', 'kind').where('d.status = :s', { s: 'failed' });
    if (scopePath) {
      qb.leftJoin(Member, 'mb', 'mb.userId = d.userId').leftJoin(User, 'u', 'u.id = d.userId')
        .innerJoin(UnionOrg, 'o', 'o.id = COALESCE(mb.orgId, u.orgId)').andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    }
    const total = await qb.getCount();
    const { entities, raw } = await qb.orderBy('d.id', 'DESC').offset(skip).limit(take).getRawAndEntities();
    return [entities.map((e, i) => Object.assign(e, { kind: String(raw[i]?.kind) })), total];
  }

  /** Delivery rows of one message (tests and staff tools). */
  deliveriesOf(messageId: number): Promise<MessageDelivery[]> {
    return this.db.getRepository(MessageDelivery).find({ where: { messageId } });
  }

  // --- reminders and leases

  async addCampaignReminder(campaignId: number, userId: number, at: Date): Promise<void> {
    await this.db.createQueryBuilder().insert().into(CampaignReminder).values({ campaignId, userId, createdAt: at, remindedAt: null }).orIgnore().execute();
  }

  /** Which of `campaignIds` the account asked to be reminded of. */
  async remindedCampaigns(userId: number, campaignIds: number[]): Promise<Set<number>> {
    if (!campaignIds.length) return new Set();
    const rows = await this.db.getRepository(CampaignReminder).find({ select: { campaignId: true }, where: { userId, campaignId: In(campaignIds) } });
    return new Set(rows.map((r) => r.campaignId));
  }

  /**
   * 提醒我 rows not yet reminded whose campaign is published, opens at or before `horizon` and is still open at
   * `now` (a campaign that opened during downtime is still announced while it can be claimed).
   */
  async dueCampaignReminders(now: Date, horizon: Date, limit: number): Promise<Array<{ id: number; userId: number; campaignId: number; name: string; claimStartAt: Date }>> {
    const rows = await this.db.getRepository(CampaignReminder).createQueryBuilder('r').innerJoin(Campaign, 'c', 'c.id = r.campaignId')
      .select(['r.id AS id', 'r.userId AS userId', 'r.campaignId AS campaignId', 'c.name AS name', 'c.claimStartAt AS claimStartAt'])
      .where('r.remindedAt IS NULL').andWhere("c.status = 'published'").andWhere('c.claimStartAt <= :horizon', { horizon }).andWhere('c.claimEndAt > :now', { now })
      .orderBy('r.id').limit(limit).getRawMany();
    const campaigns = await this.db.getRepository(Campaign).find({ select: { id: true, claimStartAt: true }, where: { id: In([...new Set(rows.map((r) => Number(r.campaignId)))]) } });
    const starts = new Map(campaigns.map((c) => [c.id, c.claimStartAt]));
    return rows.map((r) => ({ id: Number(r.id), userId: Number(r.userId), campaignId: Number(r.campaignId), name: String(r.name), claimStartAt: starts.get(Number(r.campaignId))! }));
  }

  /** Marks reminders done; answers the ids this call marked (a twin run marks none twice). */
  async markReminded(em: EntityManager, ids: number[], at: Date): Promise<void> {
    if (ids.length) await em.getRepository(CampaignReminder).update({ id: In(ids), remindedAt: IsNull() }, { remindedAt: at });
  }

  /**
   * Unused vouchers whose validity ends in (`after`, `upTo`], with their campaign name, in (validUntil, id) order
   * after `from` (the last row of the previous page), read through the `(status, validUntil)` index.
   */
  async expiringVouchers(after: Date, upTo: Date, from: { validUntil: Date; id: number } | null, limit: number): Promise<Array<{ id: number; userId: number; validUntil: Date; name: string }>> {
    const qb = this.db.getRepository(Voucher).createQueryBuilder('v').select(['v.id', 'v.userId', 'v.validUntil', 'v.campaignId'])
      .where('v.status = :s', { s: 'unused' }).andWhere('v.validUntil > :after AND v.validUntil <= :upTo', { after, upTo });
    if (from) qb.andWhere('(v.validUntil > :fv OR (v.validUntil = :fv AND v.id > :fid))', { fv: from.validUntil, fid: from.id });
    const vs = await qb.orderBy('v.validUntil', 'ASC').addOrderBy('v.id', 'ASC').take(limit).getMany();
    const names = new Map((await this.db.getRepository(Campaign).find({ select: { id: true, name: true }, where: { id: In([...new Set(vs.map((v) => v.campaignId))]) } })).map((c) => [c.id, c.name]));
    return vs.map((v) => ({ id: v.id, userId: v.userId, validUntil: v.validUntil, name: names.get(v.campaignId) ?? '消费券' }));
  }

  /**
   * Per `union_staff` account, how many aid applications in its subtree are still `submitted` (not accepted) and
   * were submitted before `before`; accounts with none are left out.
   */
  async overdueAidApplicationsByStaff(before: Date): Promise<Map<number, number>> {
    const apps: Array<{ path: string }> = await this.db.getRepository(AidApplication).createQueryBuilder('a').innerJoin(UnionOrg, 'o', 'o.id = a.orgId')
      .select('o.path', 'path').where('a.status = :s AND a.createdAt < :before', { s: 'submitted', before }).getRawMany();
    const out = new Map<number, number>();
    if (!apps.length) return out;
    const staff: Array<{ id: number; path: string }> = await this.db.getRepository(User).createQueryBuilder('u').innerJoin(UnionOrg, 'o', 'o.id = u.orgId')
      .select(['u.id AS id', 'o.path AS path']).where('u.role = :role', { role: 'union_staff' }).getRawMany();
    for (const st of staff) {
      const n = apps.filter((a) => a.path.startsWith(st.path)).length;
      if (n) out.set(Number(st.id), n);
    }
    return out;
  }

  /** Merchants with active redemptions on the Asia/Shanghai day `date`, with the accounts of their clerks (owner included). */
  async merchantsWithRedemptions(date: string): Promise<Array<{ merchantId: number; name: string; clerkUserIds: number[] }>> {
    const rows = await this.db.getRepository(Redemption).createQueryBuilder('r').select('DISTINCT r.merchantId', 'merchantId')
      .where('r.serviceDate = :date AND r.status = :s', { date, s: 'active' }).getRawMany<{ merchantId: number }>();
    const ids = rows.map((r) => Number(r.merchantId));
    if (!ids.length) return [];
    const merchants = await this.db.getRepository(Merchant).find({ select: { id: true, name: true }, where: { id: In(ids) } });
    const clerks = await this.db.getRepository(MerchantClerk).find({ where: { merchantId: In(ids) } });
    return merchants.map((m) => ({ merchantId: m.id, name: m.name, clerkUserIds: clerks.filter((c) => c.merchantId === m.id).map((c) => c.userId) }));
  }

  /** Takes or renews the named lease for `holder` until `until`; false when another holder's lease is still running. */
  async acquireLease(name: string, holder: string, now: Date, until: Date): Promise<boolean> {
    const repo = this.db.getRepository(SchedulerLease);
    const res = await repo.createQueryBuilder().update().set({ holder, leaseUntil: until })
      .where('name = :name AND (leaseUntil < :now OR holder = :holder)', { name, now, holder }).execute();
    if (res.affected) return true;
    try {
      await repo.insert({ name, holder, leaseUntil: until, cursor: null });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /** The job's progress mark (e.g. vouchers expiring up to this instant were already looked at); null before the first run. */
  async leaseCursor(name: string): Promise<Date | null> {
    return (await this.db.getRepository(SchedulerLease).findOne({ where: { name } }))?.cursor ?? null;
  }

  async setLeaseCursor(name: string, holder: string, cursor: Date): Promise<void> {
    await this.db.getRepository(SchedulerLease).update({ name, holder }, { cursor });
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.getRepository(SchedulerLease).update({ name, holder }, { leaseUntil: new Date(0) });
  }

  get dataSource(): DataSource {
    return this.db;
  }
}
