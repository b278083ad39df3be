/** Types, enums, constants and validators of the vouchers module (消费券). Money in fen, times ISO UTC. */
import type { Occupation } from '../membership';
import type { OrgSummary } from '../orgs';
import type { Page } from '../common/paging';
export * from './validators';
export * from './lottery';
import type { CampaignAllocation, LotteryRulesInput } from './lottery';

/** Merchant categories (fixed list). */
export const MERCHANT_CATEGORIES = ['catering', 'supermarket', 'clothing', 'appliances', 'tourism', 'other'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];
export const MERCHANT_CATEGORY_LABELS: Record<MerchantCategory, string> = {
  catering: '餐饮',
  supermarket: '商超',
  clothing: '服装',
  appliances: '家电',
  tourism: '文旅',
  other: '其他',
};

export type MerchantStatus = 'pending' | 'approved' | 'rejected';
export const MERCHANT_STATUS_LABELS: Record<MerchantStatus, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回' };

/** `POST /api/vouchers/merchants` (any logged-in user): apply as a merchant; the applicant becomes its owner clerk. */
export interface CreateMerchantRequest {
  name: string;
  category: MerchantCategory;
  address: string;
  /** GCJ-02 degrees. */
  lat: number;
  lng: number;
  /** 统一社会信用代码, 18 characters, GB 32100. */
  licenceNo: string;
  contactName: string;
  /** Mainland mobile; stored encrypted, shown masked. */
  contactMobile: string;
  /** Org code (grassroots or higher) where the merchant trades; its staff review. */
  orgCode: string;
  /** Note on discounts shown to members. */
  discountNote?: string;
}

