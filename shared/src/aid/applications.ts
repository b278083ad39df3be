/**
 * Online aid applications (帮扶申请): a worker asks for help from the phone; staff of the chosen org's
 * subtree accept it (待办), visit the home (入户核实), decide (four-eyes for a new household file), and
 * approved households are shown on the org's public notice (公示) for a number of days.
 */
import type { OrgSummary } from '../orgs';
import type { AidType, EmploymentStatus, HardshipCause, HardshipLevel, NeedTag } from './index';

// ---------------------------------------------------------------- enums, labels, limits

/** The kinds of help asked for: monthly living aid, medical, education, an emergency one-off. */
export const AID_HELP_KINDS = ['living', 'medical', 'education', 'emergency'] as const;
export type AidHelpKind = (typeof AID_HELP_KINDS)[number];
export const AID_HELP_KIND_LABELS: Record<AidHelpKind, string> = {
  living: '生活救助', medical: '医疗救助', education: '助学', emergency: '临时救助（一次性）',
};

/**
 * submitted (待受理) → accepted (已受理: a handler took it) → visiting (入户核实) → proposed (待复核: the handler
 * proposed approval, a second staff member confirms) → approved; or rejected with a reason; or
 * info_requested (待补充材料) → the applicant answers → accepted.
 */
export const AID_APPLICATION_STATUSES = ['submitted', 'accepted', 'info_requested', 'visiting', 'proposed', 'approved', 'rejected', 'withdrawn'] as const;
export type AidApplicationStatus = (typeof AID_APPLICATION_STATUSES)[number];
export const AID_APPLICATION_STATUS_LABELS: Record<AidApplicationStatus, string> = {
  submitted: '待受理', accepted: '已受理', info_requested: '待补充材料', visiting: '入户核实', proposed: '待复核', approved: '已批准', rejected: '未批准', withdrawn: '已撤回',
};
/**
 * Statuses in which an application is still open, i.e. not decided: the applicant may withdraw it. One open
 * application per account and ID number (another account's open application with the same ID never blocks).
 */
export const AID_APPLICATION_OPEN_STATUSES: AidApplicationStatus[] = ['submitted', 'accepted', 'info_requested', 'visiting', 'proposed'];

export const AID_APPLICATION_EVENT_TYPES = [
  'submitted', 'accepted', 'info_requested', 'info_answered', 'visit_scheduled', 'visit_recorded', 'decision_proposed', 'approved', 'rejected', 'document_added',
  'withdrawn', 'document_deleted',
] as const;
export type AidApplicationEventType = (typeof AID_APPLICATION_EVENT_TYPES)[number];
export const AID_APPLICATION_EVENT_LABELS: Record<AidApplicationEventType, string> = {
  submitted: '提交申请', accepted: '工会已受理', info_requested: '请补充材料', info_answered: '已补充说明', visit_scheduled: '已安排入户核实',
  visit_recorded: '已完成入户核实', decision_proposed: '已提出审批意见', approved: '申请已批准', rejected: '申请未获批准', document_added: '上传材料',
  withdrawn: '申请人撤回申请', document_deleted: '删除材料',
};

/** `applicant`: supporting documents of the applicant; `visit`: photos of the home visit (staff). */
export type AidDocumentKind = 'applicant' | 'visit';

/** At most this many documents of each kind per application. */
export const MAX_APPLICATION_DOCUMENTS = 5;
/** Largest document, bytes (5 MB). */
export const MAX_APPLICATION_DOCUMENT_BYTES = 5 * 1024 * 1024;
/** An application not accepted within this many hours of submission is overdue. */
export const ACCEPT_WITHIN_HOURS = 24;
/** Days an approved household stays on the public notice unless AID_NOTICE_DAYS says otherwise. */
export const DEFAULT_NOTICE_DAYS = 5;
export const APPLICATION_ACCOUNT_MAX = 1000;

// ---------------------------------------------------------------- pure rules

