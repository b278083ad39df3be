import { MERCHANT_CATEGORY_LABELS, MERCHANT_STATUS_LABELS, type MerchantListQuery, type MerchantStatus, type MerchantView } from '@union/shared';
import { approveMerchant, listMerchants, rejectMerchant } from '../../api/vouchers';
import { Banner, DateText, Empty, Page, ReviewQueue, type ReviewAction, type ReviewTab, type StatusTone } from '../../components';
import { hasRole, useSession } from '../../session';

const PAGE_SIZE = 10;
const TABS: ReviewTab<MerchantListQuery>[] = (['pending', 'approved', 'rejected'] as MerchantStatus[]).map((s) => ({
  key: s,
  label: MERCHANT_STATUS_LABELS[s],
  query: { status: s, pageSize: PAGE_SIZE },
}));
const TONES: Record<MerchantStatus, StatusTone> = { pending: 'pending', approved: 'success', rejected: 'danger' };

const ACTIONS: ReviewAction<MerchantView>[] = [
  {
    key: 'approve',
    label: '通过',
    confirm: (m) => ({ title: '通过商户入驻', content: `确认「${m.name}」入驻，成为消费券适用商户？`, confirmText: '通过' }),
    run: (m) => approveMerchant(m.id),
    done: (m) => `已通过「${m.name}」的入驻申请`,
  },
  {
    key: 'reject',
    label: '驳回',
    kind: 'plain',
    reason: { label: '驳回原因', placeholder: '请说明驳回原因，商户可以看到', maxLength: 200, confirmLabel: '确认驳回' },
    run: (m, reason) => rejectMerchant(m.id, reason ?? ''),
    done: (m) => `已驳回「${m.name}」`,
  },
];

/** 商户审核: staff approve or reject the merchants that trade in their subtree (the kit's ReviewQueue). */
export default function MerchantReviewPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  if (!isStaff) {
    return (
      <Page title='商户审核'>
        <Empty text='仅工会工作人员可审核商户' />
      </Page>
    );
  }
  return (
    <Page title='商户审核'>
      <ReviewQueue<MerchantView, MerchantListQuery>
        idPrefix='mr'
        testIdPrefix='mr-'
        tabs={TABS}
        fetchPage={(q, page) => listMerchants({ ...q, page })}
        itemTestId={(m) => `merchant-${m.id}`}
        keeps={(m, tab) => m.status === tab}
        actions={(m) => (m.status === 'pending' ? ACTIONS : [])}
        emptyText={(tab) => (tab === 'pending' ? '暂无待审核的商户，新的入驻申请会出现在这里' : '暂无记录')}
        card={(m) => ({
          title: m.name,
          tag: { text: MERCHANT_STATUS_LABELS[m.status], tone: TONES[m.status] },
          rows: [
            ['类别', MERCHANT_CATEGORY_LABELS[m.category]],
            ['所属工会', m.org.name],
            ['地址', m.address],
            ['统一社会信用代码', m.licenceNo],
            ['联系人', `${m.contactName} ${m.contactMobileMasked}`],
            ['申请时间', <DateText key='t' value={m.createdAt} />],
            m.discountNote && ['优惠', m.discountNote],
          ],
          notes: m.rejectReason ? <Banner message={`驳回原因：${m.rejectReason}`} /> : undefined,
        })}
      />
    </Page>
  );
}
