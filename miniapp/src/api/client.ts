import Taro from '@tarojs/taro';
import type { ErrorEnvelope, FieldError } from '@union/shared';

const TOKEN_KEY = 'union.accessToken';

/** An API call that failed: the server's error envelope, or `NETWORK` when no response came back. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(status: number, envelope: ErrorEnvelope) {
    super(envelope.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = envelope.code;
    this.details = envelope.details;
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
  if (isEnvelope(data)) throw new ApiError(status, data);
  throw new ApiError(status, {
    code: status === 401 ? 'UNAUTHENTICATED' : status >= 500 ? 'INTERNAL' : 'HTTP_' + status,
    message: status === 401 ? '请先登录' : status >= 500 ? '服务暂时不可用，请稍后重试' : `请求失败（${status}）`,
  });
}

/** A Chinese message for any thrown value, for error banners. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return '出错了，请稍后重试';
}
