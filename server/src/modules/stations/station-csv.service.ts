import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { parse } from 'csv-parse/sync';
import {
  AMENITIES, AMENITY_LABELS, amenitiesOf, amenityMask, formatHoursText, parseHoursText, StationImportResult, StationImportRowError,
} from '@union/shared';
import { restoreCell, writeCsv } from '../../common/csv';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService } from '../orgs/orgs.service';
import { StationInputDto } from './dto/stations.dto';
import { Station } from './entities/station.entity';
import { StationsErrors as E } from './stations.errors';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

/** Columns of the station CSV, in export order. Import reads the input columns and ignores the rest. */
export const STATION_CSV_COLUMNS = [
  'id', 'name', 'orgCode', 'address', 'lat', 'lng', 'amenities', 'hours', 'closedDates', 'status', 'closedNote', 'closedUntil',
  'phone', 'description', 'keeperUserId', 'code', 'url', 'ratingAverage', 'ratingCount',
] as const;
const REQUIRED = ['name', 'orgCode', 'address', 'lat', 'lng', 'amenities', 'hours'];
const MAX_ROWS = 5000;
const LABEL_TO_AMENITY = new Map<string, string>(AMENITIES.map((a) => [AMENITY_LABELS[a], a]));

/**
 * CSV import and export of stations (unions keep lists). Import validates every row with the same
 * DTO as the API plus the scope rules; if any row is wrong nothing is written and every problem is
 * reported by row and field. A row with an `id` updates that station (export → edit → import).
 */
@Injectable()
export class StationCsvService {
  constructor(
    private readonly repo: StationsRepository,
    private readonly stations: StationsService,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly codes: SignedCodeService,
  ) {}

  async import(user: User, csv: string): Promise<StationImportResult> {
    let records: Array<Record<string, string>>;
    try {
      records = parse(csv, { columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, trim: true, bom: true });
    } catch (e: any) {
      throw E.importInvalid([{ row: Number(e?.lines ?? 0), field: 'csv', message: `CSV格式有误：${String(e?.message ?? '').slice(0, 120)}` }]);
    }
    const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const missing = REQUIRED.filter((c) => !header.includes(c));
    if (missing.length) throw E.importInvalid(missing.map((c) => ({ row: 0, field: c, message: `缺少列：${c}` })));
    if (!records.length) throw E.importInvalid([{ row: 0, field: 'csv', message: '没有数据行' }]);
    if (records.length > MAX_ROWS) throw E.importInvalid([{ row: 0, field: 'csv', message: `一次最多导入${MAX_ROWS}行` }]);

    const errors: StationImportRowError[] = [];
    const planned: Array<{ id: number | null; dto: StationInputDto; orgId: number; keeperUserId: number | null }> = [];
    for (const [i, rec] of records.entries()) {
      const row = i + 1;
      const rowErrors: StationImportRowError[] = [];
      const { input, problems } = toInput(rec);
      rowErrors.push(...problems.map((p) => ({ row, ...p })));
      const dto = plainToInstance(StationInputDto, input);
      rowErrors.push(...flatten(await validate(dto, { whitelist: true, forbidNonWhitelisted: false })).map((p) => ({ row, ...p })));
      let id: number | null = null;
      if (rec.id) {
        id = /^\d{1,10}$/.test(rec.id) ? Number(rec.id) : NaN;
        if (!Number.isInteger(id) || !(await this.stations.getStaffScoped(user, id).then(() => true, () => false))) {
          rowErrors.push({ row, field: 'id', message: '驿站不存在或不在您的管辖范围内' });
        }
      }
      let orgId = 0;
      if (!rowErrors.some((e) => e.field === 'orgCode')) {
        const org = await this.orgs.getInScope(user, dto.orgCode).catch(() => null);
        if (org) orgId = org.id;
        else rowErrors.push({ row, field: 'orgCode', message: '工会组织不存在或不在您的管辖范围内' });
      }
      let keeperUserId: number | null = null;
      if (!rowErrors.some((e) => e.field === 'keeperUserId')) {
        keeperUserId = await this.stations.checkKeeper(user, dto.keeperUserId).catch(() => {
          rowErrors.push({ row, field: 'keeperUserId', message: '站长须为本辖区内的驿站站长账号' });
          return null;
        });
      }
      errors.push(...rowErrors);
      if (!rowErrors.length) planned.push({ id, dto, orgId, keeperUserId });
    }
    if (errors.length) throw E.importInvalid(errors);

    let created = 0;
    let updated = 0;
    await this.repo.transaction(async (em) => {
      const now = new Date();
      for (const p of planned) {
        const fields: Partial<Station> = {
          name: p.dto.name, orgId: p.orgId, address: p.dto.address, lat: p.dto.lat, lng: p.dto.lng,
          amenityMask: amenityMask(p.dto.amenities), hours: p.dto.hours, closedDates: [...new Set(p.dto.closedDates ?? [])].sort(),
          status: p.dto.status ?? 'open', closedNote: p.dto.closedNote ?? null, closedUntil: p.dto.closedUntil ?? null,
          phone: p.dto.phone ?? null, description: p.dto.description ?? null, keeperUserId: p.keeperUserId,
        };
        if (p.id) {
          await this.repo.updateStation(p.id, fields, em);
          updated++;
        } else {
          await this.repo.insertStation({ ...fields, codeBody: this.codes.randomBody(), createdAt: now, updatedAt: now }, em);
          created++;
        }
      }
    });
    return { ok: true, rows: records.length, created, updated, errors: [] };
  }

