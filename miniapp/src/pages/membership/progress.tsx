import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { APPLICATION_STATUS_LABELS, OCCUPATION_LABELS, type ApplicationView } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { listMyApplications } from '../../api/membership';
import { Button, DateText, Empty, ErrorState, Loading, LoginPanel, Page, StatusTag } from '../../components';
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
      <Page title='申请进度'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (error || !items) {
    return <Page title='申请进度'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading />}</Page>;
  }
  if (items.length === 0) {
    return (
      <Page title='申请进度'>
        <Empty text='还没有入会申请，扫工会的入会二维码即可申请'>
          <Button id='progress-go-join' onClick={() => void Taro.navigateTo({ url: '/pages/join/index' })}>
            去入会
          </Button>
        </Empty>
      </Page>
    );
  }

  return (
    <Page title='申请进度'>
      {items.map((a, i) => (
        <View className='card' key={a.id} data-testid={`application-${a.id}`}>
          <View className='row'>
            <Text className='card-title'>{a.kind === 'transfer' ? '转会申请' : '入会申请'}</Text>
            <StatusTag id={i === 0 ? 'progress-status' : undefined} text={APPLICATION_STATUS_LABELS[a.status]} tone={a.status} />
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
            <DateText className='row-value' value={a.createdAt} />
          </View>
          {a.reviewedAt && (
            <View className='row'>
              <Text className='row-label'>审核时间</Text>
              <DateText className='row-value' value={a.reviewedAt} />
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
              <Button id={i === 0 ? 'progress-card-link' : undefined} onClick={() => void Taro.navigateTo({ url: '/pages/membership/card' })}>
                查看会员卡
              </Button>
            </View>
          )}
          {a.status === 'pending' && <View className='muted'>工会工作人员审核后会更新状态，请耐心等待。</View>}
        </View>
      ))}
    </Page>
  );
}
