import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { AuthErrorCode } from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { DomainError } from '../../common/domain-error';

/** What code2session returns on success. `sessionKey` must never leave the server. */
export interface WechatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

/**
 * Client of WeChat's code2session (`GET {WECHAT_API_BASE}/sns/jscode2session`), see
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 * Errors: errcode 40029 → 400 WECHAT_CODE_INVALID; 45011 → 429 WECHAT_RATE_LIMITED;
 * -1 → 503 WECHAT_BUSY; unreachable or other errcode → 503 WECHAT_UNAVAILABLE.
 */
@Injectable()
export class WechatClient {
  private readonly logger = new Logger(WechatClient.name);
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async code2session(code: string): Promise<WechatSession> {
    const { apiBase, appId, secret } = this.config.wechat;
    const url = `${apiBase}/sns/jscode2session?${new URLSearchParams({ appid: appId, secret, js_code: code, grant_type: 'authorization_code' })}`;
    let body: any;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      body = await res.json();
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'code2session unreachable');
      throw new DomainError(AuthErrorCode.WECHAT_UNAVAILABLE, '微信登录服务暂时不可用，请稍后再试', HttpStatus.SERVICE_UNAVAILABLE);
    }
    const errcode = Number(body?.errcode ?? 0);
    if (errcode === 40029) throw new DomainError(AuthErrorCode.WECHAT_CODE_INVALID, '登录凭证无效或已使用，请重新进入小程序', HttpStatus.BAD_REQUEST);
    if (errcode === 45011) throw new DomainError(AuthErrorCode.WECHAT_RATE_LIMITED, '登录过于频繁，请稍后再试', HttpStatus.TOO_MANY_REQUESTS);
    if (errcode === -1) throw new DomainError(AuthErrorCode.WECHAT_BUSY, '微信系统繁忙，请稍后再试', HttpStatus.SERVICE_UNAVAILABLE);
    if (errcode !== 0 || typeof body?.openid !== 'string') {
      this.logger.warn({ errcode, errmsg: body?.errmsg }, 'code2session failed');
      throw new DomainError(AuthErrorCode.WECHAT_UNAVAILABLE, '微信登录失败，请稍后再试', HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { openid: body.openid, unionid: body.unionid, sessionKey: body.session_key };
  }
}
