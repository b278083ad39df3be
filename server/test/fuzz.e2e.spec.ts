import fc from 'fast-check';
import type { Role } from '@union/shared';
import { startApp, TestApp } from './support/app';
import { listRoutes, RegisteredRoute } from './support/routes';

/**
 * Property-based fuzzing of every route in the OpenAPI document (OWASP API8 input validation, API3 mass
 * assignment): malformed bodies, query strings and path ids — wrong types, missing fields, huge strings,
 * unicode, negative and huge numbers, extra and read-only fields. For every request: never a 5xx, always
 * the error envelope, and afterwards no table (but the audit trail) has gained or lost a row.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const ROLE_PREFERENCE: Role[] = ['union_staff', 'admin', 'merchant_clerk', 'station_keeper', 'user'];
const READ_ONLY_FIELDS = ['id', 'status', 'role', 'roles', 'orgId', 'memberId', 'userId', 'memberNo', 'createdAt', 'amountFen', 'claimed', 'reviewedAt', 'approvedById'];

type Schema = { type?: string; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; $ref?: string; allOf?: Schema[] };

describe('fuzzing every route from the OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  let routes: Map<string, RegisteredRoute>;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    t = await startApp();
    doc = (await t.http().get('/api/docs-json')).body;
    routes = new Map(listRoutes(t.app).map((r) => [r.key, r]));
    for (const role of ROLE_PREFERENCE) tokens.set(role, await t.login(`fuzz-${role}`, role, role === 'user' || role === 'admin' ? undefined : 'HB-HS'));
  });
  afterAll(() => t.close());

  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s) return s;
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!]);
    if (s.allOf) return s.allOf.map(resolve).reduce<Schema>((acc, x) => ({ ...acc, ...x, properties: { ...acc.properties, ...x?.properties }, required: [...(acc.required ?? []), ...(x?.required ?? [])] }), {});
    return s;
  };
  /** A value of the wrong type for a field of this schema. */
  const wrongFor = (s: Schema | undefined): fc.Arbitrary<unknown> => {
    const huge = fc.constant('字'.repeat(20_000));
    const type = s?.enum ? 'enum' : s?.type;
    switch (type) {
      case 'string': return fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }), fc.boolean());
      case 'number': case 'integer': return fc.oneof(fc.string({ maxLength: 20 }), fc.constant(-1e18), fc.constant(1e308), fc.constant(null), fc.boolean(), fc.object({ maxDepth: 1 }), huge);
      case 'boolean': return fc.oneof(fc.string({ minLength: 2, maxLength: 8 }), fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }));
      case 'enum': return fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((x) => !s!.enum!.includes(x)), fc.integer(), fc.constant(null), huge);
      case 'array': return fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 1 }), fc.constant(null));
      default: return fc.oneof(fc.string(), fc.integer(), fc.constant(null), huge);
    }
  };
  const plausible = (s: Schema | undefined): unknown => {
    const r = resolve(s);
    if (!r) return 'a';
    if (r.enum) return r.enum[0];
    switch (r.type) {
      case 'string': return 'a';
      case 'number': case 'integer': return 1;
      case 'boolean': return true;
      case 'array': return [plausible(r.items)];
      case 'object': return Object.fromEntries(Object.entries(r.properties ?? {}).map(([k, v]) => [k, plausible(v)]));
      default: return 'a';
    }
  };
  /** A body that must fail validation: a wrong-typed or missing field, an extra/read-only field, or not an object at all. */
  const badBody = (schema: Schema | undefined): fc.Arbitrary<unknown> => {
    const r = resolve(schema);
    const props = Object.keys(r?.properties ?? {});
    const required = r?.required ?? [];
    const base = (r && r.type !== 'array' ? plausible(r) : {}) as Record<string, unknown>;
    const options: Array<fc.Arbitrary<unknown>> = [
      fc.tuple(fc.constantFrom(...READ_ONLY_FIELDS, '__proto__x', 'constructor'), fc.anything({ maxDepth: 1 })).map(([k, v]) => ({ ...base, [k]: v })),
      fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => !props.includes(k)), fc.anything({ maxDepth: 1 })).map(([k, v]) => ({ ...base, [k]: v })),
      fc.oneof(fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }), fc.string(), fc.integer(), fc.constant(null)),
    ];
    // null is "absent" for an optional field (a valid request), so only required fields get it
    if (props.length) options.push(fc.constantFrom(...props).chain((k) => wrongFor(resolve(r!.properties![k])).filter((v) => v !== null || required.includes(k)).map((v) => ({ ...base, [k]: v }))));
    if (required.length) options.push(fc.constantFrom(...required).map((k) => { const b = { ...base }; delete b[k]; return b; }));
    return fc.oneof(...options);
  };
  const badPathValue = fc.oneof(fc.constant('abc'), fc.constant('-1'), fc.constant('0'), fc.constant('99999999999999999999'), fc.constant('1.5'), fc.constant('%E5%AD%97'), fc.constant('x'.repeat(300)), fc.constant('1e9'));
  const badQuery = (params: Array<{ name: string; schema?: Schema }>): fc.Arbitrary<Record<string, string>> => {
    const opts: Array<fc.Arbitrary<Record<string, string>>> = [
      fc.tuple(fc.constantFrom('page', 'pageSize'), fc.constantFrom('abc', '-5', '0', '1e12', '2.5', '１')).map(([k, v]) => ({ [k]: v })),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((k) => /^[\w\u4e00-\u9fa5]+$/.test(k) && !params.some((p) => p.name === k)).map((k) => ({ [k]: 'x' })),
    ];
    if (params.length) opts.push(fc.tuple(fc.constantFrom(...params), fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant('字'.repeat(3000)), fc.constant('-1'))).map(([p, v]) => ({ [p.name]: v })));
    return fc.oneof(...opts);
  };

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const meta of t.db.entityMetadatas) {
      if (meta.tableName === 'audit_logs') continue;
      out[meta.tableName] = Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${meta.tableName}`))[0].n);
    }
    return out;
  };

  it('never answers 5xx, always with the envelope, and writes nothing', async () => {
    const before = await counts();
    let last = before;
    const report: string[] = [];
    const failures: string[] = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        const route = routes.get(key);
        if (!route) { failures.push(`${key}: in OpenAPI but not registered`); continue; }
        if (key === 'GET /api/docs-json') continue;
        const token = route.isPublic ? undefined : tokens.get(route.roles ? ROLE_PREFERENCE.find((r) => route.roles!.includes(r))! : 'user');
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const queryParams = (op.parameters ?? []).filter((p: any) => p.in === 'query');
        const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase());
        const arb = fc.record({
          pathValues: fc.array(fc.oneof(badPathValue, fc.constant('999999999')), { minLength: pathParams.length, maxLength: pathParams.length }),
          query: fc.option(badQuery(queryParams), { nil: undefined }),
          body: hasBody ? badBody(bodySchema) : fc.constant(undefined),
        });
        let tried = 0;
        await fc.assert(
          fc.asyncProperty(arb, async ({ pathValues, query, body }) => {
            tried++;
            const url = pathParams.reduce((u, p, i) => u.replace(`{${p}}`, encodeURIComponent(pathValues[i]).replace(/%25/g, '%')), path);
            let req = (t.http() as any)[method](url);
            if (token) req = req.set('Authorization', `Bearer ${token}`);
            if (query) req = req.query(query);
            if (hasBody) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
            const res = await req;
            const where = `${url.slice(0, 120)} ${JSON.stringify(query ?? {}).slice(0, 120)} ${String(JSON.stringify(body ?? null)).slice(0, 160)}`;
            if (res.status >= 500) throw new Error(`${res.status} for ${where}: ${res.text.slice(0, 300)}`);
            if (res.status >= 400) {
              if (typeof res.body?.code !== 'string' || !/^[A-Z0-9_]+$/.test(res.body.code) || typeof res.body?.message !== 'string' || !res.body.message) {
                throw new Error(`no envelope for ${where}: ${res.text.slice(0, 300)}`);
              }
              if (/\bat .+\.(js|ts):\d+/.test(res.text)) throw new Error(`stack trace leaked for ${where}`);
            }
          }),
          { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261126), endOnFailure: true },
        ).catch((e: Error) => failures.push(`${key}: ${String((e as Error & { cause?: Error }).cause?.message ?? e.message).slice(0, 400)}`));
        report.push(`${String(tried).padStart(4)}  ${key}`);
        const now = await counts();
        const changed = Object.keys(now).filter((k) => now[k] !== last[k]);
        if (changed.length) failures.push(`${key}: wrote rows in ${changed.join(', ')}`);
        last = now;
      }
    }
    process.stdout.write(`fuzzing: requests tried per route\n${report.join('\n')}\ntotal ${report.length} routes\n`);
    const after = await counts();
    expect(failures).toEqual([]);
    expect(after).toEqual(before);
    expect(report.length).toBeGreaterThan(20);
  });
});
