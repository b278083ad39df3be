import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { VOUCHER_STATUS_LABELS, type VoucherStatus } from '@union/shared';
import { listMyVouchers } from '../../api/vouchers';
import { Button, DateText, LoginPanel, Page, PagedList, Tap } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { useSession } from '../../session';
import { VoucherTicket } from './voucher-ticket';
import './vouchers.css';

const TABS: VoucherStatus[] = ['unused', 'redeemed', 'expired'];
const PAGE_SIZE = 10;
const listMyVouchersPage = (status: VoucherStatus, page: number) => listMyVouchers({ status, page, pageSize: PAGE_SIZE });

/** 我的券: unused, used and expired vouchers. */
export default function MyVouchersPage() {
  const { user, refresh } = useSession();
  const [status, setStatus] = useState<VoucherStatus>('unused');
  const list = usePagedList((s: VoucherStatus, page: number) => listMyVouchersPage(s, page));
  useLoadOnShow(() => void list.reload(status), !!user);

  if (!user) {
    return (
      <Page title='我的券'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  return (
    <Page title='我的券'>
      <View className='tabs' role='tablist'>
        {TABS.map((s) => (
          <Tap
            key={s}
            id={`mine-tab-${s}`}
            role='tab'
            checked={status === s}
            className={`tab ${status === s ? 'tab-on' : ''}`}
            onClick={() => {
              if (s === status) return;
              setStatus(s);
              void list.reload(s);
            }}
          >
            {VOUCHER_STATUS_LABELS[s]}
          </Tap>
        ))}
      </View>
      <PagedList
        list={list}
        onRetry={() => void list.reload(status)}
        moreId='mine-more'
        emptyText={status === 'unused' ? '暂无可用的券，去「消费券」领取吧' : status === 'redeemed' ? '还没有用过的券' : '没有过期的券'}
        emptyAction={
          status === 'unused' ? (
            <Button id='mine-go-claim' onClick={() => void Taro.navigateTo({ url: '/pages/vouchers/index' })}>
              去领券
            </Button>
          ) : undefined
        }
        renderItem={(v) => (
          <Tap key={v.id} testId={`voucher-${v.id}`} className='v-ticket-link' onClick={() => void Taro.navigateTo({ url: `/pages/vouchers/detail?id=${v.id}` })}>
            <VoucherTicket voucher={v}>
              <View>
                有效期至 <DateText value={v.validUntil} />
              </View>
              {v.status === 'unused' && <View className='v-ticket-open'>点击出示核销码 ›</View>}
            </VoucherTicket>
          </Tap>
        )}
      />
    </Page>
  );
}
