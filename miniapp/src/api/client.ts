import Taro from '@tarojs/taro';
import { UNION_HOTLINE, type ErrorEnvelope, type FieldError } from '@union/shared';

const TOKEN_KEY = 'union.accessToken';

/** The union's service hotline shown on dead-end pages: the one constant in @union/shared (12351), re-exported. */
export { UNION_HOTLINE };

/**
 * An API call that failed: the server's error envelope, or `NETWORK` (status 0) when no response came back.
 * - `status`: the HTTP status (0 = no answer: offline, timeout, DNS...).
 * - `code`: the server's machine code (`FORBIDDEN`, `RATE_LIMITED`, `HOUSEHOLD_CODE_REVOKED`...), or
 *   `NETWORK` / `UNAUTHENTICATED` / `INTERNAL` / `HTTP_<status>` when the answer had no envelope.
 * - `retryAfterSeconds`: on a 429, the server's `Retry-After` in seconds (null when it sent none); `retryAt` is the
 *   same as a moment (ms since epoch; 30 s after the answer for a 429 without Retry-After, null for other
 *   statuses), so a countdown stays right however late it is shown.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;
  readonly retryAfterSeconds: number | null;
  readonly retryAt: number | null;

  constructor(status: number, envelope: ErrorEnvelope, retryAfterSeconds: number | null = null) {
    super(envelope.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = envelope.code;
    this.details = envelope.details;
    this.retryAfterSeconds = retryAfterSeconds;
    // A 429 without Retry-After waits 30 s; fixed here once, so a countdown computed from it keeps counting down.
    const wait = retryAfterSeconds ?? (status === 429 ? 30 : null);
    this.retryAt = wait === null ? null : Date.now() + wait * 1000;
  }

  /** Per-field messages of a `VALIDATION_FAILED` error; empty otherwise. */
  get fieldErrors(): FieldError[] {
    if (this.code !== 'VALIDATION_FAILED' || !Array.isArray(this.details)) return [];
    return (this.details as unknown[]).filter(
      (d): d is FieldError =>
        !!d && typeof (d as FieldError).field === 'string' && typeof (d as FieldError).message === 'string',
    );
  }
}

