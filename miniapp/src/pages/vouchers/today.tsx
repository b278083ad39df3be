import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { formatFen, formatShanghai, type ClerkInviteView, type TodayRedemptionsView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { createClerkInvite, getClerkMe, getTodayRedemptions, reverseRedemption } from '../../api/vouchers';
import { Banner, Empty, ErrorState, Loading, LoginPanel } from '../../components';
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
    setError(null);
    try {
      const [today, me] = await Promise.all([getTodayRedemptions(), getClerkMe()]);
      setData(today);
      setOwner(me.role === 'owner');
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), !!user);

  const reverse = async (id: number, face: number) => {
    const { confirm } = await Taro.showModal({ title: '撤销核销', content: `撤销后该券（¥${formatFen(face)}）将退回顾客，确认撤销？`, confirmText: '撤销' });
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
      <View className='page'>
        <LoginPanel roles={['merchant_clerk']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (error) return <ErrorState message={error} onRetry={() => void load()} />;
  if (!data) return <Loading />;
  return (
    <View className='page'>
      <View className='page-title'>今日核销 · {data.date}</View>
      <View className='card v-total'>
        <View className='v-total-item'>
          <Text className='v-total-num' id='today-count'>{data.count}</Text>
          <Text className='muted'>笔数</Text>
        </View>
        <View className='v-total-item'>
          <Text className='v-total-num' id='today-face'>{formatFen(data.faceValueFen)}</Text>
          <Text className='muted'>券面（元）</Text>
        </View>
        <View className='v-total-item'>
          <Text className='v-total-num' id='today-order'>{formatFen(data.orderAmountFen)}</Text>
          <Text className='muted'>订单（元）</Text>
        </View>
      </View>
      <Banner id='today-banner' kind={banner?.kind} message={banner?.text} />
      {data.items.length === 0 ? (
        <Empty text='今天还没有核销记录' />
      ) : (
        <View>
          {data.items.slice(0, shown).map((r) => (
            <View className='card' key={r.id} data-testid={`redemption-${r.id}`}>
              <View className='row'>
                <Text className={r.status === 'reversed' ? 'v-reversed' : 'card-title'}>¥{formatFen(r.faceValueFen)} · {r.typeName}</Text>
                <Text className={`tag ${r.status === 'reversed' ? 'tag-rejected' : 'tag-approved'}`}>{r.status === 'reversed' ? '已撤销' : '已核销'}</Text>
              </View>
              <View className='muted'>订单金额 ¥{formatFen(r.orderAmountFen)} · {formatShanghai(r.redeemedAt)}</View>
              {r.status === 'active' && (
                <Button className='btn btn-plain btn-small' data-testid={`reverse-${r.id}`} loading={busyId === r.id || undefined} disabled={busyId !== null || undefined} onClick={() => void reverse(r.id, r.faceValueFen)}>
                  撤销核销
                </Button>
              )}
            </View>
          ))}
          {data.items.length > shown && (
            <Button className='btn btn-plain' id='today-more' onClick={() => setShown((n) => n + PAGE)}>
              加载更多
            </Button>
          )}
        </View>
      )}
      {owner && (
        <View className='card'>
          <Text className='card-title'>邀请店员</Text>
          {invite ? (
            <View>
              <View className='v-code-text' id='invite-code'>{invite.code}</View>
              <View className='muted'>24小时内有效，请店员在「商户入驻 → 加入店铺」中粘贴</View>
            </View>
          ) : (
            <Button className='btn btn-plain' id='invite-create' onClick={makeInvite}>
              生成店员邀请码
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
