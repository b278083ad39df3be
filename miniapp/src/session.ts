import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { LoginResponse, UserView } from '@union/shared';
import { getMe } from './api/auth';
import { ApiError, UNAUTHENTICATED_EVENT, clearToken, getToken, setToken } from './api/client';

const USER_KEY = 'union.user';
const SESSION_EVENT = 'union:session';

function readUser(): UserView | null {
  if (!getToken()) return null;
  try {
    return (Taro.getStorageSync(USER_KEY) as UserView) || null;
  } catch {
    return null;
  }
}

function publish(user: UserView | null) {
  if (user) Taro.setStorageSync(USER_KEY, user);
  else {
    try {
      Taro.removeStorageSync(USER_KEY);
    } catch {
      // nothing to remove
    }
  }
  Taro.eventCenter.trigger(SESSION_EVENT, user);
}

/** Stores a login result and tells every mounted page. */
export function saveLogin(res: LoginResponse): void {
  setToken(res.accessToken);
  publish(res.user);
}

export function logout(): void {
  clearToken();
  publish(null);
}

export function hasRole(user: UserView | null, role: UserView['roles'][number]): boolean {
  return !!user && user.roles.includes(role);
}

/**
 * The logged-in user (null when logged out), refreshed from `GET /api/me` whenever the page shows.
 */
export function useSession() {
  const [user, setUser] = useState<UserView | null>(readUser);

  useEffect(() => {
    const onSession = (u: UserView | null) => setUser(u);
    const onUnauth = () => setUser(null);
    Taro.eventCenter.on(SESSION_EVENT, onSession);
    Taro.eventCenter.on(UNAUTHENTICATED_EVENT, onUnauth);
    return () => {
      Taro.eventCenter.off(SESSION_EVENT, onSession);
      Taro.eventCenter.off(UNAUTHENTICATED_EVENT, onUnauth);
    };
  }, []);

  const refresh = useCallback(async () => {
    if (!getToken()) {
      setUser(null);
      return null;
    }
    try {
      const me = await getMe();
      publish(me);
      return me;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) publish(null);
      return readUser();
    }
  }, []);

  useDidShow(() => {
    void refresh();
  });

  return { user, refresh };
}
