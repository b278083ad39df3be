import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { EntityManager } from 'typeorm';
import {
  EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, formatShanghai, HARDSHIP_CAUSE_LABELS, HARDSHIP_CAUSES, HARDSHIP_LEVEL_LABELS,
  HARDSHIP_LEVELS, HardshipCause, HOUSEHOLD_CSV_COLUMNS, HOUSEHOLD_STATUS_LABELS, HouseholdCardView, HouseholdView, ImportMode,
  ImportReport, ImportRowError, maskIdNumber, maskMobile, maskName, NEED_TAG_LABELS, NEED_TAGS, NeedTag, Page, perCapitaIncomeFen,
  REVIEW_INTERVAL_MONTHS, shanghaiDate, shanghaiPeriod, UNION_HOTLINE, UpdateHouseholdRequest, yuanToFen, CreateHouseholdRequest,
} from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AuditService } from '../../common/audit.service';
import { PersonalDataCipher } from '../../common/crypto.service';
import { assertFourEyes } from '../../common/four-eyes';
import { fenColumn, writeCsv } from '../../common/csv';
import { DomainError } from '../../common/domain-error';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { UnionOrg } from '../orgs/org.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { AidErrors as E } from './aid.errors';
import { AidRepository, HouseholdFilter } from './aid.repository';
import { CreateHouseholdDto, ExitHouseholdDto, HouseholdListQueryDto } from './dto/aid.dto';
import { Household, HouseholdCode } from './entities/household.entity';
import { isDuplicateKey } from '../../common/db-errors';
import { IdempotencyService } from '../../common/idempotency';

/** Fields of a household file a staff read touches (the audit trail names them). */
export const HOUSEHOLD_READ_FIELDS = ['headName', 'idNumber', 'mobile', 'address', 'income', 'level', 'causes', 'employment', 'needs'];
const EXPORT_LIMIT = 100_000;
const AUDIT_CHUNK = 1000;

const tagList = (tags: readonly string[] | undefined) => `|${(tags ?? []).join('|')}${tags?.length ? '|' : ''}`;
const tagsOf = <T extends string>(stored: string): T[] => stored.split('|').filter(Boolean) as T[];

/** Months ago as an instant (calendar months, UTC arithmetic is enough for a 12-month flag). */
export function monthsAgo(months: number, now = new Date()): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Household files (困难职工档案): registration, four-eyes activation, yearly review, exit, the
 * household code, CSV import and export. Reusable from other modules (online applications):
 * {@link register}, {@link update} and {@link registerIn} take the acting staff user explicitly.
 */
