import { Button, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatShanghai, MERCHANT_CATEGORY_LABELS, MERCHANT_STATUS_LABELS, type MerchantStatus, type MerchantView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { approveMerchant, listMerchants, rejectMerchant } from '../../api/vouchers';
import { Banner, Empty, ErrorState, FieldError, Loading } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';
import './vouchers.css';

const TABS: MerchantStatus[] = ['pending', 'approved', 'rejected'];
const PAGE_SIZE = 10;

/** 商户审核: staff approve or reject merchants that trade in their subtree. */
export default function MerchantReviewPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [status, setStatus] = useState<MerchantStatus>('pending');
  const list = usePagedList((s: MerchantStatus, page: number) => listMerchants({ status: s, page, pageSize: PAGE_SIZE }));
  const { items, total, error } = list;
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  useLoadOnShow(() => void list.reload(status), isStaff);

  const more = () => list.loadMore().catch((e) => setBanner({ kind: 'error', text: errorMessage(e) }));
  const drop = list.remove;

  const approve = async (m: MerchantView) => {
    const { confirm } = await Taro.showModal({ title: '通过商户入驻', content: `确认「${m.name}」入驻，成为消费券适用商户？`, confirmText: '通过' });
    if (!confirm) return;
    setBusyId(m.id);
    try {
      await approveMerchant(m.id);
      drop(m.id);
      setBanner({ kind: 'success', text: `已通过「${m.name}」的入驻申请` });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  const reject = async (m: MerchantView) => {
    if (!reason.trim()) {
      setReasonError('请填写驳回原因');
      return;
    }
    setBusyId(m.id);
    try {
      await rejectMerchant(m.id, reason.trim());
      drop(m.id);
      setRejecting(null);
      setBanner({ kind: 'success', text: `已驳回「${m.name}」` });
    } catch (e) {
      setReasonError(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  if (!isStaff) {
    return (
      <View className='page'>
        <Empty text='仅工会工作人员可审核商户' />
      </View>
    );
  }
  return (
    <View className='page'>
      <View className='tabs'>
        {TABS.map((s) => (
          <View key={s} id={`mr-tab-${s}`} className={`tab ${status === s ? 'tab-on' : ''}`} onClick={() => { setStatus(s); void list.reload(s); }}>
            {MERCHANT_STATUS_LABELS[s]}
          </View>
        ))}
      </View>
      <Banner id='mr-banner' kind={banner?.kind} message={banner?.text} />
      {error ? (
        <ErrorState message={error} onRetry={() => void list.reload(status)} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text={status === 'pending' ? '暂无待审核的商户' : '暂无记录'} />
      ) : (
        <View>
          {items.map((m) => (
            <View className='card' key={m.id} data-testid={`merchant-${m.id}`}>
              <View className='row'>
                <Text className='card-title'>{m.name}</Text>
                <Text className={`tag tag-${m.status}`}>{MERCHANT_STATUS_LABELS[m.status]}</Text>
              </View>
              <View className='muted'>{MERCHANT_CATEGORY_LABELS[m.category]} · {m.org.name}</View>
              <View className='row'><Text className='row-label'>地址</Text><Text className='row-value'>{m.address}</Text></View>
              <View className='row'><Text className='row-label'>信用代码</Text><Text className='row-value'>{m.licenceNo}</Text></View>
              <View className='row'><Text className='row-label'>联系人</Text><Text className='row-value'>{m.contactName} {m.contactMobileMasked}</Text></View>
              <View className='row'><Text className='row-label'>申请时间</Text><Text className='row-value'>{formatShanghai(m.createdAt)}</Text></View>
              {m.discountNote && <View className='muted'>优惠：{m.discountNote}</View>}
              {m.rejectReason && <View className='banner banner-error'>驳回原因：{m.rejectReason}</View>}
              {m.status === 'pending' && rejecting !== m.id && (
                <View className='btn-row'>
                  <Button className='btn btn-primary btn-small' data-testid={`mr-approve-${m.id}`} disabled={busyId !== null || undefined} loading={busyId === m.id || undefined} onClick={() => void approve(m)}>
                    通过
                  </Button>
                  <Button className='btn btn-plain btn-small' data-testid={`mr-reject-${m.id}`} disabled={busyId !== null || undefined} onClick={() => { setRejecting(m.id); setReason(''); setReasonError(null); }}>
                    驳回
                  </Button>
                </View>
              )}
              {m.status === 'pending' && rejecting === m.id && (
                <View className='field'>
                  <Textarea className='textarea' id={`mr-reason-${m.id}`} value={reason} maxlength={200} placeholder='请说明驳回原因' onInput={(e) => { setReason(e.detail.value); setReasonError(null); }} />
                  <FieldError id={`mr-reason-err-${m.id}`} message={reasonError} />
                  <View className='btn-row'>
                    <Button className='btn btn-primary btn-small' data-testid={`mr-reject-confirm-${m.id}`} onClick={() => void reject(m)}>确认驳回</Button>
                    <Button className='btn btn-plain btn-small' onClick={() => setRejecting(null)}>取消</Button>
                  </View>
                </View>
              )}
            </View>
          ))}
          {items.length < total && (
            <Button className='btn btn-plain' id='mr-more' onClick={more}>
              加载更多
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
