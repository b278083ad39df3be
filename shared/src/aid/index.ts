/**
 * Types, enums, constants and validators of the aid module (一户一码: household files, payouts,
 * the household code on the wall, monitoring). Money in fen, periods `YYYY-MM` in Asia/Shanghai.
 */
import type { OrgSummary } from '../orgs';

// ---------------------------------------------------------------- enums and labels

/** Hardship level: 深度困难 / 相对困难 / 意外致困. */
export const HARDSHIP_LEVELS = ['severe', 'relative', 'sudden'] as const;
export type HardshipLevel = (typeof HARDSHIP_LEVELS)[number];
export const HARDSHIP_LEVEL_LABELS: Record<HardshipLevel, string> = { severe: '深度困难', relative: '相对困难', sudden: '意外致困' };

/** Causes of hardship (致困原因), one or more per household. */
export const HARDSHIP_CAUSES = ['illness', 'disability', 'unemployment', 'education', 'disaster', 'accident'] as const;
export type HardshipCause = (typeof HARDSHIP_CAUSES)[number];
export const HARDSHIP_CAUSE_LABELS: Record<HardshipCause, string> = {
  illness: '因病', disability: '因残', unemployment: '失业', education: '子女教育', disaster: '灾害', accident: '意外',
};

/** Employment status of the head of household. */
export const EMPLOYMENT_STATUSES = ['employed', 'flexible', 'unemployed', 'retired', 'unable'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];
export const EMPLOYMENT_STATUS_LABELS: Record<EmploymentStatus, string> = {
  employed: '在岗', flexible: '灵活就业', unemployed: '失业', retired: '退休', unable: '无劳动能力',
};

/** Needs tags (帮扶需求). */
export const NEED_TAGS = ['training', 'job', 'counselling', 'medical'] as const;
export type NeedTag = (typeof NEED_TAGS)[number];
export const NEED_TAG_LABELS: Record<NeedTag, string> = { training: '技能培训', job: '就业岗位', counselling: '心理疏导', medical: '医疗救助' };

/** Lifecycle: registered (建档) → active (复核通过, second staff member) → exited (解困脱困). */
export const HOUSEHOLD_STATUSES = ['registered', 'active', 'exited'] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];
export const HOUSEHOLD_STATUS_LABELS: Record<HouseholdStatus, string> = { registered: '待审核', active: '在档', exited: '已解困' };

/** Aid types: `living` monthly; the others one-off. */
export const AID_TYPES = ['living', 'medical', 'education', 'festival'] as const;
export type AidType = (typeof AID_TYPES)[number];
export const AID_TYPE_LABELS: Record<AidType, string> = { living: '生活救助', medical: '医疗救助', education: '助学', festival: '送温暖' };
export const ONE_OFF_AID_TYPES: AidType[] = ['medical', 'education', 'festival'];

/** Payout lifecycle: pending (editable) → approved (second staff member) → paid | failed (bank result file). */
export const PAYOUT_STATUSES = ['pending', 'approved', 'paid', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];
export const PAYOUT_STATUS_LABELS: Record<PayoutStatus, string> = { pending: '待审批', approved: '已审批待发放', paid: '已发放', failed: '发放失败' };

export type PayoutBatchStatus = 'pending' | 'approved';
export const PAYOUT_BATCH_STATUS_LABELS: Record<PayoutBatchStatus, string> = { pending: '待审批', approved: '已审批' };
/** `monthly`: every active household of a subtree; `one_off`: one household (medical, education, festival). */
export type PayoutBatchKind = 'monthly' | 'one_off';

/** What the public household-code page shows per month: paid / in progress (pending or approved) / none. */
export type MonthAidStatus = 'paid' | 'in_progress' | 'none';
export const MONTH_AID_STATUS_LABELS: Record<MonthAidStatus, string> = { paid: '已发放', in_progress: '发放中', none: '未发放' };

