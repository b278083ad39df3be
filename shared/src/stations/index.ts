/** Types, enums, constants and validators of the stations module (户外劳动者服务站 / 爱心驿站). */
import type { OrgSummary } from '../orgs';
import type { Occupation } from '../membership';
import type { OpeningHours, OpenState, StationStatus } from './hours';
export * from './geo';
export * from './hours';
export * from './cities';

/** Amenities of a station, glossary names; the order is the bit order of the stored mask. */
export const AMENITIES = ['rest', 'water', 'charging', 'microwave', 'restroom', 'battery_swap', 'fridge', 'first_aid', 'wifi'] as const;
export type Amenity = (typeof AMENITIES)[number];
export const AMENITY_LABELS: Record<Amenity, string> = {
  rest: '歇脚', water: '喝水', charging: '充电', microwave: '热饭', restroom: '如厕',
  battery_swap: '换电', fridge: '爱心冰柜', first_aid: '药箱', wifi: '无线网络',
};
/** One-character badges drawn as amenity icons (no icon font in either platform). */
export const AMENITY_ICONS: Record<Amenity, string> = {
  rest: '椅', water: '水', charging: '电', microwave: '饭', restroom: '厕', battery_swap: '换', fridge: '冰', first_aid: '药', wifi: '网',
};

