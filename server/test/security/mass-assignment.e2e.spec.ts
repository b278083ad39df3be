import type { Role } from '@union/shared';
import type { EntityMetadata } from 'typeorm';
import { AID_ENTITIES } from '../../src/modules/aid/entities';
import { User } from '../../src/modules/auth/user.entity';
import { MembershipApplication } from '../../src/modules/membership/entities/application.entity';
import { JoinCode } from '../../src/modules/membership/entities/join-code.entity';
import { Member, MembershipHistory } from '../../src/modules/membership/entities/member.entity';
import { UnionOrg } from '../../src/modules/orgs/org.entity';
import { STATIONS_ENTITIES } from '../../src/modules/stations/entities';
import { VOUCHERS_ENTITIES } from '../../src/modules/vouchers/entities';
import { newIdNumber, newMobile, startApp, TestApp } from '../support/app';
import { householdBody, thisPeriod, WM } from '../support/aid';
import { applicationBody } from '../support/aid-applications';
import { listRoutes, RegisteredRoute } from '../support/routes';
import { stationInput } from '../support/stations';
import { campaignForm, idemKey, merchantForm } from '../support/vouchers-fixtures';
import { resourceCalls, World } from './world';

/**
 * Mass assignment (OWASP API3) beyond the fuzzer: for every JSON write route of the OpenAPI document, a
 * VALID body plus one read-only / server-computed field of the module's entities (primary keys, owner and
 * org ids, statuses, numbers, hashes, ciphertexts, masks, counters, timestamps, reviewers — taken from the
 * TypeORM metadata, minus the fields the request schema itself declares) is refused with 400
 * VALIDATION_FAILED naming exactly that field, and no table changes.
 */
const MODULE_ENTITIES: Record<string, Function[]> = {
  aid: AID_ENTITIES,
  stations: STATIONS_ENTITIES,
  vouchers: VOUCHERS_ENTITIES,
  membership: [MembershipApplication, JoinCode, Member, MembershipHistory],
  orgs: [UnionOrg],
  auth: [User],
  me: [User],
};
/** Column names the server sets itself: ids and references, states, derived numbers and secrets, timestamps. */
const SERVER_SET = /^(id|status|role|roles|path|level|memberNo|claimed|claimedCount|issued|redeemed|version|codeBody|[a-z]*(Id|ById|At|Hash|Enc|Masked|Count|Total|TotalFen|Seq|No))$/;
const ALWAYS = ['id', 'status', 'role', 'roles', 'orgId', 'userId', 'memberNo', 'createdAt', 'updatedAt', 'reviewedById', 'approvedById'];
const ROLE_PREFERENCE: Role[] = ['union_staff', 'admin', 'merchant_clerk', 'station_keeper', 'user'];

/** Valid bodies, from the test factories and the access matrix's own (valid) requests. */
function validBodies(): Record<string, object> {
  const ids = new Proxy({}, { get: () => 1 }) as World['ids'];
  const fromMatrix = Object.fromEntries(Object.entries(resourceCalls({ ids, hasAidApplications: true } as World)).filter(([, c]) => c.body).map(([k, c]) => [k, c.body!]));
  return {
    ...fromMatrix,
    'POST /api/aid/households': householdBody(),
    'POST /api/aid/households/import': { csv: 'headName\n', mode: 'partial' },
    'POST /api/stations/import': { csv: 'name\n' },
    'POST /api/aid/applications': applicationBody(),
    'POST /api/aid/bindings': { code: 'abc.0.xyz', name: '张三', idLast6: '12345X' },
    'POST /api/aid/payout-batches': { period: thisPeriod(), aidType: 'living', amountsByLevel: { severe: 1, relative: 1, sudden: 1 }, orgCode: WM },
    'POST /api/aid/payouts/one-off': { householdId: 1, aidType: 'living', amountFen: 100 },
    'POST /api/stations': stationInput(),
    'POST /api/stations/checkins': { code: 'abc.0.xyz' },
    'POST /api/stations/{id}/ratings': { stars: 5 },
    'POST /api/stations/{id}/reports': { kind: 'other', note: '饮水机坏了' },
    'POST /api/vouchers/manage/campaigns': campaignForm(),
    'POST /api/vouchers/merchants': merchantForm(),
    'POST /api/vouchers/merchants/clerks': { inviteCode: 'abc.0.xyz' },
    'POST /api/vouchers/redemptions': { redemptionCode: 'abc.0.xyz', orderAmountFen: 100 },
    'POST /api/membership/join-codes': { orgCode: WM },
    'POST /api/membership/applications': { joinCode: 'abc.0.xyz', name: '骑手小王', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true },
    'POST /api/membership/transfers': { joinCode: 'abc.0.xyz' },
    'POST /api/membership/card/verify': { cardCode: 'abc.0.xyz' },
    'POST /api/auth/dev-login': { userKey: 'ma-login', role: 'user' },
    'POST /api/auth/wechat': { code: 'abc' },
    'POST /api/orgs': { code: 'HB-HS-MA', name: '测试工会', parentCode: 'HB-HS', level: 'grassroots' },
  };
}