/** The national union hotline printed on every 明白卡. */
export const UNION_HOTLINE = '12351';
/** A household whose last review is older than this many months is overdue for re-verification (复核). */
export const REVIEW_INTERVAL_MONTHS = 12;
/** Failed binding attempts (per account and household) within {@link BIND_LOCK_MINUTES} that lock binding. */
export const BIND_MAX_FAILURES = 5;
export const BIND_LOCK_MINUTES = 60;

/** Per-capita monthly income bands (fen, lower bound inclusive) used by monitoring. */
export const INCOME_BANDS: Array<{ key: string; label: string; minFen: number; maxFen: number | null }> = [
  { key: 'lt500', label: '500元以下', minFen: 0, maxFen: 50_000 },
  { key: '500_1000', label: '500–1000元', minFen: 50_000, maxFen: 100_000 },
  { key: '1000_1500', label: '1000–1500元', minFen: 100_000, maxFen: 150_000 },
  { key: '1500_2000', label: '1500–2000元', minFen: 150_000, maxFen: 200_000 },
  { key: 'ge2000', label: '2000元及以上', minFen: 200_000, maxFen: null },
];

// ---------------------------------------------------------------- pure rules

/**
 * Per-capita monthly income in whole fen: household income divided by household size,
 * rounded DOWN (a household is never judged better off than it is by rounding).
 */
export function perCapitaIncomeFen(monthlyIncomeFen: number, householdSize: number): number {
  if (!(householdSize >= 1)) return monthlyIncomeFen;
  return Math.floor(monthlyIncomeFen / householdSize);
}

/** Checks a period `YYYY-MM` (2000-01 … 2099-12). Returns null when valid, else a Chinese message. */
export function validatePeriod(value: string): string | null {
  if (!/^20\d{2}-(0[1-9]|1[0-2])$/.test(value ?? '')) return '发放期间格式应为YYYY-MM，如2025-11';
  return null;
}

/** Checks the last 6 characters of an ID number as typed for binding (digits, last may be X). */
export function validateIdLast6(value: string): string | null {
  if (!/^\d{5}[\dXx]$/.test((value ?? '').trim())) return '请输入身份证号后6位（最后一位可为X）';
  return null;
}