/** Amenities as a bit mask (bit i = AMENITIES[i]), the form stored and filtered in SQL. */
export function amenityMask(list: readonly string[]): number {
  let mask = 0;
  for (const a of list) {
    const i = (AMENITIES as readonly string[]).indexOf(a);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}
export function amenitiesOf(mask: number): Amenity[] {
  return AMENITIES.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** Up to this many photos per station. */
export const MAX_STATION_PHOTOS = 3;
/** Largest photo accepted, bytes. */
export const MAX_STATION_PHOTO_BYTES = 2 * 1024 * 1024;
/** A member checks in at one station at most once per this many minutes; a repeat returns the first. */
export const CHECKIN_WINDOW_MINUTES = 30;
export const MAX_RATING_COMMENT = 200;

export type ReportKind = 'closed_when_open' | 'amenity_broken' | 'other';
export const REPORT_KINDS: ReportKind[] = ['closed_when_open', 'amenity_broken', 'other'];
export const REPORT_KIND_LABELS: Record<ReportKind, string> = { closed_when_open: '营业时间内未开门', amenity_broken: '设施损坏', other: '其他问题' };
export type ReportStatus = 'open' | 'handled';

/** Fields staff set on a station (create, edit, CSV import). Coordinates GCJ-02 degrees. */
export interface StationInput {
  name: string;
  orgCode: string;
  address: string;
  lat: number;
  lng: number;
  amenities: Amenity[];
  hours: OpeningHours;
  closedDates?: string[];
  status?: StationStatus;
  closedNote?: string | null;
  closedUntil?: string | null;
  phone?: string | null;
  description?: string | null;
  /** A station_keeper account in the caller's subtree, or null for none. */
  keeperUserId?: number | null;
}

/** `PATCH /api/stations/{id}` (staff): any subset of {@link StationInput}. */
export type UpdateStationRequest = Partial<StationInput>;

/** `PATCH /api/stations/{id}/operations` (the station's keeper, or staff): what a keeper runs day to day. */
export interface StationOperationsRequest {
  hours?: OpeningHours;
  closedDates?: string[];
  amenities?: Amenity[];
  status?: StationStatus;
  closedNote?: string | null;
  closedUntil?: string | null;
}

/** A station as everyone sees it. */
export interface StationView {
  id: number;
  name: string;
  org: OrgSummary;
  address: string;
  lat: number;
  lng: number;
  amenities: Amenity[];
  hours: OpeningHours;
  closedDates: string[];
  status: StationStatus;
  closedNote: string | null;
  closedUntil: string | null;
  phone: string | null;
  description: string | null;
  /** API paths of the photos (`/api/stations/photos/<name>`). */
  photos: string[];
  /** Open now, in Asia/Shanghai. */
  openState: OpenState;
  ratingAverage: number | null;
  ratingCount: number;
}

/** A station as its staff and keeper see it: plus the door code and keeper. */
export interface StationAdminView extends StationView {
  code: string;
  /** The QR content: `${PUBLIC_BASE_URL}/#/pages/stations/detail?s=<code>`. */
  url: string;
  keeper: { userId: number; displayName: string } | null;
  openReports: number;
}

/** `GET /api/stations/nearby` query. */
export interface NearbyQuery {
  lat: number;
  lng: number;
  /** Metres, 1 – {@link MAX_NEARBY_RADIUS_M}; default {@link DEFAULT_NEARBY_RADIUS_M}. */
  radiusM?: number;
  /** Comma-separated amenities; a station must have all of them. */
  amenities?: string;
  openNow?: boolean;
  /** Stations open now (Asia/Shanghai) before closed ones, each group nearest first; default false (nearest first). */
  openFirst?: boolean;
  page?: number;
  pageSize?: number;
}

export interface NearbyStation extends StationView {
  /** Great-circle distance from the query point, metres (rounded to 0.1 m). */
  distanceM: number;
}

/** `POST /api/stations/checkins` (member): `code` is the station's door code. */
export interface CheckInRequest {
  code: string;
  amenities?: Amenity[];
}

export interface CheckInView {
  id: number;
  stationId: number;
  stationName: string;
  at: string;
  amenities: Amenity[];
  /** False when this answers a repeat within the window: the first check-in is returned. */
  created: boolean;
}

/** A visit as the keeper and staff see it (name masked). */
export interface VisitView {
  id: number;
  at: string;
  memberNameMasked: string;
  occupation: Occupation;
  amenities: Amenity[];
}

/** `POST /api/stations/{id}/ratings` (member who checked in there). */
export interface RatingRequest {
  stars: number;
  comment?: string;
}
export interface RatingView {
  id: number;
  stars: number;
  comment: string | null;
  day: string;
  at: string;
  memberNameMasked: string;
}

/** `GET /api/stations/{id}/my-status` (logged in): what the detail page offers. */
export interface StationMyStatus {
  isMember: boolean;
  lastCheckInAt: string | null;
  /** A check-in now would return the last one. */
  checkedInRecently: boolean;
  canRate: boolean;
  ratedToday: boolean;
  canManage: boolean;
}

/** `POST /api/stations/{id}/reports` (logged in). */
export interface ReportRequest {
  kind: ReportKind;
  note?: string;
}
export interface ReportView {
  id: number;
  stationId: number;
  stationName: string;
  kind: ReportKind;
  note: string | null;
  status: ReportStatus;
  createdAt: string;
  handledAt: string | null;
}

/** `POST /api/stations/import` (staff): CSV text with a header row (see docs/stations.md). */
export interface StationImportRequest {
  csv: string;
}
export interface StationImportRowError {
  /** 1-based data row (the header is row 0). */
  row: number;
  field: string;
  message: string;
}
/** All rows valid → created/updated; any row invalid → nothing written and `errors` lists every problem. */
export interface StationImportResult {
  ok: boolean;
  rows: number;
  created: number;
  updated: number;
  errors: StationImportRowError[];
}

/** `GET /api/stations/keepers` (staff): station_keeper accounts in the caller's subtree. */
export interface KeeperOption {
  userId: number;
  displayName: string;
  org: OrgSummary;
}

/**
 * `POST /api/stations/{id}/keeper-invites` (staff of the station's subtree): a one-time invite to become the
 * station's keeper, valid 24 hours (`expiresAt`, UTC ISO-8601). The invited person accepts it once, logged in.
 */
export interface KeeperInviteView {
  code: string;
  expiresAt: string;
  stationId: number;
  stationName: string;
}

/** `POST /api/stations/keepers` (any logged-in account): accept a keeper invite. */
export interface AcceptKeeperInviteRequest {
  inviteCode: string;
}

/** The accepted appointment: the caller now keeps this station (and holds the `station_keeper` role). */
export interface KeeperAppointmentView {
  stationId: number;
  stationName: string;
}

/** `GET /api/stations/stats` (staff, subtree). Days are Asia/Shanghai dates. */
export interface StationStats {
  from: string;
  to: string;
  stations: number;
  visits: number;
  perStationDay: Array<{ stationId: number; stationName: string; day: string; count: number }>;
  perStation: Array<{ stationId: number; stationName: string; count: number }>;
  perDay: Array<{ day: string; count: number }>;
  byOccupation: Array<{ occupation: Occupation; count: number }>;
  openReports: number;
}

/** `GET /api/stations/mine` (keeper): the keeper's stations with today's visits and open reports. */
export interface KeeperDashboard {
  stations: Array<StationAdminView & { todayVisits: VisitView[]; openReportList: ReportView[] }>;
}

export const StationsErrorCode = {
  STATION_NOT_FOUND: 'STATION_NOT_FOUND',
  STATION_CODE_INVALID: 'STATION_CODE_INVALID',
  STATION_CODE_EXPIRED: 'STATION_CODE_EXPIRED',
  NOT_MEMBER: 'NOT_MEMBER',
  NOT_KEEPER: 'NOT_KEEPER',
  KEEPER_INVALID: 'KEEPER_INVALID',
  KEEPER_INVITE_INVALID: 'KEEPER_INVITE_INVALID',
  KEEPER_INVITE_EXPIRED: 'KEEPER_INVITE_EXPIRED',
  /** The invite was accepted already (one-time). */
  KEEPER_INVITE_USED: 'KEEPER_INVITE_USED',
  /** Staff, admin and merchant clerk accounts cannot be appointed keepers. */
  KEEPER_ROLE_CONFLICT: 'KEEPER_ROLE_CONFLICT',
  RATING_NEEDS_CHECKIN: 'RATING_NEEDS_CHECKIN',
  ALREADY_RATED: 'ALREADY_RATED',
  REPORT_NOT_FOUND: 'REPORT_NOT_FOUND',
  REPORT_HANDLED: 'REPORT_HANDLED',
  PHOTO_LIMIT: 'PHOTO_LIMIT',
  PHOTO_TYPE: 'PHOTO_TYPE',
  PHOTO_TOO_LARGE: 'PHOTO_TOO_LARGE',
  PHOTO_NOT_FOUND: 'PHOTO_NOT_FOUND',
  IMPORT_INVALID: 'IMPORT_INVALID',
} as const;