/** Whether a submitted application is overdue: still not accepted {@link ACCEPT_WITHIN_HOURS} after submission. */
export function isAcceptOverdue(status: AidApplicationStatus, submittedAt: Date | string, now: Date | number): boolean {
  return status === 'submitted' && new Date(now).getTime() - new Date(submittedAt).getTime() > ACCEPT_WITHIN_HOURS * 3600_000;
}

/** Age of an item in whole hours (for the to-do list). */
export function ageHours(since: Date | string, now: Date | number): number {
  return Math.max(0, Math.floor((new Date(now).getTime() - new Date(since).getTime()) / 3600_000));
}

/** `3小时` / `2天5小时`. */
export function ageLabel(hours: number): string {
  if (hours < 1) return '不到1小时';
  if (hours < 24) return `${hours}小时`;
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${d}天${h}小时` : `${d}天`;
}

/** Members with illness or disability cannot outnumber the household. Returns a Chinese message or null. */
export function validateHouseholdMembers(householdSize: number, illMembers: number, disabledMembers: number): string | null {
  if (illMembers > householdSize) return '患病人数不能超过家庭人口';
  if (disabledMembers > householdSize) return '残疾人数不能超过家庭人口';
  return null;
}

// ---------------------------------------------------------------- requests

/** `POST /api/aid/applications` (logged-in worker). */
export interface CreateAidApplicationRequest {
  /** Org the application goes to (a city, district or grassroots union, from `GET /api/aid/application-orgs`). */
  orgCode: string;
  name: string;
  idNumber: string;
  mobile: string;
  employer: string;
  province: string;
  city: string;
  district: string;
  street: string;
  addressDetail?: string;
  employmentStatus: EmploymentStatus;
  householdSize: number;
  monthlyIncomeFen: number;
  /** Household members with a serious illness / a disability. */
  illMembers: number;
  disabledMembers: number;
  causes: HardshipCause[];
  helpKinds: AidHelpKind[];
  needs?: NeedTag[];
  /** The applicant's own account of the situation, at most 1,000 characters. */
  account: string;
  /** Consent to the processing of sensitive personal information; must be true. */
  consent: boolean;
}

/** `POST /api/aid/applications/{id}/answer` (applicant, while info_requested). */
export interface AnswerAidApplicationRequest {
  answer: string;
}

/** `POST /api/aid/applications/{id}/request-info` (handler). */
export interface RequestAidInfoRequest {
  question: string;
}

/** `POST /api/aid/applications/{id}/visit-schedule` (handler). */
export interface ScheduleAidVisitRequest {
  /** Calendar date `YYYY-MM-DD`. */
  date: string;
  note?: string;
}

/** `POST /api/aid/applications/{id}/visit` (handler): the home visit as recorded. */
export interface RecordAidVisitRequest {
  /** Calendar date `YYYY-MM-DD`. */
  visitDate: string;
  /** Who visited, e.g. `张三、李四`. */
  visitors: string;
  findings: string;
  verifiedHouseholdSize: number;
  verifiedMonthlyIncomeFen: number;
}

/** `POST /api/aid/applications/{id}/decision` (handler). Approval waits for a second staff member's confirmation. */
export interface AidDecisionRequest {
  decision: 'approve' | 'reject';
  /** approve: the household file's level, causes and verified monthly income. */
  level?: HardshipLevel;
  causes?: HardshipCause[];
  monthlyIncomeFen?: number;
  /** approve: a one-off payout to create (medical, education, festival). */
  payout?: { aidType: AidType; amountFen: number };
  /** reject: the reason the applicant sees. */
  reason?: string;
  /**
   * approve, when the application matches an open household file (`householdMatch`): must be `true`, the
   * staff's explicit choice to merge the application into that file (the only way anything is written into an
   * existing file). Without a match it must be absent or false.
   */
  mergeIntoHousehold?: boolean;
}

/** `POST /api/aid/applications/{id}/withdraw` (the applicant, while the application is not decided). */
/**
 * `POST /api/aid/applications/{id}/confirm` (optional body): `proposedAt` is the proposal the confirming staff member
 * looked at (the view's `proposedAt`, ISO-8601); when the handler re-decided since, the answer is 409 APPROVAL_STALE.
 */
export interface ConfirmAidApplicationRequest {
  proposedAt?: string;
}

export interface WithdrawAidApplicationRequest {
  /** Optional reason, at most 200 characters. */
  reason?: string;
}

/** `GET /api/aid/applications` (staff) query. `tab`: open = not closed; mine = handled by me; closed = approved or rejected. */
export interface AidApplicationListQuery {
  status?: AidApplicationStatus;
  overdue?: boolean;
  mine?: boolean;
  page?: number;
  pageSize?: number;
}

// ---------------------------------------------------------------- views

export interface AidApplicationEventView {
  id: number;
  type: AidApplicationEventType;
  /** `applicant` or `staff` (staff names are not shown to the applicant). */
  actor: 'applicant' | 'staff';
  note: string | null;
  at: string;
}

export interface AidDocumentView {
  id: number;
  kind: AidDocumentKind;
  name: string;
  contentType: string;
  bytes: number;
  uploadedAt: string;
  /** API path of the bytes (authenticated). */
  url: string;
}

/** An application as its applicant sees it. */
export interface AidApplicationView {
  id: number;
  status: AidApplicationStatus;
  org: OrgSummary;
  name: string;
  idNumberMasked: string;
  mobileMasked: string;
  employer: string;
  province: string;
  city: string;
  district: string;
  street: string;
  addressDetail: string | null;
  employmentStatus: EmploymentStatus;
  householdSize: number;
  monthlyIncomeFen: number;
  illMembers: number;
  disabledMembers: number;
  causes: HardshipCause[];
  helpKinds: AidHelpKind[];
  needs: NeedTag[];
  account: string;
  consentAt: string;
  submittedAt: string;
  /** The question while info_requested. */
  question: string | null;
  rejectReason: string | null;
  /** When approved: the level and the one-off aid granted. */
  approvedLevel: HardshipLevel | null;
  approvedPayout: { aidType: AidType; amountFen: number } | null;
  /**
   * True when staff chose to merge the application into the household file already on record for the ID
   * number. The applicant sees it only once the application is approved (never whether their ID matched a file).
   */
  linkedToHousehold: boolean;
  documents: AidDocumentView[];
  events: AidApplicationEventView[];
}

/** The home visit as recorded by the handler (staff only). */
export interface AidVisitView {
  scheduledDate: string | null;
  scheduleNote: string | null;
  visitDate: string | null;
  visitors: string | null;
  findings: string | null;
  verifiedHouseholdSize: number | null;
  verifiedMonthlyIncomeFen: number | null;
  recordedAt: string | null;
}

/** The handler's decision (staff only). */
export interface AidDecisionView {
  decision: 'approve' | 'reject';
  level: HardshipLevel | null;
  causes: HardshipCause[];
  monthlyIncomeFen: number | null;
  payout: { aidType: AidType; amountFen: number } | null;
  reason: string | null;
  proposedById: number;
  proposedAt: string;
  confirmedById: number | null;
  confirmedAt: string | null;
}

/** An application as staff of the org's subtree see it (personal numbers masked; every read audited). */
export interface AidApplicationStaffView extends AidApplicationView {
  userId: number;
  householdId: number | null;
  handlerId: number | null;
  acceptedAt: string | null;
  /** Whole hours since submission. */
  ageHours: number;
  /** Not accepted within 24 hours of submission. */
  overdue: boolean;
  visit: AidVisitView;
  decision: AidDecisionView | null;
  /** The one-off payout batch created on approval (approved like any other batch). */
  payoutBatchId: number | null;
  /**
   * 匹配到已有困难职工档案: the applicant's ID number matches an open household file (computed on read while the
   * application is undecided; null otherwise). `householdId` is given only when the reader's scope covers the
   * file (only then can they merge). Staff choose to merge (decision `mergeIntoHousehold: true`) or reject.
   */
  householdMatch: { householdId: number | null; org: OrgSummary } | null;
  /** Other accounts' open applications with the same ID number (a sign that someone applied with another's ID). */
  sameIdOpenApplications: number;
}

/** One row of the staff to-do list. */
export interface AidApplicationListItem {
  id: number;
  status: AidApplicationStatus;
  name: string;
  idNumberMasked: string;
  org: OrgSummary;
  causes: HardshipCause[];
  helpKinds: AidHelpKind[];
  submittedAt: string;
  ageHours: number;
  overdue: boolean;
  handlerId: number | null;
  /** Whether the caller is the handler. */
  mine: boolean;
  linkedToHousehold: boolean;
  /** The ID number matches an open household file (undecided applications only): staff must merge or reject. */
  matchesHousehold: boolean;
}

/** `GET /api/aid/applications/todo-counts` (staff, subtree). */
export interface AidTodoCounts {
  /** Waiting to be accepted. */
  submitted: number;
  /** Of those, older than 24 hours. */
  overdue: number;
  /** Open applications the caller handles. */
  mine: number;
  /** Approvals proposed by someone else, waiting for the caller's confirmation. */
  toConfirm: number;
}

/** One approved household on the public notice: masked name only. */
export interface AidNoticeItem {
  id: number;
  nameMasked: string;
  orgName: string;
  causes: HardshipCause[];
  level: HardshipLevel;
  /** The one-off aid granted, if any. */
  aidType: AidType | null;
  approvedAt: string;
  /** The notice ends at this instant. */
  until: string;
}

/** `GET /api/aid/notices?orgCode=` (logged-in users within the org's subtree). */
export interface AidNoticeView {
  org: OrgSummary;
  days: number;
  /** The union's supervision phone for objections (12351). */
  supervisionPhone: string;
  items: AidNoticeItem[];
  total: number;
  page: number;
  pageSize: number;
}

/** An org an application can be sent to (`GET /api/aid/application-orgs`). */
export interface AidApplicationOrgOption extends OrgSummary {
  city: string | null;
  /** Names of the ancestors below the province, for telling same-named orgs apart. */
  parentName: string | null;
}

export const AidApplicationErrorCode = {
  APPLICATION_NOT_FOUND: 'APPLICATION_NOT_FOUND',
  APPLICATION_OPEN_EXISTS: 'APPLICATION_OPEN_EXISTS',
  APPLICATION_STATE: 'APPLICATION_STATE',
  APPLICATION_TAKEN: 'APPLICATION_TAKEN',
  NOT_HANDLER: 'NOT_HANDLER',
  /** Staff of the subtree tried an applicant's own action (withdraw, delete a document). */
  NOT_APPLICANT: 'NOT_APPLICANT',
  VISIT_REQUIRED: 'VISIT_REQUIRED',
  DOCUMENT_MISSING: 'DOCUMENT_MISSING',
  DOCUMENT_TYPE: 'DOCUMENT_TYPE',
  DOCUMENT_TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  DOCUMENT_LIMIT: 'DOCUMENT_LIMIT',
  DOCUMENT_NOT_FOUND: 'DOCUMENT_NOT_FOUND',
  ORG_NOT_ELIGIBLE: 'ORG_NOT_ELIGIBLE',
  NOTICE_FORBIDDEN: 'NOTICE_FORBIDDEN',
  /** The application matches an open household file the caller's scope does not cover: only its keepers can merge. */
  HOUSEHOLD_MERGE_FORBIDDEN: 'HOUSEHOLD_MERGE_FORBIDDEN',
  /** The household file the approval was to merge into, or the absence of one, changed since the proposal. */
  HOUSEHOLD_MATCH_CHANGED: 'HOUSEHOLD_MATCH_CHANGED',
  /** Documents of an approved application belong to the aid file and are kept (retention rule in docs/aid.md). */
  DOCUMENT_RETAINED: 'DOCUMENT_RETAINED',
} as const;