export function getToken(): string | null {
  try {
    return (Taro.getStorageSync(TOKEN_KEY) as string) || null;
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  Taro.setStorageSync(TOKEN_KEY, token);
}

export function clearToken(): void {
  try {
    Taro.removeStorageSync(TOKEN_KEY);
  } catch {
    // storage unavailable: nothing to clear
  }
  Taro.eventCenter.trigger(UNAUTHENTICATED_EVENT);
}

/** Fired when the token is dropped (logout or a 401), so the session can forget the user. */
export const UNAUTHENTICATED_EVENT = 'union:unauthenticated';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

type Query = Record<string, string | number | boolean | undefined | null>;

/** Appends defined query parameters to a path. */
export function withQuery(path: string, query: Query): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}` : path;
}

function isEnvelope(data: unknown): data is ErrorEnvelope {
  return !!data && typeof data === 'object' && typeof (data as ErrorEnvelope).code === 'string';
}

/**
 * The one HTTP client: JSON in, JSON out (or text out with `dataType` 'text', e.g. a CSV export), `path` relative to `API_BASE` (e.g. `/membership/card`).
 * Throws {@link ApiError} on a non-2xx status or a network failure.
 */
export async function request<T>(method: HttpMethod, path: string, body?: unknown, dataType: 'json' | 'text' = 'json', extraHeaders?: Record<string, string>): Promise<T> {
  const header: Record<string, string> = { 'Content-Type': 'application/json', ...extraHeaders };
  const token = getToken();
  if (token) header.Authorization = `Bearer ${token}`;

  let res: Taro.request.SuccessCallbackResult<string | Record<string, unknown>>;
  try {
    res = await Taro.request({
      url: `${API_BASE}${path}`,
      method,
      header,
      data: body === undefined ? undefined : (body as Record<string, unknown>),
      dataType,
      timeout: 15000,
    });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '网络异常，请稍后重试' });
  }

  const status = res.statusCode;
  let data: unknown = res.data;
  if (typeof data === 'string' && data) {
    try {
      data = JSON.parse(data);
    } catch {
      // not JSON: keep the text
    }
  }
  if (status >= 200 && status < 300) return data as T;

  if (status === 401 && token) clearToken();
  const retryAfter = status === 429 ? parseRetryAfter(headerValue(res.header, 'retry-after')) : null;
  if (isEnvelope(data)) throw new ApiError(status, data, retryAfter);
  throw new ApiError(status, {
    code: status === 401 ? 'UNAUTHENTICATED' : status >= 500 ? 'INTERNAL' : 'HTTP_' + status,
    message: status === 401 ? '请先登录' : status >= 500 ? '服务暂时不可用，请稍后重试' : `请求失败（${status}）`,
  }, retryAfter);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : (headers as Record<string, unknown>)[key];
  return v === undefined || v === null ? undefined : String(v);
}

/** `Retry-After` as whole seconds ≥ 1: either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

/** Errors by the message `errorMessage` returned for them, so a page that keeps only the text still gets the why. */
const recentErrors = new Map<string, ApiError>();

/** A Chinese message for any thrown value, for error banners. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    recentErrors.delete(e.message);
    recentErrors.set(e.message, e);
    if (recentErrors.size > 50) recentErrors.delete(recentErrors.keys().next().value as string);
    return e.message;
  }
  if (e instanceof Error && e.message) return e.message;
  return '出错了，请稍后重试';
}

/** What a dead end is about; decides the words and the way out. */
export type DeadEndKind = 'login' | 'forbidden' | 'not-found' | 'gone' | 'wait' | 'network' | 'server' | 'refused' | 'unknown';

/**
 * Why a call failed and what the person can do, in plain Chinese, for error pages (`ErrorState`).
 * - `title`: a short headline (没有权限 / 没有找到 ...); `reason`: the server's own message when it sent one;
 *   `next`: what to do next, in words.
 * - `retry`: `'now'` when trying again can succeed (network down, server error, unknown), `'after'` when it can
 *   succeed once `retryAt` has passed (429), `'never'` when the same request will fail again (401/403/404/410 and
 *   other 4xx) — then the way out is `login` (show a login), `hotline` (call {@link UNION_HOTLINE}) or `home`.
 */
export interface DeadEnd {
  kind: DeadEndKind;
  status: number | null;
  code: string | null;
  title: string;
  reason: string;
  next: string;
  retry: 'now' | 'after' | 'never';
  /** When a `'after'` retry becomes possible (ms since epoch). */
  retryAt: number | null;
  login: boolean;
  hotline: boolean;
  home: boolean;
}

/**
 * Maps a thrown value (an {@link ApiError}, any Error, or the text `errorMessage` returned for an ApiError) to a
 * {@link DeadEnd}: 401 → log in; 403 → ask your union, hotline; 404 → not found, back home; 410 → no longer valid,
 * ask your union; 429 → wait N seconds (Retry-After); no answer → check the network, retry; 5xx → retry later,
 * hotline if it persists; other 4xx → cannot be done as asked, no retry. Anything else: `unknown`, retry allowed.
 */
export function explainError(e: unknown): DeadEnd {
  const err = e instanceof ApiError ? e : typeof e === 'string' ? recentErrors.get(e) : undefined;
  const text = err ? err.message : typeof e === 'string' ? e : e instanceof Error ? e.message : '';
  const base = { status: err ? err.status : null, code: err ? err.code : null, reason: text, retryAt: null, login: false, hotline: false, home: false };
  const hotline = `如有疑问，请联系您所在的工会，或拨打职工服务热线 ${UNION_HOTLINE}。`;
  if (!err) {
    return { ...base, kind: 'unknown', title: '出错了', reason: text || '出错了', next: '请稍后重试。', retry: 'now' };
  }
  const s = err.status;
  if (s === 0 || s === 408) {
    return { ...base, kind: 'network', title: '网络连不上', next: '请检查手机网络（Wi-Fi 或移动数据）是否打开，然后点“重试”。', retry: 'now' };
  }
  if (s === 401) {
    return { ...base, kind: 'login', title: '需要先登录', next: '登录已过期或还没有登录。请点“去登录”，登录后会回到这里。', retry: 'never', login: true };
  }
  if (s === 403) {
    return { ...base, kind: 'forbidden', title: '没有权限查看', next: `这一页只对有相应权限的人开放，重试也打不开。${hotline}`, retry: 'never', hotline: true, home: true };
  }
  if (s === 404) {
    return { ...base, kind: 'not-found', title: '没有找到', next: `可能是链接或二维码有误，或内容已被删除，重试也找不到。请回到首页重新进入。${hotline}`, retry: 'never', hotline: true, home: true };
  }
  if (s === 410) {
    return { ...base, kind: 'gone', title: '已经失效', next: `这项内容已经失效（例如换了新卡、活动已结束）。${hotline}`, retry: 'never', hotline: true, home: true };
  }
  if (s === 429) {
    return { ...base, kind: 'wait', title: '操作太频繁', next: '为保护大家的信息，同一时间内查询次数有限。请稍等，倒计时结束后再试。', retry: 'after', retryAt: err.retryAt };
  }
  if (s >= 500) {
    return { ...base, kind: 'server', title: '服务暂时出了问题', next: `这不是您的问题，请过一会儿点“重试”。如果一直这样，请拨打职工服务热线 ${UNION_HOTLINE}。`, retry: 'now', hotline: true };
  }
  return { ...base, kind: 'refused', title: '无法完成', next: `请返回上一页检查后重新操作。${hotline}`, retry: 'never', hotline: true, home: true };
}

/** The first automatic retry of a failed background load waits this long (ms); each further one twice as long. */
export const RETRY_BASE_MS = 5000;
/** The longest wait between automatic retries (ms). */
export const RETRY_MAX_MS = 60_000;

/**
 * When a page that loads on its own (a rotating QR code, a live figure) should try again after `e`, its
 * `attempt`-th failure in a row (0 for the first): null when trying again cannot succeed ({@link explainError}'s
 * `retry: 'never'`: 401, 403, 404, 410 and other 4xx), the wait until `retryAt` for a 429 (Retry-After, at least
 * 1 s), otherwise {@link RETRY_BASE_MS} doubled per attempt up to {@link RETRY_MAX_MS} (network down, 5xx), so a
 * page left open does not keep asking a server that is already in trouble. Milliseconds.
 */
export function retryDelayMs(e: unknown, attempt: number, now = Date.now()): number | null {
  const d = explainError(e);
  if (d.retry === 'never') return null;
  if (d.retry === 'after') return Math.max(1000, (d.retryAt ?? now + RETRY_BASE_MS) - now);
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 10)));
}
