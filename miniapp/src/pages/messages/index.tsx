import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { MessageView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { listMessages, markAllMessagesRead, markMessageRead } from '../../api/messages';
import { Banner, Button, DateText, LoginPanel, Page, PagedList, Tap } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { useSession } from '../../session';
import './messages.css';

const PAGE_SIZE = 20;

/** 消息: the caller's messages, newest first; tapping one marks it read and opens its page. */
export default function MessagesPage() {
  const { user, refresh } = useSession();
  const list = usePagedList((_: null, page: number) => listMessages({ page, pageSize: PAGE_SIZE }));
  const { items, setItems } = list;
  const [banner, setBanner] = useState<string | null>(null);
  const [markingAll, setMarkingAll] = useState(false);
  useLoadOnShow(() => void list.reload(null), !!user);

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
      <Page title='消息'>
        <LoginPanel roles={['user', 'union_staff', 'merchant_clerk', 'station_keeper', 'admin']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  const unread = items?.filter((m) => !m.readAt).length ?? 0;
  return (
    <Page title='消息'>
      {unread > 0 && (
        <View className='btn-row'>
          <Button kind='plain' size='small' id='msg-read-all' loading={markingAll} onClick={() => void readAll()}>
            全部已读
          </Button>
        </View>
      )}
      <Banner id='msg-banner' kind='error' message={banner} />
      <PagedList
        list={list}
        onRetry={() => void list.reload(null)}
        moreId='msg-more'
        emptyText='暂无消息。入会审核结果、消费券开抢提醒等会发到这里'
        emptyAction={
          <Button kind='plain' id='msg-empty-home' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
            回首页
          </Button>
        }
        renderItem={(m) => (
          <Tap
            key={m.id}
            className={`card msg ${m.readAt ? 'msg-read' : 'msg-unread'}`}
            testId={`message-${m.id}`}
            data={{ kind: m.kind }}
            onClick={() => void open(m)}
          >
            <View className='row'>
              <Text className='card-title'>
                {!m.readAt && <Text className='msg-dot'>未读</Text>}
                {m.title}
              </Text>
              <DateText className='muted' value={m.createdAt} />
            </View>
            <View className='msg-body'>{m.body}</View>
            {m.targetPage && <View className='link'>查看详情 ›</View>}
          </Tap>
        )}
      />
    </Page>
  );
}
