import { Button, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  APPLICATION_STATUS_LABELS,
  OCCUPATION_LABELS,
  formatShanghai,
  type ApplicationView,
} from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { listMyApplications } from '../../api/membership';
import { Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';

export default function ProgressPage() {
  const { user, refresh } = useSession();
  const [items, setItems] = useState<ApplicationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await listMyApplications({ page: 1, pageSize: 50 });
      setItems(page.items);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setItems(null);
      setError(errorMessage(e));
    }
  }, []);

  useLoadOnShow(() => void load(), !!user);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  if (!user) {
    return (
      <View className='page'>
        <View className='page-title'>申请进度</View>
        <LoginPanel
          roles={['user']}
          onLoggedIn={() => void refresh()}
        />
      </View>
    );
  }
  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <Loading />;
  if (items.length === 0) {
    return (
      <View className='page'>
        <View className='page-title'>申请进度</View>
        <Empty text='还没有入会申请'>
          <Button className='btn btn-primary' onClick={() => Taro.navigateTo({ url: '/pages/join/index' })}>
            去入会
          </Button>
        </Empty>
      </View>
    );
  }

  return (
    <View className='page'>
      <View className='page-title'>申请进度</View>
      {items.map((a, i) => (
        <View className='card' key={a.id} data-testid={`application-${a.id}`}>
          <View className='row'>
            <Text className='card-title'>{a.kind === 'transfer' ? '转会申请' : '入会申请'}</Text>
            <Text className={`tag tag-${a.status}`} id={i === 0 ? 'progress-status' : undefined}>
              {APPLICATION_STATUS_LABELS[a.status]}
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
            <Text className='row-label'>姓名</Text>
            <Text className='row-value'>{a.name}</Text>
          </View>
          <View className='row'>
            <Text className='row-label'>职业</Text>
            <Text className='row-value'>{OCCUPATION_LABELS[a.occupation] ?? a.occupation}</Text>
          </View>
          <View className='row'>
            <Text className='row-label'>提交时间</Text>
            <Text className='row-value'>{formatShanghai(a.createdAt)}</Text>
          </View>
          {a.reviewedAt && (
            <View className='row'>
              <Text className='row-label'>审核时间</Text>
              <Text className='row-value'>{formatShanghai(a.reviewedAt)}</Text>
            </View>
          )}
          {a.status === 'rejected' && (
            <View className='banner banner-error'>驳回原因：{a.rejectReason || '未说明'}</View>
          )}
          {a.status === 'approved' && (
            <View>
              {a.memberNo && (
                <View className='row'>
                  <Text className='row-label'>会员编号</Text>
                  <Text className='row-value'>{a.memberNo}</Text>
                </View>
              )}
              <Button
                className='btn btn-primary'
                id={i === 0 ? 'progress-card-link' : undefined}
                onClick={() => Taro.navigateTo({ url: '/pages/membership/card' })}
              >
                查看会员卡
              </Button>
            </View>
          )}
          {a.status === 'pending' && <View className='muted'>工会工作人员审核后会更新状态，请耐心等待。</View>}
        </View>
      ))}
    </View>
  );
}
