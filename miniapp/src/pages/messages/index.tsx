import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatShanghai, type MessageView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { listMessages, markAllMessagesRead, markMessageRead } from '../../api/messages';
import { Banner, Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { useSession } from '../../session';
import './messages.css';

const PAGE_SIZE = 20;

/** 消息: the caller's messages, newest first; tapping one marks it read and opens its page. */
export default function MessagesPage() {
  const { user, refresh } = useSession();
  const list = usePagedList((_: null, page: number) => listMessages({ page, pageSize: PAGE_SIZE }));
  const { items, total, error, loadingMore, setItems } = list;
  const [banner, setBanner] = useState<string | null>(null);
  const [markingAll, setMarkingAll] = useState(false);
  useLoadOnShow(() => void list.reload(null), !!user);

  const more = () => list.loadMore().catch((e) => setBanner(errorMessage(e)));
  const markRead = (m: MessageView, read: MessageView) => setItems((prev) => prev?.map((x) => (x.id === m.id ? read : x)) ?? prev);

  const open = async (m: MessageView) => {
    setBanner(null);
    if (!m.readAt) {
      try {
        markRead(m, await markMessageRead(m.id));
      } catch (e) {
        setBanner(errorMessage(e));
      }
    }
    if (m.targetPage) void Taro.navigateTo({ url: `/${m.targetPage}` });
  };

  const readAll = async () => {
    setBanner(null);
    setMarkingAll(true);
    try {
      await markAllMessagesRead();
      const now = new Date().toISOString();
      setItems((prev) => prev?.map((x) => (x.readAt ? x : { ...x, readAt: now })) ?? prev);
    } catch (e) {
      setBanner(errorMessage(e));
    } finally {
      setMarkingAll(false);
    }
  };

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['user', 'union_staff', 'merchant_clerk', 'station_keeper', 'admin']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  const unread = items?.filter((m) => !m.readAt).length ?? 0;
  return (
    <View className='page'>
      <View className='row'>
        <View className='page-title'>消息</View>
        {unread > 0 && (
          <Button className='btn btn-plain btn-small' id='msg-read-all' loading={markingAll || undefined} disabled={markingAll || undefined} onClick={() => void readAll()}>
            全部已读
          </Button>
        )}
      </View>
      <Banner id='msg-banner' kind='error' message={banner} />
      {error ? (
        <ErrorState message={error} onRetry={() => void list.reload(null)} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text='暂无消息' />
      ) : (
        <View>
          {items.map((m) => (
            <View key={m.id} className={`card msg ${m.readAt ? 'msg-read' : 'msg-unread'}`} data-testid={`message-${m.id}`} data-kind={m.kind} onClick={() => void open(m)}>
              <View className='row'>
                <Text className='card-title'>
                  {!m.readAt && <Text className='msg-dot' />}
                  {m.title}
                </Text>
                <Text className='muted'>{formatShanghai(m.createdAt)}</Text>
              </View>
              <View className='msg-body'>{m.body}</View>
              {m.targetPage && <View className='link'>查看详情 ›</View>}
            </View>
          ))}
          {items.length < total ? (
            <Button className='btn btn-plain' id='msg-more' loading={loadingMore || undefined} disabled={loadingMore || undefined} onClick={more}>
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
