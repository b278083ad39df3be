import type {
  AcceptKeeperInviteRequest, CheckInRequest, KeeperAppointmentView, KeeperInviteView, CheckInView, KeeperDashboard, KeeperOption, NearbyStation, Page, PageQuery, RatingRequest, RatingView, ReportRequest,
  ReportView, StationAdminView, StationImportResult, StationInput, StationMyStatus, StationOperationsRequest, StationStats, StationView,
  UpdateStationRequest, VisitView,
} from '@union/shared';
import Taro from '@tarojs/taro';
import { ApiError, getToken, request, withQuery } from './client';

const enc = encodeURIComponent;

// Public
export const nearbyStations = (q: { lat: number; lng: number; radiusM?: number; amenities?: string; openNow?: boolean; openFirst?: boolean; page?: number; pageSize?: number }) =>
  request<Page<NearbyStation>>('GET', withQuery('/stations/nearby', { ...q, openNow: q.openNow ? 'true' : undefined, openFirst: q.openFirst ? 'true' : undefined }));
export const getStation = (id: number) => request<StationView>('GET', `/stations/${id}`);
export const getStationByCode = (code: string) => request<StationView>('GET', `/stations/by-code/${enc(code)}`);
export const listRatings = (id: number, q: PageQuery = {}) => request<Page<RatingView>>('GET', withQuery(`/stations/${id}/ratings`, { ...q }));

// Members and any logged-in user
export const getMyStationStatus = (id: number) => request<StationMyStatus>('GET', `/stations/${id}/my-status`);
export const checkIn = (body: CheckInRequest) => request<CheckInView>('POST', '/stations/checkins', body);
export const rateStation = (id: number, body: RatingRequest) => request<RatingView>('POST', `/stations/${id}/ratings`, body);
export const reportProblem = (id: number, body: ReportRequest) => request<ReportView>('POST', `/stations/${id}/reports`, body);

// Keepers and staff
/** Accepts a one-time keeper invite: the caller becomes the keeper of its station. */
export const acceptKeeperInvite = (body: AcceptKeeperInviteRequest) => request<KeeperAppointmentView>('POST', '/stations/keepers', body);
export const getKeeperDashboard = () => request<KeeperDashboard>('GET', '/stations/mine');
export const updateOperations = (id: number, body: StationOperationsRequest) => request<StationAdminView>('PATCH', `/stations/${id}/operations`, body);
export const listReports = (q: PageQuery & { status?: 'open' | 'handled'; stationId?: number } = {}) => request<Page<ReportView>>('GET', withQuery('/stations/reports', { ...q }));
export const handleReport = (id: number) => request<ReportView>('POST', `/stations/reports/${id}/handle`);
export const listVisits = (id: number, q: PageQuery & { day?: string } = {}) => request<Page<VisitView>>('GET', withQuery(`/stations/${id}/visits`, { ...q }));
export const getStationAdmin = (id: number) => request<StationAdminView>('GET', `/stations/${id}/admin`);

// Staff
export const listStations = (q: PageQuery & { q?: string; orgCode?: string } = {}) => request<Page<StationAdminView>>('GET', withQuery('/stations', { ...q }));
export const createStation = (body: StationInput) => request<StationAdminView>('POST', '/stations', body);
export const updateStation = (id: number, body: UpdateStationRequest) => request<StationAdminView>('PATCH', `/stations/${id}`, body);
/** A one-time invite (24 h) for the station's keeper. */
export const createKeeperInvite = (id: number) => request<KeeperInviteView>('POST', `/stations/${id}/keeper-invites`);
export const listKeepers = () => request<KeeperOption[]>('GET', '/stations/keepers');
export const importStations = (csv: string) => request<StationImportResult>('POST', '/stations/import', { csv });
export const getStationStats = (q: { from?: string; to?: string } = {}) => request<StationStats>('GET', withQuery('/stations/stats', { ...q }));

/** Absolute URL of an API path (photos, CSV export) for <Image> and downloads; H5 is same-origin. */
export function apiUrl(path: string): string {
  const base = API_BASE.replace(/\/api$/, '');
  return path.startsWith('/api') ? `${base}${path}` : `${API_BASE}${path}`;
}

/** The stations of the caller's subtree as CSV text (UTF-8 with BOM). */
export const exportStationsCsv = () => request<string>('GET', '/stations/export.csv', undefined, 'text');

/** Uploads a photo chosen with Taro.chooseImage (multipart field `file`); same envelope errors as {@link request}. */
export async function uploadStationPhoto(id: number, filePath: string): Promise<StationAdminView> {
  const token = getToken();
  let res: Taro.uploadFile.SuccessCallbackResult;
  try {
    res = await Taro.uploadFile({ url: `${API_BASE}/stations/${id}/photos`, filePath, name: 'file', header: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '上传失败，请稍后重试' });
  }
  let data: unknown = res.data;
  try {
    data = typeof data === 'string' ? JSON.parse(data) : data;
  } catch {
    // not JSON
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return data as StationAdminView;
  const env = data as { code?: string; message?: string } | null;
  throw new ApiError(res.statusCode, { code: env?.code ?? `HTTP_${res.statusCode}`, message: env?.message ?? `上传失败（${res.statusCode}）` });
}

export const deleteStationPhoto = (id: number, photoPath: string) =>
  request<StationAdminView>('DELETE', `/stations/${id}/photos/${enc(photoPath.split('/').pop() ?? '')}`);
