import { Button, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  APPLICATION_STATUS_LABELS,
  OCCUPATION_LABELS,
  formatShanghai,
  type ApplicationStatus,
  type ApplicationView,
} from '@union/shared';
import { errorMessage } from '../../api/client';
import { approveApplication, listApplications, rejectApplication } from '../../api/membership';
import { Banner, Empty, ErrorState, FieldError, Loading } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';

const PAGE_SIZE = 10;
const TABS: ApplicationStatus[] = ['pending', 'approved', 'rejected'];
const TAB_LABELS: Record<ApplicationStatus, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回' };

export default function ReviewPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff');
  const [status, setStatus] = useState<ApplicationStatus>('pending');
  const list = usePagedList((s: ApplicationStatus, page: number) => listApplications({ status: s, page, pageSize: PAGE_SIZE }));
  const { items, total, error, loadingMore } = list;
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [rejectingId, setRejectingId] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  useLoadOnShow(() => void list.reload(status), isStaff);

  const switchTab = (s: ApplicationStatus) => {
    if (s === status) return;
    setStatus(s);
    setRejectingId(null);
    setBanner(null);
    void list.reload(s);
  };

  const loadMore = () => list.loadMore().catch((e) => setBanner({ kind: 'error', text: errorMessage(e) }));

  /** A reviewed application leaves the pending list. */
  const settle = (updated: ApplicationView) => {
    if (updated.status !== status) list.remove(updated.id);
    else list.setItems((prev) => prev?.map((a) => (a.id === updated.id ? updated : a)) ?? prev);
  };

  const approve = async (a: ApplicationView) => {
    const { confirm } = await Taro.showModal({
      title: '通过入会申请',
      content: `确认通过 ${a.name} 加入「${a.org.name}」的申请？`,
      confirmText: '通过',
    });
    if (!confirm) return;
    setBusyId(a.id);
    setBanner(null);
    try {
      const updated = await approveApplication(a.id);
      settle(updated);
      setBanner({ kind: 'success', text: `已通过 ${a.name} 的申请${updated.memberNo ? `，会员编号 ${updated.memberNo}` : ''}` });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  const startReject = (a: ApplicationView) => {
    setRejectingId(a.id);
    setReason('');
    setReasonError(null);
  };

  const confirmReject = async (a: ApplicationView) => {
    const r = reason.trim();
    if (!r) {
      setReasonError('请填写驳回原因');
      return;
    }
    if (r.length > 200) {
      setReasonError('驳回原因不超过200字');
      return;
    }
    setBusyId(a.id);
    setBanner(null);
    try {
      const updated = await rejectApplication(a.id, { reason: r });
      settle(updated);
      setRejectingId(null);
      setBanner({ kind: 'success', text: `已驳回 ${a.name} 的申请` });
    } catch (e) {
      setReasonError(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  if (!isStaff) {
    return (
      <View className='page'>
        <Empty text='仅工会工作人员可审核入会申请' />
      </View>
    );
  }

  return (
    <View className='page'>
      <View className='tabs'>
        {TABS.map((s) => (
          <View
            key={s}
            id={`review-tab-${s}`}
            className={`tab ${status === s ? 'tab-on' : ''}`}
            onClick={() => switchTab(s)}
          >
            {TAB_LABELS[s]}
            {status === s && items ? `（${total}）` : ''}
          </View>
        ))}
      </View>
      {banner && <Banner id='review-banner' kind={banner.kind} message={banner.text} />}
      {error ? (
        <ErrorState message={error} onRetry={() => void list.reload(status)} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text={status === 'pending' ? '暂无待审核的申请' : '暂无记录'} />
      ) : (
        <View>
          {items.map((a) => (
            <View className='card' key={a.id} data-testid={`application-${a.id}`}>
              <View className='row'>
                <Text className='card-title'>
                  {a.name}
                  {a.kind === 'transfer' ? '（转会）' : ''}
                </Text>
                <Text className={`tag tag-${a.status}`}>{APPLICATION_STATUS_LABELS[a.status]}</Text>
              </View>
              <View className='row'>
                <Text className='row-label'>身份证号</Text>
                <Text className='row-value'>{a.idNumberMasked}</Text>
              </View>
              <View className='row'>
                <Text className='row-label'>手机号</Text>
                <Text className='row-value'>{a.mobileMasked}</Text>
              </View>
              <View className='row'>
                <Text className='row-label'>职业</Text>
                <Text className='row-value'>
                  {OCCUPATION_LABELS[a.occupation] ?? a.occupation}
                  {a.platform ? ` · ${a.platform}` : ''}
                </Text>
              </View>
              <View className='row'>
                <Text className='row-label'>申请组织</Text>
                <Text className='row-value'>{a.org.name}</Text>
              </View>
              {a.fromOrg && (
                <View className='row'>
                  <Text className='row-label'>转出组织</Text>
                  <Text className='row-value'>{a.fromOrg.name}</Text>
                </View>
              )}
              <View className='row'>
                <Text className='row-label'>提交时间</Text>
                <Text className='row-value'>{formatShanghai(a.createdAt)}</Text>
              </View>
              {a.memberNo && (
                <View className='row'>
                  <Text className='row-label'>会员编号</Text>
                  <Text className='row-value'>{a.memberNo}</Text>
                </View>
              )}
              {a.rejectReason && <View className='banner banner-error'>驳回原因：{a.rejectReason}</View>}
              {a.idNumberMatch && (
                <Banner
                  id={`id-match-${a.id}`}
                  kind='info'
                  message={`身份证号与${a.idNumberMatch.kind === 'member' ? '已有会员' : '另一份待审核申请'}一致（${a.idNumberMatch.org?.name ?? '其他工会'}），请核实是否本人申请`}
                />
              )}

              {a.status === 'pending' && rejectingId !== a.id && (
                <View className='btn-row'>
                  <Button
                    className='btn btn-primary btn-small'
                    data-testid={`approve-${a.id}`}
                    loading={(busyId === a.id) || undefined}
                    disabled={(busyId !== null) || undefined}
                    onClick={() => void approve(a)}
                  >
                    通过
                  </Button>
                  <Button
                    className='btn btn-plain btn-small'
                    data-testid={`reject-${a.id}`}
                    disabled={(busyId !== null) || undefined}
                    onClick={() => startReject(a)}
                  >
                    驳回
                  </Button>
                </View>
              )}
              {a.status === 'pending' && rejectingId === a.id && (
                <View className='field' style={{ marginTop: '12px' }}>
                  <Text className='field-label'>驳回原因（必填）</Text>
                  <Textarea
                    className='textarea'
                    id={`reject-reason-${a.id}`}
                    value={reason}
                    maxlength={200}
                    placeholder='请说明驳回原因，申请人可以看到'
                    onInput={(e) => {
                      setReason(e.detail.value);
                      setReasonError(null);
                    }}
                  />
                  <FieldError id={`err-reason-${a.id}`} message={reasonError} />
                  <View className='btn-row'>
                    <Button
                      className='btn btn-primary btn-small'
                      data-testid={`reject-confirm-${a.id}`}
                      loading={(busyId === a.id) || undefined}
                      disabled={(busyId !== null) || undefined}
                      onClick={() => void confirmReject(a)}
                    >
                      确认驳回
                    </Button>
                    <Button className='btn btn-plain btn-small' onClick={() => setRejectingId(null)}>
                      取消
                    </Button>
                  </View>
                </View>
              )}
            </View>
          ))}
          {items.length < total ? (
            <Button className='btn btn-plain' id='review-more' loading={loadingMore || undefined} disabled={loadingMore || undefined} onClick={() => void loadMore()}>
              加载更多
            </Button>
          ) : (
            <View className='muted' style={{ textAlign: 'center', padding: '12px' }}>
              没有更多了
            </View>
          )}
        </View>
      )}
    </View>
  );
}
