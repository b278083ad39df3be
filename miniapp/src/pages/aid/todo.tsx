import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  AID_HELP_KIND_LABELS, HARDSHIP_CAUSE_LABELS, ageLabel, type AidApplicationListItem, type AidApplicationListQuery, type AidTodoCounts,
} from '@union/shared';
import { acceptAidApplication, getAidTodoCounts, listAidApplications } from '../../api/aid-applications';
import { errorMessage } from '../../api/client';
import { Banner, Empty, ErrorState, Loading } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { StatusTag } from './application-ui';
import { go } from './ui';

const PAGE_SIZE = 10;
type Tab = 'submitted' | 'overdue' | 'mine' | 'proposed' | 'closed';
const TABS: Array<[Tab, string]> = [['submitted', '待受理'], ['overdue', '超时'], ['mine', '我经办'], ['proposed', '待复核'], ['closed', '已批准']];
const QUERY: Record<Tab, AidApplicationListQuery> = {
  submitted: { status: 'submitted' }, overdue: { overdue: true }, mine: { mine: true }, proposed: { status: 'proposed' }, closed: { status: 'approved' },
};

/** 帮扶待办: applications of the subtree to accept and handle, oldest first, with age and the 24-hour overdue flag. */
export default function AidTodoPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [tab, setTab] = useState<Tab>('submitted');
  const [counts, setCounts] = useState<AidTodoCounts | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const list = usePagedList((t: Tab, page: number) => listAidApplications({ ...QUERY[t], page, pageSize: PAGE_SIZE }));
  const { items, total, error, loadingMore } = list;
  const loadFirst = useCallback((t: Tab) => {
    // the tab counts are a hint beside the list: when they fail, the list still shows
    void getAidTodoCounts().then(setCounts, () => setCounts(null));
    return list.reload(t);
  }, [list.reload]);
  useLoadOnShow(() => void loadFirst(tab), isStaff);

  const loadMore = async () => {
    setMoreError(null);
    await list.loadMore().catch((e) => setMoreError(errorMessage(e)));
  };

  const accept = async (a: AidApplicationListItem) => {
    const { confirm } = await Taro.showModal({ title: '受理申请', content: `受理 ${a.name} 的帮扶申请？受理后您将成为经办人。` });
    if (!confirm) return;
    setBusy(a.id);
    setBanner(null);
    try {
      await acceptAidApplication(a.id);
      setBanner({ kind: 'success', text: `已受理 ${a.name} 的申请` });
      void go(`/pages/aid/application?id=${a.id}`);
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
      void loadFirst(tab);
    } finally {
      setBusy(null);
    }
  };

  if (!isStaff) return <View className='page'><Empty text='仅工会工作人员可查看帮扶待办' /></View>;

  const count = (label: string, n: number | undefined, id: string, t: Tab) => (
    <View className='app-count' id={id} onClick={() => { setTab(t); void loadFirst(t); }}>
      <Text className='app-count-n'>{n ?? '–'}</Text>
      <Text className='app-count-label'>{label}</Text>
    </View>
  );

  return (
    <View className='page'>
      <View className='page-title'>帮扶待办</View>
      <View className='app-counts'>
        {count('待受理', counts?.submitted, 'todo-count-submitted', 'submitted')}
        {count('超时未受理', counts?.overdue, 'todo-count-overdue', 'overdue')}
        {count('我经办', counts?.mine, 'todo-count-mine', 'mine')}
        {count('待我复核', counts?.toConfirm, 'todo-count-confirm', 'proposed')}
      </View>
      <View className='tabs'>
        {TABS.map(([t, label]) => (
          <View key={t} id={`todo-tab-${t}`} className={`tab ${tab === t ? 'tab-on' : ''}`} onClick={() => { setTab(t); void loadFirst(t); }}>
            {label}
          </View>
        ))}
      </View>
      {banner && <Banner id='todo-banner' kind={banner.kind} message={banner.text} />}
      {error ? (
        <ErrorState message={error} onRetry={() => void loadFirst(tab)} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text='暂无待办' />
      ) : (
        <View>
          {items.map((a) => (
            <View className='card' key={a.id} data-testid={`todo-${a.id}`} data-name={a.name}>
              <View className='row'>
                <Text className='card-title' style={{ marginBottom: 0 }}>{a.name}</Text>
                <View className='aid-inline'>
                  {a.overdue && <Text className='tag app-overdue' data-testid={`todo-overdue-${a.id}`}>超时</Text>}
                  <StatusTag status={a.status} />
                </View>
              </View>
              <View className='muted'>{a.idNumberMasked} · {a.org.name}</View>
              <View className='muted'>
                {a.helpKinds.map((k) => AID_HELP_KIND_LABELS[k]).join('、')} · {a.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')}
                {a.linkedToHousehold ? ' · 拟并入已有档案' : a.matchesHousehold ? ' · 匹配到已有困难职工档案' : ''}
              </View>
              <View className='muted' data-testid={`todo-age-${a.id}`}>已等待 {ageLabel(a.ageHours)}{a.mine ? ' · 我经办' : ''}</View>
              <View className='btn-row'>
                {a.status === 'submitted' && (
                  <Button className='btn btn-primary btn-small' id={`todo-accept-${a.id}`} disabled={busy !== null || undefined} loading={busy === a.id || undefined} onClick={() => void accept(a)}>受理</Button>
                )}
                <Button className='btn btn-plain btn-small' id={`todo-open-${a.id}`} onClick={() => go(`/pages/aid/application?id=${a.id}`)}>详情</Button>
              </View>
            </View>
          ))}
          <Banner message={moreError} />
          {items.length < total ? (
            <Button className='btn btn-plain' id='todo-more' loading={loadingMore || undefined} disabled={loadingMore || undefined} onClick={() => void loadMore()}>加载更多</Button>
          ) : (
            <View className='muted' style={{ textAlign: 'center', padding: '12px' }}>没有更多了</View>
          )}
        </View>
      )}
    </View>
  );
}
