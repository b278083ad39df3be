import 'reflect-metadata';
import { readdirSync } from 'fs';
import { join } from 'path';
import { getMetadataStorage } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { getMetadataArgsStorage } from 'typeorm';
import { MAX_PERSON_NAME_LENGTH, OCCUPATIONS } from '@union/shared';
import { startApp, TestApp } from '../support/app';
import { auth, count } from '../support/aid';
import { campaignForm } from '../support/vouchers-fixtures';
import { createStation, makeMember } from '../support/stations';

/**
 * Issue 11 item 8: every list and free-text field of every DTO has a bound, and where it is stored the
 * bound fits its column (VARCHAR(n) counts code points in utf8mb4; a comma-joined list of an enum fits
 * when all its values do). The first part walks the class-validator metadata of every DTO class and the
 * TypeORM column metadata, so a field added without a bound, or with a bound larger than its column,
 * fails here. The second part proves the campaign occupation list and a few other fields over HTTP.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

const SRC = join(__dirname, '..', '..', 'src');
const dtoFiles = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => /(^|\/)(dto\/[^/]+|[^/]+\.dto)\.ts$/.test(f) && !f.endsWith('.spec.ts'))
  .map((f) => join(SRC, f));
const entityFiles = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.entity.ts')).map((f) => join(SRC, f));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exported: Function[] = dtoFiles.flatMap((f) => Object.values(require(f)).filter((v): v is Function => typeof v === 'function'));
/** The exported DTO classes and, transitively, the classes of their nested fields (`@ValidateNested() @Type(() => X)`), exported or not. */
const dtoClasses: Function[] = (() => {
  const seen = new Set<Function>();
  const visit = (cls: Function) => {
    if (seen.has(cls)) return;
    seen.add(cls);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      if (m.type !== 'nestedValidation') continue;
      const nested = defaultMetadataStorage.findTypeMetadata(cls, m.propertyName)?.typeFunction();
      if (typeof nested === 'function') visit(nested);
    }
  };
  exported.forEach(visit);
  return [...seen];
})();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const entities: Record<string, Function> = Object.assign({}, ...entityFiles.map((f) => require(f)));

const metasOf = (cls: Function) => getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).filter((m) => m.target === cls);
const nameOf = (m: ValidationMetadata) => m.name ?? m.type;

/** Column length (characters) of `Entity.property`, `text` → what a MySQL TEXT holds in utf8mb4 (65,535 bytes / 4). */
function columnLength(entity: string, property: string): number {
  const target = entities[entity];
  if (!target) throw new Error(`no entity ${entity}`);
  const col = getMetadataArgsStorage().columns.find((c) => c.target === target && c.propertyName === property);
  if (!col) throw new Error(`no column ${entity}.${property}`);
  if (col.options.type === 'text') return Math.floor(65_535 / 4);
  if (col.options.type !== 'varchar' || !col.options.length) throw new Error(`${entity}.${property} is not a varchar/text column`);
  return Number(col.options.length);
}

/**
 * Where each stored free-text or list field of a DTO lands. A new free-text field must be added here (or to
 * NOT_STORED with the reason): the test below fails otherwise.
 */
