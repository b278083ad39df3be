import {
  APPLICATION_STATUS_LABELS,
  OCCUPATION_LABELS,
  type ApplicationListQuery,
  type ApplicationStatus,
  type ApplicationView,
} from '@union/shared';
import { approveApplication, listApplications, rejectApplication } from '../../api/membership';
import { Banner, DateText, Empty, Page, ReviewQueue, type ReviewAction, type ReviewTab } from '../../components';
import { hasRole, useSession } from '../../session';

const PAGE_SIZE = 10;
const TABS: ReviewTab<ApplicationListQuery>[] = (['pending', 'approved', 'rejected'] as ApplicationStatus[]).map((s) => ({
  key: s,
  label: { pending: '待审核', approved: '已通过', rejected: '已驳回' }[s],
  query: { status: s, pageSize: PAGE_SIZE },
}));
const TONES = { pending: 'pending', approved: 'success', rejected: 'danger' } as const;

const ACTIONS: ReviewAction<ApplicationView>[] = [
  {
    key: 'approve',
    label: '通过',
    confirm: (a) => ({ title: '通过入会申请', content: `确认通过 ${a.name} 加入「${a.org.name}」的申请？`, confirmText: '通过' }),
    run: (a) => approveApplication(a.id),
    done: (a, u) => `已通过 ${a.name} 的申请${u && u.memberNo ? `，会员编号 ${u.memberNo}` : ''}`,
  },
  {
    key: 'reject',
    label: '驳回',
    kind: 'plain',
    reason: { label: '驳回原因', placeholder: '请说明驳回原因，申请人可以看到', maxLength: 200, confirmLabel: '确认驳回' },
    run: (a, reason) => rejectApplication(a.id, { reason: reason ?? '' }),
    done: (a) => `已驳回 ${a.name} 的申请`,
  },
];

/** 入会审核: staff approve or reject the membership applications of their subtree. */
export default function ReviewPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff');
  if (!isStaff) {
    return (
      <Page title='入会审核'>
        <Empty text='仅工会工作人员可审核入会申请' />
      </Page>
    );
  }
  return (
    <Page title='入会审核'>
      <ReviewQueue<ApplicationView, ApplicationListQuery>
        idPrefix='review'
        tabs={TABS}
        fetchPage={(q, page) => listApplications({ ...q, page })}
        itemTestId={(a) => `application-${a.id}`}
        keeps={(a, tab) => a.status === tab}
        actions={(a) => (a.status === 'pending' ? ACTIONS : [])}
        emptyText={(tab) => (tab === 'pending' ? '暂无待审核的申请，新的申请会出现在这里' : '暂无记录')}
        card={(a) => ({
          title: `${a.name}${a.kind === 'transfer' ? '（转会）' : ''}`,
          tag: { text: APPLICATION_STATUS_LABELS[a.status], tone: TONES[a.status] },
          rows: [
            ['身份证号', a.idNumberMasked],
            ['手机号', a.mobileMasked],
            ['职业', `${OCCUPATION_LABELS[a.occupation] ?? a.occupation}${a.platform ? ` · ${a.platform}` : ''}`],
            ['申请组织', a.org.name],
            a.fromOrg && ['转出组织', a.fromOrg.name],
            ['提交时间', <DateText key='t' value={a.createdAt} />],
            a.memberNo && ['会员编号', a.memberNo],
          ],
          notes: (
            <>
              {a.rejectReason && <Banner message={`驳回原因：${a.rejectReason}`} />}
              {a.idNumberMatch && (
                <Banner
                  id={`id-match-${a.id}`}
                  kind='info'
                  message={`身份证号与${a.idNumberMatch.kind === 'member' ? '已有会员' : '另一份待审核申请'}一致（${a.idNumberMatch.org?.name ?? '其他工会'}），请核实是否本人申请`}
                />
              )}
            </>
          ),
        })}
      />
    </Page>
  );
}
