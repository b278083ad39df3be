import { Injectable } from '@nestjs/common';
import {
  amenitiesOf, amenityMask, CHECKIN_WINDOW_MINUTES, CheckInView, KeeperDashboard, maskName, Page, RatingView, ReportView,
  shanghaiDate, StationMyStatus, StationStats, VisitView,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { pageParams, toPage } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { MembershipRepository } from '../membership/membership.repository';
import { MESSAGE_TEXTS } from '../messages/message-texts';
import { MessagesService } from '../messages/messages.service';
import { OrgsService } from '../orgs/orgs.service';
import { CheckInDto, RatingDto, ReportDto, ReportListQueryDto, StationStatsQueryDto, VisitListQueryDto } from './dto/stations.dto';
import { StationCheckIn } from './entities/checkin.entity';
import { StationReport } from './entities/rating.entity';
import { Station } from './entities/station.entity';
import { StationsErrors as E } from './stations.errors';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

const WINDOW_MS = CHECKIN_WINDOW_MINUTES * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/** Check-ins (打卡), ratings (评价), problem reports (反馈问题), visits and statistics. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly repo: StationsRepository,
    private readonly stations: StationsService,
    private readonly membership: MembershipRepository,
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
    private readonly messages: MessagesService,
  ) {}

  /**
   * A member checks in with the station's door code. One per member and station per
   * {@link CHECKIN_WINDOW_MINUTES} minutes: a repeat (or a concurrent twin, in any process)
   * returns the first with `created: false`. The check-in row is written first and counted only
   * if the guard's conditional UPDATE lets it through; a loser deletes its own row.
   * @throws 404/410 for a bad code; 403 NOT_MEMBER.
   */
  async checkIn(user: User, dto: CheckInDto): Promise<CheckInView> {
    const station = await this.stations.resolveCode(dto.code);
    const member = await this.membership.findMemberByUser(user.id);
    if (!member) throw E.notMember();
    await this.repo.ensureGuard(member.id, station.id);
    const at = new Date();
    const cutoff = new Date(at.getTime() - WINDOW_MS);
    const row = { stationId: station.id, memberId: member.id, occupation: member.occupation, amenityMask: amenityMask(dto.amenities ?? []), day: shanghaiDate(at), at };
    const created = await retrying(() => this.repo.transaction(async (em) => {
      const c = await this.repo.insertCheckIn(em, row);
      if (await this.repo.claimGuard(em, member.id, station.id, c.id, at, cutoff)) return c;
      await this.repo.deleteCheckIn(em, c.id);
      return null;
    }));
    if (created) return checkInView(created, station, true);
    const guard = await this.repo.findGuard(member.id, station.id);
    const first = guard?.lastCheckInId ? await this.repo.findCheckIn(guard.lastCheckInId) : null;
    if (!first) throw new Error('check-in guard without its check-in');
    return checkInView(first, station, false);
  }

  /** What the detail page may offer the caller at this station. */
  async myStatus(user: User, stationId: number): Promise<StationMyStatus> {
    const station = await this.repo.findStation(stationId);
    if (!station) throw E.stationNotFound();
    const canManage = await this.stations.canManage(user, station);
    const member = await this.membership.findMemberByUser(user.id);
    if (!member) return { isMember: false, lastCheckInAt: null, checkedInRecently: false, canRate: false, ratedToday: false, canManage };
    const guard = await this.repo.findGuard(member.id, stationId);
    const last = guard?.lastCheckInId ? guard.lastAt : null;
    const rated = !!(await this.repo.findRating(member.id, stationId, shanghaiDate(new Date())));
    return {
      isMember: true, lastCheckInAt: last?.toISOString() ?? null, checkedInRecently: !!last && Date.now() - last.getTime() < WINDOW_MS,
      canRate: !!last && !rated, ratedToday: rated, canManage,
    };
  }

  /**
   * 1–5 stars, optional comment; one per member, station and Asia/Shanghai day (unique key).
   * @throws 403 NOT_MEMBER; 403 RATING_NEEDS_CHECKIN without a check-in there; 409 ALREADY_RATED.
   */
  async rate(user: User, stationId: number, dto: RatingDto): Promise<RatingView> {
    const station = await this.repo.findStation(stationId);
    if (!station) throw E.stationNotFound();
    const member = await this.membership.findMemberByUser(user.id);
    if (!member) throw E.notMember();
    if (!(await this.repo.hasCheckIn(member.id, stationId))) throw E.ratingNeedsCheckIn();
    const at = new Date();
    const rating = await this.repo.insertRating({ stationId, memberId: member.id, stars: dto.stars, comment: dto.comment || null, day: shanghaiDate(at), at });
    if (!rating) throw E.alreadyRated();
    return { id: rating.id, stars: rating.stars, comment: rating.comment, day: rating.day, at: at.toISOString(), memberNameMasked: maskName(member.name) };
  }

  async ratings(stationId: number, q: { page?: number; pageSize?: number }): Promise<Page<RatingView>> {
    if (!(await this.repo.findStation(stationId))) throw E.stationNotFound();
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listRatings(stationId, skip, take);
    return toPage(rows.map((r) => ({ id: r.id, stars: r.stars, comment: r.comment, day: r.day, at: r.at.toISOString(), memberNameMasked: maskName(r.memberName ?? '会员') })), total, q);
  }

  /** Any logged-in user reports a problem. */
  async report(user: User, stationId: number, dto: ReportDto): Promise<ReportView> {
    const station = await this.repo.findStation(stationId);
    if (!station) throw E.stationNotFound();
    const r = await this.repo.insertReport({ stationId, reporterUserId: user.id, kind: dto.kind, note: dto.note ?? null, status: 'open', handledById: null, handledAt: null, createdAt: new Date() });
    return reportView(r, station);
  }

  /** Keeper: reports on their stations; staff: on stations of their subtree. */
  async reports(user: User, q: ReportListQueryDto): Promise<Page<ReportView>> {
    const { skip, take } = pageParams(q);
    const filter = user.role === 'station_keeper'
      ? { stationIds: (await this.repo.findStationsByKeeper(user.id)).map((s) => s.id) }
      : { scopePath: await this.orgs.scopePath(user) };
    const [rows, total] = await this.repo.listReports({ ...filter, stationId: q.stationId, status: q.status, skip, take });
    const stations = await this.repo.findStationsByIds(rows.map((r) => r.stationId));
    return toPage(rows.map((r) => reportView(r, stations.get(r.stationId)!)), total, q);
  }

  /** @throws 404 REPORT_NOT_FOUND (also outside the caller's stations); 409 REPORT_HANDLED. */
  async handleReport(user: User, id: number): Promise<ReportView> {
    const report = await this.repo.findReport(id);
    const station = report ? await this.repo.findStation(report.stationId) : null;
    if (!report || !station || !(await this.stations.canManage(user, station))) throw E.reportNotFound();
    const handled = await this.repo.transaction(async (em) => {
      if (!(await this.repo.handleReport(id, user.id, em))) return false;
      // the reporter is told, in the same transaction as the answer
      await this.messages.enqueueTo(em, [report.reporterUserId], 'station_report_answered', `station_report:${id}:handled`,
        MESSAGE_TEXTS.stationReportAnswered({ stationId: station.id, stationName: station.name }));
      return true;
    });
    if (!handled) throw E.reportHandled();
    return reportView((await this.repo.findReport(id))!, station);
  }

  /** Visits of one station on one Asia/Shanghai day (default today); names masked, reads audited. */
  async visits(user: User, stationId: number, q: VisitListQueryDto): Promise<Page<VisitView>> {
    const station = await this.stations.getManaged(user, stationId);
    const day = q.day ?? shanghaiDate(new Date());
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listVisits(station.id, day, skip, take);
    await this.audit.record(user.id, 'read', 'station_checkin', rows.map((r) => r.id), ['memberName', 'occupation']);
    return toPage(rows.map(visitView), total, q);
  }

  /** The keeper's page: their stations, today's visits (latest 50) and open reports. */
  async keeperDashboard(user: User): Promise<KeeperDashboard> {
    const stations = await this.repo.findStationsByKeeper(user.id);
    const views = await this.stations.adminViews(stations);
    const today = shanghaiDate(new Date());
    const out: KeeperDashboard['stations'] = [];
    for (const [i, s] of stations.entries()) {
      const [visits] = await this.repo.listVisits(s.id, today, 0, 50);
      const [reports] = await this.repo.listReports({ stationIds: [s.id], status: 'open', skip: 0, take: 50 });
      await this.audit.record(user.id, 'read', 'station_checkin', visits.map((v) => v.id), ['memberName', 'occupation']);
      out.push({ ...views[i], todayVisits: visits.map(visitView), openReportList: reports.map((r) => reportView(r, s)) });
    }
    return { stations: out };
  }

  /** Staff statistics over Asia/Shanghai days `from`…`to` (default: the last 30 days). */
  async stats(user: User, q: StationStatsQueryDto): Promise<StationStats> {
    const scopePath = await this.orgs.scopePath(user);
    const orgId = q.orgCode ? (await this.orgs.getInScope(user, q.orgCode)).id : undefined;
    const to = q.to ?? shanghaiDate(new Date());
    const from = q.from ?? shanghaiDate(new Date(Date.parse(`${to}T12:00:00+08:00`) - 29 * DAY_MS));
    const [perStationDay, byOccupation, stations, openReports] = await Promise.all([
      this.repo.visitsPerStationDay(scopePath, from, to, orgId), this.repo.visitsByOccupation(scopePath, from, to, orgId),
      this.repo.countStations(scopePath, orgId), this.repo.countOpenReports(scopePath, orgId),
    ]);
    const perStation = new Map<number, { stationId: number; stationName: string; count: number }>();
    const perDay = new Map<string, number>();
    for (const r of perStationDay) {
      const s = perStation.get(r.stationId) ?? { stationId: r.stationId, stationName: r.stationName, count: 0 };
      s.count += r.count;
      perStation.set(r.stationId, s);
      perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.count);
    }
    return {
      from, to, stations, openReports, visits: perStationDay.reduce((n, r) => n + r.count, 0), perStationDay,
      perStation: [...perStation.values()].sort((a, b) => b.count - a.count || a.stationId - b.stationId),
      perDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, count]) => ({ day, count })),
      byOccupation,
    };
  }
}

function checkInView(c: StationCheckIn, station: Station, created: boolean): CheckInView {
  return { id: c.id, stationId: station.id, stationName: station.name, at: c.at.toISOString(), amenities: amenitiesOf(c.amenityMask), created };
}

function visitView(r: StationCheckIn & { memberName: string | null }): VisitView {
  return { id: r.id, at: r.at.toISOString(), memberNameMasked: maskName(r.memberName ?? '会员'), occupation: r.occupation, amenities: amenitiesOf(r.amenityMask) };
}

function reportView(r: StationReport, station: Station): ReportView {
  return {
    id: r.id, stationId: r.stationId, stationName: station?.name ?? '', kind: r.kind, note: r.note, status: r.status,
    createdAt: r.createdAt.toISOString(), handledAt: r.handledAt?.toISOString() ?? null,
  };
}

/** Runs `work` again (up to 3 times) when the database reports a deadlock or lock timeout. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e: any) {
      const code = e?.driverError?.code ?? e?.code;
      if (attempt >= 3 || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}
