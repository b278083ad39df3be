import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { AID_TYPE_LABELS, HARDSHIP_CAUSE_LABELS, HARDSHIP_LEVEL_LABELS, formatShanghai, type AidNoticeItem, type AidNoticeView } from '@union/shared';
import { getAidNotices } from '../../api/aid-applications';
import { errorMessage } from '../../api/client';
import { Banner, Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';
import './applications.css';

const PAGE_SIZE = 20;

/** 公示: households approved by the org's subtree within the notice period, masked names, and the supervision phone. */
export default function AidNoticePage() {
  const orgCode = useRouter().params.orgCode || undefined;
  const { user, refresh } = useSession();
  const [view, setView] = useState<AidNoticeView | null>(null);
  const [items, setItems] = useState<AidNoticeItem[]>([]);
  // The thrown value itself: ErrorState reads its status (403 → no retry, hotline; 401 → login; ...).
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const v = await getAidNotices({ orgCode, page: 1, pageSize: PAGE_SIZE });
      setView(v);
      setItems(v.items);
    } catch (e) {
      setError(e);
    }
  }, [orgCode]);
  useLoadOnShow(() => void load(), !!user);

  const loadMore = async () => {
    if (!view) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const v = await getAidNotices({ orgCode, page: view.page + 1, pageSize: PAGE_SIZE });
      setView(v);
      setItems((prev) => [...prev, ...v.items.filter((x) => !prev.some((p) => p.id === x.id))]);
    } catch (e) {
      setMoreError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };

  // An error first: when a stale login answers 401 the session is dropped too, and the page should say so
  // (ErrorState offers 去登录 and retries after login) rather than silently show the login form.
  if (error) {
    return (
      <View className='page'>
        <View className='page-title'>帮扶公示</View>
        <ErrorState error={error} onRetry={() => void refresh().then(() => load())} />
      </View>
    );
  }
  if (!user) {
    return (
      <View className='page'>
        <View className='page-title'>帮扶公示</View>
        <LoginPanel roles={['user', 'union_staff']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (!view) return <Loading />;

  return (
    <View className='page'>
      <View className='page-title'>帮扶公示</View>
      <View className='card' id='notice-header'>
        <Text className='card-title' id='notice-org'>{view.org.name}</Text>
        <View className='muted'>以下困难职工家庭经入户核实、集体审核，拟给予帮扶，现予公示{view.days}天。如有异议，请拨打工会监督电话。</View>
        <View className='row'>
          <Text>监督电话</Text>
          <Text className='link' id='notice-phone' onClick={() => void Taro.makePhoneCall({ phoneNumber: view.supervisionPhone }).catch(() => undefined)}>{view.supervisionPhone}</Text>
        </View>
      </View>
      {items.length === 0 ? (
        <Empty text='目前没有公示中的帮扶' />
      ) : (
        <View className='card' id='notice-list'>
          {items.map((n) => (
            <View className='app-notice-row' key={n.id} data-testid={`notice-${n.id}`}>
              <Text className='app-notice-name' data-testid={`notice-name-${n.id}`}>{n.nameMasked}</Text>
              <View style={{ flex: 1, minWidth: 0, textAlign: 'right' }}>
                <View>{HARDSHIP_LEVEL_LABELS[n.level]}{n.aidType ? ` · ${AID_TYPE_LABELS[n.aidType]}` : ''}</View>
                <View className='muted'>{n.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')} · {n.orgName}</View>
                <View className='muted'>公示至 {formatShanghai(n.until, false)}</View>
              </View>
            </View>
          ))}
          <Banner message={moreError} />
          {items.length < view.total ? (
            <Button className='btn btn-plain' id='notice-more' loading={loadingMore || undefined} disabled={loadingMore || undefined} onClick={() => void loadMore()}>加载更多</Button>
          ) : (
            <View className='muted' style={{ textAlign: 'center', padding: '12px' }}>没有更多了</View>
          )}
        </View>
      )}
    </View>
  );
}