const STORED_IN: Record<string, string[]> = {
  'CreateJoinCodeDto.label': ['JoinCode.label'],
  'CreateApplicationDto.name': ['MembershipApplication.name', 'Member.name'],
  'CreateApplicationDto.platform': ['MembershipApplication.platform', 'Member.platform'],
  'CreateApplicationDto.workCity': ['MembershipApplication.workCity', 'Member.workCity'],
  'RejectApplicationDto.reason': ['MembershipApplication.rejectReason'],
  'CreateMerchantDto.name': ['Merchant.name'],
  'CreateMerchantDto.address': ['Merchant.address'],
  'CreateMerchantDto.contactName': ['Merchant.contactName'],
  'CreateMerchantDto.discountNote': ['Merchant.discountNote'],
  'RejectMerchantDto.reason': ['Merchant.rejectReason'],
  'VoucherTypeDto.name': ['VoucherType.name'],
  'CreateCampaignDto.name': ['Campaign.name'],
  'CreateCampaignDto.description': ['Campaign.description'],
  'CreateCampaignDto.occupations': ['Campaign.occupations'],
  'CreateCampaignDto.categories': ['Campaign.categories'],
  'UpdateCampaignDto.name': ['Campaign.name'],
  'UpdateCampaignDto.description': ['Campaign.description'],
  'UpdateCampaignDto.occupations': ['Campaign.occupations'],
  'UpdateCampaignDto.categories': ['Campaign.categories'],
  'StationInputDto.name': ['Station.name'],
  'StationInputDto.address': ['Station.address'],
  'StationInputDto.closedNote': ['Station.closedNote'],
  'StationInputDto.phone': ['Station.phone'],
  'StationInputDto.description': ['Station.description'],
  'RatingDto.comment': ['StationRating.comment'],
  'ReportDto.note': ['StationReport.note'],
  'CreateOrgDto.name': ['UnionOrg.name'],
  'CreateOrgDto.city': ['UnionOrg.city'],
  'UpdateOrgDto.name': ['UnionOrg.name'],
  'CreateHouseholdDto.headName': ['Household.headName'],
  'CreateHouseholdDto.province': ['Household.province'],
  'CreateHouseholdDto.city': ['Household.city'],
  'CreateHouseholdDto.district': ['Household.district'],
  'CreateHouseholdDto.street': ['Household.street'],
  'CreateHouseholdDto.addressDetail': ['Household.addressDetail'],
  'CreateHouseholdDto.causes': ['Household.causes'],
  'CreateHouseholdDto.needs': ['Household.needs'],
  'CreateHouseholdDto.needsNote': ['Household.needsNote'],
  'ExitHouseholdDto.reason': ['Household.exitReason'],
  'CreateOneOffPayoutDto.note': ['PayoutBatch.note'],
  'CreateAidApplicationDto.name': ['AidApplication.applicantName', 'Household.headName'],
  'CreateAidApplicationDto.employer': ['AidApplication.employer'],
  'CreateAidApplicationDto.province': ['AidApplication.province', 'Household.province'],
  'CreateAidApplicationDto.city': ['AidApplication.city', 'Household.city'],
  'CreateAidApplicationDto.district': ['AidApplication.district', 'Household.district'],
  'CreateAidApplicationDto.street': ['AidApplication.street', 'Household.street'],
  'CreateAidApplicationDto.addressDetail': ['AidApplication.addressDetail', 'Household.addressDetail'],
  'CreateAidApplicationDto.causes': ['AidApplication.causes', 'Household.causes'],
  'CreateAidApplicationDto.helpKinds': ['AidApplication.helpKinds'],
  'CreateAidApplicationDto.needs': ['AidApplication.needs', 'Household.needs'],
  'CreateAidApplicationDto.account': ['AidApplication.account'],
  'AnswerAidApplicationDto.answer': ['AidApplicationEvent.note'],
  'RequestAidInfoDto.question': ['AidApplication.question', 'AidApplicationEvent.note'],
  'ScheduleAidVisitDto.note': ['AidApplication.visitScheduleNote'],
  'RecordAidVisitDto.visitors': ['AidApplication.visitors'],
  'RecordAidVisitDto.findings': ['AidApplication.visitFindings'],
  'AidDecisionDto.causes': ['AidApplication.decisionCauses', 'Household.causes'],
  'AidDecisionDto.reason': ['AidApplication.rejectReason'],
  'WithdrawAidApplicationDto.reason': ['AidApplicationEvent.note'],
};

/** Free-text fields that are never stored as given: looked up, verified, parsed row by row, or searched for. */
const NOT_STORED = new Set([
  'WechatLoginDto.code', 'DevLoginDto.orgCode', // sent to WeChat / looked up
  'JoinCodeParam.code', 'CreateApplicationDto.joinCode', 'CreateTransferDto.joinCode', 'VerifyCardDto.cardCode', // signed codes, verified
  'AcceptClerkInviteDto.inviteCode', 'AcceptKeeperInviteDto.inviteCode', 'ConfirmAidApplicationDto.proposedAt', 'RedeemDto.redemptionCode', 'CheckInDto.code', 'StationCodeParam.code', 'HouseholdCodeParam.code', 'BindHouseholdDto.code',
  'BindHouseholdDto.name', // compared with the file, never stored
  'StationImportDto.csv', 'ImportHouseholdsDto.csv', 'BankResultImportDto.csv', // parsed; each row goes through the DTOs above
  'StationListQueryDto.q', 'HouseholdListQueryDto.q', 'AidOrgQueryDto.q', 'OrgListQueryDto.q', 'NearbyQueryDto.amenities', // searches and filters
  'StationInputDto.amenities', 'CheckInDto.amenities', // stored as a bit mask
  'CreateCampaignDto.merchantIds', 'UpdateCampaignDto.merchantIds', // one row per merchant
]);

const STRING_BOUNDS = new Set(['safeText', 'isIn', 'satisfiesRule', 'equals', 'isDateString', 'isBoolean', 'satisfiesValueRule']);
const NUMERIC = new Set(['isInt', 'isNumber', 'isBoolean', 'equals']);
const regexBounded = (re: RegExp) => /^\^.*\$$/.test(re.source) && !/[+*]|\{\d+,\}/.test(re.source.replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''));