@Injectable()
export class HouseholdsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AidRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly codes: SignedCodeService,
    private readonly audit: AuditService,
    private readonly idem: IdempotencyService,
  ) {}

  // ---------------------------------------------------------------- registration and changes

  /**
   * Registers a household file (status `registered`) in the caller's subtree.
   * @throws 404 ORG_NOT_FOUND outside the subtree; 409 HOUSEHOLD_ALREADY_REGISTERED when the ID number has an open file.
   */
  async register(actor: User, dto: CreateHouseholdRequest, idempotencyKey?: string): Promise<HouseholdView> {
    return this.idem.once(this.idem.request(actor.id, 'household', idempotencyKey, dto), async (record) => {
      const org = await this.targetOrg(actor, dto.orgCode);
      await this.assertNoOpenFile(this.cipher.lookupHash('id', dto.idNumber));
      const h = await this.repo.transaction(async (em) => {
        const created = await this.registerIn(em, actor, dto, org);
        await record(em, created.id);
        return created;
      });
      return this.view(h);
    }, async (id) => this.view((await this.inScope(actor, id))));
  }

  /** Inserts within the caller's transaction (used by CSV import and other modules). Maps a unique-key race to 409. */
  async registerIn(em: EntityManager, actor: User, dto: CreateHouseholdRequest, org: UnionOrg): Promise<Household> {
    const now = new Date();
    const idNumberHash = this.cipher.lookupHash('id', dto.idNumber);
    try {
      const h = await this.repo.insertHousehold(em, {
        status: 'registered', orgId: org.id, ...this.personal(dto), activeKey: idNumberHash,
        ...this.fileFields(dto), registeredById: actor.id, registeredAt: now, registeredPeriod: shanghaiPeriod(now),
        reviewedById: null, activatedAt: null, lastReviewedAt: null, exitReason: null, exitDate: null, exitedById: null, updatedAt: now,
      } as Partial<Household>);
      await this.audit.record(actor.id, 'register', 'household', [h.id], HOUSEHOLD_READ_FIELDS, em);
      return h;
    } catch (e) {
      if (isDuplicateKey(e)) throw E.alreadyRegistered(await this.openFileOrgName(idNumberHash));
      throw e;
    }
  }

  /** Changes registration fields of an open file (not its status). @throws 404, 409 HOUSEHOLD_NOT_ACTIVE when exited. */
  async update(actor: User, id: number, dto: UpdateHouseholdRequest): Promise<HouseholdView> {
    const h = await this.inScope(actor, id);
    if (h.status === 'exited') throw E.notActive();
    const merged = { ...this.plain(h), ...dto } as CreateHouseholdRequest;
    const patch: Partial<Household> = { ...this.fileFields(merged), lastEditedById: actor.id };
    if (dto.orgCode) patch.orgId = (await this.orgs.getInScope(actor, dto.orgCode)).id;
    if (dto.idNumber) {
      const idNumberHash = this.cipher.lookupHash('id', dto.idNumber);
      Object.assign(patch, { idNumberEnc: this.cipher.encrypt(dto.idNumber), idNumberHash, idNumberMasked: maskIdNumber(dto.idNumber), activeKey: idNumberHash });
    }
    if (dto.mobile) {
      Object.assign(patch, { mobileEnc: this.cipher.encrypt(dto.mobile), mobileHash: this.cipher.lookupHash('mobile', dto.mobile), mobileMasked: maskMobile(dto.mobile) });
    }
    if (dto.headName) patch.headName = dto.headName;
    try {
      await this.repo.transaction(async (em) => {
        await this.repo.updateHousehold(em, id, patch);
        await this.audit.record(actor.id, 'update', 'household', [id], Object.keys(dto), em);
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw E.alreadyRegistered(await this.openFileOrgName(patch.activeKey!));
      throw e;
    }
    return this.view((await this.repo.findHousehold(id))!);
  }

  /**
   * Review by a second staff member: registered → active, issues the household code.
   * With `em`, runs inside the caller's transaction (e.g. the confirmation of an aid application).
   * @throws 403 FOUR_EYES_REQUIRED when the registrar or the file's last editor reviews; 409 HOUSEHOLD_NOT_REGISTERED.
   */
  async activate(actor: User, id: number, em?: EntityManager): Promise<HouseholdView> {
    const h = await this.inScope(actor, id, em);
    assertFourEyes('困难职工建档', actor.id, [h.registeredById, h.lastEditedById]);
    await this.repo.within(em, async (em) => {
      const now = new Date();
      if (!(await this.repo.activateHousehold(em, id, actor.id, now))) throw E.notRegistered();
      await this.issueCode(em, actor, id, now);
      await this.audit.record(actor.id, 'activate', 'household', [id], HOUSEHOLD_READ_FIELDS, em);
    });
    return this.view((await this.repo.findHousehold(id, em))!);
  }

  /** Yearly re-verification (复核) of an active household: resets the 12-month clock. */
  async review(actor: User, id: number): Promise<HouseholdView> {
    await this.inScope(actor, id);
    if (!(await this.repo.markReviewed(id, actor.id, new Date()))) throw E.notActive();
    await this.audit.record(actor.id, 'review', 'household', [id], HOUSEHOLD_READ_FIELDS);
    return this.view((await this.repo.findHousehold(id))!);
  }

  /** 解困脱困: the file closes, its code stops working, the ID number may be registered again later. */
  async exit(actor: User, id: number, dto: ExitHouseholdDto): Promise<HouseholdView> {
    await this.inScope(actor, id);
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.exitHousehold(em, id, { exitReason: dto.reason, exitDate: dto.date ?? shanghaiDate(new Date()), exitedById: actor.id });
      if (!ok) throw E.notActive();
      await this.repo.revokeActiveCode(em, id, new Date());
      await this.audit.record(actor.id, 'exit', 'household', [id], ['status', 'exitReason'], em);
    });
    return this.view((await this.repo.findHousehold(id))!);
  }

  /** A new household code; the old one answers 410 HOUSEHOLD_CODE_REVOKED from this moment. */
  async reissueCode(actor: User, id: number): Promise<HouseholdCardView> {
    const h = await this.inScope(actor, id);
    if (h.status !== 'active') throw E.notActive();
    await this.repo.transaction(async (em) => {
      const now = new Date();
      await this.repo.revokeActiveCode(em, id, now);
      await this.issueCode(em, actor, id, now);
      await this.audit.record(actor.id, 'reissue_code', 'household', [id], ['code'], em);
    });
    return this.card(actor, id);
  }

  /** What the printable 明白卡 shows (audited as a read of the name). */
  async card(actor: User, id: number): Promise<HouseholdCardView> {
    const h = await this.inScope(actor, id);
    const code = (await this.repo.activeCodes([id])).get(id);
    if (h.status !== 'active' || !code) throw E.notActive();
    const org = (await this.orgsRepo.findById(h.orgId))!;
    await this.audit.record(actor.id, 'read', 'household', [id], ['headName', 'code']);
    return {
      householdId: id, headNameMasked: maskName(h.headName), orgName: org.name, hotline: UNION_HOTLINE, code: code.code,
      url: this.codeUrl(code.code), codeVersion: code.version, issuedAt: code.issuedAt.toISOString(),
    };
  }

  codeUrl(code: string): string {
    return `${this.config.publicBaseUrl}/#/pages/aid/code?c=${encodeURIComponent(code)}`;
  }

  private async issueCode(em: EntityManager, actor: User, householdId: number, now: Date): Promise<HouseholdCode> {
    const body = this.codes.randomBody();
    const version = (await this.repo.maxCodeVersion(em, householdId)) + 1;
    return this.repo.insertCode(em, {
      householdId, body, code: this.codes.sign('household', body).code, version, activeKey: householdId, issuedById: actor.id, issuedAt: now, revokedAt: null,
    });
  }

  // ---------------------------------------------------------------- reads (audited)

  /** One file for staff of its subtree (audited). @throws 404 HOUSEHOLD_NOT_FOUND outside the scope. */
  async get(actor: User, id: number): Promise<HouseholdView> {
    const h = await this.inScope(actor, id);
    await this.audit.record(actor.id, 'read', 'household', [id], HOUSEHOLD_READ_FIELDS);
    return this.view(h);
  }

  /** Search and list, subtree-scoped; each listed file is audited as read. */
  async list(actor: User, q: HouseholdListQueryDto): Promise<Page<HouseholdView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listHouseholds(await this.filter(actor, q), skip, take);
    await this.audit.record(actor.id, 'read', 'household', rows.map((r) => r.id), HOUSEHOLD_READ_FIELDS);
    return toPage(await this.views(rows), total, q);
  }

  /** CSV (UTF-8 with BOM) of the subtree's files, ID and mobile masked; audited per household. */
  async exportCsv(actor: User, q: HouseholdListQueryDto): Promise<string> {
    const [rows] = await this.repo.listHouseholds(await this.filter(actor, q), 0, EXPORT_LIMIT);
    for (let i = 0; i < rows.length; i += AUDIT_CHUNK) {
      await this.audit.record(actor.id, 'export', 'household', rows.slice(i, i + AUDIT_CHUNK).map((r) => r.id), HOUSEHOLD_READ_FIELDS);
    }
    if (!rows.length) await this.audit.record(actor.id, 'export', 'household', [null], ['count:0']);
    const views = await this.views(rows);
    return writeCsv(
      ['档案编号', '状态', '户主姓名', '身份证号', '手机号', '会员编号', '地址', '家庭人口', fenColumn('家庭月收入(元)'), fenColumn('人均月收入(元)'), '困难类别', '致困原因', '就业状况', '帮扶需求', '所属工会', '建档日期', '最近复核', '逾期未复核'],
      views.map((h) => [
        h.id, HOUSEHOLD_STATUS_LABELS[h.status], h.headName, h.idNumberMasked, h.mobileMasked, h.memberNo,
        `${h.province}${h.city}${h.district}${h.street}`, h.householdSize, h.monthlyIncomeFen, h.perCapitaIncomeFen,
        HARDSHIP_LEVEL_LABELS[h.level], h.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、'), EMPLOYMENT_STATUS_LABELS[h.employmentStatus],
        h.needs.map((n) => NEED_TAG_LABELS[n]).join('、'), h.org.name, formatShanghai(h.registeredAt, false),
        h.lastReviewedAt ? formatShanghai(h.lastReviewedAt, false) : '', h.reviewOverdue ? '是' : '否',
      ]),
    );
  }

  // ---------------------------------------------------------------- CSV import

  /**
   * Imports a CSV of household files. Every row is validated with {@link CreateHouseholdDto} exactly as
   * the API validates a form, then checked for scope and duplicate ID numbers. `partial`: the valid rows
   * are inserted in one transaction and the invalid ones reported; `all_or_nothing`: any error → 422
   * IMPORT_REJECTED with the report and nothing written.
   * @throws 400 FILE_INVALID when the file is not a CSV with the expected header.
   */
  async importCsv(actor: User, text: string, mode: ImportMode): Promise<ImportReport> {
    const records = this.parseCsv(text);
    const errors: ImportRowError[] = [];
    const valid: Array<{ row: number; dto: CreateHouseholdDto; org: UnionOrg }> = [];
    const seen = new Map<string, number>();
    const orgCache = new Map<string, UnionOrg | null>();
    for (const [i, record] of records.entries()) {
      const row = i + 1;
      const { plain, errors: mapErrors } = this.rowToPlain(record);
      const dto = plainToInstance(CreateHouseholdDto, plain);
      const rowErrors = [...mapErrors, ...flattenValidation(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }))]
        .filter((e, k, all) => all.findIndex((x) => x.field === e.field) === k)
        .map((e) => ({ row, ...e }));
      let org: UnionOrg | null = null;
      if (!rowErrors.length) {
        const key = dto.orgCode ?? '';
        if (!orgCache.has(key)) orgCache.set(key, await this.targetOrg(actor, dto.orgCode).catch(() => null));
        org = orgCache.get(key)!;
        if (!org) rowErrors.push({ row, field: 'orgCode', reason: '组织不存在或不在您的管辖范围' });
        const hash = this.cipher.lookupHash('id', dto.idNumber);
        if (seen.has(hash)) rowErrors.push({ row, field: 'idNumber', reason: `与第${seen.get(hash)}行身份证号重复` });
        else {
          seen.set(hash, row);
          const open = await this.repo.findOpenByIdHash(hash);
          if (open) rowErrors.push({ row, field: 'idNumber', reason: `该身份证号已在「${await this.orgName(open.orgId)}」建档` });
        }
      }
      if (rowErrors.length) errors.push(...rowErrors);
      else valid.push({ row, dto, org: org! });
    }
    const report: ImportReport = { mode, totalRows: records.length, imported: 0, householdIds: [], errors };
    if (errors.length && mode === 'all_or_nothing') throw E.importRejected(report);
    if (valid.length) {
      const created = await this.repo.transaction(async (em) => {
        const out: Household[] = [];
        for (const v of valid) out.push(await this.registerIn(em, actor, v.dto, v.org));
        return out;
      });
      report.imported = created.length;
      report.householdIds = created.map((h) => h.id);
    }
    return report;
  }

  private parseCsv(text: string): Array<Record<string, string>> {
    const aliases = new Map<string, string>();
    for (const c of HOUSEHOLD_CSV_COLUMNS) {
      aliases.set(c.field.toLowerCase(), c.field);
      aliases.set(normaliseHeader(c.label), c.field);
    }
    let records: Array<Record<string, string>>;
    let unknown: string[] = [];
    try {
      records = parse(text, {
        bom: true, skip_empty_lines: true, trim: true,
        columns: (header: string[]) => header.map((h) => {
          const field = aliases.get(normaliseHeader(h)) ?? aliases.get(h.trim().toLowerCase());
          if (!field) unknown.push(h);
          return field ?? h;
        }),
      });
    } catch (e: any) {
      throw E.fileInvalid(`CSV格式有误（${String(e?.message ?? e).slice(0, 100)}）`);
    }
    unknown = unknown.filter(Boolean);
    if (unknown.length) throw E.fileInvalid(`未知的列：${unknown.join('、')}`);
    if (!records.length) throw E.fileInvalid('文件中没有数据行');
    if (records.length > 20_000) throw E.fileInvalid('一次最多导入20000行');
    const present = new Set(Object.keys(records[0]));
    const missing = HOUSEHOLD_CSV_COLUMNS.filter((c) => c.required && !present.has(c.field)).map((c) => `${c.label}(${c.field})`);
    if (!present.has('monthlyIncomeFen') && !present.has('monthlyIncomeYuan')) missing.push('家庭月收入(元)(monthlyIncomeYuan)');
    if (missing.length) throw E.fileInvalid(`缺少必填列：${missing.join('、')}`);
    return records;
  }

  /** A CSV row as the JSON body the API would receive; labels (深度困难, 因病…) become their codes. */
  private rowToPlain(r: Record<string, string>): { plain: Record<string, unknown>; errors: Array<{ field: string; reason: string }> } {
    const errors: Array<{ field: string; reason: string }> = [];
    const plain: Record<string, unknown> = {};
    const fromLabel = (value: string, keys: readonly string[], labels: Record<string, string>) =>
      keys.find((k) => k === value || labels[k] === value) ?? value;
    const listOf = (value: string, keys: readonly string[], labels: Record<string, string>) =>
      value.split(/[|、;；,，\s]+/).filter(Boolean).map((v) => fromLabel(v, keys, labels));
    const int = (v: string) => (/^\d{1,10}$/.test(v) ? Number(v) : v);
    for (const [field, raw] of Object.entries(r)) {
      const v = (raw ?? '').trim();
      if (v === '') continue;
      switch (field) {
        case 'householdSize': plain.householdSize = int(v); break;
        case 'monthlyIncomeFen': plain.monthlyIncomeFen = int(v); break;
        case 'monthlyIncomeYuan': {
          const fen = yuanToFen(v);
          if (fen === null) errors.push({ field: 'monthlyIncomeFen', reason: '家庭月收入应为金额（元），最多两位小数' });
          else plain.monthlyIncomeFen = fen;
          break;
        }
        case 'level': plain.level = fromLabel(v, HARDSHIP_LEVELS, HARDSHIP_LEVEL_LABELS); break;
        case 'employmentStatus': plain.employmentStatus = fromLabel(v, EMPLOYMENT_STATUSES, EMPLOYMENT_STATUS_LABELS); break;
        case 'causes': plain.causes = listOf(v, HARDSHIP_CAUSES, HARDSHIP_CAUSE_LABELS); break;
        case 'needs': plain.needs = listOf(v, NEED_TAGS, NEED_TAG_LABELS); break;
        default: plain[field] = v;
      }
    }
    if (plain.causes === undefined) plain.causes = [];
    return { plain, errors };
  }

  // ---------------------------------------------------------------- helpers shared with the other services

  /** The household if it lies in the caller's subtree. @throws 404 HOUSEHOLD_NOT_FOUND (no existence leak). */
  async inScope(actor: User, id: number, em?: EntityManager): Promise<Household> {
    const h = await this.repo.findHousehold(id, em);
    if (!h) throw E.householdNotFound();
    const org = await this.orgsRepo.findById(h.orgId);
    if (!org || !(await this.orgs.inScope(actor, org))) throw E.householdNotFound();
    return h;
  }

  async views(rows: Household[]): Promise<HouseholdView[]> {
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    const codes = await this.repo.activeCodes(rows.filter((r) => r.status === 'active').map((r) => r.id));
    const overdueBefore = monthsAgo(REVIEW_INTERVAL_MONTHS);
    return rows.map((h) => {
      const code = codes.get(h.id);
      return {
        id: h.id, status: h.status, headName: h.headName, idNumberMasked: h.idNumberMasked, mobileMasked: h.mobileMasked, memberNo: h.memberNo,
        province: h.province, city: h.city, district: h.district, street: h.street, addressDetail: h.addressDetail,
        householdSize: h.householdSize, monthlyIncomeFen: h.monthlyIncomeFen, perCapitaIncomeFen: h.perCapitaIncomeFen, level: h.level,
        causes: tagsOf<HardshipCause>(h.causes), employmentStatus: h.employmentStatus, needs: tagsOf<NeedTag>(h.needs), needsNote: h.needsNote,
        org: toOrgSummary(orgs.get(h.orgId)!), registeredAt: h.registeredAt.toISOString(), registeredById: h.registeredById,
        activatedAt: h.activatedAt?.toISOString() ?? null, reviewedById: h.reviewedById, lastReviewedAt: h.lastReviewedAt?.toISOString() ?? null,
        reviewOverdue: h.status === 'active' && !!h.lastReviewedAt && h.lastReviewedAt.getTime() < overdueBefore.getTime(),
        exitReason: h.exitReason, exitDate: h.exitDate, code: code?.code ?? null, codeVersion: code?.version ?? null,
      };
    });
  }

  async view(h: Household): Promise<HouseholdView> {
    return (await this.views([h]))[0];
  }

  async orgName(orgId: number): Promise<string> {
    return (await this.orgsRepo.findById(orgId))?.name ?? '其他工会';
  }

  /** The org a new file or batch belongs to: `orgCode` in the subtree, else the caller's own org. */
  async targetOrg(actor: User, orgCode?: string): Promise<UnionOrg> {
    if (orgCode) return this.orgs.getInScope(actor, orgCode);
    if (!actor.orgId) throw new DomainError('VALIDATION_FAILED', '请指定组织代码', HttpStatus.BAD_REQUEST, [{ field: 'orgCode', message: '请指定组织代码' }]);
    const org = await this.orgsRepo.findById(actor.orgId);
    if (!org) throw E.householdNotFound();
    return org;
  }

  private async filter(actor: User, q: HouseholdListQueryDto): Promise<HouseholdFilter> {
    const scopePath = await this.orgs.scopePath(actor);
    const orgId = q.orgCode ? (await this.orgs.getInScope(actor, q.orgCode)).id : undefined;
    const f: HouseholdFilter = { scopePath, orgId, status: q.status, level: q.level };
    if (q.overdue) f.reviewedBefore = monthsAgo(REVIEW_INTERVAL_MONTHS);
    if (q.q) {
      const term = q.q.trim();
      if (/^\d{17}[\dXx]$/.test(term)) f.idNumberHash = this.cipher.lookupHash('id', term.toUpperCase());
      else if (/^1\d{10}$/.test(term)) f.mobileHash = this.cipher.lookupHash('mobile', term);
      else f.namePrefix = term;
    }
    return f;
  }

  private async assertNoOpenFile(idNumberHash: string): Promise<void> {
    const open = await this.repo.findOpenByIdHash(idNumberHash);
    if (open) throw E.alreadyRegistered(await this.orgName(open.orgId));
  }

  private async openFileOrgName(idNumberHash: string): Promise<string> {
    const open = await this.repo.findOpenByIdHash(idNumberHash);
    return open ? this.orgName(open.orgId) : '其他工会';
  }

  private personal(dto: { idNumber: string; mobile: string }) {
    return {
      idNumberEnc: this.cipher.encrypt(dto.idNumber), idNumberHash: this.cipher.lookupHash('id', dto.idNumber), idNumberMasked: maskIdNumber(dto.idNumber),
      mobileEnc: this.cipher.encrypt(dto.mobile), mobileHash: this.cipher.lookupHash('mobile', dto.mobile), mobileMasked: maskMobile(dto.mobile),
    };
  }

  private fileFields(dto: CreateHouseholdRequest): Partial<Household> {
    return {
      headName: dto.headName, memberNo: dto.memberNo ?? null, province: dto.province, city: dto.city, district: dto.district, street: dto.street,
      addressDetail: dto.addressDetail || null, householdSize: dto.householdSize, monthlyIncomeFen: dto.monthlyIncomeFen,
      perCapitaIncomeFen: perCapitaIncomeFen(dto.monthlyIncomeFen, dto.householdSize), level: dto.level, causes: tagList(dto.causes),
      employmentStatus: dto.employmentStatus, needs: tagList(dto.needs), needsNote: dto.needsNote || null,
    };
  }

  /** The stored file as a request body (without ID and mobile, which stay encrypted). */
  private plain(h: Household): Omit<CreateHouseholdRequest, 'idNumber' | 'mobile'> {
    return {
      headName: h.headName, memberNo: h.memberNo ?? undefined, province: h.province, city: h.city, district: h.district, street: h.street,
      addressDetail: h.addressDetail ?? undefined, householdSize: h.householdSize, monthlyIncomeFen: h.monthlyIncomeFen, level: h.level,
      causes: tagsOf<HardshipCause>(h.causes), employmentStatus: h.employmentStatus, needs: tagsOf<NeedTag>(h.needs), needsNote: h.needsNote ?? undefined,
    };
  }
}

function normaliseHeader(h: string): string {
  return h.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase();
}

/** class-validator errors as `{field, reason}`, first message per field. */
export function flattenValidation(errors: ValidationError[], prefix = ''): Array<{ field: string; reason: string }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).slice(0, 1).map(([rule, message]) => ({
      field, reason: rule === 'whitelistValidation' ? `不允许的字段：${field}` : message,
    }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}
