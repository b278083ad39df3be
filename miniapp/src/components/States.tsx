import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState, type ReactNode } from 'react';
import { UNION_HOTLINE, explainError } from '../api/client';
import { LoginPanel } from './LoginPanel';
import './components.css';
import './error-state.css';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state state-loading' data-testid='loading'>
      <View className='spinner' />
      <Text>{text}</Text>
    </View>
  );
}

export function Empty({ text = '暂无数据', children }: { text?: string; children?: ReactNode }) {
  return (
    <View className='state state-empty' data-testid='empty'>
      <Text>{text}</Text>
      {children}
    </View>
  );
}

/**
 * A page-level error that says why in words and offers only a way out that can work (issue 13, dead ends).
 * Props: `error` — the thrown value (an ApiError carries status, machine code and Retry-After); or `message` — the
 * text `errorMessage(e)` gave, from which the ApiError behind it is found again; `onRetry` — reloads the page's data.
 * Shows the headline and the reason, then per status: 401 a 去登录 button that opens the login in place and retries
 * after login; 403/404/410 and other 4xx no retry, 回到首页 and the union hotline; 429 a retry that stays disabled
 * with a countdown until Retry-After has passed; network down / 5xx / unknown a 重试 (when `onRetry` is given).
 * Ids: `error-title`, `error-reason`, `error-next`, `error-retry`, `error-login`, `error-hotline`, `error-home`;
 * the root has data-testid `error` and data-kind (see DeadEndKind).
 */
export function ErrorState({ message, error, onRetry }: { message?: string; error?: unknown; onRetry?: () => void }) {
  const d = explainError(error ?? message ?? '');
  const [showLogin, setShowLogin] = useState(false);
  const secondsLeft = useCountdown(d.retry === 'after' ? d.retryAt : null);
  const reason = message && !(error instanceof Error) ? message : d.reason;
  // Not an API answer and nothing to retry with (e.g. a page's own '券不存在'): point the way back instead.
  const stuck = d.kind === 'unknown' && !onRetry;
  const next = stuck ? '请返回上一页，或回到首页重新进入。' : d.next;
  const home = d.home || stuck;
  return (
    <View className='state state-error' data-testid='error' data-kind={d.kind}>
      <Text className='state-error-title' id='error-title'>{d.title}</Text>
      {reason && reason !== d.title && <Text className='state-error-text' id='error-reason'>{reason}</Text>}
      <Text className='state-error-next' id='error-next'>{next}</Text>
      {d.retry === 'after' && (
        <Text className='state-error-wait' id='error-wait' aria-live='polite'>
          {secondsLeft > 0 ? `请等 ${secondsLeft} 秒后再试` : '现在可以再试了'}
        </Text>
      )}
      <View className='state-error-actions'>
        {d.login && !showLogin && (
          <Button className='btn btn-primary' id='error-login' onClick={() => setShowLogin(true)}>去登录</Button>
        )}
        {onRetry && d.retry !== 'never' && (
          <Button
            className='btn btn-plain'
            id='error-retry'
            disabled={d.retry === 'after' && secondsLeft > 0}
            onClick={() => { if (d.retry !== 'after' || secondsLeft <= 0) onRetry(); }}
          >
            {d.retry === 'after' && secondsLeft > 0 ? `${secondsLeft} 秒后可重试` : '重试'}
          </Button>
        )}
        {d.hotline && (
          <Button className='btn btn-plain' id='error-hotline' onClick={() => void Taro.makePhoneCall({ phoneNumber: UNION_HOTLINE }).catch(() => undefined)}>
            拨打热线 {UNION_HOTLINE}
          </Button>
        )}
        {home && (
          <Button className='btn btn-plain' id='error-home' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>回到首页</Button>
        )}
      </View>
      {showLogin && <LoginPanel onLoggedIn={() => { setShowLogin(false); onRetry?.(); }} />}
    </View>
  );
}

/** Whole seconds until `at` (ms since epoch), ticking every second; 0 once passed or when `at` is null. */
function useCountdown(at: number | null): number {
  const left = () => (at === null ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000)));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (at === null) return undefined;
    const timer = setInterval(() => {
      const s = left();
      setSeconds(s);
      if (s <= 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [at]);
  return seconds;
}

/** A red line under a form field. */
export function FieldError({ id, message }: { id: string; message?: string | null }) {
  if (!message) return null;
  return (
    <View className='field-error' id={id}>
      {message}
    </View>
  );
}

/** A full-width banner for an error that is not about one field. */
export function Banner({ id, message, kind = 'error' }: { id?: string; message?: string | null; kind?: 'error' | 'info' | 'success' }) {
  if (!message) return null;
  return (
    <View className={`banner banner-${kind}`} id={id}>
      {message}
    </View>
  );
}
