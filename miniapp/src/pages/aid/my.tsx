import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import {
  AID_TYPE_LABELS, HARDSHIP_LEVEL_LABELS, HOUSEHOLD_STATUS_LABELS, PAYOUT_STATUS_LABELS, type MyAidView, type PayoutStatus,
} from '@union/shared';
import { getMyAid } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Button, DateText, Empty, ErrorState, Loading, LoginPanel, Money, Page, StatusTag, type StatusTone } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';
import { Row, go } from './ui';

const PAYOUT_TONE: Record<PayoutStatus, StatusTone> = { pending: 'pending', approved: 'info', paid: 'success', failed: 'danger' };

/**
 * 我的帮扶: the bound households' file summary and every payout with its amount (元), month (2026年11月) and status
 * in words. No action buttons besides the one next step of an empty page (长辈模式: one primary action per screen).
 */
export default function MyAidPage() {
  const { user, refresh } = useSession();
  const [data, setData] = useState<MyAidView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await getMyAid());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), !!user);

  if (!user) {
    return (
      <Page title='我的帮扶'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (error) {
    return (
      <Page title='我的帮扶'>
        <ErrorState message={error} onRetry={load} />
      </Page>
    );
  }
  if (!data) {
    return (
      <Page title='我的帮扶'>
        <Loading />
      </Page>
    );
  }
  if (!data.households.length) {
    return (
      <Page title='我的帮扶'>
        <Empty text='尚未绑定家庭。请扫描明白卡上的二维码并绑定。'>
          <Button id='my-go-code' onClick={() => go('/pages/aid/index')}>
            去绑定
          </Button>
        </Empty>
      </Page>
    );
  }
  return (
    <Page title='我的帮扶'>
      {data.households.map((h) => (
        <View key={h.householdId} data-testid={`my-household-${h.householdId}`}>
          <View className='card'>
            <Text className='card-title'>{h.headName} 家庭</Text>
            <Row label='累计已发放' value={<Money fen={h.paidTotalFen} />} id={`my-paid-total-${h.householdId}`} />
            <Row label='困难类别' value={HARDSHIP_LEVEL_LABELS[h.level]} />
            <Row label='档案状态' value={HOUSEHOLD_STATUS_LABELS[h.status]} />
            <Row label='家庭人口' value={`${h.householdSize}人`} />
            <Row label='所属工会' value={h.orgName} />
            <Row label='身份证号' value={h.idNumberMasked} />
            <Row label='最近复核' value={h.lastReviewedAt ? <DateText mode='date' value={h.lastReviewedAt} /> : '还没有复核'} />
          </View>
          <View className='card'>
            <Text className='card-title'>发放记录</Text>
            {h.payouts.length === 0 ? (
              <View>还没有发放记录。补助发放后会显示在这里。</View>
            ) : (
              h.payouts.map((p) => (
                <View key={p.id} className='aid-payout' data-testid={`my-payout-${p.period}-${p.aidType}`}>
                  <View className='row'>
                    <Text className='aid-payout-title'>
                      <DateText mode='month' value={p.period} /> {AID_TYPE_LABELS[p.aidType]}
                    </Text>
                    <Money className='row-value aid-payout-amount' fen={p.amountFen} />
                  </View>
                  <View className='row'>
                    <StatusTag text={PAYOUT_STATUS_LABELS[p.status]} tone={PAYOUT_TONE[p.status]} />
                    {p.bankDate && (
                      <Text className='aid-payout-sub'>
                        到账日期 <DateText mode='date' value={p.bankDate} />
                      </Text>
                    )}
                  </View>
                </View>
              ))
            )}
          </View>
        </View>
      ))}
      <View className='aid-hotline'>工会服务热线 12351</View>
    </Page>
  );
}
