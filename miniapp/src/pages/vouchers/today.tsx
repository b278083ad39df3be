import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { type ClerkInviteView, type TodayRedemptionsView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { createClerkInvite, getClerkMe, getTodayRedemptions, reverseRedemption } from '../../api/vouchers';
import { Banner, Button, DateText, formatYuan, LoginPanel, Money, Page, PagedList, StatusTag } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { useSession } from '../../session';
import './vouchers.css';

type DayTotals = Pick<TodayRedemptionsView, 'date' | 'count' | 'faceValueFen' | 'orderAmountFen'>;

/**
 * 今日核销: today's redemptions of the clerk's merchant, 20 per page from the server, with the day's totals (over
 * every page, from the latest page read); same-day reversal; the owner invites clerks.
 */
export default function TodayPage() {
  const { user, refresh } = useSession();
  const [totals, setTotals] = useState<DayTotals | null>(null);
  const [owner, setOwner] = useState(false);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [invite, setInvite] = useState<ClerkInviteView | null>(null);

  const list = usePagedList(async (_: null, page: number) => {
    const res = await getTodayRedemptions(page);
    setTotals(res);
    return res;
  });
  const load = useCallback(async () => {
    await list.reload(null);
    try {
      setOwner((await getClerkMe()).role === 'owner');
    } catch {
      // the list shows the error; the invite block stays hidden
    }
  }, [list.reload]);
  useLoadOnShow(() => void load(), !!user);

  const reverse = async (id: number, face: number) => {
    const { confirm } = await Taro.showModal({ title: '撤销核销', content: `撤销后该券（${formatYuan(face)}元）将退回顾客，确认撤销？`, confirmText: '撤销' });
    if (!confirm) return;
    setBusyId(id);
    setBanner(null);
    try {
      const updated = await reverseRedemption(id);
      setBanner({ kind: 'success', text: '已撤销核销，券已退回顾客' });
      // the row changes in place (what was loaded stays, no jump to the top); the day's totals are read again
      list.setItems((prev) => prev?.map((x) => (x.id === id ? updated : x)) ?? prev);
      const fresh = await getTodayRedemptions(1).catch(() => null);
      if (fresh) setTotals(fresh);
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
  return (
    <Page title='今日核销'>
      {totals && (
        <View>
          <View className='card-title'>
            <DateText value={totals.date} mode='date' /> 的核销
          </View>
          <View className='card v-total'>
            <View className='v-total-item'>
              <Text className='v-total-num' id='today-count'>{totals.count}</Text>
              <Text className='v-total-label'>笔数</Text>
            </View>
            <View className='v-total-item'>
              <Money className='v-total-num' id='today-face' fen={totals.faceValueFen} />
              <Text className='v-total-label'>券面金额</Text>
            </View>
            <View className='v-total-item'>
              <Money className='v-total-num' id='today-order' fen={totals.orderAmountFen} />
              <Text className='v-total-label'>订单金额</Text>
            </View>
          </View>
        </View>
      )}
      <Banner id='today-banner' kind={banner?.kind} message={banner?.text} />
      <PagedList
        list={list}
        moreId='today-more'
        onRetry={() => void load()}
        emptyText='今天还没有核销记录，顾客出示券码后点「扫码核销」'
        emptyAction={
          <Button id='today-go-redeem' onClick={() => void Taro.navigateTo({ url: '/pages/vouchers/redeem' })}>
            扫码核销
          </Button>
        }
        renderItem={(r) => (
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
        )}
      />
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
