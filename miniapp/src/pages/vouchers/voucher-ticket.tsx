import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { VOUCHER_STATUS_LABELS, type VoucherView } from '@union/shared';
import { Money } from '../../components';
import './vouchers.css';

/**
 * One voucher as a ticket (我的券 and the head of 券详情): face value in 元, status in words (`statusId` on it), type,
 * threshold, campaign; `children` add lines (validity, a hint). Used vouchers are drawn grey; both pass 4.5:1.
 */
export function VoucherTicket({ voucher: v, statusId, children }: { voucher: VoucherView; statusId?: string; children?: ReactNode }) {
  return (
    <View className={`v-ticket ${v.status !== 'unused' ? 'v-ticket-used' : ''}`}>
      <View className='row'>
        <Money fen={v.faceValueFen} className='v-ticket-face' />
        <Text className='v-ticket-status' id={statusId}>
          {VOUCHER_STATUS_LABELS[v.status]}
        </Text>
      </View>
      <View>
        {v.typeName} ·{' '}
        {v.minSpendFen ? (
          <Text>
            满<Money fen={v.minSpendFen} />可用
          </Text>
        ) : (
          '无门槛'
        )}
      </View>
      <View>{v.campaignName}</View>
      {children}
    </View>
  );
}
