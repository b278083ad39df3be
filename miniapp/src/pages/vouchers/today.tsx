import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { type ClerkInviteView, type TodayRedemptionsView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { createClerkInvite, getClerkMe, getTodayRedemptions, reverseRedemption } from '../../api/vouchers';
import { Banner, Button, DateText, Empty, ErrorState, formatYuan, Loading, LoginPanel, Money, Page, StatusTag } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';
import './vouchers.css';

const PAGE = 20;

/** 今日核销: today's redemptions of the clerk's merchant with totals; same-day reversal; the owner invites clerks. */
export default function TodayPage() {
  const { user, refresh } = useSession();
  const [data, setData] = useState<TodayRedemptionsView | null>(null);
  const [owner, setOwner] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [invite, setInvite] = useState<ClerkInviteView | null>(null);

  const load = useCallback(async () => {
    try {
      const [today, me] = await Promise.all([getTodayRedemptions(), getClerkMe()]);
      setData(today);
      setOwner(me.role === 'owner');
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), !!user);

  const reverse = async (id: number, face: number) => {
    const { confirm } = await Taro.showModal({ title: '撤销核销', content: `撤销后该券（${formatYuan(face)}元）将退回顾客，确认撤销？`, confirmText: '撤销' });
    if (!confirm) return;
    setBusyId(id);
    setBanner(null);
    try {
      await reverseRedemption(id);
      setBanner({ kind: 'success', text: '已撤销核销，券已退回顾客' });
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  const makeInvite = async () => {
    try {
      setInvite(await createClerkInvite());
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    }
  };

  if (!user) {
    return (
      <Page title='今日核销'>
        <LoginPanel roles={['merchant_clerk']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (!data) return <Page title='今日核销'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading />}</Page>;
  return (
    <Page title='今日核销'>
      <View className='card-title'>
        <DateText value={data.date} mode='date' /> 的核销
      </View>
      <View className='card v-total'>
        <View className='v-total-item'>
          <Text className='v-total-num' id='today-count'>{data.count}</Text>
          <Text className='v-total-label'>笔数</Text>
        </View>
        <View className='v-total-item'>
          <Money className='v-total-num' id='today-face' fen={data.faceValueFen} />
          <Text className='v-total-label'>券面金额</Text>
        </View>
        <View className='v-total-item'>
          <Money className='v-total-num' id='today-order' fen={data.orderAmountFen} />
          <Text className='v-total-label'>订单金额</Text>
        </View>
      </View>
      {error && <Banner message={`刷新失败：${error}`} />}
      <Banner id='today-banner' kind={banner?.kind} message={banner?.text} />
      {data.items.length === 0 ? (
        <Empty text='今天还没有核销记录，顾客出示券码后点「扫码核销」'>
          <Button id='today-go-redeem' onClick={() => void Taro.navigateTo({ url: '/pages/vouchers/redeem' })}>
            扫码核销
          </Button>
        </Empty>
      ) : (
        <View>
          {data.items.slice(0, shown).map((r) => (
            <View className='card' key={r.id} data-testid={`redemption-${r.id}`}>
              <View className='row'>
                <Text className={`card-title ${r.status === 'reversed' ? 'v-reversed' : ''}`}>
                  <Money fen={r.faceValueFen} /> · {r.typeName}
                </Text>
                <StatusTag text={r.status === 'reversed' ? '已撤销' : '已核销'} tone={r.status === 'reversed' ? 'danger' : 'success'} />
              </View>
              <View className='row'>
                <Text className='row-label'>订单金额</Text>
                <Money className='row-value' fen={r.orderAmountFen} />
              </View>
              <View className='row'>
                <Text className='row-label'>核销时间</Text>
                <DateText className='row-value' value={r.redeemedAt} />
              </View>
              {r.status === 'active' && (
                <Button kind='plain' testId={`reverse-${r.id}`} loading={busyId === r.id} disabled={busyId !== null && busyId !== r.id} onClick={() => void reverse(r.id, r.faceValueFen)}>
                  撤销核销
                </Button>
              )}
            </View>
          ))}
          {data.items.length > shown ? (
            <Button kind='plain' id='today-more' onClick={() => setShown((n) => n + PAGE)}>
              加载更多
            </Button>
          ) : (
            <View className='list-end'>
              <Text>没有更多了</Text>
            </View>
          )}
        </View>
      )}
      {owner && (
        <View className='card'>
          <Text className='card-title'>邀请店员</Text>
          {invite ? (
            <View>
              <View className='v-code-text' id='invite-code'>
                {invite.code}
              </View>
              <View className='muted'>24小时内有效，请店员在「商户入驻 → 加入店铺」中粘贴</View>
            </View>
          ) : (
            <Button kind='plain' id='invite-create' onClick={makeInvite}>
              生成店员邀请码
            </Button>
          )}
        </View>
      )}
    </Page>
  );
}
