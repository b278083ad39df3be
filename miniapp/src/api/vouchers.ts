import type {
  AcceptClerkInviteRequest, AddStockRequest, CampaignLiveView, CampaignMerchantQuery, CampaignReminderResult, EmployerSpendingRow, MerchantSpendingRow, CampaignStats, CampaignStatus, CampaignView, ClerkInviteView, ClerkView,
  CreateCampaignRequest, CreateMerchantRequest, MemberCampaignView, MerchantListQuery, MerchantView, Page, PageQuery, PublicMerchantView,
  ReconciliationReport, RedeemRequest, RedemptionCodeView, RedemptionView, SettlementQuery, SettlementView, TodayRedemptionsView, UpdateCampaignRequest,
  VoucherListQuery, VoucherView,
} from '@union/shared';
import { request, withQuery } from './client';

import { idempotencyHeader as idem } from './idempotency';

export { newIdempotencyKey } from './idempotency';

// Members
export const listMemberCampaigns = (q: PageQuery = {}) => request<Page<MemberCampaignView>>('GET', withQuery('/vouchers/campaigns', { ...q }));
export const claimVoucher = (campaignId: number, voucherTypeId: number, key: string) =>
  request<VoucherView>('POST', `/vouchers/campaigns/${campaignId}/claims`, { voucherTypeId }, 'json', idem(key));
/** 提醒我: a reminder in 消息 (and a WeChat notice with a grant) 10 minutes before the campaign opens. */
export const remindCampaign = (campaignId: number) => request<CampaignReminderResult>('POST', `/vouchers/campaigns/${campaignId}/reminders`);
export const listCampaignMerchants = (campaignId: number, q: CampaignMerchantQuery = {}) =>
  request<Page<PublicMerchantView>>('GET', withQuery(`/vouchers/campaigns/${campaignId}/merchants`, { ...q }));
export const listMyVouchers = (q: VoucherListQuery = {}) => request<Page<VoucherView>>('GET', withQuery('/vouchers/my/vouchers', { ...q }));
export const getMyVoucher = (id: number) => request<VoucherView>('GET', `/vouchers/my/vouchers/${id}`);
export const getRedemptionCode = (id: number) => request<RedemptionCodeView>('GET', `/vouchers/my/vouchers/${id}/code`);

// Merchants and clerks
/** 商户入驻; `key` (kept in the form's draft) makes a retry answer the first application instead of a second one. */
export const applyMerchant = (body: CreateMerchantRequest, key: string) => request<MerchantView>('POST', '/vouchers/merchants', body, 'json', idem(key));
export const listMyMerchants = () => request<MerchantView[]>('GET', '/vouchers/merchants/mine');
export const listMerchants = (q: MerchantListQuery = {}) => request<Page<MerchantView>>('GET', withQuery('/vouchers/merchants', { ...q }));
export const approveMerchant = (id: number) => request<MerchantView>('POST', `/vouchers/merchants/${id}/approve`);
export const rejectMerchant = (id: number, reason: string) => request<MerchantView>('POST', `/vouchers/merchants/${id}/reject`, { reason });
export const createClerkInvite = () => request<ClerkInviteView>('POST', '/vouchers/merchants/clerk-invites');
export const acceptClerkInvite = (body: AcceptClerkInviteRequest) => request<ClerkView>('POST', '/vouchers/merchants/clerks', body);
export const getClerkMe = () => request<ClerkView>('GET', '/vouchers/clerk/me');

// Redemption
export const redeemVoucher = (body: RedeemRequest, key: string) => request<RedemptionView>('POST', '/vouchers/redemptions', body, 'json', idem(key));
/** One page (20) of today's redemptions of the clerk's merchant, newest first, with the day's totals over every page. */
export const getTodayRedemptions = (page = 1) => request<TodayRedemptionsView>('GET', withQuery('/vouchers/redemptions/today', { page }));
export const reverseRedemption = (id: number) => request<RedemptionView>('POST', `/vouchers/redemptions/${id}/reverse`);

// Staff
export const listManagedCampaigns = (q: PageQuery & { status?: CampaignStatus } = {}) =>
  request<Page<CampaignView>>('GET', withQuery('/vouchers/manage/campaigns', { ...q }));
export const createCampaign = (body: CreateCampaignRequest) => request<CampaignView>('POST', '/vouchers/manage/campaigns', body);
export const updateCampaign = (id: number, body: UpdateCampaignRequest) => request<CampaignView>('PATCH', `/vouchers/manage/campaigns/${id}`, body);
export const publishCampaign = (id: number) => request<CampaignView>('POST', `/vouchers/manage/campaigns/${id}/publish`);
export const closeCampaign = (id: number) => request<CampaignView>('POST', `/vouchers/manage/campaigns/${id}/close`);
export const pauseCampaign = (id: number, freezeRedemption = false) => request<CampaignView>('POST', `/vouchers/manage/campaigns/${id}/pause`, { freezeRedemption });
export const resumeCampaign = (id: number) => request<CampaignView>('POST', `/vouchers/manage/campaigns/${id}/resume`);
export const addStock = (id: number, typeId: number, body: AddStockRequest) =>
  request<CampaignView>('POST', `/vouchers/manage/campaigns/${id}/types/${typeId}/stock`, body);
export const getCampaignStats = (id: number) => request<CampaignStats>('GET', `/vouchers/manage/campaigns/${id}/stats`);
/** Spending driven by employer / by merchant, largest first, and their CSV exports (text, bearer token sent by the one client). */
export const getSpendingByEmployer = (id: number, q: PageQuery = {}) =>
  request<Page<EmployerSpendingRow>>('GET', withQuery(`/vouchers/manage/campaigns/${id}/stats/employers`, { ...q }));
export const getSpendingByMerchant = (id: number, q: PageQuery = {}) =>
  request<Page<MerchantSpendingRow>>('GET', withQuery(`/vouchers/manage/campaigns/${id}/stats/merchants`, { ...q }));
export const exportSpendingCsv = (id: number, by: 'employers' | 'merchants') =>
  request<string>('GET', `/vouchers/manage/campaigns/${id}/stats/${by}.csv`, undefined, 'text');
/** Everything the staff campaign page (活动实况) shows, in one request. */
export const getCampaignLive = (id: number) => request<CampaignLiveView>('GET', `/vouchers/manage/campaigns/${id}/live`);
export const getSettlement = (q: SettlementQuery = {}) => request<SettlementView>('GET', withQuery('/vouchers/settlements', { ...q }));
/** Path (under API_BASE) of the settlement CSV; it needs the bearer token, so the page downloads it through Taro. */
export const settlementCsvPath = (q: SettlementQuery = {}) => withQuery('/vouchers/settlements/export.csv', { ...q });
/** The settlement CSV text (bearer token sent by the one client). */
export const exportSettlementCsv = (q: SettlementQuery = {}) => request<string>('GET', settlementCsvPath(q), undefined, 'text');
export const getReconciliation = () => request<ReconciliationReport>('GET', '/vouchers/reconciliation');
