import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { hostname } from 'os';
import { formatShanghai } from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { ClaimedDelivery, MessagesRepository } from './messages.repository';
import { WechatSubscribeClient } from './wechat-subscribe.client';

/** Sends in flight at once per dispatcher process (MySQL; 1 on SQLite). */
const CONCURRENCY = 8;
/** Longest wait between two attempts of one row. */
const MAX_BACKOFF_SECONDS = 3600;

/** What one pass did, for tests and the bench. */
export interface DispatchPass {
  claimed: number;
  sent: number;
  inAppOnly: number;
  retried: number;
  failed: number;
}

/**
 * Delivers the outbox (message_deliveries) as WeChat subscribe messages. Runs in every API process when
 * `NOTIFY_DISPATCH` is on; processes claim disjoint rows (MessagesRepository.claim: SKIP LOCKED on MySQL).
 * Per row: a topic without template, an account without openid or without a one-time grant → in-app only;
 * 43101 → in-app only and the grants of the topic cleared (no retry loop); network errors, -1 and rate limits →
 * retried with exponential back-off (`NOTIFY_RETRY_BASE_SECONDS` × 2^(attempts-1), at most 1 h) until
 * `NOTIFY_FAIL_AFTER_SECONDS` (24 h) after the message was written, then `failed` (listed to staff).
 * Delivered once: a row's send start is recorded before the request leaves; a dispatcher that dies leaves its rows
 * `sending' under an expiring lease, and recovery requeues only those whose send had not started.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatcherService.name);
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly repo: MessagesRepository,
    private readonly wechat: WechatSubscribeClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.notify.dispatch) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((e) => this.logger.warn({ err: String(e?.message ?? e) }, 'dispatch pass failed'))
        .finally(() => this.schedule(this.config.notify.pollMs));
    }, ms);
  }

  /** Runs passes until the outbox has nothing due. */
  async drain(now = () => new Date()): Promise<DispatchPass> {
    const total: DispatchPass = { claimed: 0, sent: 0, inAppOnly: 0, retried: 0, failed: 0 };
    await this.repo.recoverExpired(now());
    for (;;) {
      const pass = await this.pass(now());
      for (const k of Object.keys(total) as Array<keyof DispatchPass>) total[k] += pass[k];
      if (pass.claimed < this.config.notify.batch || this.stopped) return total;
    }
  }

  /** Claims one batch of due rows and delivers them. */
  async pass(now: Date): Promise<DispatchPass> {
    const leaseSeconds = this.config.notify.leaseSeconds;
    const claimed = await this.repo.claim(this.holder, now, new Date(now.getTime() + leaseSeconds * 1000), this.config.notify.batch);
    const out: DispatchPass = { claimed: claimed.length, sent: 0, inAppOnly: 0, retried: 0, failed: 0 };
    if (!claimed.length) return out;
    const messages = new Map((await this.repo.messagesByIds(claimed.map((c) => c.messageId))).map((m) => [m.id, m]));
    const openids = await this.repo.openidsOf(claimed.map((c) => c.userId));
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const d = claimed[next++];
        const result = await this.deliver(d, messages.get(d.messageId), openids.get(d.userId) ?? null);
        out[result]++;
      }
    };
    // SQLite: one connection, whose transactions must not interleave: one send at a time (one dispatcher anyway)
    await Promise.all(Array.from({ length: Math.min(this.repo.isMysql ? CONCURRENCY : 1, claimed.length) }, worker));
    return out;
  }

  private async deliver(d: ClaimedDelivery, message: { title: string; body: string; targetPage: string | null; createdAt: Date; kind: string } | undefined, openid: string | null): Promise<'sent' | 'inAppOnly' | 'retried' | 'failed'> {
    const templateId = this.config.wechat.templates[d.topic];
    const now = new Date();
    if (!message || !templateId || !openid) {
      await this.repo.finish(d.id, this.holder, { status: 'in_app_only', lastError: !message ? 'message purged' : !templateId ? 'no template for topic' : 'account has no openid' });
      return 'inAppOnly';
    }
    // the grant and the send start are recorded together: a crash leaves neither a grant spent on an unsent row nor a started row without one
    const started = await this.repo.startSend(d.id, this.holder, d.userId, d.topic, !d.grantUsed, now);
    if (started === 'no_grant') {
      await this.repo.finish(d.id, this.holder, { status: 'in_app_only', lastError: 'no subscription grant' });
      return 'inAppOnly';
    }
    if (started === 'lost') return 'retried'; // lease lost: another holder owns it now
    const outcome = await this.wechat.send({
      openid, templateId, page: message.targetPage,
      data: {
        thing1: { value: clip(message.title, 20) },
        thing2: { value: clip(wechatLine(message), 20) },
        time3: { value: formatShanghai(message.createdAt) },
      },
    });
    if (outcome.result === 'sent') {
      await this.repo.finish(d.id, this.holder, { status: 'sent', sentAt: new Date(), lastError: null });
      return 'sent';
    }
    if (outcome.result === 'uncertain') {
      // WeChat may have taken it (timeout, connection reset after the request left): never repeated to the user.
      await this.repo.finish(d.id, this.holder, { status: 'sent', sentAt: new Date(), lastError: `unconfirmed: ${outcome.error}`.slice(0, 200) });
      return 'sent';
    }
    if (outcome.result === 'not_subscribed') {
      await this.repo.clearGrants(d.userId, d.topic, new Date());
      await this.repo.finish(d.id, this.holder, { status: 'in_app_only', lastError: 'errcode 43101' });
      return 'inAppOnly';
    }
    const age = (Date.now() - d.createdAt.getTime()) / 1000;
    if (outcome.result === 'rejected' || age >= this.config.notify.failAfterSeconds) {
      await this.repo.finish(d.id, this.holder, { status: 'failed', failedAt: new Date(), lastError: outcome.error.slice(0, 200) });
      return 'failed';
    }
    const wait = Math.min(MAX_BACKOFF_SECONDS, this.config.notify.retryBaseSeconds * 2 ** Math.max(0, d.attempts - 1));
    // The request was refused before WeChat took it (network, busy): sending again cannot double it.
    await this.repo.finish(d.id, this.holder, { status: 'pending', sendStartedAt: null, nextAttemptAt: new Date(Date.now() + wait * 1000), lastError: outcome.error.slice(0, 200) });
    return 'retried';
  }
}

/** The WeChat line stored nowhere: derived from the title only, so no personal data of the body can leak. */
function wechatLine(m: { title: string }): string {
  return `${m.title}，点击查看详情`;
}

function clip(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : chars.slice(0, n - 1).join('') + '…';
}
