import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatFen, formatShanghai, VOUCHER_STATUS_LABELS, type VoucherStatus, type VoucherView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { listMyVouchers } from '../../api/vouchers';
import { Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { useSession } from '../../session';
import './vouchers.css';

const TABS: VoucherStatus[] = ['unused', 'redeemed', 'expired'];
const PAGE_SIZE = 10;

/** 我的券: unused, used and expired vouchers. */
export default function MyVouchersPage() {
  const { user, refresh } = useSession();
  const [status, setStatus] = useState<VoucherStatus>('unused');
  const list = usePagedList((s: VoucherStatus, page: number) => listMyVouchers({ status: s, page, pageSize: PAGE_SIZE }));
  const { items, total, error, loadingMore } = list;
  useLoadOnShow(() => void list.reload(status), !!user);

  const more = () => list.loadMore().catch((e) => Taro.showToast({ title: errorMessage(e), icon: 'none' }));

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  return (
    <View className='page'>
      <View className='tabs'>
        {TABS.map((s) => (
          <View key={s} id={`mine-tab-${s}`} className={`tab ${status === s ? 'tab-on' : ''}`} onClick={() => { setStatus(s); void list.reload(s); }}>
            {VOUCHER_STATUS_LABELS[s]}
          </View>
        ))}
      </View>
      {error ? (
        <ErrorState message={error} onRetry={() => void list.reload(status)} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text={status === 'unused' ? '暂无可用的券，去领取吧' : '暂无记录'} />
      ) : (
        <View>
          {items.map((v) => (
            <View
              key={v.id}
              className={`v-ticket ${v.status !== 'unused' ? 'v-ticket-used' : ''}`}
              data-testid={`voucher-${v.id}`}
              onClick={() => Taro.navigateTo({ url: `/pages/vouchers/detail?id=${v.id}` })}
            >
              <View className='row'>
                <Text className='v-ticket-face'>¥{formatFen(v.faceValueFen)}</Text>
                <Text>{VOUCHER_STATUS_LABELS[v.status]}</Text>
              </View>
              <View>{v.typeName} · {v.minSpendFen ? `满${formatFen(v.minSpendFen)}元可用` : '无门槛'}</View>
              <View className='muted'>{v.campaignName}</View>
              <View className='muted'>有效期至 {formatShanghai(v.validUntil)}</View>
            </View>
          ))}
          {items.length < total && (
            <Button className='btn btn-plain' id='mine-more' loading={loadingMore || undefined} onClick={more}>
              加载更多
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