/** Longest match of an anchored pattern `^A B … X{m,n}$` (single-character atoms, then one counted atom), or null when not of that shape. */
function patternMaxLength(re: RegExp): number | null {
  const m = /^\^(.*)\{(\d+),(\d+)\}\$$/.exec(re.source);
  if (!m) return null;
  const atoms = m[1].match(/\[(?:\\.|[^\]])*\]|\\.|./g) ?? [];
  return atoms.length - 1 + Number(m[3]);
}

interface Field { key: string; kind: 'string' | 'list' | 'other'; max: number | null; problem: string | null; listValues?: string[] }

function describeField(cls: Function, property: string, metas: ValidationMetadata[]): Field {
  const key = `${cls.name}.${property}`;
  const names = new Set(metas.map(nameOf));
  const byName = (n: string) => metas.find((m) => nameOf(m) === n);
  if (names.has('nestedValidation') || names.has('isObject')) return { key, kind: 'other', max: null, problem: null };
  if ([...names].some((n) => ['isLength', 'maxLength', 'minLength'].includes(n))) {
    return { key, kind: 'string', max: null, problem: 'uses class-validator Length/MaxLength (counts ❤️ as one character); use @SafeText({ maxLength }) (code points)' };
  }
  const isList = names.has('isArray') || names.has('arrayMaxSize') || metas.some((m) => m.each) || Reflect.getMetadata('design:type', cls.prototype, property) === Array;
  if (isList) {
    const each = metas.find((m) => m.each && nameOf(m) === 'isIn');
    const maxSize = byName('arrayMaxSize')?.constraints[0] as number | undefined;
    if (names.has('satisfiesValueRule')) return { key, kind: 'other', max: null, problem: null }; // a shared rule bounds it (closedDates)
    if (maxSize === undefined) return { key, kind: 'list', max: null, problem: 'list without @ArrayMaxSize' };
    if (!each && !metas.some((m) => m.each && nameOf(m) === 'isInt')) return { key, kind: 'list', max: null, problem: 'list items are not bounded (@IsIn or @IsInt with each)' };
    if (each && maxSize > (each.constraints[0] as string[]).length) return { key, kind: 'list', max: maxSize, problem: `@ArrayMaxSize(${maxSize}) exceeds the ${(each.constraints[0] as string[]).length} allowed values` };
    return { key, kind: 'list', max: maxSize, problem: each && !names.has('arrayUnique') ? 'enum list without @ArrayUnique' : null, listValues: each?.constraints[0] };
  }
  if ([...names].some((n) => NUMERIC.has(n)) && !names.has('safeText')) return { key, kind: 'other', max: null, problem: null };
  const safe = byName('safeText');
  if (safe) return { key, kind: 'string', max: safe.constraints[0].maxLength, problem: null };
  if (names.has('satisfiesRule')) return { key, kind: 'string', max: MAX_PERSON_NAME_LENGTH, problem: null }; // names, ID and mobile numbers, periods: fixed shapes
  if ([...names].some((n) => STRING_BOUNDS.has(n))) return { key, kind: 'string', max: null, problem: null };
  const matches = byName('matches');
  if (matches) {
    const re = matches.constraints[0] instanceof RegExp ? matches.constraints[0] : new RegExp(matches.constraints[0]);
    if (regexBounded(re)) return { key, kind: 'string', max: patternMaxLength(re), problem: null };
    return { key, kind: 'string', max: null, problem: `pattern ${re} has no length bound; add @SafeText({ maxLength })` };
  }
  return { key, kind: 'string', max: null, problem: 'string field without a bound: add @SafeText({ maxLength }) (or @IsIn / a shared rule)' };
}

function allFields(): Field[] {
  const fields: Field[] = [];
  for (const cls of dtoClasses) {
    const metas = metasOf(cls);
    const properties = [...new Set(metas.map((m) => m.propertyName))];
    for (const p of properties) fields.push(describeField(cls, p, metas.filter((m) => m.propertyName === p)));
  }
  return fields;
}

