import { Text, View } from '@tarojs/components';
import Taro, { useDidHide } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OCCUPATION_LABELS, type MemberCardView } from '@union/shared';
import { ApiError, errorMessage, retryDelayMs } from '../../api/client';
import { getMemberCard } from '../../api/membership';
import { Banner, Button, DateText, Empty, ErrorState, Loading, LoginPanel, Page, Qr } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';

/** Milliseconds until the card should be fetched again: at ~80% of the code's lifetime. */
function refreshDelayMs(card: Pick<MemberCardView, 'cardCodeExpiresAt' | 'cardCodeTtlSeconds'>, now = Date.now()): number {
  const ttlMs = card.cardCodeTtlSeconds * 1000;
  const untilRefresh = new Date(card.cardCodeExpiresAt).getTime() - now - ttlMs * 0.2;
  // A skewed device clock can put the expiry far off; fall back to the lifetime alone.
  if (!Number.isFinite(untilRefresh) || untilRefresh < 1000 || untilRefresh > ttlMs) return Math.max(1000, ttlMs * 0.8);
  return untilRefresh;
}

const EVENT_LABELS = { joined: '入会', transferred_in: '转入' } as const;

export default function CardPage() {
  const { user, refresh: refreshSession } = useSession();
  const [card, setCard] = useState<MemberCardView | null>(null);
  const [notMember, setNotMember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  /** Whether a stale card will be tried again on its own (false after an answer that retrying cannot change). */
  const [retrying, setRetrying] = useState(true);
  const [nextAt, setNextAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const ticker = useRef<ReturnType<typeof setInterval> | null>(null);
  const active = useRef(true);
  /** Failures in a row: the automatic retry backs off (retryDelayMs) and stops on an answer that cannot change. */
  const failures = useRef(0);

  const stopTimers = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    if (ticker.current) clearInterval(ticker.current);
    timer.current = null;
    ticker.current = null;
  }, []);

  const schedule = useCallback((fn: () => void, delay: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(fn, delay);
    setNextAt(Date.now() + delay);
    if (!ticker.current) ticker.current = setInterval(() => setNow(Date.now()), 1000);
  }, []);

  const load = useCallback(async () => {
    active.current = true;
    try {
      const c = await getMemberCard();
      if (!active.current) return;
      setCard(c);
      setStale(false);
      setError(null);
      setNotMember(false);
      failures.current = 0;
      schedule(() => void load(), refreshDelayMs(c));
    } catch (e) {
      if (!active.current) return;
      if (e instanceof ApiError && (e.status === 404 || e.code === 'NOT_MEMBER')) {
        stopTimers();
        setCard(null);
        setNotMember(true);
        return;
      }
      // Keep showing the last card while retrying, but say it may be out of date.
      setStale(true);
      setError(errorMessage(e));
      const wait = retryDelayMs(e, failures.current++);
      setRetrying(wait !== null);
      if (wait === null) {
        stopTimers();
        setNextAt(null);
      } else schedule(() => void load(), wait);
    }
  }, [schedule, stopTimers]);

  useLoadOnShow(() => void load(), !!user);

  useDidHide(() => {
    active.current = false;
    stopTimers();
  });
  useEffect(
    () => () => {
      active.current = false;
      stopTimers();
    },
    [stopTimers],
  );

  if (!user) {
    return (
      <Page title='我的会员卡'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refreshSession()} />
      </Page>
    );
  }
  if (notMember) {
    return (
      <Page title='我的会员卡'>
        <Empty text='还不是会员，扫工会的入会二维码即可申请'>
          <Button id='card-go-join' onClick={() => void Taro.navigateTo({ url: '/pages/join/index' })}>
            去入会
          </Button>
        </Empty>
      </Page>
    );
  }
  if (!card) {
    return <Page title='我的会员卡'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading />}</Page>;
  }

  const secondsLeft = nextAt ? Math.max(0, Math.ceil((nextAt - now) / 1000)) : null;

  return (
    <Page title='我的会员卡'>
      <View className='member-card'>
        <View className='muted'>中华全国总工会 · 电子会员卡</View>
        <View className='member-no' id='card-member-no'>
          {card.memberNo}
        </View>
        <View className='row'>
          <Text className='muted'>姓名</Text>
          <Text id='card-name'>{card.name}</Text>
        </View>
        <View className='row'>
          <Text className='muted'>所属工会</Text>
          <Text id='card-org' className='row-value'>
            {card.org.name}
          </Text>
        </View>
        <View className='row'>
          <Text className='muted'>职业</Text>
          <Text>
            {OCCUPATION_LABELS[card.occupation] ?? card.occupation}
            {card.platform ? ` · ${card.platform}` : ''}
          </Text>
        </View>
        <View className='row'>
          <Text className='muted'>入会日期</Text>
          <DateText id='card-joined' mode='date' value={card.joinedAt} />
        </View>
      </View>

      <View className='card qr-box'>
        <Qr text={card.cardCode} size={220} />
        <View className='muted' style={{ marginTop: '8px' }}>
          出示此码用于会员身份核验
          {secondsLeft !== null ? `，${secondsLeft} 秒后自动刷新` : ''}
        </View>
        {stale && <Banner message={`${error ?? '刷新失败'}，${retrying ? '正在重试…' : '请稍后重新打开本页'}`} />}
      </View>

      {card.history.length > 0 && (
        <View className='card'>
          <Text className='card-title'>会籍记录</Text>
          {card.history.map((h, i) => (
            <View className='row' key={i}>
              <DateText className='row-label' mode='date' value={h.at} />
              <Text className='row-value'>
                {EVENT_LABELS[h.event] ?? h.event} · {h.org.name}
              </Text>
            </View>
          ))}
        </View>
      )}
    </Page>
  );
}
