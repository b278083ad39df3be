import { ACCEPT_WITHIN_HOURS, type MessageKind } from '@union/shared';

/**
 * What one message says: Chinese title and body, and the page it opens. Only the title goes to WeChat (titles carry
 * no personal data: no name, ID or mobile number, no amount), since service notices show on the lock screen.
 */
export interface MessageText {
  title: string;
  body: string;
  targetPage: string | null;
}

/** `2026-11` → `2026年11月` (what people read, never the ISO form). */
export function periodWords(period: string): string {
  const [y, m] = period.split('-');
  return m ? `${y}年${Number(m)}月` : period;
}

/** `2026-11-20` → `2026年11月20日`. */
export function dateWords(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? `${y}年${Number(m)}月${Number(d)}日` : date;
}

/** Chinese texts of every message kind. Amounts are fen; `yuan` formats them for people. */
export const MESSAGE_TEXTS = {
  membershipApproved: (p: { orgName: string; memberNo: string }): MessageText => ({
    title: '入会申请已通过', body: `您已成为${p.orgName}会员，会员编号${p.memberNo}。`, targetPage: 'pages/membership/card',
  }),
  membershipReturned: (p: { orgName: string; reason: string }): MessageText => ({
    title: '入会申请被退回', body: `${p.orgName}退回了您的入会申请，原因：${p.reason}`, targetPage: 'pages/membership/progress',
  }),
  membershipTransferred: (p: { orgName: string }): MessageText => ({
    title: '会籍转移已完成', body: `您的会籍已转入${p.orgName}。`, targetPage: 'pages/membership/card',
  }),
  aidReceived: (p: { id: number; orgName: string }): MessageText => ({
    title: '帮扶申请已收到', body: `${p.orgName}已收到您的帮扶申请，工作人员将在2个工作日内受理。`, targetPage: `pages/aid/application?id=${p.id}`,
  }),
  aidInfoRequested: (p: { id: number; question: string }): MessageText => ({
    title: '帮扶申请需补充材料', body: `请补充：${p.question}`, targetPage: `pages/aid/application?id=${p.id}`,
  }),
  aidVisitScheduled: (p: { id: number; date: string }): MessageText => ({
    title: '已安排入户核实', body: `工作人员将于${dateWords(p.date)}上门核实情况，请保持电话畅通。`, targetPage: `pages/aid/application?id=${p.id}`,
  }),
  aidApproved: (p: { id: number }): MessageText => ({
    title: '帮扶申请已批准', body: '您的帮扶申请已批准，已建立困难职工档案。', targetPage: `pages/aid/application?id=${p.id}`,
  }),
  aidRejected: (p: { id: number; reason: string }): MessageText => ({
    title: '帮扶申请未获批准', body: `原因：${p.reason}`, targetPage: `pages/aid/application?id=${p.id}`,
  }),
  aidQueued: (p: { id: number; orgName: string; nameMasked: string }): MessageText => ({
    title: '新的帮扶申请待受理', body: `${p.orgName}收到${p.nameMasked}的帮扶申请，请及时受理。`, targetPage: `pages/aid/application?id=${p.id}`,
  }),
  aidOverdueDigest: (p: { count: number }): MessageText => ({
    title: '帮扶申请超时未受理', body: `您负责范围内有${p.count}件帮扶申请提交超过${ACCEPT_WITHIN_HOURS}小时仍未受理，请尽快处理。`, targetPage: 'pages/aid/todo',
  }),
  payoutPaid: (p: { period: string; amountYuan: string }): MessageText => ({
    title: '本月补助已发放', body: `${periodWords(p.period)}困难补助${p.amountYuan}元已发放到您的账户。`, targetPage: 'pages/aid/my',
  }),
  payoutReturned: (p: { batchId: number; householdId: number; reason: string }): MessageText => ({
    title: '补助发放被银行退回', body: `家庭编号${p.householdId}的补助被银行退回，原因：${p.reason}`, targetPage: `pages/aid/batch?id=${p.batchId}`,
  }),
  campaignOpening: (p: { campaignId: number; name: string; startsAt: string }): MessageText => ({
    title: '活动即将开始', body: `您预约提醒的「${p.name}」将于${p.startsAt}开始领取。`, targetPage: `pages/vouchers/index?campaignId=${p.campaignId}`,
  }),
  voucherExpiring: (p: { voucherId: number; name: string; validUntil: string }): MessageText => ({
    title: '消费券即将过期', body: `您的「${p.name}」将于${p.validUntil}过期，请尽快使用。`, targetPage: `pages/vouchers/detail?id=${p.voucherId}`,
  }),
  voucherRedeemed: (p: { voucherId: number; merchantName: string; faceValueYuan: string; orderAmountYuan: string }): MessageText => ({
    title: '消费券已核销', body: `您在${p.merchantName}使用了${p.faceValueYuan}元消费券，订单金额${p.orderAmountYuan}元。`, targetPage: `pages/vouchers/detail?id=${p.voucherId}`,
  }),
  lotteryWon: (p: { campaignId: number; name: string }): MessageText => ({
    title: '摇号中签', body: `您参加的「${p.name}」摇号已开奖：恭喜中签，消费券已放入您的券包。`, targetPage: `pages/vouchers/lottery?id=${p.campaignId}`,
  }),
  lotteryLost: (p: { campaignId: number; name: string }): MessageText => ({
    title: '摇号结果', body: `您参加的「${p.name}」摇号已开奖，很遗憾未中签。开奖证明可在活动页查看。`, targetPage: `pages/vouchers/lottery?id=${p.campaignId}`,
  }),
  settlementReady: (p: { merchantName: string; period: string }): MessageText => ({
    title: '结算单已生成', body: `${p.merchantName}${dateWords(p.period)}的结算单已生成，请核对。`, targetPage: 'pages/vouchers/settlement',
  }),
  stationReportAnswered: (p: { stationId: number; stationName: string }): MessageText => ({
    title: '您的反馈已处理', body: `您对「${p.stationName}」反馈的问题已由站长处理，感谢您的反馈。`, targetPage: `pages/stations/detail?id=${p.stationId}`,
  }),
} satisfies Record<string, (p: any) => MessageText>;

/** The kinds that are reminders: held in quiet hours (22:00–08:00 Asia/Shanghai). */
export const REMINDER_KINDS: MessageKind[] = ['campaign_opening', 'voucher_expiring', 'aid_application_overdue_digest'];
