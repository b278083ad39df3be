import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import {
  AID_APPLICATION_STATUS_LABELS, AID_HELP_KIND_LABELS, HARDSHIP_CAUSE_LABELS, ageLabel,
  type AidApplicationListItem, type AidApplicationListQuery, type AidTodoCounts,
} from '@union/shared';
import { acceptAidApplication, getAidTodoCounts, listAidApplications } from '../../api/aid-applications';
import { Empty, Page, ReviewQueue, StatusTag, type ReviewAction, type ReviewTab } from '../../components';
import { hasRole, useSession } from '../../session';
import { applicationTone } from './application-ui';
import { go } from './ui';

const PAGE_SIZE = 10;
const TABS: ReviewTab<AidApplicationListQuery>[] = [
  { key: 'submitted', label: '待受理', query: { status: 'submitted', pageSize: PAGE_SIZE } },
  { key: 'overdue', label: '超时', query: { overdue: true, pageSize: PAGE_SIZE } },
  { key: 'mine', label: '我经办', query: { mine: true, pageSize: PAGE_SIZE } },
  { key: 'proposed', label: '待复核', query: { status: 'proposed', pageSize: PAGE_SIZE } },
  { key: 'closed', label: '已批准', query: { status: 'approved', pageSize: PAGE_SIZE } },
];

const open = (a: AidApplicationListItem) => void go(`/pages/aid/application?id=${a.id}`);

/** 受理: confirmed in a dialog; the staff member becomes the handler and lands on the application's page. */
const ACCEPT: ReviewAction<AidApplicationListItem> = {
  key: 'accept',
  label: '受理',
  confirm: (a) => ({ title: '受理申请', content: `受理 ${a.name} 的帮扶申请？受理后您将成为经办人。`, confirmText: '受理' }),
  run: async (a) => {
    await acceptAidApplication(a.id);
    open(a);
  },
  done: (a) => `已受理 ${a.name} 的申请`,
};

/**
 * 帮扶待办: applications of the subtree to accept and handle, oldest first, with how long each has waited and the
 * 24-hour overdue flag; the counts above the queue are a hint (when they fail to load, the queue still shows).
 */
export default function AidTodoPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [counts, setCounts] = useState<AidTodoCounts | null>(null);

  if (!isStaff) {
    return (
      <Page title='帮扶待办'>
        <Empty text='仅工会工作人员可查看帮扶待办' />
      </Page>
    );
  }

  const count = (label: string, n: number | undefined, id: string) => (
    <View className='app-count' id={id}>
      <Text className='app-count-n'>{n ?? '–'}</Text>
      <Text className='app-count-label'>{label}</Text>
    </View>
  );

  return (
    <Page title='帮扶待办'>
      <View className='app-counts'>
        {count('待受理', counts?.submitted, 'todo-count-submitted')}
        {count('超时未受理', counts?.overdue, 'todo-count-overdue')}
        {count('我经办', counts?.mine, 'todo-count-mine')}
        {count('待我复核', counts?.toConfirm, 'todo-count-confirm')}
      </View>
      <ReviewQueue<AidApplicationListItem, AidApplicationListQuery>
        idPrefix='todo'
        testIdPrefix='todo-'
        tabs={TABS}
        enabled={isStaff}
        fetchPage={(q, page) => listAidApplications({ ...q, page })}
        onReload={() => void getAidTodoCounts().then(setCounts, () => setCounts(null))}
        itemTestId={(a) => `todo-${a.id}`}
        onOpen={open}
        actions={(a) => (a.status === 'submitted' ? [ACCEPT] : [])}
        emptyText={(tab) => (tab === 'submitted' ? '暂无待受理的申请，新的申请会出现在这里' : '暂无记录')}
        card={(a) => ({
          title: a.name,
          tag: { text: AID_APPLICATION_STATUS_LABELS[a.status], tone: applicationTone(a.status) },
          rows: [
            ['身份证号', a.idNumberMasked],
            ['所属工会', a.org.name],
            ['申请帮扶', a.helpKinds.map((k) => AID_HELP_KIND_LABELS[k]).join('、')],
            ['致困原因', a.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')],
            [
              '已等待',
              <View key='age' className='aid-inline'>
                <Text data-testid={`todo-age-${a.id}`}>{ageLabel(a.ageHours)}</Text>
                {a.overdue && <StatusTag text='超时' tone='danger' testId={`todo-overdue-${a.id}`} />}
              </View>,
            ],
            a.mine && ['经办人', '我'],
          ],
          notes: (a.linkedToHousehold || a.matchesHousehold) && (
            <View className='app-question'>{a.linkedToHousehold ? '拟并入已有档案' : '匹配到已有困难职工档案'}</View>
          ),
        })}
      />
    </Page>
  );
}