/** The Asia/Shanghai period `YYYY-MM` of an instant. */
export function shanghaiPeriod(at: Date | string | number = Date.now()): string {
  const d = new Date(new Date(at).getTime() + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Adds `months` (may be negative) to a period. */
export function addMonths(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number);
  const idx = y * 12 + (m - 1) + months;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** The last `n` periods ending with the current Asia/Shanghai month, oldest first. */
export function lastPeriods(n: number, now: Date | number = Date.now()): string[] {
  const current = shanghaiPeriod(now);
  return Array.from({ length: n }, (_, i) => addMonths(current, i - n + 1));
}

/** `2025-11` → `2025年11月`. */
export function periodLabel(period: string): string {
  const [y, m] = period.split('-');
  return `${y}年${Number(m)}月`;
}


// ---------------------------------------------------------------- household files

/** `POST /api/aid/households` (union_staff): register a household file (status `registered`). */
export interface CreateHouseholdRequest {
  headName: string;
  /** 18-character citizen ID number (GB 11643) of the head of household. */
  idNumber: string;
  mobile: string;
  /** Member number (会员编号) if the head is a union member. */
  memberNo?: string;
  province: string;
  city: string;
  district: string;
  street: string;
  addressDetail?: string;
  householdSize: number;
  /** Monthly household income, fen. */
  monthlyIncomeFen: number;
  level: HardshipLevel;
  causes: HardshipCause[];
  employmentStatus: EmploymentStatus;
  needs?: NeedTag[];
  needsNote?: string;
  /** Org the household belongs to (in the caller's subtree); default the caller's org. */
  orgCode?: string;
}

/** `PATCH /api/aid/households/{id}`: any subset of the registration fields (not the status). */
export type UpdateHouseholdRequest = Partial<CreateHouseholdRequest>;

/** A household file as staff see it: personal data masked. */
export interface HouseholdView {
  id: number;
  status: HouseholdStatus;
  headName: string;
  idNumberMasked: string;
  mobileMasked: string;
  memberNo: string | null;
  province: string;
  city: string;
  district: string;
  street: string;
  addressDetail: string | null;
  householdSize: number;
  monthlyIncomeFen: number;
  /** Derived: monthlyIncomeFen / householdSize, rounded down. */
  perCapitaIncomeFen: number;
  level: HardshipLevel;
  causes: HardshipCause[];
  employmentStatus: EmploymentStatus;
  needs: NeedTag[];
  needsNote: string | null;
  org: OrgSummary;
  registeredAt: string;
  registeredById: number;
  activatedAt: string | null;
  reviewedById: number | null;
  lastReviewedAt: string | null;
  /** True when active and the last review is more than 12 months ago (computed on read). */
  reviewOverdue: boolean;
  exitReason: string | null;
  exitDate: string | null;
  /** The current household code (active households only). */
  code: string | null;
  codeVersion: number | null;
}

/** `GET /api/aid/households` query (union_staff, subtree). `q`: name prefix, or a full ID or mobile number. */
export interface HouseholdListQuery {
  q?: string;
  status?: HouseholdStatus;
  level?: HardshipLevel;
  orgCode?: string;
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

/** `POST /api/aid/households/{id}/exit`. */
export interface ExitHouseholdRequest {
  reason: string;
  /** Calendar date `YYYY-MM-DD` (Asia/Shanghai); default today. */
  date?: string;
}

export type ImportMode = 'partial' | 'all_or_nothing';

/** `POST /api/aid/households/import`: multipart `file` (+ `mode`), or JSON `{csv, mode}`. */
export interface ImportHouseholdsRequest {
  mode: ImportMode;
  csv?: string;
}

/** One problem in an imported file. `row` is the 1-based data row (the header is row 0). */
export interface ImportRowError {
  row: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  mode: ImportMode;
  totalRows: number;
  imported: number;
  /** Ids of the households created, in row order. */
  householdIds: number[];
  errors: ImportRowError[];
}

/**
 * CSV columns of the household import (header row required). Each column may be named by its
 * field name or its Chinese label. Lists (causes, needs) are separated by `|`, `、` or `;`.
 * Income: `monthlyIncomeFen` in fen, or `家庭月收入(元)` in yuan.
 */
export const HOUSEHOLD_CSV_COLUMNS: Array<{ field: string; label: string; required: boolean }> = [
  { field: 'headName', label: '户主姓名', required: true },
  { field: 'idNumber', label: '身份证号', required: true },
  { field: 'mobile', label: '手机号', required: true },
  { field: 'memberNo', label: '会员编号', required: false },
  { field: 'province', label: '省', required: true },
  { field: 'city', label: '市', required: true },
  { field: 'district', label: '区县', required: true },
  { field: 'street', label: '街道', required: true },
  { field: 'addressDetail', label: '详细地址', required: false },
  { field: 'householdSize', label: '家庭人口', required: true },
  { field: 'monthlyIncomeFen', label: '家庭月收入(分)', required: false },
  { field: 'monthlyIncomeYuan', label: '家庭月收入(元)', required: false },
  { field: 'level', label: '困难类别', required: true },
  { field: 'causes', label: '致困原因', required: true },
  { field: 'employmentStatus', label: '就业状况', required: true },
  { field: 'needs', label: '帮扶需求', required: false },
  { field: 'needsNote', label: '需求说明', required: false },
  { field: 'orgCode', label: '组织代码', required: false },
];

// ---------------------------------------------------------------- household code, public page, binding

/** `GET /api/aid/households/{id}/card`: what the printable 明白卡 shows. */
export interface HouseholdCardView {
  householdId: number;
  headNameMasked: string;
  orgName: string;
  hotline: string;
  code: string;
  /** The QR's content: `${publicBaseUrl}/#/pages/aid/code?c=<code>`. */
  url: string;
  codeVersion: number;
  issuedAt: string;
}

/** `GET /api/aid/household-codes/{code}` (public): no amounts, no personal data beyond the masked name. */
export interface HouseholdCodeLookup {
  headNameMasked: string;
  orgName: string;
  hotline: string;
  /** Whether the household is still in the programme. */
  active: boolean;
  /** Last 12 Asia/Shanghai months, oldest first. */
  months: Array<{ period: string; status: MonthAidStatus }>;
}

/** `POST /api/aid/bindings` (logged-in user): prove belonging with the head's name and last 6 ID characters. */
export interface BindHouseholdRequest {
  code: string;
  name: string;
  idLast6: string;
}

/** A payout as the bound household sees it. */
export interface MyPayoutView {
  id: number;
  aidType: AidType;
  period: string;
  amountFen: number;
  status: PayoutStatus;
  /** Bank date `YYYY-MM-DD` when paid or failed. */
  bankDate: string | null;
}

/** The household file summary a bound account sees. */
export interface MyHouseholdView {
  householdId: number;
  headName: string;
  idNumberMasked: string;
  status: HouseholdStatus;
  level: HardshipLevel;
  householdSize: number;
  orgName: string;
  lastReviewedAt: string | null;
  boundAt: string;
  payouts: MyPayoutView[];
  /** Sum of paid payouts, fen. */
  paidTotalFen: number;
}

/** `GET /api/aid/my`: households bound to the caller (我的帮扶). */
export interface MyAidView {
  households: MyHouseholdView[];
}

// ---------------------------------------------------------------- payouts

/** `POST /api/aid/payout-batches` (union_staff): a monthly batch over the active households of a subtree. */
export interface CreatePayoutBatchRequest {
  period: string;
  aidType: AidType;
  amountsByLevel: Record<HardshipLevel, number>;
  /** Org whose subtree the batch covers; default the caller's org. */
  orgCode?: string;
  /** Also move failed payouts of earlier periods (same aid type, same subtree) into this batch to retry. */
  includeEarlierFailed?: boolean;
}

/** `POST /api/aid/payouts/one-off` (union_staff): one payout for one household, approved like a batch. */
export interface CreateOneOffPayoutRequest {
  householdId: number;
  aidType: AidType;
  amountFen: number;
  /** Default: the current Asia/Shanghai month. */
  period?: string;
  note?: string;
}

export interface PayoutBatchView {
  id: number;
  kind: PayoutBatchKind;
  period: string;
  aidType: AidType;
  amountsByLevel: Record<HardshipLevel, number> | null;
  org: OrgSummary;
  status: PayoutBatchStatus;
  note: string | null;
  createdById: number;
  createdAt: string;
  approvedById: number | null;
  approvedAt: string | null;
  /** Bumped by every change of the batch or of one of its payouts (starts at 1). */
  version: number;
  /** The version that was approved (null while not approved); paying needs `version === approvedVersion`. */
  approvedVersion: number | null;
  /** SHA-256 (hex) of the approved payouts (id, household, aid type, period, amount in fen). */
  approvedHash: string | null;
  /** Who last changed the batch or one of its payouts (null: nobody since creation). */
  lastEditedById: number | null;
  lastEditedAt: string | null;
  /** Everyone who may not approve the batch (四眼原则): the creator and every editor of the batch or a payout. */
  makerIds: number[];
  /** Counts and sums over the batch's payouts, by status. */
  counts: Record<PayoutStatus, number>;
  totalFen: number;
  paidFen: number;
}

export interface PayoutView {
  id: number;
  batchId: number;
  householdId: number;
  headName: string;
  orgName: string;
  aidType: AidType;
  period: string;
  level: HardshipLevel;
  amountFen: number;
  status: PayoutStatus;
  bankRef: string | null;
  bankDate: string | null;
  failReason: string | null;
}

/** `PATCH /api/aid/payouts/{id}`: the amount, while the payout is pending. */
export interface UpdatePayoutRequest {
  amountFen: number;
}

/** `POST /api/aid/payout-batches/{id}/approve` body: the version the approver looked at (refused with 409 APPROVAL_STALE when it changed since). */
export interface ApprovePayoutBatchRequest {
  version?: number;
}

/** `GET /api/aid/payout-batches/{id}/payouts` query. */
export interface PayoutListQuery {
  status?: PayoutStatus;
  page?: number;
  pageSize?: number;
}

/**
 * `POST /api/aid/payout-batches/{id}/bank-results`: multipart `file` or JSON `{csv}`.
 * CSV columns (header row): household (id or household code) / 户码, amount (yuan) / 金额,
 * status (success|failed, 成功|失败) / 状态, bankRef / 银行流水号, date (YYYY-MM-DD) / 日期, reason / 失败原因 (optional).
 */
export interface BankResultImportRequest {
  csv?: string;
}

export interface BankResultReport {
  totalRows: number;
  paid: number;
  failed: number;
  /** Rows whose bank reference was already imported: skipped, nothing changed. */
  alreadyImported: number;
  errors: ImportRowError[];
}

// ---------------------------------------------------------------- monitoring

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** `GET /api/aid/monitoring` (union_staff, subtree; `orgCode` narrows it). */
export interface AidMonitoring {
  scope: OrgSummary | null;
  totals: { registered: number; active: number; exited: number; overdue: number };
  byLevel: CountRow[];
  byCause: CountRow[];
  byOrg: CountRow[];
  byRegion: CountRow[];
  byIncomeBand: CountRow[];
  byEmployment: CountRow[];
  byNeed: CountRow[];
  /** Last 12 months, by aid type: every non-failed payout (count, fen) and the paid part. */
  payoutsByMonth: Array<{ period: string; aidType: AidType; count: number; amountFen: number; paidCount: number; paidFen: number }>;
  /** Last 12 months. */
  registrationsByMonth: Array<{ period: string; registered: number; exited: number }>;
}

export const AidErrorCode = {
  HOUSEHOLD_NOT_FOUND: 'HOUSEHOLD_NOT_FOUND',
  HOUSEHOLD_ALREADY_REGISTERED: 'HOUSEHOLD_ALREADY_REGISTERED',
  HOUSEHOLD_NOT_REGISTERED: 'HOUSEHOLD_NOT_REGISTERED',
  HOUSEHOLD_NOT_ACTIVE: 'HOUSEHOLD_NOT_ACTIVE',
  FOUR_EYES_REQUIRED: 'FOUR_EYES_REQUIRED',
  HOUSEHOLD_CODE_NOT_FOUND: 'HOUSEHOLD_CODE_NOT_FOUND',
  HOUSEHOLD_CODE_REVOKED: 'HOUSEHOLD_CODE_REVOKED',
  BIND_MISMATCH: 'BIND_MISMATCH',
  BIND_LOCKED: 'BIND_LOCKED',
  BATCH_NOT_FOUND: 'BATCH_NOT_FOUND',
  BATCH_EMPTY: 'BATCH_EMPTY',
  BATCH_NOT_PENDING: 'BATCH_NOT_PENDING',
  BATCH_NOT_APPROVED: 'BATCH_NOT_APPROVED',
  PAYOUT_NOT_FOUND: 'PAYOUT_NOT_FOUND',
  PAYOUT_NOT_PENDING: 'PAYOUT_NOT_PENDING',
  PAYOUT_EXISTS: 'PAYOUT_EXISTS',
  FILE_REQUIRED: 'FILE_REQUIRED',
  FILE_INVALID: 'FILE_INVALID',
  IMPORT_REJECTED: 'IMPORT_REJECTED',
} as const;
export * from './applications';
