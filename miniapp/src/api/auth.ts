import type { AuthConfig, DevLoginRequest, LoginResponse, UserView, WechatLoginRequest } from '@union/shared';
import { request } from './client';

export const getAuthConfig = () => request<AuthConfig>('GET', '/auth/config');

export const devLogin = (body: DevLoginRequest) => request<LoginResponse>('POST', '/auth/dev-login', body);

export const wechatLogin = (body: WechatLoginRequest) => request<LoginResponse>('POST', '/auth/wechat', body);

export const getMe = () => request<UserView>('GET', '/me');
