import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import {
  CAMPAIGN_LIVE_REFRESH_SECONDS, EMPLOYER_NOT_RECORDED, MERCHANT_CATEGORY_LABELS, type CampaignLiveView,
} from '@union/shared';
import { errorMessage } from '../../api/client';
import { getCampaignLive, pauseCampaign, resumeCampaign } from '../../api/vouchers';
import { Banner, Bars, Button, DateText, Empty, ErrorState, formatYuan, Loading, Money, Page, StatusTag, type StatusTone } from '../../components';

const yuan = (fen: number) => `${formatYuan(fen)}元`;
import { useRefreshWhileVisible } from '../../hooks';
import { hasRole, useSession } from '../../session';
import './vouchers.css';

const MINUTE_MS = 60_000;

/** `HH:mm:ss` of an instant in Asia/Shanghai. */
function clock(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function stateOf(v: CampaignLiveView): { label: string; tone: StatusTone } {
  if (v.phase === 'ended') return { label: '已结束', tone: 'neutral' };
  if (v.pausedAt) return { label: v.redemptionFrozen ? '已暂停（核销冻结）' : '已暂停领取', tone: 'danger' };
  if (v.phase === 'upcoming') return { label: '未开始', tone: 'pending' };
  return { label: v.soldOutAt ? '已抢光' : '进行中', tone: 'success' };
}

/**
 * 活动实况: one campaign on one screen for staff: claims per minute, stock and sell-out time per type, redemption
 * rate, driven spending, top merchants and employers. One request (`GET …/live`), repeated every few seconds
 * while the page is visible; a failed refresh keeps the last figures and says so.
 */
export default function CampaignLivePage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const id = Number(useRouter().params.id);
  const [live, setLive] = useState<CampaignLiveView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hasData = useRef(false);
  const [acting, setActing] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const v = await getCampaignLive(id);
      hasData.current = true;
      setLive(v);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useRefreshWhileVisible(load, CAMPAIGN_LIVE_REFRESH_SECONDS * 1000, isStaff && id > 0);

  /** 暂停领取 / 恢复领取 from this screen: claims stop (or start again) in every server process within 1 s. */
  const togglePause = async (v: CampaignLiveView) => {
    const pausing = !v.pausedAt;
    const { confirm } = await Taro.showModal({
      title: pausing ? '暂停领取' : '恢复领取',
      content: pausing ? `暂停「${v.name}」后会员不能再领取，已领的券仍可使用。确认暂停？` : `确认恢复「${v.name}」的领取？`,
      confirmText: pausing ? '暂停' : '恢复',
    });
    if (!confirm) return;
    setActing(true);
    setNotice(null);
    try {
      await (pausing ? pauseCampaign(v.campaignId) : resumeCampaign(v.campaignId));
      setNotice({ kind: 'success', text: pausing ? '已暂停领取' : '已恢复领取' });
      await load();
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    } finally {
      setActing(false);
    }
  };

  if (!isStaff) {
    return (
      <Page title='活动实况'>
        <Empty text='仅工会工作人员可查看活动实况' />
      </Page>
    );
  }
  if (!(id > 0)) {
    return (
      <Page title='活动实况'>
        <Empty text='请从活动管理中选择一个活动'>
          <Button kind='plain' id='live-go-campaigns' onClick={() => void Taro.redirectTo({ url: '/pages/vouchers/campaigns' })}>
            去活动管理
          </Button>
        </Empty>
      </Page>
    );
  }
  if (!live) return <Page title='活动实况'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading text='正在读取活动实况…' />}</Page>;

  const state = stateOf(live);
  const since = new Date(live.serverTime).getTime();
  const minuteLabel = (i: number) => clock(new Date(since - (live.claimRate.perMinute.length - i) * MINUTE_MS).toISOString()).slice(0, 5);
  return (
    <Page title='活动实况' id='live-page'>
      <View className='row'>
        <Text className='card-title v-campaign-name'>{live.name}</Text>
        <StatusTag id='live-state' text={state.label} tone={state.tone} />
      </View>
      <View className='muted' id='live-updated'>
        更新于 <Text className='nowrap'>{clock(live.serverTime)}</Text> · 每{CAMPAIGN_LIVE_REFRESH_SECONDS}秒自动刷新
      </View>
      {error && <Banner id='live-stale' message={`刷新失败：${error}，显示的是上次的数据，稍后自动重试`} />}
      <Banner id='live-banner' kind={notice?.kind} message={notice?.text} />
      {live.status === 'published' && live.phase !== 'ended' && (
        <View className='btn-row'>
          <Button kind={live.pausedAt ? 'primary' : 'plain'} size='small' id='live-toggle-pause' loading={acting} onClick={() => void togglePause(live)}>
            {live.pausedAt ? '恢复领取' : '暂停领取'}
          </Button>
        </View>
      )}

      <View className='card v-total'>
        <View className='v-total-item'>
          <Text className='v-total-num' id='live-rate'>{live.claimRate.lastMinute}</Text>
          <Text className='v-total-label'>近1分钟领取（张）</Text>
        </View>
        <View className='v-total-item'>
          <Text className='v-total-num' id='live-claimed'>{live.claimedCount}</Text>
          <Text className='v-total-label'>已领（张）</Text>
          <Money fen={live.claimedFen} className='v-total-label' />
        </View>
      </View>
      <View className='card v-total'>
        <View className='v-total-item'>
          <Text className='v-total-num' id='live-redemption-rate'>{live.redemptionRate === null ? '—' : `${Math.round(live.redemptionRate * 1000) / 10}%`}</Text>
          <Text className='v-total-label'>核销率（已核销 {live.redeemedCount} 张）</Text>
        </View>
        <View className='v-total-item'>
          <Money className='v-total-num' id='live-driven' fen={live.drivenSpendingFen} />
          <Text className='v-total-label'>带动消费</Text>
        </View>
      </View>

      <View className='card'>
        <Text className='card-title'>库存</Text>
        <View className='muted' id='live-sold-out'>
          {live.soldOutAt ? (
            <Text>
              全部券已于 <DateText value={live.soldOutAt} />:{clock(live.soldOutAt).slice(6)} 领完
            </Text>
          ) : (
            '尚有余量'
          )}
        </View>
        {live.types.length === 0 ? <View className='muted'>暂无券种</View> : live.types.map((t) => (
          <View className='bar-row' key={t.id} data-testid={`live-type-${t.id}`}>
            <Text className='bar-label'>{t.name}</Text>
            <View className='bar-track'>
              <View className='bar-fill' style={{ width: `${t.quantity ? (t.claimed / t.quantity) * 100 : 0}%` }} />
            </View>
            <Text className='bar-count'>{t.soldOutAt ? `${clock(t.soldOutAt)} 抢光` : `剩 ${t.remaining}/${t.quantity}`}</Text>
          </View>
        ))}
      </View>

      <View className='card'>
        <Text className='card-title'>每分钟领取（近{live.claimRate.perMinute.length}分钟）</Text>
        <View className='v-bars'>
<Bars id='live-per-minute' rows={live.claimRate.perMinute.map((count, i) => ({ key: String(i), label: minuteLabel(i), count }))} />
</View>
      </View>

      <View className='card'>
        <Text className='card-title'>带动消费最多的商户（共{live.merchantCount}家）</Text>
        <View className='v-bars'>
<Bars
          id='live-merchants'
          format={yuan}
          rows={live.topMerchants.map((m) => ({ key: String(m.merchantId), label: `${m.merchantName}·${MERCHANT_CATEGORY_LABELS[m.category] ?? ''}`, count: m.drivenSpendingFen }))}
        />
</View>
      </View>

      <View className='card'>
        <Text className='card-title'>按工作单位带动消费（共{live.employerCount}个）</Text>
        <View className='v-bars'>
<Bars
          id='live-employers'
          format={yuan}
          rows={live.topEmployers.map((e, i) => ({ key: String(i), label: `${e.employer ?? EMPLOYER_NOT_RECORDED}（${e.members}人）`, count: e.drivenSpendingFen }))}
        />
</View>
      </View>
    </Page>
  );
}