describe('security: every DTO field is bounded to fit its column (issue 11 item 8)', () => {
  it('finds the DTO classes', () => {
    expect(dtoFiles.length).toBeGreaterThanOrEqual(8);
    expect(dtoClasses.map((c) => c.name)).toEqual(expect.arrayContaining(['CreateCampaignDto', 'CreateAidApplicationDto', 'StationInputDto', 'CreateHouseholdDto']));
  });

  it('every string and list field of every DTO has a bound (code points for text, @ArrayMaxSize for lists)', () => {
    const problems = allFields().filter((f) => f.problem).map((f) => `${f.key}: ${f.problem}`);
    expect(problems).toEqual([]);
  });

  it('every stored free-text or list field fits every column it is written to; every other one is listed as not stored', () => {
    const problems: string[] = [];
    for (const f of allFields()) {
      if (f.kind === 'other' || f.problem) continue;
      const targets = STORED_IN[f.key];
      if (!targets) {
        if (f.kind === 'list' && !NOT_STORED.has(f.key)) problems.push(`${f.key}: list not in STORED_IN nor NOT_STORED`);
        continue;
      }
      for (const target of targets) {
        const [entity, column] = target.split('.');
        const length = columnLength(entity, column);
        // a list is stored comma-joined: with unique enum values, at worst all of them
        const need = f.kind === 'list' ? (f.listValues ? f.listValues.reduce((s, v) => s + v.length, 0) + f.listValues.length - 1 : Infinity) : f.max ?? Infinity;
        if (need > length) problems.push(`${f.key}: up to ${need} characters, column ${target} holds ${length}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every free-text (@SafeText) field is either mapped to its column or listed as not stored', () => {
    const safeFields = dtoClasses.flatMap((cls) => metasOf(cls).filter((m) => nameOf(m) === 'safeText').map((m) => `${cls.name}.${m.propertyName}`));
    expect(safeFields.filter((k) => !STORED_IN[k] && !NOT_STORED.has(k))).toEqual([]);
    expect(Object.keys(STORED_IN).filter((k) => !allFields().some((f) => f.key === k))).toEqual([]);
  });
});

describe('security: list and text bounds over HTTP (issue 11 item 8)', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('bounds-staff', 'union_staff', 'HB-HS');
  });
  afterAll(() => t.close());

  const create = (over: Record<string, unknown>) => t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm(over));

  it('a campaign with 5,000 occupation entries is a 400 naming the limit; nothing is stored', async () => {
    const before = await count(t, 'voucher_campaigns');
    const res = await create({ occupations: Array.from({ length: 5000 }, (_, i) => OCCUPATIONS[i % OCCUPATIONS.length]) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const messages = res.body.details.filter((d: any) => d.field === 'occupations').map((d: any) => d.message);
    expect(messages).toContain(`适用职业最多${OCCUPATIONS.length}项`);
    expect(await count(t, 'voucher_campaigns')).toBe(before);
  });

  it('a campaign with an over-long or repeated occupation entry is a 400; nothing is stored', async () => {
    const before = await count(t, 'voucher_campaigns');
    for (const occupations of [['x'.repeat(5000)], [OCCUPATIONS[0], OCCUPATIONS[0]]]) {
      const res = await create({ occupations });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: any) => d.field)).toContain('occupations');
    }
    const draft = (await create({})).body;
    const patched = await t.http().patch(`/api/vouchers/manage/campaigns/${draft.id}`).set(auth(staff)).send({ occupations: Array(5000).fill(OCCUPATIONS[0]) });
    expect(patched.status).toBe(400);
    expect(await count(t, 'voucher_campaigns')).toBe(before + 1);
    const rows = await t.db.query('SELECT occupations FROM voucher_campaigns WHERE id = ?', [draft.id]);
    expect(rows[0].occupations).toBe('');
  });

  it('a campaign with 5,000 merchant categories is a 400', async () => {
    const res = await create({ merchantScope: 'categories', categories: Array(5000).fill('catering') });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: any) => d.field)).toContain('categories');
  });

  it('a rating comment longer than its column in code points (200 × ❤️ = 400) is a 400, not a 500 or a truncation', async () => {
    const s = await createStation(t, staff);
    const rider = await makeMember(t, staff, 'bounds-rider');
    await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code }).expect(201);
    const before = await count(t, 'station_ratings');
    const res = await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send({ stars: 5, comment: '❤️'.repeat(200) });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: any) => d.field)).toContain('comment');
    expect(await count(t, 'station_ratings')).toBe(before);
    const ok = await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send({ stars: 5, comment: '❤️'.repeat(100) });
    expect(ok.status).toBe(201);
  });

  it('a station description of 501 rare characters (1,002 UTF-16 units) is a 400; 500 are stored whole', async () => {
    const bad = await t.http().post('/api/stations').set(auth(staff)).send({ ...(await import('../support/stations')).stationInput({ description: '𠀀'.repeat(501) }) });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: any) => d.field)).toContain('description');
    const ok = await createStation(t, staff, { description: '𠀀'.repeat(500) });
    const rows = await t.db.query('SELECT description FROM stations WHERE id = ?', [ok.id]);
    expect(rows[0].description).toBe('𠀀'.repeat(500));
  });
});
