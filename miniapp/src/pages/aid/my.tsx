import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import {
  AID_TYPE_LABELS, HARDSHIP_LEVEL_LABELS, HOUSEHOLD_STATUS_LABELS, PAYOUT_STATUS_LABELS, formatShanghai, periodLabel, type MyAidView,
} from '@union/shared';
import { getMyAid } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';
import { Row, go, yuan } from './ui';

/** 我的帮扶: the bound households' file summary and every payout with its amount. */
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
      <View className='page'>
        <View className='page-title'>我的帮扶</View>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <Loading />;
  if (!data.households.length) {
    return (
      <View className='page'>
        <View className='page-title'>我的帮扶</View>
        <Empty text='尚未绑定家庭。请扫描明白卡上的二维码并绑定。'>
          <View className='link' id='my-go-code' onClick={() => go('/pages/aid/index')}>
            去绑定
          </View>
        </Empty>
      </View>
    );
  }
  return (
    <View className='page'>
      <View className='page-title'>我的帮扶</View>
      {data.households.map((h) => (
        <View key={h.householdId} data-testid={`my-household-${h.householdId}`}>
          <View className='card'>
            <Text className='card-title'>{h.headName} 家庭</Text>
            <Row label='身份证号' value={h.idNumberMasked} />
            <Row label='所属工会' value={h.orgName} />
            <Row label='困难类别' value={HARDSHIP_LEVEL_LABELS[h.level]} />
            <Row label='家庭人口' value={`${h.householdSize}人`} />
            <Row label='档案状态' value={HOUSEHOLD_STATUS_LABELS[h.status]} />
            <Row label='最近复核' value={h.lastReviewedAt ? formatShanghai(h.lastReviewedAt, false) : '—'} />
            <Row label='累计已发放' value={yuan(h.paidTotalFen)} id={`my-paid-total-${h.householdId}`} />
          </View>
          <View className='card'>
            <Text className='card-title'>发放记录</Text>
            {h.payouts.length === 0 ? (
              <View className='muted'>暂无发放记录</View>
            ) : (
              h.payouts.map((p) => (
                <View key={p.id} className='row' data-testid={`my-payout-${p.period}-${p.aidType}`} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: '8px' }}>
                  <View>
                    <View>
                      {periodLabel(p.period)} · {AID_TYPE_LABELS[p.aidType]}
                    </View>
                    <View className='muted'>
                      {PAYOUT_STATUS_LABELS[p.status]}
                      {p.bankDate ? ` · ${p.bankDate}` : ''}
                    </View>
                  </View>
                  <Text className='row-value'>{yuan(p.amountFen)}</Text>
                </View>
              ))
            )}
          </View>
        </View>
      ))}
      <View className='muted'>工会服务热线 12351</View>
    </View>
  );
}
