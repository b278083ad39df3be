import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { hostname } from 'os';
import { EntityManager } from 'typeorm';
import {
  MarkAllReadResult, MESSAGE_KIND_TOPIC, MESSAGE_RETENTION_DAYS, MESSAGE_TOPICS, MessageKind, MessageTopic, MessageView, Page,
  RecordSubscriptionsRequest, SubscribeTemplatesView, UnreadCountView, FailedDeliveryView,
} from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { pageParams, toPage } from '../../common/paging.dto';
import { OrgsService } from '../orgs/orgs.service';
import type { User } from '../auth/user.entity';
import type { Message } from './entities/message.entity';
import { MessageText, REMINDER_KINDS } from './message-texts';
import { MessagesErrors as E } from './messages.errors';
import { MessagesRepository } from './messages.repository';
import { quietHoursEnd } from './quiet-hours';

/** One message to write: its recipient, kind, text and the key naming the event (unique with the recipient). */
export interface OutgoingMessage {
  userId: number;
  kind: MessageKind;
  /** Names the event, e.g. `membership_application:12`; the stored key is `${eventKey}:u${userId}`. */
  eventKey: string;
  text: MessageText;
}

/**
 * The message centre (消息) and the transactional outbox.
 * {@link enqueue} writes the message and its WeChat outbox row with the caller's EntityManager, so they commit
 * or roll back with the event (approval, payout, redemption); the dispatcher delivers the outbox later.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly orgs: OrgsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes messages inside the caller's transaction `em`. A repeated event (same eventKey and recipient) writes
   * nothing new. Reminders written in quiet hours (22:00–08:00 Asia/Shanghai) show in the app at once but their
   * WeChat send waits until 08:00. Answers the message ids by recipient.
   */
  async enqueue(em: EntityManager, messages: OutgoingMessage[], now = new Date()): Promise<Map<number, number>> {
    if (!messages.length) return new Map();
    const rows = messages.map((m) => ({
      userId: m.userId, kind: m.kind, title: m.text.title, body: Array.from(m.text.body).slice(0, 500).join(''), targetPage: m.text.targetPage,
      dedupKey: `${m.eventKey}:u${m.userId}`.slice(0, 160), createdAt: now,
    }));
    const ids = await this.repo.insertMessages(em, rows);
    const hold = quietHoursEnd(now);
    await this.repo.insertDeliveries(em, messages.map((m, i) => ({
      messageId: ids.get(rows[i].dedupKey)!, userId: m.userId, topic: MESSAGE_KIND_TOPIC[m.kind],
      nextAttemptAt: hold && REMINDER_KINDS.includes(m.kind) ? hold : now, createdAt: now,
    })));
    return new Map(messages.map((m, i) => [m.userId, ids.get(rows[i].dedupKey)!]));
  }

  /** The same message to several recipients (e.g. staff whose subtree covers an org). */
  async enqueueTo(em: EntityManager, userIds: number[], kind: MessageKind, eventKey: string, text: MessageText, now = new Date()): Promise<void> {
    await this.enqueue(em, [...new Set(userIds)].map((userId) => ({ userId, kind, eventKey, text })), now);
  }

  /** Staff accounts whose subtree covers `orgId` (the ones who see an item of that org in their queue). */
  staffCovering(em: EntityManager, orgId: number): Promise<number[]> {
    return this.repo.staffCovering(em, orgId);
  }

  /** Accounts bound to the household: the only readers of its aid amounts. */
  boundAccounts(em: EntityManager, householdId: number): Promise<number[]> {
    return this.repo.boundAccounts(em, householdId);
  }

  // --- scheduled jobs

  /** This process's name as a lease holder. */
  readonly leaseHolder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  /**
   * Runs `work` only if this process takes (or already holds) the lease `name` for `seconds`; several processes
   * firing the same schedule run it once. The lease is kept until it runs out, so a twin tick of another
   * process in the same period skips. Answers whether the work ran. `work` gets the job's cursor and may
   * answer a new one (stored while the lease is held).
   */
  async withLease(name: string, seconds: number, work: (cursor: Date | null) => Promise<Date | void>, now = new Date()): Promise<boolean> {
    if (!(await this.repo.acquireLease(name, this.leaseHolder, now, new Date(now.getTime() + seconds * 1000)))) return false;
    const next = await work(await this.repo.leaseCursor(name));
    if (next) await this.repo.setLeaseCursor(name, this.leaseHolder, next);
    return true;
  }

  /** Ends this process's lease `name` early (tests; a job that must run again at once). */
  releaseLease(name: string): Promise<void> {
    return this.repo.releaseLease(name, this.leaseHolder);
  }

  /** Records a member's 提醒我 on a campaign (idempotent). */
  addCampaignReminder(campaignId: number, userId: number): Promise<void> {
    return this.repo.addCampaignReminder(campaignId, userId, new Date());
  }

  /** Which of `campaignIds` the account tapped 提醒我 on. */
  remindedCampaigns(userId: number, campaignIds: number[]): Promise<Set<number>> {
    return this.repo.remindedCampaigns(userId, campaignIds);
  }

  // --- message centre: the caller's own messages only

  async list(user: User, q: { page?: number; pageSize?: number; unread?: boolean }): Promise<Page<MessageView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listMine(user.id, !!q.unread, skip, take);
    return toPage(rows.map(messageView), total, q);
  }

  async unreadCount(user: User): Promise<UnreadCountView> {
    return { unread: await this.repo.countUnread(user.id) };
  }

  /** @throws 404 MESSAGE_NOT_FOUND for a message that is not the caller's. */
  async markRead(user: User, id: number): Promise<MessageView> {
    const m = await this.repo.findMessage(id);
    if (!m || m.userId !== user.id) throw E.messageNotFound();
    if (!m.readAt) {
      await this.repo.markRead(user.id, id, new Date());
      return messageView((await this.repo.findMessage(id))!);
    }
    return messageView(m);
  }

  async markAllRead(user: User): Promise<MarkAllReadResult> {
    return { marked: await this.repo.markAllRead(user.id, new Date()) };
  }

  /** Deletes messages older than {@link MESSAGE_RETENTION_DAYS}; answers how many. */
  purgeExpired(now = new Date()): Promise<number> {
    return this.repo.purgeBefore(new Date(now.getTime() - MESSAGE_RETENTION_DAYS * 86400_000));
  }

  // --- subscribe-message grants

  subscribeTemplates(): SubscribeTemplatesView {
    const templates: Partial<Record<MessageTopic, string>> = {};
    for (const t of MESSAGE_TOPICS) if (this.config.wechat.templates[t]) templates[t] = this.config.wechat.templates[t];
    return { templates };
  }

  /**
   * Records the answers of one requestSubscribeMessage: each `accept` of a configured topic allows one send (at most
   * 20 held per topic); `ban` clears the topic's grants. Answers the topics granted.
   */
  async recordSubscriptions(user: User, dto: RecordSubscriptionsRequest): Promise<{ granted: MessageTopic[] }> {
    const now = new Date();
    const granted = MESSAGE_TOPICS.filter((t) => dto.answers[t] === 'accept' && this.config.wechat.templates[t]);
    await this.repo.addGrants(user.id, granted, now);
    // 'ban': the user switched the template off in WeChat; grants held before no longer allow a send
    for (const t of MESSAGE_TOPICS.filter((x) => dto.answers[x] === 'ban')) await this.repo.clearGrants(user.id, t, now);
    return { granted };
  }

  // --- staff

  /** WeChat deliveries that failed for 24 hours, recipients in the caller's subtree. */
  async failed(user: User, q: { page?: number; pageSize?: number }): Promise<Page<FailedDeliveryView>> {
    const scopePath = await this.orgs.scopePath(user);
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listFailed(scopePath, skip, take);
    return toPage(rows.map((d) => ({
      id: d.id, messageId: d.messageId, kind: d.kind as MessageKind, attempts: d.attempts, lastError: d.lastError,
      createdAt: d.createdAt.toISOString(), failedAt: d.failedAt?.toISOString() ?? null,
    })), total, q);
  }
}

export function messageView(m: Message): MessageView {
  return { id: m.id, kind: m.kind, title: m.title, body: m.body, targetPage: m.targetPage, readAt: m.readAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString() };
}
