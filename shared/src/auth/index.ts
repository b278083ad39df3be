import type { OrgSummary } from '../orgs';

/** Roles an account can hold. `member` is not a role: it is derived from an active membership. */
export const ROLES = ['user', 'union_staff', 'merchant_clerk', 'station_keeper', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** `POST /api/auth/wechat` body: the `code` from `wx.login` / `Taro.login`. */
export interface WechatLoginRequest {
  code: string;
}

/** `POST /api/auth/dev-login` body (only when the server has dev login on). */
export interface DevLoginRequest {
  /** Any stable key: the same key always logs in the same user. */
  userKey: string;
  role: Role;
  /** Org the account belongs to; required for `union_staff`. */
  orgCode?: string;
}

/** The logged-in user as `GET /api/me` returns it. */
export interface UserView {
  id: number;
  displayName: string;
  /** The account's role plus `member` when it holds an active membership. */
  roles: Array<Role | 'member'>;
  org: OrgSummary | null;
  memberNo: string | null;
}

/** Response of both login endpoints. `accessToken` is a JWT for `Authorization: Bearer …`. */
export interface LoginResponse {
  accessToken: string;
  user: UserView;
}

/** `GET /api/auth/config`: what the login page may offer. */
export interface AuthConfig {
  devLogin: boolean;
}

export const AuthErrorCode = {
  WECHAT_CODE_INVALID: 'WECHAT_CODE_INVALID',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_BUSY: 'WECHAT_BUSY',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  DEV_LOGIN_DISABLED: 'DEV_LOGIN_DISABLED',
} as const;
