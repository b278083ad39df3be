import type { OrgSummary } from '../orgs';
export * from './validators';

/** Occupations of the workers we serve (新就业形态劳动者 and others). */
export const OCCUPATIONS = ['food_delivery', 'courier', 'ride_hailing', 'truck_driver', 'other'] as const;
export type Occupation = (typeof OCCUPATIONS)[number];
export const OCCUPATION_LABELS: Record<Occupation, string> = {
  food_delivery: '外卖配送员',
  courier: '快递员',
  ride_hailing: '网约车司机',
  truck_driver: '货车司机',
  other: '其他',
};

/** Platforms a worker may work through (free text is allowed; these are suggestions). */
export const PLATFORMS = ['美团', '饿了么', '顺丰', '京东', '中通', '圆通', '滴滴', '货拉拉', '满帮', '其他'] as const;

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  pending: '审核中',
  approved: '已通过',
  rejected: '已驳回',
};
/** `join`: a first membership; `transfer`: an active member moving to another org (转会). */
export type ApplicationKind = 'join' | 'transfer';

/** `POST /api/membership/join-codes` (union_staff): create a join code for a grassroots org in the caller's subtree. */
export interface CreateJoinCodeRequest {
  orgCode: string;
  label?: string;
  /** ISO instant; omitted → never expires. */
  expiresAt?: string;
}

/** A join code as staff see it. `url` is the H5 join page, also the QR's content. */
export interface JoinCodeView {
  code: string;
  url: string;
  orgName: string;
  orgCode: string;
  label: string | null;
  expiresAt: string | null;
  revoked: boolean;
  createdAt: string;
}

/** `GET /api/membership/join-codes/{code}` (public). */
export interface JoinCodeLookup {
  orgName: string;
  orgCode: string;
  acceptsApplications: boolean;
}

/** `POST /api/membership/applications` (logged-in user). */
export interface CreateApplicationRequest {
  joinCode: string;
  name: string;
  /** 18-character citizen ID number (GB 11643). */
  idNumber: string;
  /** Mainland mobile number, 11 digits. */
  mobile: string;
  occupation: Occupation;
  platform?: string;
  workCity?: string;
  /** Consent to processing personal information (PIPL); must be `true`. */
  consent: boolean;
}

/** `POST /api/membership/transfers` (member): ask to move to the org of `joinCode`. */
export interface CreateTransferRequest {
  joinCode: string;
}

/** An application; ID and mobile numbers are always masked. */
export interface ApplicationView {
  id: number;
  kind: ApplicationKind;
  status: ApplicationStatus;
  name: string;
  idNumberMasked: string;
  mobileMasked: string;
  occupation: Occupation;
  platform: string | null;
  workCity: string | null;
  org: OrgSummary;
  fromOrg: OrgSummary | null;
  rejectReason: string | null;
  memberNo: string | null;
  createdAt: string;
  reviewedAt: string | null;
  /**
   * Staff views only (list and detail; absent from the applicant's own list): whether the application's ID number
   * matches an existing member or another pending application (other than the application's own member), e.g. an
   * attempt refused with ID_NUMBER_UNAVAILABLE. null = no match. Reading it is audited (`read_id_number_match`).
   */
  idNumberMatch?: IdNumberMatch | null;
}

/** What an application's ID number matches, for staff. */
export interface IdNumberMatch {
  kind: 'member' | 'pending_application';
  /** The org of the member / of the pending application when it lies in the reader's subtree; null = another union. */
  org: OrgSummary | null;
}

/** `GET /api/membership/applications` query (union_staff, scoped to the caller's subtree). */
export interface ApplicationListQuery {
  status?: ApplicationStatus;
  orgCode?: string;
  occupation?: Occupation;
  page?: number;
  pageSize?: number;
}

/** `POST /api/membership/applications/{id}/reject`. */
export interface RejectApplicationRequest {
  reason: string;
}

/** `GET /api/membership/card`: the caller's electronic membership card. */
export interface MemberCardView {
  memberNo: string;
  name: string;
  org: OrgSummary;
  occupation: Occupation;
  platform: string | null;
  /** ISO instant of joining. */
  joinedAt: string;
  status: 'active';
  /** Rotating signed code, drawn as the card's QR. */
  cardCode: string;
  /** ISO instant after which `cardCode` is refused (410). */
  cardCodeExpiresAt: string;
  /** Lifetime of a card code, seconds. */
  cardCodeTtlSeconds: number;
  history: MembershipHistoryEntry[];
}

export interface MembershipHistoryEntry {
  org: OrgSummary;
  event: 'joined' | 'transferred_in';
  at: string;
}

/** `POST /api/membership/card/verify` (union_staff, station_keeper, merchant_clerk). */
export interface VerifyCardRequest {
  cardCode: string;
}

/** A member as a verifier sees them: masked. */
export interface MemberSummary {
  memberNo: string;
  nameMasked: string;
  org: OrgSummary;
  occupation: Occupation;
  status: 'active';
}

/** A member as staff list them (masked personal data). */
export interface MemberView {
  id: number;
  memberNo: string;
  name: string;
  idNumberMasked: string;
  mobileMasked: string;
  occupation: Occupation;
  platform: string | null;
  org: OrgSummary;
  joinedAt: string;
}

/** `GET /api/membership/stats` (union_staff, subtree). */
export interface MembershipStats {
  totalMembers: number;
  byOccupation: Array<{ occupation: Occupation; count: number }>;
  byPlatform: Array<{ platform: string; count: number }>;
  byOrg: Array<{ org: OrgSummary; count: number }>;
  /** Applications submitted per Asia/Shanghai day, last 30 days. */
  applicationsPerDay: Array<{ date: string; count: number }>;
  pendingApplications: number;
  /** Average seconds from submission to review over reviewed applications; null when none. */
  averageApprovalSeconds: number | null;
}

export const MembershipErrorCode = {
  JOIN_CODE_NOT_FOUND: 'JOIN_CODE_NOT_FOUND',
  JOIN_CODE_EXPIRED: 'JOIN_CODE_EXPIRED',
  JOIN_CODE_REVOKED: 'JOIN_CODE_REVOKED',
  ALREADY_PENDING: 'ALREADY_PENDING',
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  /**
   * The ID number cannot apply online now: one neutral answer (409, naming no union) whether the number belongs to
   * a member here or elsewhere or to another account's pending application. Staff see which (`idNumberMatch`).
   */
  ID_NUMBER_UNAVAILABLE: 'ID_NUMBER_UNAVAILABLE',
  NOT_MEMBER: 'NOT_MEMBER',
  SAME_ORG: 'SAME_ORG',
  NOT_PENDING: 'NOT_PENDING',
  CARD_CODE_INVALID: 'CARD_CODE_INVALID',
  CARD_CODE_EXPIRED: 'CARD_CODE_EXPIRED',
  ORG_NOT_GRASSROOTS: 'ORG_NOT_GRASSROOTS',
} as const;
