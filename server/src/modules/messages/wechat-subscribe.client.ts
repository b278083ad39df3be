import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/config';

/** Outcome of one subscribe-message send, as the dispatcher acts on it. */
export type SendOutcome =
  | { result: 'sent' }
  /** 43101: the user refused or the one-time grant is used up → in-app only, never retried. */
  | { result: 'not_subscribed' }
  /** Worth another try later (network, WeChat busy -1, rate limits 45009, 5xx). */
  | { result: 'retry'; error: string }
  /** The request may have reached WeChat (timeout, reset after sending): not repeated, to never send twice. */
  | { result: 'uncertain'; error: string }
  /** Will not succeed by retrying (bad openid 40003, template 40037, data 47003 …). */
  | { result: 'rejected'; error: string };

/** A subscribe message: recipient openid, template id, page to open and template data (`{ key: { value } }`). */
export interface SubscribeMessage {
  openid: string;
  templateId: string;
  page: string | null;
  data: Record<string, { value: string }>;
}

/** Seconds before the access token's stated expiry at which it is refreshed. */
const REFRESH_MARGIN_SECONDS = 300;

/**
 * Client of WeChat's server API for subscribe messages, over the base URL in config (`WECHAT_API_BASE`, as
 * code2session in auth/wechat.client.ts):
 * - `GET /cgi-bin/token?grant_type=client_credential` → `access_token`, `expires_in` seconds; cached in the
 *   process and refreshed 5 minutes before expiry, and at once when a send answers 40001 (invalid) or 42001 (expired)
 *   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getAccessToken.html
 * - `POST /cgi-bin/message/subscribe/send?access_token=…`
 *   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 * Never throws: every failure is a {@link SendOutcome}. Logs carry error codes only, never the message data.
 */
@Injectable()
export class WechatSubscribeClient {
  private readonly logger = new Logger(WechatSubscribeClient.name);
  private token: { value: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(msg: SubscribeMessage): Promise<SendOutcome> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let token: string;
      try {
        token = await this.accessToken();
      } catch (e) {
        return { result: 'retry', error: `token: ${String((e as Error).message ?? e).slice(0, 150)}` };
      }
      let body: { errcode?: number; errmsg?: string };
      try {
        const res = await fetch(`${this.config.wechat.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            touser: msg.openid, template_id: msg.templateId, ...(msg.page ? { page: msg.page } : {}), data: msg.data,
            miniprogram_state: this.config.wechat.miniprogramState, lang: 'zh_CN',
          }),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.status >= 500) return { result: 'retry', error: `http ${res.status}` };
        body = (await res.json()) as typeof body;
      } catch (e) {
        const code = (e as { cause?: { code?: string } })?.cause?.code;
        const error = `send: ${code ?? String((e as Error).message ?? e)}`.slice(0, 150);
        // refused or unresolvable: the request never left, so trying again cannot double it
        return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? { result: 'retry', error } : { result: 'uncertain', error };
      }
      const errcode = Number(body?.errcode ?? 0);
      if (errcode === 0) return { result: 'sent' };
      if (errcode === 40001 || errcode === 42001) {
        this.invalidate(token);
        continue;
      }
      if (errcode === 43101) return { result: 'not_subscribed' };
      if (errcode === -1 || errcode === 45009 || errcode === 45011) return { result: 'retry', error: `errcode ${errcode}` };
      this.logger.warn({ errcode }, 'subscribe send refused');
      return { result: 'rejected', error: `errcode ${errcode}` };
    }
    return { result: 'retry', error: 'access token refused twice' };
  }

  /** The cached access token, fetched when missing or near expiry; concurrent callers share one fetch. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => (this.pending = null));
    return this.pending;
  }

  private invalidate(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const { apiBase, appId, secret } = this.config.wechat;
    const res = await fetch(`${apiBase}/cgi-bin/token?${new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret })}`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number };
    if (typeof body.access_token !== 'string') throw new Error(`errcode ${body.errcode ?? 'none'}`);
    const ttl = Number(body.expires_in ?? 7200);
    this.token = { value: body.access_token, refreshAt: Date.now() + Math.max(ttl - REFRESH_MARGIN_SECONDS, ttl / 2) * 1000 };
    return body.access_token;
  }
}
