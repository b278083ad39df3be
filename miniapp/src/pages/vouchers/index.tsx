import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClerkView, MemberCampaignView, MemberVoucherTypeView } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { claimVoucher, getClerkMe, listMemberCampaigns, newIdempotencyKey, remindCampaign } from '../../api/vouchers';
import { Banner, Button, DateText, formatYuan, LoginPanel, Money, Page, PagedList, StatusTag, type StatusTone } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
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
const PHASE_TONES: Record<MemberCampaignView['phase'], StatusTone> = { upcoming: 'pending', open: 'success', ended: 'neutral' };

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
  const [notMember, setNotMember] = useState(false);
  const skew = useRef(0); // server time − device time
  const fetchPage = useCallback(async (_: null, page: number) => {
    try {
      const res = await listMemberCampaigns({ page, pageSize: PAGE_SIZE });
      if (res.items[0]) skew.current = new Date(res.items[0].serverTime).getTime() - Date.now();
      setNotMember(false);
      return res;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NOT_MEMBER')) throw e;
      setNotMember(true);
      return { items: [], total: 0, page: 1, pageSize: PAGE_SIZE };
    }
  }, []);
  const list = usePagedList(fetchPage);
  const { items, setItems } = list;
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyType, setBusyType] = useState<number | null>(null);
  const [reminded, setReminded] = useState<Set<number>>(new Set());
  const [clerk, setClerk] = useState<ClerkView | null>(null);
  const [clerkNote, setClerkNote] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const pendingKeys = useRef(new Map<number, string>());

  /** Reloads the first page in place (no spinner): the shown campaigns get their new stock and states. */
  const refreshShown = useCallback(async () => {
    try {
      const res = await fetchPage(null, 1);
      setItems((prev) => {
        if (!prev) return res.items;
        const fresh = new Map(res.items.map((c) => [c.id, c]));
        return [...res.items.filter((c) => !prev.some((p) => p.id === c.id)), ...prev.map((c) => fresh.get(c.id) ?? c)];
      });
    } catch {
      // the list keeps what it shows; the next show reloads it
    }
  }, [fetchPage, setItems]);

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
    void list.reload(null);
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
    if (opensAt.some((t) => t <= serverNow && t > serverNow - 1500)) void refreshShown();
  }, [serverNow]); // eslint-disable-line react-hooks/exhaustive-deps

  const claim = async (c: MemberCampaignView, t: MemberVoucherTypeView) => {
    setBusyType(t.id);
    setBanner(null);
    // One key per attempt: a network retry of the same tap reuses it and cannot claim twice.
    const key = pendingKeys.current.get(t.id) ?? newIdempotencyKey();
    pendingKeys.current.set(t.id, key);
    try {
      const v = await claimVoucher(c.id, t.id, key);
      pendingKeys.current.delete(t.id);
      setBanner({ kind: 'success', text: `领取成功：${v.typeName}（${formatYuan(v.faceValueFen)}元），可在「我的券」查看` });
      await refreshShown();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NETWORK')) pendingKeys.current.delete(t.id);
      setBanner({ kind: 'error', text: errorMessage(e) });
      if (e instanceof ApiError && ['SOLD_OUT', 'LIMIT_REACHED', 'ENDED', 'NOT_STARTED', 'CAMPAIGN_PAUSED'].includes(e.code)) await refreshShown();
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
      <Page title='消费券'>
        <LoginPanel roles={['user', 'merchant_clerk', 'union_staff']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }

  const renderCampaign = (c: MemberCampaignView) => {
    const toOpen = new Date(c.claimStartAt).getTime() - serverNow;
    // staff paused claiming: say so on the button instead of letting the member run into the 409
    const paused = c.paused && c.phase !== 'ended';
    const isReminded = c.reminded || reminded.has(c.id);
    return (
      <View className='card' key={c.id} data-testid={`campaign-${c.id}`}>
        <View className='row'>
          <Text className='card-title v-campaign-name'>{c.name}</Text>
          <StatusTag text={paused ? '已暂停' : PHASE_LABELS[c.phase]} tone={paused ? 'pending' : PHASE_TONES[c.phase]} />
        </View>
        {paused && (
          <View className='muted' id={`paused-${c.id}`}>
            活动已暂停，恢复后可继续领取
          </View>
        )}
        <View className='muted'>
          {c.org.name} · 每人限领 <Text className='nowrap'>{c.perMemberLimit} 张</Text>
          {c.perMemberDailyLimit ? <Text>（每天最多 <Text className='nowrap'>{c.perMemberDailyLimit} 张</Text>）</Text> : ''}，<Text className='nowrap'>已领 {c.held} 张</Text>
        </View>
        {c.round && c.round.index > 0 && (
          <View className='muted' id={`round-${c.id}`}>
            分{c.round.count}轮发放，现为第{c.round.index}轮
            {c.round.nextAt ? (
              <Text>
                ，下一轮 <DateText value={c.round.nextAt} /> 开抢
              </Text>
            ) : (
              '（最后一轮）'
            )}
          </View>
        )}
        {c.phase === 'upcoming' ? (
          <View>
            <View className='v-countdown' id={`countdown-${c.id}`}>
              <DateText value={c.claimStartAt} /> {c.allocation === 'lottery' ? '开始登记摇号，还有' : '开抢，距开抢'}{' '}
              <Text className='nowrap'>{countdown(toOpen)}</Text>
            </View>
            <Button kind='plain' size='small' id={`remind-${c.id}`} disabled={isReminded} onClick={() => void remind(c)}>
              {isReminded ? '已设提醒' : '提醒我'}
            </Button>
          </View>
        ) : (
          <View className='muted'>
            领取截止 <DateText value={c.claimEndAt} />
          </View>
        )}
        {c.types.map((t) => (
          <View className='v-type' key={t.id}>
            <View className='v-type-head'>
              <Money fen={t.faceValueFen} className='v-face' />
              <Text className='v-type-name'>{t.name}</Text>
            </View>
            <View className='v-type-info'>
              <View>
                {t.minSpendFen ? (
                  <Text>
                    满<Money fen={t.minSpendFen} />可用
                  </Text>
                ) : (
                  '无门槛'
                )}
              </View>
              <View>
                {c.round ? '本轮剩余 ' : '剩余 '}
                <Text className='nowrap' id={`remaining-${t.id}`}>
                  {c.round ? `${t.remaining} 张` : `${t.remaining} / ${t.quantity} 张`}
                </Text>
              </View>
              <View>
                每人限领 <Text className='nowrap'>{t.perMemberLimit} 张</Text>
                {t.held ? (
                  <Text>
                    ，<Text className='nowrap'>已领 {t.held} 张</Text>
                  </Text>
                ) : (
                  ''
                )}
              </View>
            </View>
            {c.allocation !== 'lottery' && (
              <View className='v-claim' data-state={paused ? 'paused' : t.state} data-testid={`claim-type-${t.id}`}>
                <Button
                  kind='primary'
                  id={`claim-${t.id}`}
                  disabled={paused || t.state !== 'claimable' || (busyType !== null && busyType !== t.id)}
                  loading={busyType === t.id}
                  onClick={() => void claim(c, t)}
                >
                  {paused ? '活动已暂停' : STATE_LABELS[t.state]}
                </Button>
              </View>
            )}
          </View>
        ))}
        {c.allocation === 'lottery' && <LotteryPanel campaign={c} />}
        <Button kind='plain' id={`merchants-${c.id}`} onClick={() => go(`/pages/vouchers/merchants?campaignId=${c.id}`)}>
          查看可用商户
        </Button>
      </View>
    );
  };

  return (
    <Page title='消费券'>
      {isClerkRole && (
        <View className='card' id='clerk-card'>
          <Text className='card-title'>商户核销</Text>
          {clerk ? (
            <View>
              <View className='muted' id='clerk-merchant'>
                {clerk.merchant.name}（{clerk.role === 'owner' ? '负责人' : '店员'}）
              </View>
              <View className='btn-row'>
                <Button size='small' id='vc-redeem' onClick={() => go('/pages/vouchers/redeem')}>
                  扫码核销
                </Button>
                <Button kind='plain' size='small' id='vc-today' onClick={() => go('/pages/vouchers/today')}>
                  今日核销
                </Button>
                <Button kind='plain' size='small' id='vc-settlement' onClick={() => go('/pages/vouchers/settlement')}>
                  结算
                </Button>
              </View>
            </View>
          ) : (
            <View className='muted'>{clerkNote ?? '加载中…'}</View>
          )}
        </View>
      )}
      <View className='btn-row v-links'>
        <Button kind='plain' size='small' id='vc-mine' onClick={() => go('/pages/vouchers/mine')}>
          我的券
        </Button>
        <Button kind='plain' size='small' id='vc-apply' onClick={() => go('/pages/vouchers/apply')}>
          商户入驻
        </Button>
      </View>
      <Banner id='vc-banner' kind={banner?.kind} message={banner?.text} />
      <PagedList
        list={list}
        onRetry={() => void list.reload(null)}
        moreId='vc-more'
        renderItem={renderCampaign}
        emptyText={notMember ? '入会后即可领取消费券' : '暂无可领取的消费券活动，新活动开始前会在「消息」中通知您'}
        emptyAction={
          notMember ? (
            <Button id='vc-go-join' onClick={() => go('/pages/join/index')}>
              去入会
            </Button>
          ) : (
            <Button kind='plain' id='vc-go-mine' onClick={() => go('/pages/vouchers/mine')}>
              查看我的券
            </Button>
          )
        }
      />
    </Page>
  );
}
