import { Inject, Injectable } from '@nestjs/common';
import * as QRCode from 'qrcode';
import {
  amenitiesOf, amenityMask, evaluateOpen, KeeperAppointmentView, OpenState, KeeperInviteView, KeeperOption, Page, StationAdminView, StationView,
} from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { OneTimeInviteService } from '../../common/one-time-invite.service';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { UnionOrg } from '../orgs/org.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { StationInputDto, StationListQueryDto, StationOperationsDto, UpdateStationDto } from './dto/stations.dto';
import { Station } from './entities/station.entity';
import { StationsErrors as E } from './stations.errors';
import { StationsRepository } from './stations.repository';

const STAFF_ROLES = new Set(['union_staff', 'admin']);

/**
 * Stations: staff manage the stations of their subtree; a keeper runs the day-to-day of their own
 * station (hours, closed dates, status, amenities). Every station has a signed door code without
 * expiry whose QR content is the H5 detail page URL.
 */
@Injectable()
export class StationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: StationsRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly codes: SignedCodeService,
    private readonly invites: OneTimeInviteService,
  ) {}

  /**
   * A one-time invite (OneTimeInviteService, kind `keeper_invite`, 24 h) to keep the station. The invite is how an
   * account becomes a keeper; whoever accepts it replaces the current keeper. @throws 404 outside the subtree.
   */
  async createKeeperInvite(user: User, id: number): Promise<KeeperInviteView> {
    const station = await this.getStaffScoped(user, id);
    const { code, expiresAt } = this.invites.issue('keeper_invite', station.id.toString(36));
    return { code, expiresAt: expiresAt.toISOString(), stationId: station.id, stationName: station.name };
  }

  /**
   * Accepts a keeper invite: in one transaction the station's keeper becomes the caller, a plain `user` account
   * becomes `station_keeper` of the station's org, and the invite is used up.
   * @throws 404 KEEPER_INVITE_INVALID (bad code or station gone), 410 KEEPER_INVITE_EXPIRED, 409 KEEPER_INVITE_USED,
   *         409 KEEPER_ROLE_CONFLICT (staff, admin or clerk accounts).
   */
  async acceptKeeperInvite(user: User, inviteCode: string): Promise<KeeperAppointmentView> {
    const invite = this.invites.read('keeper_invite', inviteCode, E.keeperInviteErrors);
    const stationId = parseInt(invite.subject, 36);
    const station = Number.isSafeInteger(stationId) && stationId > 0 ? await this.repo.findStation(stationId) : null;
    if (!station) throw E.keeperInviteInvalid();
    if (user.role !== 'user' && user.role !== 'station_keeper') throw E.keeperRoleConflict();
    await this.repo.transaction(async (em) => {
      await this.repo.updateStation(station.id, { keeperUserId: user.id, updatedAt: new Date() }, em);
      if (user.role === 'user') await this.repo.updateUser(em, user.id, { role: 'station_keeper', orgId: station.orgId });
      await this.invites.consume(em, 'keeper_invite', invite, user.id, E.keeperInviteErrors);
    });
    return { stationId: station.id, stationName: station.name };
  }

  /** @throws 404 ORG_NOT_FOUND outside the subtree; 400 KEEPER_INVALID. */
  async create(user: User, dto: StationInputDto): Promise<StationAdminView> {
    const org = await this.orgs.getInScope(user, dto.orgCode);
    const keeperUserId = await this.checkKeeper(user, dto.keeperUserId);
    const now = new Date();
    const station = await this.repo.insertStation({
      ...StationsService.defaults(), ...this.fields(dto), orgId: org.id, keeperUserId, codeBody: this.codes.randomBody(), createdAt: now, updatedAt: now,
    } as Partial<Station>);
    return this.adminView(station);
  }

  /** Staff edit any field. @throws 404 outside the subtree. */
  async update(user: User, id: number, dto: UpdateStationDto): Promise<StationAdminView> {
    const station = await this.getStaffScoped(user, id);
    const patch: Partial<Station> = this.fields(dto);
    if (dto.orgCode !== undefined) patch.orgId = (await this.orgs.getInScope(user, dto.orgCode)).id;
    if (dto.keeperUserId !== undefined) patch.keeperUserId = await this.checkKeeper(user, dto.keeperUserId);
    if (Object.keys(patch).length) await this.repo.updateStation(station.id, patch);
    return this.adminView((await this.repo.findStation(id))!);
  }

  /** The keeper of the station (or staff of its subtree) sets hours, closed dates, status and amenities. */
  async updateOperations(user: User, id: number, dto: StationOperationsDto): Promise<StationAdminView> {
    const station = await this.getManaged(user, id);
    const patch = this.fields(dto);
    if (Object.keys(patch).length) await this.repo.updateStation(station.id, patch);
    return this.adminView((await this.repo.findStation(id))!);
  }

  async list(user: User, q: StationListQueryDto): Promise<Page<StationAdminView>> {
    const scopePath = await this.orgs.scopePath(user);
    const orgId = q.orgCode ? (await this.orgs.getInScope(user, q.orgCode)).id : undefined;
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listStations({ scopePath, orgId, q: q.q, skip, take });
    return toPage(await this.adminViews(rows), total, q);
  }

  /** Public detail. @throws 404 STATION_NOT_FOUND. */
  async publicView(id: number): Promise<StationView> {
    const station = await this.repo.findStation(id);
    if (!station) throw E.stationNotFound();
    return (await this.views([station]))[0];
  }

  /** Staff or keeper detail with the door code. */
  async getAdmin(user: User, id: number): Promise<StationAdminView> {
    return this.adminView(await this.getManaged(user, id));
  }

  /** Resolves a door code. @throws 404 STATION_CODE_INVALID (tampered or unknown). */
  async resolveCode(code: string): Promise<Station> {
    const { body } = this.codes.verify('station', code, E.stationCodeErrors);
    const station = await this.repo.findStationByCodeBody(body);
    if (!station) throw E.stationCodeInvalid();
    return station;
  }

  async lookupCode(code: string): Promise<StationView> {
    return (await this.views([await this.resolveCode(code)]))[0];
  }

  /** The door QR as a PNG (512 px) whose content is the detail page URL. */
  async qrPng(user: User, id: number): Promise<Buffer> {
    const station = await this.getManaged(user, id);
    return QRCode.toBuffer(this.url(station), { type: 'png', width: 512, margin: 2, errorCorrectionLevel: 'M' });
  }

  async keepers(user: User): Promise<KeeperOption[]> {
    const users = await this.repo.listKeepers(await this.orgs.scopePath(user));
    const orgs = await this.orgsRepo.findByIds(users.map((u) => u.orgId!));
    return users.map((u) => ({ userId: u.id, displayName: u.displayName, org: toOrgSummary(orgs.get(u.orgId!) as UnionOrg) }));
  }

  // --- access

  /** Staff and admins may manage stations of their subtree; a keeper only their own. */
  async canManage(user: User, station: Station): Promise<boolean> {
    if (user.role === 'station_keeper') return station.keeperUserId === user.id;
    if (!STAFF_ROLES.has(user.role)) return false;
    const org = await this.orgsRepo.findById(station.orgId);
    return !!org && (await this.orgs.inScope(user, org));
  }

  /** The station if the caller manages it. @throws 404 otherwise (no existence leak). */
  async getManaged(user: User, id: number): Promise<Station> {
    const station = await this.repo.findStation(id);
    if (!station || !(await this.canManage(user, station))) throw E.stationNotFound();
    return station;
  }

  async getStaffScoped(user: User, id: number): Promise<Station> {
    const station = await this.repo.findStation(id);
    if (!station || !STAFF_ROLES.has(user.role) || !(await this.canManage(user, station))) throw E.stationNotFound();
    return station;
  }

  /** `keeperUserId` must be a station_keeper account in the caller's subtree; null clears. */
  async checkKeeper(user: User, keeperUserId: number | null | undefined): Promise<number | null> {
    if (keeperUserId === undefined || keeperUserId === null) return null;
    const keeper = await this.repo.findUser(keeperUserId);
    if (!keeper || keeper.role !== 'station_keeper' || !keeper.orgId) throw E.keeperInvalid();
    const org = await this.orgsRepo.findById(keeper.orgId);
    if (!org || !(await this.orgs.inScope(user, org))) throw E.keeperInvalid();
    return keeper.id;
  }

  // --- views

  url(station: Pick<Station, 'codeBody'>): string {
    return `${this.config.publicBaseUrl}/#/pages/stations/detail?s=${encodeURIComponent(this.code(station))}`;
  }
  code(station: Pick<Station, 'codeBody'>): string {
    return this.codes.sign('station', station.codeBody).code;
  }

  /**
   * Public views of `rows` (org, photos, rating totals read in three statements). `openState` may supply a memoised
   * {@link evaluateOpen} (the nearby index's). `shared`: the three reads are shared with the concurrent callers of the
   * same event-loop round (the nearby search; never inside a transaction).
   */
  async views(rows: Station[], at: number = Date.now(), openState: (s: Station) => OpenState = (s) => evaluateOpen(s, at), shared = false): Promise<StationView[]> {
    const ids = rows.map((r) => r.id);
    const orgIds = rows.map((r) => r.orgId);
    const [orgs, photos, ratings] = await Promise.all(shared
      ? [this.orgsRepo.findByIdsShared.many(orgIds), this.repo.shared.photos.many(ids), this.repo.shared.ratings.many(ids)]
      : [this.orgsRepo.findByIds(orgIds), this.repo.photosOf(ids), this.repo.ratingTotals(ids)]);
    return rows.map((s) => {
      const rating = ratings.get(s.id);
      return {
        id: s.id, name: s.name, org: toOrgSummary(orgs.get(s.orgId) as UnionOrg), address: s.address, lat: s.lat, lng: s.lng,
        amenities: amenitiesOf(s.amenityMask), hours: s.hours, closedDates: s.closedDates, status: s.status, closedNote: s.closedNote,
        closedUntil: s.closedUntil, phone: s.phone, description: s.description,
        photos: (photos.get(s.id) ?? []).map((p) => `/api/stations/photos/${p.fileName}`),
        openState: openState(s),
        ratingAverage: rating ? Math.round(rating.average * 10) / 10 : null, ratingCount: rating?.count ?? 0,
      };
    });
  }

  async adminView(station: Station): Promise<StationAdminView> {
    return (await this.adminViews([station]))[0];
  }

  async adminViews(rows: Station[]): Promise<StationAdminView[]> {
    const [views, keepers, reports] = await Promise.all([
      this.views(rows), this.repo.findUsers(rows.map((r) => r.keeperUserId).filter((x): x is number => !!x)), this.repo.openReportCounts(rows.map((r) => r.id)),
    ]);
    return views.map((v, i) => {
      const s = rows[i];
      const keeper = s.keeperUserId ? keepers.get(s.keeperUserId) : undefined;
      return { ...v, code: this.code(s), url: this.url(s), keeper: keeper ? { userId: keeper.id, displayName: keeper.displayName } : null, openReports: reports.get(s.id) ?? 0 };
    });
  }

  /** Entity columns from a (partial) DTO; undefined fields are left alone. */
  private fields(dto: Partial<StationInputDto>): Partial<Station> {
    const f: Partial<Station> = {};
    if (dto.name !== undefined) f.name = dto.name;
    if (dto.address !== undefined) f.address = dto.address;
    if (dto.lat !== undefined) f.lat = dto.lat;
    if (dto.lng !== undefined) f.lng = dto.lng;
    if (dto.amenities !== undefined) f.amenityMask = amenityMask(dto.amenities);
    if (dto.hours !== undefined) f.hours = { is24h: dto.hours.is24h, weekly: dto.hours.is24h ? {} : dto.hours.weekly };
    if (dto.closedDates !== undefined) f.closedDates = [...new Set(dto.closedDates)].sort();
    if (dto.status !== undefined) f.status = dto.status;
    if (dto.closedNote !== undefined) f.closedNote = dto.closedNote ?? null;
    if (dto.closedUntil !== undefined) f.closedUntil = dto.closedUntil ?? null;
    if (dto.phone !== undefined) f.phone = dto.phone ?? null;
    if (dto.description !== undefined) f.description = dto.description ?? null;
    // a station reopened by its keeper forgets its closure note
    if (dto.status === 'open') {
      f.closedNote = dto.closedNote ?? null;
      f.closedUntil = null;
    }
    return f;
  }

  /** Defaults for a new station. */
  static defaults(): Pick<Station, 'closedDates' | 'status' | 'closedNote' | 'closedUntil' | 'phone' | 'description'> {
    return { closedDates: [], status: 'open', closedNote: null, closedUntil: null, phone: null, description: null };
  }
}
