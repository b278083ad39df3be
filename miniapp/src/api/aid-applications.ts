import type {
  AidApplicationListItem, AidApplicationListQuery, AidApplicationOrgOption, AidApplicationStaffView, AidApplicationView, AidDecisionRequest,
  AidDocumentView, AidNoticeView, AidTodoCounts, CreateAidApplicationRequest, Page, PageQuery, RecordAidVisitRequest, ScheduleAidVisitRequest,
} from '@union/shared';
import { uploadPickedFile } from '../platform/files';
import { ApiError, getToken, request, withQuery } from './client';
import { idempotencyHeader } from './idempotency';

// The worker
export const listApplicationOrgs = (query: PageQuery & { q?: string } = {}) =>
  request<Page<AidApplicationOrgOption>>('GET', withQuery('/aid/application-orgs', { ...query }));
/** 申请帮扶; `key` (kept in the form's draft) makes a retry after a failure or timeout answer the first application, never a second. */
export const createAidApplication = (body: CreateAidApplicationRequest, key: string) =>
  request<AidApplicationView>('POST', '/aid/applications', body, 'json', idempotencyHeader(key));
export const listMyAidApplications = (query: PageQuery = {}) => request<Page<AidApplicationView>>('GET', withQuery('/aid/applications/mine', { ...query }));
export const answerAidApplication = (id: number, answer: string) => request<AidApplicationView>('POST', `/aid/applications/${id}/answer`, { answer });
/** 撤回申请 (undecided only): the server deletes the application's documents. */
export const withdrawAidApplication = (id: number, reason?: string) =>
  request<AidApplicationView>('POST', `/aid/applications/${id}/withdraw`, reason ? { reason } : {});
/** Deletes one of the applicant's own documents (not once approved: kept with the aid file). */
export const deleteAidDocument = (id: number, docId: number) => request<void>('DELETE', `/aid/applications/${id}/documents/${docId}`);

// Either side: the applicant gets AidApplicationView, staff of the subtree AidApplicationStaffView
export const getAidApplication = (id: number) => request<AidApplicationView | AidApplicationStaffView>('GET', `/aid/applications/${id}`);

// Staff
export const getAidTodoCounts = () => request<AidTodoCounts>('GET', '/aid/applications/todo-counts');
export const listAidApplications = (query: AidApplicationListQuery = {}) =>
  request<Page<AidApplicationListItem>>('GET', withQuery('/aid/applications', { ...query }));
export const acceptAidApplication = (id: number) => request<AidApplicationStaffView>('POST', `/aid/applications/${id}/accept`);
export const requestAidInfo = (id: number, question: string) => request<AidApplicationStaffView>('POST', `/aid/applications/${id}/request-info`, { question });
export const scheduleAidVisit = (id: number, body: ScheduleAidVisitRequest) => request<AidApplicationStaffView>('POST', `/aid/applications/${id}/visit-schedule`, body);
export const recordAidVisit = (id: number, body: RecordAidVisitRequest) => request<AidApplicationStaffView>('POST', `/aid/applications/${id}/visit`, body);
export const decideAidApplication = (id: number, body: AidDecisionRequest) => request<AidApplicationStaffView>('POST', `/aid/applications/${id}/decision`, body);
/** Confirms the proposal the staff member is looking at (`proposedAt`): 409 APPROVAL_STALE if the handler re-decided since. */
export const confirmAidApplication = (id: number, proposedAt: string) => request<AidApplicationStaffView>('POST', `/aid/applications/${id}/confirm`, { proposedAt });

// Public notice
export const getAidNotices = (query: PageQuery & { orgCode?: string } = {}) => request<AidNoticeView>('GET', withQuery('/aid/notices', { ...query }));

/** Absolute URL of an API path such as a document's `url` (`/api/aid/applications/…`). */
export function aidApiUrl(path: string): string {
  const base = API_BASE.replace(/\/api$/, '');
  return path.startsWith('/api') ? `${base}${path}` : `${API_BASE}${path}`;
}

/**
 * Uploads one document (multipart field `file`) picked with `pickDocuments`; same envelope errors as {@link request}.
 */
export async function uploadAidDocument(id: number, filePath: string, fileName: string): Promise<AidDocumentView> {
  const token = getToken();
  let res: { statusCode: number; data: string };
  try {
    res = await uploadPickedFile(`${API_BASE}/aid/applications/${id}/documents`, { path: filePath, name: fileName }, token ? { Authorization: `Bearer ${token}` } : {});
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '上传失败，请检查网络后重试' });
  }
  let data: unknown = res.data;
  try {
    data = JSON.parse(res.data);
  } catch {
    // not JSON
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return data as AidDocumentView;
  const env = data as { code?: string; message?: string } | null;
  throw new ApiError(res.statusCode, { code: env?.code ?? `HTTP_${res.statusCode}`, message: env?.message ?? `上传失败（${res.statusCode}）` });
}
