import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { HARDSHIP_LEVEL_LABELS, HOUSEHOLD_STATUS_LABELS, type HouseholdStatus } from '@union/shared';
import { listHouseholds } from '../../api/aid';
import { Button, Empty, Field, Money, Page, PagedList, StatusTag, Tap, type StatusTone } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { go } from './ui';

const PAGE_SIZE = 10;
type Tab = HouseholdStatus | 'overdue';
const TABS: Array<[Tab, string]> = [['registered', '待审核'], ['active', '在档'], ['overdue', '逾期复核'], ['exited', '已解困']];
const STATUS_TONE: Record<HouseholdStatus, StatusTone> = { registered: 'pending', active: 'success', exited: 'neutral' };

/** 困难职工档案: search and list the subtree's household files; opens a file or the form. */
export default function HouseholdsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [tab, setTab] = useState<Tab>('registered');
  const [q, setQ] = useState('');
  const query = (t: Tab, p: number) => ({
    ...(t === 'overdue' ? { status: 'active' as const, overdue: true } : { status: t }), q: q.trim() || undefined, page: p, pageSize: PAGE_SIZE,
  });

  // the search box is read when a page is fetched, so 搜索 and 加载更多 use what is typed now
  const list = usePagedList((t: Tab, p: number) => listHouseholds(query(t, p)));
  const loadFirst = list.reload;
  useLoadOnShow(() => void loadFirst(tab), isStaff);

  if (!isStaff) {
    return (
      <Page title='困难职工档案'>
        <Empty text='仅工会工作人员可查看困难职工档案' />
      </Page>
    );
  }

  return (
    <Page title='困难职工档案'>
      <Field id='hh-search' label='搜索档案' hint='输入姓名、身份证号或手机号' value={q} onInput={setQ} />
      <View className='btn-row aid-toolbar'>
        <Button size='small' id='hh-search-go' onClick={() => void loadFirst(tab)}>
          搜索
        </Button>
        <Button kind='plain' size='small' id='hh-new' onClick={() => go('/pages/aid/household-form')}>新建档案</Button>
        <Button kind='plain' size='small' id='hh-import' onClick={() => go('/pages/aid/import')}>档案导入</Button>
      </View>
      <View className='tabs' role='tablist'>
        {TABS.map(([t, label]) => (
          <Tap
            key={t}
            id={`hh-tab-${t}`}
            role='tab'
            checked={tab === t}
            className={`tab ${tab === t ? 'tab-on' : ''}`}
            onClick={() => { setTab(t); void loadFirst(t); }}
          >
            {label}
            {tab === t && list.items ? `（${list.total}）` : ''}
          </Tap>
        ))}
      </View>
      <PagedList
        list={list}
        onRetry={() => void loadFirst(tab)}
        moreId='hh-more'
        emptyText={q.trim() ? '没有找到符合的档案，请换个姓名或号码再搜' : '暂无档案。可以新建档案，或从表格批量导入'}
        renderItem={(h) => (
          <Tap
            className='card'
            key={h.id}
            testId={`household-${h.id}`}
            data={{ name: h.headName }}
            role='link'
            onClick={() => go(`/pages/aid/household?id=${h.id}`)}
          >
            <View className='row review-card-head'>
              <Text className='card-title'>{h.headName}</Text>
              <View className='aid-inline'>
                <StatusTag text={HOUSEHOLD_STATUS_LABELS[h.status]} tone={STATUS_TONE[h.status]} />
                {h.reviewOverdue && <StatusTag text='逾期复核' tone='danger' />}
              </View>
            </View>
            <View className='row'>
              <Text className='row-label'>身份证号</Text>
              <Text className='row-value'>{h.idNumberMasked}</Text>
            </View>
            <View className='row'>
              <Text className='row-label'>困难类别</Text>
              <Text className='row-value'>{HARDSHIP_LEVEL_LABELS[h.level]} · {h.householdSize}人</Text>
            </View>
            <View className='row'>
              <Text className='row-label'>人均月收入</Text>
              <Money className='row-value' fen={h.perCapitaIncomeFen} />
            </View>
            <View className='row'>
              <Text className='row-label'>所属工会</Text>
              <Text className='row-value'>{h.org.name}</Text>
            </View>
            <View className='link'>查看档案 ›</View>
          </Tap>
        )}
      />
    </Page>
  );
}
