import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatFen, formatShanghai, type ClerkView, type MemberCampaignView, type MemberVoucherTypeView } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { claimVoucher, getClerkMe, listMemberCampaigns, newIdempotencyKey, remindCampaign } from '../../api/vouchers';
import { Banner, Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { requestSubscribe } from '../../platform/subscribe';
import { hasRole, useSession } from '../../session';
import { LotteryPanel } from './lottery-panel';
import './vouchers.css';

const PAGE_SIZE = 10;
const STATE_LABELS: Record<MemberVoucherTypeView['state'], string> = {
  not_started: '未开始',
  claimable: '立即领取',
  sold_out: '已领完',
  limit_reached: '已达上限',
  ended: '已结束',
};
const PHASE_LABELS = { upcoming: '即将开抢', open: '进行中', ended: '已结束' } as const;

const go = (url: string) => Taro.navigateTo({ url });

/** `3天 02:05:09` until `ms` runs out. */
function countdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d ? `${d}天 ` : ''}${p(Math.floor((s % 86400) / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

/** 消费券: the member's campaigns with countdowns and claim buttons; clerk entries for merchant clerks. */
export default function VouchersIndexPage() {
  const { user, refresh } = useSession();
  const isClerkRole = hasRole(user, 'merchant_clerk');
  const [items, setItems] = useState<MemberCampaignView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [notMember, setNotMember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyType, setBusyType] = useState<number | null>(null);
  const [reminded, setReminded] = useState<Set<number>>(new Set());
  const [loadingMore, setLoadingMore] = useState(false);
  const [clerk, setClerk] = useState<ClerkView | null>(null);
  const [clerkNote, setClerkNote] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const skew = useRef(0); // server time − device time
  const pendingKeys = useRef(new Map<number, string>());

  const load = useCallback(async () => {
    setError(null);
    try {
      const res = await listMemberCampaigns({ page: 1, pageSize: PAGE_SIZE });
      if (res.items[0]) skew.current = new Date(res.items[0].serverTime).getTime() - Date.now();
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
      setNotMember(false);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_MEMBER') {
        setNotMember(true);
        setItems([]);
      } else setError(errorMessage(e));
    }
  }, []);

  const loadClerk = useCallback(async () => {
    if (!isClerkRole) return;
    try {
      setClerk(await getClerkMe());
      setClerkNote(null);
    } catch (e) {
      setClerk(null);
      setClerkNote(errorMessage(e));
    }
  }, [isClerkRole]);

  useLoadOnShow(() => {
    void load();
    void loadClerk();
  }, !!user);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // Reload once an upcoming campaign opens.
  const opensAt = items?.filter((c) => c.phase === 'upcoming').map((c) => new Date(c.claimStartAt).getTime()) ?? [];
  const serverNow = now + skew.current;
  useEffect(() => {
    if (opensAt.some((t) => t <= serverNow && t > serverNow - 1500)) void load();
  }, [serverNow]); // eslint-disable-line react-hooks/exhaustive-deps

  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const res = await listMemberCampaigns({ page: page + 1, pageSize: PAGE_SIZE });
      setItems((prev) => [...(prev ?? []), ...res.items.filter((c) => !(prev ?? []).some((p) => p.id === c.id))]);
      setPage(res.page);
      setTotal(res.total);
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setLoadingMore(false);
    }
  };

  const claim = async (c: MemberCampaignView, t: MemberVoucherTypeView) => {
    setBusyType(t.id);
    setBanner(null);
    // One key per attempt: a network retry of the same tap reuses it and cannot claim twice.
    const key = pendingKeys.current.get(t.id) ?? newIdempotencyKey();
    pendingKeys.current.set(t.id, key);
    try {
      const v = await claimVoucher(c.id, t.id, key);
      pendingKeys.current.delete(t.id);
      setBanner({ kind: 'success', text: `领取成功：${v.typeName}（${formatFen(v.faceValueFen)}元），可在「我的券」查看` });
      await load();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NETWORK')) pendingKeys.current.delete(t.id);
      setBanner({ kind: 'error', text: errorMessage(e) });
      if (e instanceof ApiError && ['SOLD_OUT', 'LIMIT_REACHED', 'ENDED', 'NOT_STARTED', 'CAMPAIGN_PAUSED'].includes(e.code)) await load();
    } finally {
      setBusyType(null);
    }
  };

  /** 提醒我: asks WeChat for one notice (weapp) in the tap itself, then records the reminder. */
  const remind = async (c: MemberCampaignView) => {
    setBanner(null);
    await requestSubscribe(['campaign_reminder']);
    try {
      await remindCampaign(c.id);
      setReminded((prev) => new Set(prev).add(c.id));
      setBanner({ kind: 'success', text: `已设置提醒：「${c.name}」开抢前10分钟会在「消息」中提醒您` });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    }
  };

  if (!user) {
    return (
      <View className='page'>
        <View className='page-title'>消费券</View>
        <LoginPanel roles={['user', 'merchant_clerk', 'union_staff']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }

  return (
    <View className='page'>
      <View className='page-title'>消费券</View>
      {isClerkRole && (
        <View className='card' id='clerk-card'>
          <Text className='card-title'>商户核销</Text>
          {clerk ? (
            <View>
              <View className='muted' id='clerk-merchant'>
                {clerk.merchant.name}（{clerk.role === 'owner' ? '负责人' : '店员'}）
              </View>
              <View className='btn-row'>
                <Button className='btn btn-primary btn-small' id='vc-redeem' onClick={() => go('/pages/vouchers/redeem')}>
                  扫码核销
                </Button>
                <Button className='btn btn-plain btn-small' id='vc-today' onClick={() => go('/pages/vouchers/today')}>
                  今日核销
                </Button>
                <Button className='btn btn-plain btn-small' id='vc-settlement' onClick={() => go('/pages/vouchers/settlement')}>
                  结算
                </Button>
              </View>
            </View>
          ) : (
            <View className='muted'>{clerkNote ?? '加载中…'}</View>
          )}
        </View>
      )}
      <View className='v-links'>
        <View className='v-link' id='vc-mine' onClick={() => go('/pages/vouchers/mine')}>
          我的券
        </View>
        <View className='v-link' id='vc-apply' onClick={() => go('/pages/vouchers/apply')}>
          商户入驻
        </View>
      </View>
      <Banner id='vc-banner' kind={banner?.kind} message={banner?.text} />
      {error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !items ? (
        <Loading />
      ) : notMember ? (
        <Empty text='入会后即可领取消费券'>
          <Button className='btn btn-primary' id='vc-go-join' onClick={() => go('/pages/join/index')}>
            去入会
          </Button>
        </Empty>
      ) : items.length === 0 ? (
        <Empty text='暂无可领取的消费券活动' />
      ) : (
        <View>
          {items.map((c) => {
            const toOpen = new Date(c.claimStartAt).getTime() - serverNow;
            // staff paused claiming: say so on the button instead of letting the member run into the 409
            const paused = c.paused && c.phase !== 'ended';
            return (
              <View className='card' key={c.id} data-testid={`campaign-${c.id}`}>
                <View className='row'>
                  <Text className='card-title'>{c.name}</Text>
                  <Text className={`tag ${paused ? 'tag-pending' : c.phase === 'open' ? 'tag-approved' : c.phase === 'upcoming' ? 'tag-pending' : ''}`}>{paused ? '已暂停' : PHASE_LABELS[c.phase]}</Text>
                </View>
                {paused && (
                  <View className='muted' id={`paused-${c.id}`}>
                    活动已暂停，恢复后可继续领取
                  </View>
                )}
                <View className='muted'>{c.org.name} · 每人限领 {c.perMemberLimit} 张{c.perMemberDailyLimit ? `（每天最多 ${c.perMemberDailyLimit} 张）` : ''}，已领 {c.held} 张</View>
                {c.round && c.round.index > 0 && (
                  <View className='muted' id={`round-${c.id}`}>
                    分{c.round.count}轮发放，现为第{c.round.index}轮{c.round.nextAt ? `，下一轮 ${formatShanghai(c.round.nextAt)} 开抢` : '（最后一轮）'}
                  </View>
                )}
                {c.phase === 'upcoming' ? (
                  <View className='row'>
                    <View className='v-countdown' id={`countdown-${c.id}`}>
                      {c.allocation === 'lottery' ? `${formatShanghai(c.claimStartAt)} 开始登记摇号，还有 ${countdown(toOpen)}` : `${formatShanghai(c.claimStartAt)} 开抢，距开抢 ${countdown(toOpen)}`}
                    </View>
                    <Button className='btn btn-plain btn-small' id={`remind-${c.id}`} disabled={c.reminded || reminded.has(c.id) || undefined} onClick={() => void remind(c)}>
                      {c.reminded || reminded.has(c.id) ? '已设提醒' : '提醒我'}
                    </Button>
                  </View>
                ) : (
                  <View className='muted'>领取截止 {formatShanghai(c.claimEndAt)}</View>
                )}
                {c.types.map((t) => (
                  <View className='v-type' key={t.id}>
                    <Text className='v-face'>¥{formatFen(t.faceValueFen)}</Text>
                    <View className='v-type-info'>
                      <View>{t.name}</View>
                      <View>{t.minSpendFen ? `满${formatFen(t.minSpendFen)}元可用` : '无门槛'} · {c.round ? `本轮剩余 ${t.remaining}` : `剩余 ${t.remaining}/${t.quantity}`}</View>
                      <View>每人限领 {t.perMemberLimit} 张{t.held ? `，已领 ${t.held}` : ''}</View>
                    </View>
                    {c.allocation !== 'lottery' && <Button
                      className='btn btn-primary v-claim'
                      id={`claim-${t.id}`}
                      data-state={paused ? 'paused' : t.state}
                      disabled={paused || t.state !== 'claimable' || busyType !== null || undefined}
                      loading={busyType === t.id || undefined}
                      onClick={() => void claim(c, t)}
                    >
                      {paused ? '活动已暂停' : STATE_LABELS[t.state]}
                    </Button>}
                  </View>
                ))}
                {c.allocation === 'lottery' && <LotteryPanel campaign={c} />}
                <View className='link' id={`merchants-${c.id}`} onClick={() => go(`/pages/vouchers/merchants?campaignId=${c.id}`)}>
                  查看可用商户 ›
                </View>
              </View>
            );
          })}
          {items.length < total ? (
            <Button className='btn btn-plain' id='vc-more' loading={loadingMore || undefined} disabled={loadingMore || undefined} onClick={loadMore}>
              加载更多
            </Button>
          ) : (
            <View className='muted' style={{ textAlign: 'center', padding: '12px' }}>
              没有更多了
            </View>
          )}
        </View>
      )}
    </View>
  );
}
