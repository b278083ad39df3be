import type {
  AidMonitoring, BankResultReport, BindHouseholdRequest, CreateHouseholdRequest, CreateOneOffPayoutRequest, CreatePayoutBatchRequest,
  ExitHouseholdRequest, HouseholdCardView, HouseholdCodeLookup, HouseholdListQuery, HouseholdView, ImportMode, ImportReport, MyAidView,
  MyHouseholdView, Page, PageQuery, PayoutBatchView, PayoutListQuery, PayoutView, UpdateHouseholdRequest,
} from '@union/shared';
import { request, withQuery } from './client';
import { idempotencyHeader } from './idempotency';

const enc = encodeURIComponent;

// Public household code and binding
export const lookupHouseholdCode = (code: string) => request<HouseholdCodeLookup>('GET', `/aid/household-codes/${enc(code)}`);
export const bindHousehold = (body: BindHouseholdRequest) => request<MyHouseholdView>('POST', '/aid/bindings', body);
export const getMyAid = () => request<MyAidView>('GET', '/aid/my');

// Household files (staff)
export const listHouseholds = (query: HouseholdListQuery = {}) =>
  request<Page<HouseholdView>>('GET', withQuery('/aid/households', { ...query }));
export const getHousehold = (id: number) => request<HouseholdView>('GET', `/aid/households/${id}`);
/** 建档; `key` (kept in the form's draft) makes a retry answer the first file instead of a second one. */
export const createHousehold = (body: CreateHouseholdRequest, key: string) => request<HouseholdView>('POST', '/aid/households', body, 'json', idempotencyHeader(key));
export const updateHousehold = (id: number, body: UpdateHouseholdRequest) => request<HouseholdView>('PATCH', `/aid/households/${id}`, body);
export const activateHousehold = (id: number) => request<HouseholdView>('POST', `/aid/households/${id}/activate`);
export const reviewHousehold = (id: number) => request<HouseholdView>('POST', `/aid/households/${id}/review`);
export const exitHousehold = (id: number, body: ExitHouseholdRequest) => request<HouseholdView>('POST', `/aid/households/${id}/exit`, body);
export const getHouseholdCard = (id: number) => request<HouseholdCardView>('GET', `/aid/households/${id}/card`);
export const reissueHouseholdCode = (id: number) => request<HouseholdCardView>('POST', `/aid/households/${id}/code/reissue`);
export const getHouseholdPayouts = (id: number) => request<PayoutView[]>('GET', `/aid/households/${id}/payouts`);
/** The CSV travels as JSON text (see docs/aid.md: one HTTP client on both platforms). */
export const importHouseholds = (csv: string, mode: ImportMode) => request<ImportReport>('POST', '/aid/households/import', { csv, mode });

// Payouts (staff)
export const listBatches = (query: PageQuery & { period?: string } = {}) =>
  request<Page<PayoutBatchView>>('GET', withQuery('/aid/payout-batches', { ...query }));
export const getBatch = (id: number) => request<PayoutBatchView>('GET', `/aid/payout-batches/${id}`);
export const createBatch = (body: CreatePayoutBatchRequest) => request<PayoutBatchView>('POST', '/aid/payout-batches', body);
export const createOneOffPayout = (body: CreateOneOffPayoutRequest) => request<PayoutBatchView>('POST', '/aid/payouts/one-off', body);
export const listBatchPayouts = (id: number, query: PayoutListQuery = {}) =>
  request<Page<PayoutView>>('GET', withQuery(`/aid/payout-batches/${id}/payouts`, { ...query }));
export const updatePayoutAmount = (id: number, amountFen: number) => request<PayoutView>('PATCH', `/aid/payouts/${id}`, { amountFen });
/** Approves the batch as the approver saw it: `version` is the one shown (409 APPROVAL_STALE when it changed since). */
export const approveBatch = (id: number, version: number) => request<PayoutBatchView>('POST', `/aid/payout-batches/${id}/approve`, { version });
export const importBankResults = (id: number, csv: string) => request<BankResultReport>('POST', `/aid/payout-batches/${id}/bank-results`, { csv });

// Monitoring (staff)
export const getAidMonitoring = (orgCode?: string) => request<AidMonitoring>('GET', withQuery('/aid/monitoring', { orgCode }));
