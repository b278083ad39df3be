import type { PageQuery } from '../common/paging';

/**
 * What a message is about. Each kind has its Chinese title, the page it opens and the subscribe-message
 * template topic (`MessageTopic`) it is sent under (WeChat one-time subscription, see
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html).
 */
export type MessageKind =
  | 'membership_approved'
  | 'membership_returned'
  | 'membership_transferred'
  | 'aid_application_received'
  | 'aid_application_info_requested'
  | 'aid_application_visit_scheduled'
  | 'aid_application_approved'
  | 'aid_application_rejected'
  | 'aid_application_queued'
  | 'aid_application_overdue_digest'
  | 'aid_payout_paid'
  | 'aid_payout_returned'
  | 'campaign_opening'
  | 'voucher_expiring'
  | 'voucher_redeemed'
  | 'lottery_won'
  | 'lottery_lost'
  | 'settlement_ready'
  | 'station_report_answered';

/** Subscribe-message template topics; each maps to one template id in the server config (`WECHAT_TEMPLATES`). */
export type MessageTopic = 'membership' | 'aid_application' | 'aid_payout' | 'campaign_reminder' | 'voucher' | 'station_report' | 'staff_queue';
export const MESSAGE_TOPICS: MessageTopic[] = ['membership', 'aid_application', 'aid_payout', 'campaign_reminder', 'voucher', 'station_report', 'staff_queue'];

export const MESSAGE_KIND_TOPIC: Record<MessageKind, MessageTopic> = {
  membership_approved: 'membership',
  membership_returned: 'membership',
  membership_transferred: 'membership',
  aid_application_received: 'aid_application',
  aid_application_info_requested: 'aid_application',
  aid_application_visit_scheduled: 'aid_application',
  aid_application_approved: 'aid_application',
  aid_application_rejected: 'aid_application',
  aid_application_queued: 'staff_queue',
  aid_application_overdue_digest: 'staff_queue',
  aid_payout_paid: 'aid_payout',
  aid_payout_returned: 'staff_queue',
  campaign_opening: 'campaign_reminder',
  voucher_expiring: 'voucher',
  voucher_redeemed: 'voucher',
  lottery_won: 'voucher',
  lottery_lost: 'voucher',
  settlement_ready: 'voucher',
  station_report_answered: 'station_report',
};

/** Messages are kept this many days after they were written, then deleted. */
export const MESSAGE_RETENTION_DAYS = 180;

/** One message in the message centre (消息). Times are UTC ISO-8601. */
export interface MessageView {
  id: number;
  kind: MessageKind;
  /** Chinese title, e.g. 入会申请已通过. */
  title: string;
  /** Chinese body; never an ID number or mobile number; an aid amount only to accounts bound to the household. */
  body: string;
  /** Mini-program page the message opens, e.g. `pages/membership/card` or `pages/vouchers/campaign?id=3`; null when none. */
  targetPage: string | null;
  readAt: string | null;
  createdAt: string;
}

export interface MessageListQuery extends PageQuery {
  /** true → unread only. */
  unread?: boolean;
}

export interface UnreadCountView {
  unread: number;
}

export interface MarkAllReadResult {
  marked: number;
}

/** What `wx.requestSubscribeMessage` answered per template: accept / reject / ban / filter. */
export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter';

/** Body of `POST /api/messages/subscriptions`: the answers of one requestSubscribeMessage call, by topic. */
export interface RecordSubscriptionsRequest {
  answers: Partial<Record<MessageTopic, SubscribeAnswer>>;
}

/** Template ids the pages ask permission for, by topic (only the configured ones). */
export interface SubscribeTemplatesView {
  templates: Partial<Record<MessageTopic, string>>;
}

/** Delivery state of one message on one channel (WeChat subscribe message). */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'in_app_only' | 'failed';

/** A WeChat delivery that failed for 24 hours, listed to staff. */
export interface FailedDeliveryView {
  id: number;
  messageId: number;
  kind: MessageKind;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string | null;
}

export const MessagesErrorCode = {
  MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
} as const;

/** Answer of `POST /api/vouchers/campaigns/{id}/reminders` (提醒我): when the reminder will be written (UTC ISO). */
export interface CampaignReminderResult {
  campaignId: number;
  remindAt: string;
}