describe('mass assignment: read-only and computed fields are refused on every write', () => {
  let t: TestApp;
  let doc: any;
  let routes: Map<string, RegisteredRoute>;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    t = await startApp();
    doc = (await t.http().get('/api/docs-json')).body;
    routes = new Map(listRoutes(t.app).map((r) => [r.key, r]));
    for (const role of ROLE_PREFERENCE) tokens.set(role, await t.login(`ma-${role}`, role, role === 'user' || role === 'admin' ? undefined : 'HB-HS'));
  });
  afterAll(() => t.close());

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const meta of t.db.entityMetadatas) {
      if (meta.tableName === 'audit_logs') continue;
      out[meta.tableName] = Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${meta.tableName}`))[0].n);
    }
    return out;
  };
  const resolve = (s: any): any => (s?.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s);
  const valueFor = (meta: EntityMetadata, prop: string): unknown => {
    const col = meta.columns.find((c) => c.propertyName === prop);
    const type = String(typeof col?.type === 'function' ? (col.type as Function).name : col?.type ?? '').toLowerCase();
    if (/int|double|number|float|decimal/.test(type)) return 1;
    if (/bool/.test(type)) return true;
    if (/date|time/.test(type)) return new Date().toISOString();
    return prop === 'status' ? 'approved' : 'x';
  };

  it('refuses each server-set field with 400 naming it, on every JSON write route, and writes nothing', async () => {
    const bodies = validBodies();
    const before = await counts();
    let last = before;
    const failures: string[] = [];
    const report: string[] = [];
    const skipped: string[] = [];
    let total = 0;
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (!['POST', 'PUT', 'PATCH'].includes(method.toUpperCase())) continue;
        const schema = resolve(op.requestBody?.content?.['application/json']?.schema);
        if (!schema) { skipped.push(`${key} (${op.requestBody ? 'multipart upload' : 'no body'})`); continue; }
        const route = routes.get(key)!;
        const token = route.isPublic ? undefined : tokens.get(route.roles ? ROLE_PREFERENCE.find((r) => route.roles!.includes(r))! : 'user');
        const declared = new Set(Object.keys(schema.properties ?? {}));
        const module = path.split('/')[2];
        const metas = (MODULE_ENTITIES[module] ?? []).map((e) => t.db.getMetadata(e));
        const fields = new Map<string, unknown>();
        for (const meta of metas) {
          for (const col of meta.columns) {
            const p = col.propertyName;
            if ((col.isPrimary || col.isCreateDate || col.isUpdateDate || SERVER_SET.test(p)) && !declared.has(p) && !fields.has(p)) fields.set(p, valueFor(meta, p));
          }
        }
        for (const p of ALWAYS) if (!declared.has(p) && !fields.has(p)) fields.set(p, p === 'status' ? 'approved' : p.endsWith('At') ? new Date().toISOString() : 1);
        const base = bodies[key];
        const url = path.replace(/\{(\w+)\}/g, (_m: string, p: string) => (p === 'code' ? 'HB-HS' : '1'));
        let tried = 0;
        for (const [field, value] of fields) {
          tried++;
          let req = (t.http() as any)[method](url).set('Idempotency-Key', idemKey());
          if (token) req = req.set('Authorization', `Bearer ${token}`);
          const res = await req.send({ ...(base ?? {}), [field]: value });
          const named = (res.body?.details ?? []).filter((d: any) => d.field === field);
          const others = (res.body?.details ?? []).filter((d: any) => d.field !== field);
          if (res.status !== 400 || res.body?.code !== 'VALIDATION_FAILED' || !named.length) failures.push(`${key} +${field}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          else if (base && others.length) failures.push(`${key}: the base body is not valid: ${JSON.stringify(others).slice(0, 200)}`);
        }
        total += tried;
        report.push(`${String(tried).padStart(4)}  ${key}${base ? '' : '  (schema-derived body)'}`);
        const now = await counts();
        const changed = Object.keys(now).filter((k) => now[k] !== last[k]);
        if (changed.length) failures.push(`${key}: wrote rows in ${changed.join(', ')}`);
        last = now;
      }
    }
    process.stdout.write(`mass assignment: read-only fields tried per write route (valid body + the field)\n${report.join('\n')}\n` +
      `total ${report.length} routes, ${total} requests; skipped: ${skipped.join('; ') || 'none'}\n`);
    expect([...new Set(failures)]).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(report.length).toBeGreaterThan(35);
  });
});