  /** Every station of the caller's subtree as CSV (UTF-8 with BOM so spreadsheet programs read Chinese). */
  async export(user: User): Promise<string> {
    const scopePath = await this.orgs.scopePath(user);
    const rows: Station[] = [];
    for (let skip = 0; ; skip += 500) {
      const [page] = await this.repo.listStations({ scopePath, skip, take: 500 });
      rows.push(...page);
      if (page.length < 500) break;
    }
    rows.sort((a, b) => a.id - b.id);
    const views = await this.stations.adminViews(rows);
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    const records = rows.map((s, i) => ({
      id: s.id, name: s.name, orgCode: orgs.get(s.orgId)?.code ?? '', address: s.address, lat: s.lat, lng: s.lng,
      amenities: amenitiesOf(s.amenityMask).join(' '), hours: formatHoursText(s.hours), closedDates: s.closedDates.join(' '),
      status: s.status, closedNote: s.closedNote ?? '', closedUntil: s.closedUntil ?? '', phone: s.phone ?? '', description: s.description ?? '',
      keeperUserId: s.keeperUserId ?? '', code: views[i].code, url: views[i].url, ratingAverage: views[i].ratingAverage ?? '', ratingCount: views[i].ratingCount,
    }));
    return writeCsv(STATION_CSV_COLUMNS, records.map((r) => STATION_CSV_COLUMNS.map((c) => r[c])));
  }
}


/** A CSV record → the API's input shape; problems that the DTO cannot express (hours text) are returned apart. */
function toInput(raw: Record<string, string>): { input: Record<string, unknown>; problems: Array<{ field: string; message: string }> } {
  // a file exported by us and edited: drop the quote the writer put before formula-like text
  const rec = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? restoreCell(v) : v]));
  const problems: Array<{ field: string; message: string }> = [];
  const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  const amenities = (rec.amenities ?? '').split(/[\s|,;、]+/).filter(Boolean).map((a) => LABEL_TO_AMENITY.get(a) ?? a);
  const hours = parseHoursText(rec.hours ?? '');
  if (typeof hours === 'string') problems.push({ field: 'hours', message: hours });
  return {
    input: {
      name: rec.name, orgCode: rec.orgCode, address: rec.address, lat: rec.lat, lng: rec.lng, amenities,
      hours: typeof hours === 'string' ? { is24h: true, weekly: {} } : hours,
      closedDates: (rec.closedDates ?? '').split(/[\s|,;]+/).filter(Boolean), status: opt(rec.status), closedNote: opt(rec.closedNote),
      closedUntil: opt(rec.closedUntil), phone: opt(rec.phone), description: opt(rec.description), keeperUserId: opt(rec.keeperUserId),
    },
    problems,
  };
}

function flatten(errors: ValidationError[]): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).slice(0, 1).map((message) => ({ field: e.property, message })));
}
