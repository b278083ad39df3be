import type {
  MarkAllReadResult, MessageListQuery, MessageTopic, MessageView, Page, RecordSubscriptionsRequest, SubscribeTemplatesView, UnreadCountView,
} from '@union/shared';
import { request, withQuery } from './client';

/** 消息: the caller's own messages, newest first. */
export const listMessages = (q: MessageListQuery = {}) => request<Page<MessageView>>('GET', withQuery('/messages', { ...q, unread: q.unread ? 'true' : undefined }));
export const getUnreadCount = () => request<UnreadCountView>('GET', '/messages/unread-count');
export const markMessageRead = (id: number) => request<MessageView>('POST', `/messages/${id}/read`);
export const markAllMessagesRead = () => request<MarkAllReadResult>('POST', '/messages/read-all');
/** Template ids of the subscribe messages, by topic (only the configured ones). */
export const getSubscribeTemplates = () => request<SubscribeTemplatesView>('GET', '/messages/subscribe-templates');
/** Records what `requestSubscribeMessage` answered: each accept allows one WeChat notice of that topic. */
export const recordSubscriptions = (body: RecordSubscriptionsRequest) => request<{ granted: MessageTopic[] }>('POST', '/messages/subscriptions', body);