export interface MerchantView {
  id: number;
  name: string;
  category: MerchantCategory;
  address: string;
  lat: number;
  lng: number;
  licenceNo: string;
  contactName: string;
  contactMobileMasked: string;
  org: OrgSummary;
  status: MerchantStatus;
  discountNote: string | null;
  rejectReason: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

export interface MerchantListQuery {
  status?: MerchantStatus;
  page?: number;
  pageSize?: number;
}

export interface RejectMerchantRequest {
  reason: string;
}

/** `POST /api/vouchers/merchants/clerk-invites` (owner clerk) → a signed invite code. */
export interface ClerkInviteView {
  code: string;
  expiresAt: string;
  merchantName: string;
}

/** `POST /api/vouchers/merchants/clerks` (logged-in user): accept an invite and become the merchant's clerk. */
export interface AcceptClerkInviteRequest {
  inviteCode: string;
}

/** The caller's merchant binding (`GET /api/vouchers/clerk/me`). */
export interface ClerkView {
  merchant: MerchantView;
  role: 'owner' | 'clerk';
}

/** A merchant as members see it in a campaign's list (`GET /api/vouchers/campaigns/{id}/merchants`). */
export interface PublicMerchantView {
  id: number;
  name: string;
  category: MerchantCategory;
  address: string;
  lat: number;
  lng: number;
  discountNote: string | null;
  /** Metres from the given location; null without one. */
  distanceMetres: number | null;
}

export interface CampaignMerchantQuery {
  category?: MerchantCategory;
  /** GCJ-02 latitude/longitude of the member, to sort by distance. */
  lat?: number;
  lng?: number;
  page?: number;
  pageSize?: number;
}

export type CampaignStatus = 'draft' | 'published' | 'closed';
export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = { draft: '草稿', published: '已发布', closed: '已结束' };
export type ValidityKind = 'fixed' | 'relative';
export type MerchantScopeKind = 'all' | 'categories' | 'merchants';
export const MERCHANT_SCOPE_LABELS: Record<MerchantScopeKind, string> = { all: '全部商户', categories: '指定品类', merchants: '指定商户' };

export interface VoucherTypeInput {
  name: string;
  faceValueFen: number;
  /** 满减 threshold; 0 = no threshold. */
  minSpendFen: number;
  quantity: number;
  /** Vouchers of this type one member may hold. */
  perMemberLimit: number;
  /**
   * With release rounds (`roundCount` ≥ 2): the stock each round releases; `quantity` must equal
   * `roundQuantity × roundCount`. Omitted or null without rounds.
   */
  roundQuantity?: number | null;
}

/** `POST /api/vouchers/manage/campaigns` (union_staff): a draft campaign of the caller's org (or `orgCode` in the subtree). */
export interface CreateCampaignRequest {
  name: string;
  description?: string;
  orgCode?: string;
  budgetFen: number;
  types: VoucherTypeInput[];
  /** Vouchers of the whole campaign one member may hold. */
  perMemberLimit: number;
  /**
   * Vouchers of the whole campaign one member may claim per Asia/Shanghai calendar day (每人每日限领), 1–`perMemberLimit`;
   * omitted or null = no daily cap. Frozen once published, like the other limits.
   */
  perMemberDailyLimit?: number | null;
  /**
   * Release rounds (分轮发放): 2–31 rounds, round k (1-based) opening at `claimStartAt + (k−1) × roundIntervalMinutes`
   * (e.g. 1440 = every day at the start time), each releasing every type's `roundQuantity`; omitted or null = one round.
   */
  roundCount?: number | null;
  /** Minutes between round openings, 60–10080 (one hour to one week); required with `roundCount`. */
  roundIntervalMinutes?: number | null;
  /** What a round leaves unclaimed: true (default) rolls over to the next rounds, false lapses. */
  roundRollover?: boolean;
  /** Only these occupations may claim; omitted or empty = every active member of the subtree. */
  occupations?: Occupation[];
  claimStartAt: string;
  claimEndAt: string;
  validityKind: ValidityKind;
  /** fixed: first and last instant of validity. */
  validFrom?: string;
  validUntil?: string;
  /** relative: days of validity from the claim. */
  validDays?: number;
  merchantScope: MerchantScopeKind;
  categories?: MerchantCategory[];
  merchantIds?: number[];
  /** Default `first_come`; `lottery` needs `lottery` (registration from `claimStartAt` to its `registrationEndAt`, then the draw). */
  allocation?: CampaignAllocation;
  lottery?: LotteryRulesInput;
}

/** `PATCH /api/vouchers/manage/campaigns/{id}`: any field in draft; after publishing only name, description, claim end. Allocation and lottery rules are set on create. */
export type UpdateCampaignRequest = Partial<Omit<CreateCampaignRequest, 'allocation' | 'lottery'>>;

/** `POST /api/vouchers/manage/campaigns/{id}/types/{typeId}/stock`: raise the quantity (only up, within budget). */
export interface AddStockRequest {
  quantity: number;
}

export interface VoucherTypeView extends VoucherTypeInput {
  id: number;
  claimed: number;
  remaining: number;
}

/** A campaign as staff manage it. */
export interface CampaignView {
  id: number;
  name: string;
  description: string | null;
  org: OrgSummary;
  status: CampaignStatus;
  budgetFen: number;
  /** Σ face value × quantity. */
  allocatedFen: number;
  types: VoucherTypeView[];
  perMemberLimit: number;
  /** Per member per Asia/Shanghai day; null = no daily cap. */
  perMemberDailyLimit: number | null;
  /** Release rounds; null = one round (see {@link CreateCampaignRequest.roundCount}). */
  roundCount: number | null;
  roundIntervalMinutes: number | null;
  roundRollover: boolean;
  occupations: Occupation[];
  claimStartAt: string;
  claimEndAt: string;
  validityKind: ValidityKind;
  validFrom: string | null;
  validUntil: string | null;
  validDays: number | null;
  merchantScope: MerchantScopeKind;
  categories: MerchantCategory[];
  merchantIds: number[];
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
  /** ISO time claiming was paused (暂停领取), null while running. */
  pausedAt: string | null;
  /** Whether redemptions of held vouchers are frozen too while paused. */
  redemptionFrozen: boolean;
  /** first_come (claims) or lottery (registration and draw, see `GET …/lottery`). */
  allocation: CampaignAllocation;
}

/** Where the claim window stands for a member. */
export type CampaignPhase = 'upcoming' | 'open' | 'ended';

/** One voucher type in a member's campaign list, with the button state. */
export interface MemberVoucherTypeView {
  id: number;
  name: string;
  faceValueFen: number;
  minSpendFen: number;
  quantity: number;
  /** What can still be claimed now: with release rounds, what the current round has left. */
  remaining: number;
  perMemberLimit: number;
  /** Vouchers of this type the member holds. */
  held: number;
  /** not_started 未开始 / claimable 立即领取 / sold_out 已领完 / limit_reached 已达上限 / ended 已结束. */
  state: 'not_started' | 'claimable' | 'sold_out' | 'limit_reached' | 'ended';
}

/** `GET /api/vouchers/campaigns` (member): campaigns the member is eligible for. */
export interface MemberCampaignView {
  id: number;
  name: string;
  description: string | null;
  org: OrgSummary;
  phase: CampaignPhase;
  claimStartAt: string;
  claimEndAt: string;
  perMemberLimit: number;
  /** Vouchers of this campaign a member may claim per Asia/Shanghai day; null = no daily cap. */
  perMemberDailyLimit: number | null;
  /** Vouchers of this campaign the member holds. */
  held: number;
  types: MemberVoucherTypeView[];
  merchantScope: MerchantScopeKind;
  /** Server time, so the countdown does not trust the device clock. */
  serverTime: string;
  /** Claiming is paused by staff (暂停领取): claims answer 409 CAMPAIGN_PAUSED until resumed. */
  paused: boolean;
  /** With release rounds: the round open now (1-based; 0 before the first) of `count`, and when the next one opens (null after the last). */
  round: { index: number; count: number; nextAt: string | null } | null;
  /** Whether the member tapped 提醒我 (a message 10 minutes before it opens). */
  reminded: boolean;
  /** first_come: claim buttons; lottery: registration and draw (`GET /api/vouchers/campaigns/{id}/lottery`). */
  allocation: CampaignAllocation;
}

/** `POST /api/vouchers/campaigns/{id}/claims` with header `Idempotency-Key`. */
export interface ClaimVoucherRequest {
  voucherTypeId: number;
}

export type VoucherStatus = 'unused' | 'redeemed' | 'expired';
export const VOUCHER_STATUS_LABELS: Record<VoucherStatus, string> = { unused: '未使用', redeemed: '已使用', expired: '已过期' };

export interface VoucherView {
  id: number;
  campaignId: number;
  campaignName: string;
  voucherTypeId: number;
  typeName: string;
  faceValueFen: number;
  minSpendFen: number;
  status: VoucherStatus;
  claimedAt: string;
  validFrom: string;
  validUntil: string;
  redeemedAt: string | null;
  merchantScope: MerchantScopeKind;
}

export interface VoucherListQuery {
  status?: VoucherStatus;
  page?: number;
  pageSize?: number;
}

/** `GET /api/vouchers/my/vouchers/{id}/code`: the rotating redemption code (drawn as a QR). */
export interface RedemptionCodeView {
  code: string;
  expiresAt: string;
  ttlSeconds: number;
}

/** `POST /api/vouchers/redemptions` (merchant clerk) with header `Idempotency-Key`. */
export interface RedeemRequest {
  redemptionCode: string;
  orderAmountFen: number;
}

export type RedemptionStatus = 'active' | 'reversed';

export interface RedemptionView {
  id: number;
  voucherId: number;
  campaignId: number;
  campaignName: string;
  typeName: string;
  merchant: { id: number; name: string };
  clerkUserId: number;
  orderAmountFen: number;
  faceValueFen: number;
  status: RedemptionStatus;
  redeemedAt: string;
  /** Asia/Shanghai calendar day of the redemption, YYYY-MM-DD. */
  serviceDate: string;
  reversedAt: string | null;
}

/**
 * `GET /api/vouchers/redemptions/today?page&pageSize` (clerk): one page of the merchant's redemptions of today
 * (Asia/Shanghai), newest first, reversed ones included (`total` counts them all), with the day's totals over every
 * page: `count` active redemptions, `faceValueFen` and `orderAmountFen` their sums in fen.
 */
export interface TodayRedemptionsView extends Page<RedemptionView> {
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  count: number;
  faceValueFen: number;
  orderAmountFen: number;
}

/** One settlement line: a merchant's active redemptions of one Asia/Shanghai day. */
export interface SettlementLine {
  merchantId: number;
  merchantName: string;
  org: OrgSummary;
  date: string;
  count: number;
  /** What the union owes the merchant. */
  faceValueFen: number;
  orderAmountFen: number;
}

export interface SettlementQuery {
  from?: string;
  to?: string;
  merchantId?: number;
}

export interface SettlementView {
  from: string;
  to: string;
  lines: SettlementLine[];
  totals: { count: number; faceValueFen: number; orderAmountFen: number };
}

/** One inconsistency found by reconciliation. */
export interface ReconciliationDifference {
  kind:
    | 'VOUCHER_NOT_SETTLED'
    | 'VOUCHER_IN_MANY_LINES'
    | 'REDEMPTION_VOUCHER_NOT_REDEEMED'
    | 'FACE_VALUE_MISMATCH'
    | 'TOTAL_MISMATCH';
  voucherId?: number;
  redemptionId?: number;
  message: string;
}

/** `GET /api/vouchers/reconciliation` (staff, admin) and the reconcile command. */
export interface ReconciliationReport {
  checkedAt: string;
  redeemedVouchers: number;
  settledCount: number;
  redeemedFaceValueFen: number;
  settledFaceValueFen: number;
  ok: boolean;
  differences: ReconciliationDifference[];
}

/** `GET /api/vouchers/manage/campaigns/{id}/stats`. */
export interface CampaignStats {
  campaignId: number;
  claimedCount: number;
  claimedFen: number;
  redeemedCount: number;
  redeemedFen: number;
  /** Order totals where vouchers were redeemed (带动消费). */
  drivenSpendingFen: number;
  /** drivenSpending ÷ redeemed face value; null when nothing redeemed. */
  leverage: number | null;
  byDay: Array<{ date: string; claimed: number; redeemed: number; redeemedFen: number; drivenSpendingFen: number }>;
  byCategory: Array<{ category: MerchantCategory; redeemed: number; redeemedFen: number; drivenSpendingFen: number }>;
  byOrg: Array<{ org: OrgSummary; claimed: number; claimedFen: number }>;
}

/**
 * Spending driven by one employer's members (`GET /api/vouchers/manage/campaigns/{id}/stats/employers`, paged,
 * largest `drivenSpendingFen` first). The employer is the member's `platform` as recorded in their membership
 * (平台企业/工作单位, as it is now, not when claiming); `null` = none recorded (未填写). Amounts in fen.
 */
export interface EmployerSpendingRow {
  employer: string | null;
  /** Distinct members of this employer holding vouchers of the campaign. */
  members: number;
  claimed: number;
  claimedFen: number;
  /** Vouchers with an active (not reversed) redemption, their face value and order totals (带动消费). */
  redeemed: number;
  redeemedFen: number;
  drivenSpendingFen: number;
}

/** Spending driven at one merchant (`GET …/stats/merchants`, paged, largest `drivenSpendingFen` first). Amounts in fen. */
export interface MerchantSpendingRow {
  merchantId: number;
  merchantName: string;
  category: MerchantCategory;
  org: OrgSummary;
  /** Active (not reversed) redemptions of the campaign's vouchers at this merchant. */
  redeemed: number;
  redeemedFen: number;
  drivenSpendingFen: number;
}

/** Shown when `EmployerSpendingRow.employer` is null. */
export const EMPLOYER_NOT_RECORDED = '未填写';

/** Seconds between two refreshes of the staff campaign page (it refreshes only while visible). */
export const CAMPAIGN_LIVE_REFRESH_SECONDS = 5;

/**
 * `GET /api/vouchers/manage/campaigns/{id}/live`: everything the staff campaign page (活动实况) shows, in one answer.
 * Amounts in fen, times ISO UTC, `serverTime` the moment the figures were read.
 */
export interface CampaignLiveView {
  campaignId: number;
  name: string;
  status: CampaignStatus;
  phase: CampaignPhase;
  pausedAt: string | null;
  redemptionFrozen: boolean;
  claimStartAt: string;
  claimEndAt: string;
  serverTime: string;
  /** Claims per minute: `lastMinute` = the last 60 s; `perMinute` = the last 10 one-minute windows ending now, oldest first (its last entry = `lastMinute`). */
  claimRate: { lastMinute: number; perMinute: number[] };
  /** Stock per voucher type; `soldOutAt` = when its last unit was claimed, null while stock remains. */
  types: Array<{ id: number; name: string; faceValueFen: number; quantity: number; claimed: number; remaining: number; soldOutAt: string | null }>;
  /** When the campaign sold out (its last type's `soldOutAt`), null while any type has stock. */
  soldOutAt: string | null;
  claimedCount: number;
  claimedFen: number;
  redeemedCount: number;
  redeemedFen: number;
  drivenSpendingFen: number;
  /** redeemedCount ÷ claimedCount (0–1, rounded to 4 places); null when nothing claimed. */
  redemptionRate: number | null;
  /** The 5 merchants and employers with the most driven spending, and how many there are in all. */
  topMerchants: MerchantSpendingRow[];
  merchantCount: number;
  topEmployers: EmployerSpendingRow[];
  employerCount: number;
}

export const VoucherErrorCode = {
  NOT_STARTED: 'NOT_STARTED',
  ENDED: 'ENDED',
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  LIMIT_REACHED: 'LIMIT_REACHED',
  /** The member's claims of this campaign today (Asia/Shanghai) reached perMemberDailyLimit: come back tomorrow. */
  DAILY_LIMIT_REACHED: 'DAILY_LIMIT_REACHED',
  SOLD_OUT: 'SOLD_OUT',
  ALREADY_REDEEMED: 'ALREADY_REDEEMED',
  VOUCHER_EXPIRED: 'VOUCHER_EXPIRED',
  VOUCHER_NOT_YET_VALID: 'VOUCHER_NOT_YET_VALID',
  BELOW_MIN_SPEND: 'BELOW_MIN_SPEND',
  MERCHANT_NOT_IN_SCOPE: 'MERCHANT_NOT_IN_SCOPE',
  REDEMPTION_CODE_INVALID: 'REDEMPTION_CODE_INVALID',
  REDEMPTION_CODE_EXPIRED: 'REDEMPTION_CODE_EXPIRED',
  NOT_A_CLERK: 'NOT_A_CLERK',
  CAMPAIGN_RULE_FROZEN: 'CAMPAIGN_RULE_FROZEN',
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  IDEMPOTENCY_KEY_REQUIRED: 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  REVERSAL_NOT_ALLOWED: 'REVERSAL_NOT_ALLOWED',
  /** 400: a fixed validity ending before the claim window ends (create, edit, publish). */
  VALIDITY_ENDS_BEFORE_CLAIM_END: 'VALIDITY_ENDS_BEFORE_CLAIM_END',
  /** 410: a claim in a campaign whose fixed validity is already over. */
  VALIDITY_ENDED: 'VALIDITY_ENDED',
  /** 403: a clerk redeeming a voucher their own account claimed. */
  SELF_REDEMPTION: 'SELF_REDEMPTION',
} as const;

/** Chinese messages for the clerk's 扫码核销 result, by error code (the server sends the same wording). */
export const REDEEM_ERROR_MESSAGES: Record<string, string> = {
  ALREADY_REDEEMED: '该券已核销，不能重复使用',
  VOUCHER_EXPIRED: '该券已过期',
  VOUCHER_NOT_YET_VALID: '该券尚未到使用时间',
  BELOW_MIN_SPEND: '订单金额未达到满减门槛',
  MERCHANT_NOT_IN_SCOPE: '本店不在该券的适用商户范围内',
  REDEMPTION_CODE_INVALID: '核销码无效，请让顾客刷新后重新出示',
  REDEMPTION_CODE_EXPIRED: '核销码已过期，请让顾客刷新后重新出示',
  NOT_A_CLERK: '您还不是商户店员',
  SELF_REDEMPTION: '不能核销本人领取的券，请由其他店员为您核销或到其他商户使用',
};

/** The schedule of a campaign's release rounds (分轮发放). */
export interface RoundSchedule {
  claimStartAt: string | Date;
  /** null or 1 = a single round. */
  roundCount: number | null;
  roundIntervalMinutes: number | null;
}

/**
 * The release round open at `now`: its 0-based `index` (−1 before the first opens), `count`, and when the next opens
 * (null after the last). Null for a campaign without rounds. Round k opens at claimStartAt + k × interval.
 */
export function currentRound(s: RoundSchedule, now: Date): { index: number; count: number; nextAt: Date | null } | null {
  if (!s.roundCount || s.roundCount < 2 || !s.roundIntervalMinutes) return null;
  const start = new Date(s.claimStartAt).getTime();
  const step = s.roundIntervalMinutes * 60_000;
  const t = now.getTime();
  const index = t < start ? -1 : Math.min(s.roundCount - 1, Math.floor((t - start) / step));
  const next = index + 1 < s.roundCount ? new Date(start + (index + 1) * step) : null;
  return { index, count: s.roundCount, nextAt: next };
}
