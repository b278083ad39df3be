import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { HARDSHIP_LEVEL_LABELS, HOUSEHOLD_STATUS_LABELS, type HouseholdStatus } from '@union/shared';
import { listHouseholds } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Banner, Empty, ErrorState, Loading } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { go, yuan } from './ui';

const PAGE_SIZE = 10;
type Tab = HouseholdStatus | 'overdue';
const TABS: Array<[Tab, string]> = [['registered', '待审核'], ['active', '在档'], ['overdue', '逾期复核'], ['exited', '已解困']];
const STATUS_TAG: Record<HouseholdStatus, string> = { registered: 'tag-pending', active: 'tag-approved', exited: 'tag-rejected' };

/** 困难职工档案: search and list the subtree's household files; opens a file or the form. */
export default function HouseholdsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [tab, setTab] = useState<Tab>('registered');
  const [q, setQ] = useState('');
  const [moreError, setMoreError] = useState<string | null>(null);
  const query = (t: Tab, p: number) => ({
    ...(t === 'overdue' ? { status: 'active' as const, overdue: true } : { status: t }), q: q.trim() || undefined, page: p, pageSize: PAGE_SIZE,
  });

  // the search box is read when a page is fetched, so 搜索 and 加载更多 use what is typed now
  const list = usePagedList((t: Tab, p: number) => listHouseholds(query(t, p)));
  const { items, total, error, loadingMore } = list;
  const loadFirst = list.reload;
  useLoadOnShow(() => void loadFirst(tab), isStaff);

  const loadMore = async () => {
    setMoreError(null);
    await list.loadMore().catch((e) => setMoreError(errorMessage(e)));
  };

  if (!isStaff) return <View className='page'><Empty text='仅工会工作人员可查看困难职工档案' /></View>;

  return (
    <View className='page'>
      <View className='page-title'>困难职工档案</View>
      <View className='aid-inline' style={{ marginBottom: '16px' }}>
        <Input id='hh-search' className='input' style={{ flex: 1, minWidth: 0 }} placeholder='姓名、身份证号或手机号' value={q} onInput={(e) => setQ(e.detail.value)} onConfirm={() => void loadFirst(tab)} />
        <Button className='btn btn-primary btn-small' id='hh-search-go' style={{ margin: 0 }} onClick={() => void loadFirst(tab)}>
          搜索
        </Button>
      </View>
      <View className='btn-row' style={{ marginBottom: '16px' }}>
        <Button className='btn btn-plain btn-small' id='hh-new' onClick={() => go('/pages/aid/household-form')}>新建档案</Button>
        <Button className='btn btn-plain btn-small' id='hh-import' onClick={() => go('/pages/aid/import')}>档案导入</Button>
      </View>
      <View className='tabs'>
        {TABS.map(([t, label]) => (
          <View key={t} id={`hh-tab-${t}`} className={`tab ${tab === t ? 'tab-on' : ''}`} onClick={() => { setTab(t); void loadFirst(t); }}>
            {label}
            {tab === t && items ? `（${total}）` : ''}
          </View>
        ))}
      </View>
      {error ? (
        <ErrorState message={error} onRetry={() => void loadFirst(tab)} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text='暂无档案' />
      ) : (
        <View>
          {items.map((h) => (
            <View className='card' key={h.id} data-testid={`household-${h.id}`} data-name={h.headName} onClick={() => go(`/pages/aid/household?id=${h.id}`)}>
              <View className='row'>
                <Text className='card-title' style={{ marginBottom: 0 }}>{h.headName}</Text>
                <Text className={`tag ${STATUS_TAG[h.status]}`}>{HOUSEHOLD_STATUS_LABELS[h.status]}{h.reviewOverdue ? ' · 逾期复核' : ''}</Text>
              </View>
              <View className='muted'>
                {h.idNumberMasked} · {HARDSHIP_LEVEL_LABELS[h.level]} · {h.householdSize}人 · 人均{yuan(h.perCapitaIncomeFen)}
              </View>
              <View className='muted'>{h.org.name}</View>
            </View>
          ))}
          <Banner message={moreError} />
          {items.length < total ? (
            <Button className='btn btn-plain' id='hh-more' loading={loadingMore || undefined} disabled={loadingMore || undefined} onClick={() => void loadMore()}>
              加载更多
            </Button>
          ) : (
            <View className='muted' style={{ textAlign: 'center', padding: '12px' }}>没有更多了</View>
          )}
        </View>
      )}
    </View>
  );
}
