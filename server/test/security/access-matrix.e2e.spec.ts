import type { Role } from '@union/shared';
import { startApp, TestApp } from '../support/app';
import { listRoutes, RegisteredRoute } from '../support/routes';
import { ROUTE_ACCESS } from './route-access';
import { buildWorld, EXCLUDED, HOME, resourceCalls, ResourceCall, World } from './world';

/**
 * The access matrix (OWASP API1 broken object level / API5 broken function level authorisation), driven by
 * the access table and the routes the server registers:
 *  (a) every non-public route without a token → 401;
 *  (b) every role-restricted route with a token of every role it does not allow → 403, nothing written;
 *  (c) every route with a resource id or code scoped to a subtree or an owner, called with the real ids of a
 *      world built in 黄石 by staff of 江西, a member of 江西, the clerk of another merchant and the keeper of
 *      another station → 403/404, no table changed, no personal data in the answer;
 *  (d) every scoped list/export called by those attackers (where their role may call it) shows no personal
 *      data of the world.
 */
const ROLES: Role[] = ['user', 'union_staff', 'merchant_clerk', 'station_keeper', 'admin'];
const fill = (path: string) => path.replace(/\{\w+\}/g, '1');

describe('access matrix', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  const roleTokens = new Map<Role, string>();

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const meta of t.db.entityMetadatas) {
      if (meta.tableName === 'audit_logs') continue;
      out[meta.tableName] = Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${meta.tableName}`))[0].n);
    }
    return out;
  };
  /** Every row of every table but the audit trail, to see that nothing changed (not only the counts). */
  const snapshot = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const meta of t.db.entityMetadatas) {
      if (meta.tableName === 'audit_logs') continue;
      const order = meta.primaryColumns.map((c) => c.databaseName).join(', ') || '1';
      out[meta.tableName] = JSON.stringify(await t.db.query(`SELECT * FROM ${meta.tableName} ORDER BY ${order}`));
    }
    return out;
  };
  const changedTables = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((k) => a[k] !== b[k]);

  const send = (method: string, path: string, token?: string, call: Partial<ResourceCall> = {}) => {
    let req = (t.http() as any)[method.toLowerCase()](path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(call.headers ?? {})) req = req.set(k, v);
    if (call.file) return req.attach('file', call.file.buffer, { filename: call.file.name, contentType: call.file.type });
    if (['POST', 'PUT', 'PATCH'].includes(method)) return req.send(call.body ?? {});
    return req;
  };

  beforeAll(async () => {
    t = await startApp();
    routes = listRoutes(t.app);
    for (const role of ROLES) roleTokens.set(role, await t.login(`sec-role-${role}`, role, role === 'user' || role === 'admin' ? undefined : HOME));
  });
  afterAll(() => t.close());

  it('(a) refuses every non-public route without a token (401)', async () => {
    const wrong: string[] = [];
    const checked = routes.filter((r) => !r.isPublic);
    for (const r of checked) {
      const res = await send(r.method, fill(r.path));
      if (res.status !== 401 || typeof res.body?.code !== 'string') wrong.push(`${r.key}: ${res.status}`);
    }
    process.stdout.write(`access matrix (a): ${checked.length} non-public routes refused without a token\n`);
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(90);
  });

  it('(b) refuses every role a role-restricted route does not allow (403) and writes nothing', async () => {
    const before = await counts();
    const wrong: string[] = [];
    let requests = 0;
    const restricted = routes.filter((r) => Array.isArray(ROUTE_ACCESS[r.key]?.access));
    for (const r of restricted) {
      const allowed = ROUTE_ACCESS[r.key].access as Role[];
      for (const role of ROLES.filter((x) => !allowed.includes(x))) {
        requests++;
        const res = await send(r.method, fill(r.path), roleTokens.get(role));
        if (res.status !== 403) wrong.push(`${r.key} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    process.stdout.write(`access matrix (b): ${restricted.length} role-restricted routes, ${requests} requests with a role not allowed, all 403\n`);
    expect(wrong).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  describe('(c, d) resources of 黄石 against other subtrees, users, merchants and stations', () => {
    let w: World;
    let calls: Record<string, ResourceCall>;

    beforeAll(async () => {
      const hasAidApplications = routes.some((r) => r.key === 'GET /api/aid/applications/{id}');
      w = await buildWorld(t, hasAidApplications);
      calls = resourceCalls(w);
    }, 120_000);

    const attackers = (): Array<[string, string, Role]> => [
      ['staff of another subtree (JX)', w.tokens.otherStaff, 'union_staff'],
      ['another user (member in JX)', w.tokens.otherUser, 'user'],
      ['clerk of another merchant', w.tokens.otherClerk, 'merchant_clerk'],
      ['keeper of another station', w.tokens.otherKeeper, 'station_keeper'],
    ];
    const leaks = (text: string) => w.personal.filter((p) => p && text.includes(p));

    it('(c) refuses every scoped route on another\'s resource (403/404), changes nothing, leaks nothing', async () => {
      const scoped = routes.filter((r) => ROUTE_ACCESS[r.key] && ROUTE_ACCESS[r.key].access !== 'public' && ROUTE_ACCESS[r.key].scope !== 'none' && /\{\w+\}/.test(r.path));
      const excluded = routes.filter((r) => EXCLUDED[r.key]);
      const missing = scoped.filter((r) => !calls[r.key] && !EXCLUDED[r.key]).map((r) => r.key);
      const wrong: string[] = [];
      const report: string[] = [];
      let requests = 0;
      let last = await snapshot();
      for (const r of scoped.filter((x) => calls[x.key])) {
        const statuses: string[] = [];
        for (const [who, token] of attackers()) {
          requests++;
          const res = await send(r.method, calls[r.key].path, token, calls[r.key]);
          statuses.push(String(res.status));
          if (res.status !== 403 && res.status !== 404) wrong.push(`${r.key} by ${who}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
          const leaked = leaks(res.text ?? '');
          if (leaked.length) wrong.push(`${r.key} by ${who}: personal data in the answer (${leaked.length} values)`);
        }
        const now = await snapshot();
        const changed = changedTables(last, now);
        if (changed.length) wrong.push(`${r.key}: changed ${changed.join(', ')}`);
        last = now;
        report.push(`  ${statuses.join('/')}  ${r.key}`);
      }
      process.stdout.write(
        `access matrix (c): ${report.length} scoped routes with ids × ${attackers().length} attackers = ${requests} requests (JX staff / JX member / other clerk / other keeper)\n${report.join('\n')}\n` +
        `excluded (public, by design — readable by anyone, rate-limited): ${routes.filter((r) => r.isPublic).map((r) => r.key).join('; ')}\n` +
        `excluded (scoped to the caller only):\n${excluded.map((r) => `  ${r.key}: ${EXCLUDED[r.key]}`).join('\n')}\n` +
        (w.hasAidApplications ? '' : 'aid application routes not present: skipped\n'),
      );
      expect(missing).toEqual([]);
      expect(wrong).toEqual([]);
      expect(report.length).toBeGreaterThan(35);
    });

    it('(c control) the same requests by the resource\'s own staff/owner are not refused: the ids are real', async () => {
      const legit = (key: string): [string, string] => {
        if (/\/my\/vouchers\/|\/vouchers\/campaigns\/\{id\}\//.test(key)) return ['member', w.tokens.member];
        if (key.startsWith('POST /api/messages/{id}')) return ['member', w.tokens.member];
        if (key.includes('/redemptions/')) return ['clerk', w.tokens.clerk];
        if (/applications\/\{id\}\/(answer|documents)/.test(key)) return ['applicant', w.tokens.worker];
        if (key.startsWith('GET /api/aid/applications/{id}')) return ['applicant', w.tokens.worker];
        if (ROUTE_ACCESS[key].ownedBy === 'station' && key !== 'PATCH /api/stations/{id}') return ['keeper', w.tokens.keeper];
        return ['staff', w.tokens.staffA];
      };
      const keys = Object.keys(calls).sort((a, b) => Number(b.startsWith('GET')) - Number(a.startsWith('GET')));
      const wrong: string[] = [];
      for (const key of keys) {
        const [who, token] = legit(key);
        const method = key.split(' ')[0];
        const res = await send(method, calls[key].path, token, { ...calls[key], headers: key.includes('/claims') ? { 'Idempotency-Key': `control-${Date.now()}` } : calls[key].headers });
        // reads must succeed; writes may meet a state rule (409) or four eyes (403) but never "not found"
        if (method === 'GET' ? res.status !== 200 : res.status === 404 || res.status === 400 || res.status >= 500) wrong.push(`${key} by ${who}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
      process.stdout.write(`access matrix (c control): ${keys.length} routes called by the resource's own staff/owner: none answered 404\n`);
      expect(wrong).toEqual([]);
    });

    it('(d) scoped lists and exports show the attackers none of the world\'s personal data', async () => {
      const lists = routes.filter((r) => r.method === 'GET' && !/\{\w+\}/.test(r.path) && ROUTE_ACCESS[r.key] && ROUTE_ACCESS[r.key].access !== 'public' && ROUTE_ACCESS[r.key].scope !== 'none');
      const wrong: string[] = [];
      let requests = 0;
      for (const r of lists) {
        const access = ROUTE_ACCESS[r.key].access;
        for (const [who, token, role] of attackers()) {
          if (Array.isArray(access) && !access.includes(role)) continue;
          requests++;
          const res = await send('GET', r.path.includes('members') || r.path.includes('households') ? `${r.path}?pageSize=100` : r.path, token);
          if (res.status >= 500) wrong.push(`${r.key} by ${who}: ${res.status}`);
          const leaked = leaks(res.text ?? '');
          if (leaked.length) wrong.push(`${r.key} by ${who}: personal data in the answer (${leaked.length} values)`);
        }
      }
      // the same lists DO show the data to the world's own staff: the check above can see a leak
      const own = await send('GET', '/api/aid/households?pageSize=100', w.tokens.staffA);
      expect(own.status).toBe(200);
      expect(leaks(own.text).length).toBeGreaterThan(0);
      process.stdout.write(`access matrix (d): ${lists.length} scoped lists/exports, ${requests} requests by the attackers, no personal data of 黄石\n`);
      expect(wrong).toEqual([]);
    });
  });
});
