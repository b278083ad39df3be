import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fastRoutesOf } from '../src/common/fast-routes';
import { activeHousehold } from './support/aid';
import { startApp, TestApp } from './support/app';
import { createStation } from './support/stations';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * The fast routes (common/fast-routes.ts) answer exactly as Express does: the same requests sent to an instance with
 * fast routes and to one with FAST_ROUTES=false (same database) get the same status, the same body and the same
 * response headers (names; values where they are not per request), for good requests and for every kind of bad one
 * (no token, bad token, malformed JSON, unknown field, prototype key, oversized body, bad path parameter, missing
 * header, unknown campaign, sold out), with and without an allowed Origin; and each request's log line has the same
 * fields (request id, method, path, status).
 */
type Exchange = { status: number; body: unknown; headers: Record<string, string> };
const PER_REQUEST = new Set(['date', 'etag', 'x-request-id', 'keep-alive', 'connection', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-length']);
const ORIGIN = 'https://h5.example.org';

const logDir = mkdtempSync(join(tmpdir(), 'fast-routes-logs-'));
const logs = { fast: join(logDir, 'fast.log'), slow: join(logDir, 'slow.log') };
/** The "request completed" lines of a log file, by request id (the file is written asynchronously: waits for `ids`). */
async function completedLines(file: string, ids: string[]): Promise<Map<string, any>> {
  for (let i = 0; ; i++) {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const byId = new Map(lines.filter((l) => l.msg === 'request completed').map((l) => [l.req?.id, l]));
    if (ids.every((id) => byId.has(id)) || i > 50) return byId;
    await new Promise((r) => setTimeout(r, 100));
  }
}
let logSeq = 0;

describe('fast routes answer as Express does', () => {
  let fast: TestApp & { databaseUrl: string; keyFile: string };
  let slow: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    fast = await startApp({ CORS_ORIGINS: ORIGIN, LOG_LEVEL: 'info', LOG_FILE: logs.fast });
    slow = await startApp({ CORS_ORIGINS: ORIGIN, FAST_ROUTES: 'false', LOG_LEVEL: 'info', LOG_FILE: logs.slow }, { databaseUrl: fast.databaseUrl, keyFile: fast.keyFile });
    staff = await fast.login('fr-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(fast, staff);
  }, 120_000);
  afterAll(async () => {
    await slow?.close();
    await fast?.close();
  });

  const send = async (base: TestApp, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Exchange> => {
    const res = await fetch(`${base.url}${path}`, { method, headers, body });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => { out[k] = v; });
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : ''; } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: out };
  };
  /** Same status, body (after `normalise`) and headers (names; values except per-request ones) from both instances. */
  const same = async (method: string, path: string, headers: () => Record<string, string>, body?: string, normalise = (b: unknown) => b) => {
    const id = `fr-${process.pid}-${++logSeq}`;
    const [a, b] = [await send(fast, method, path, { ...headers(), 'X-Request-Id': `${id}-f` }, body), await send(slow, method, path, { ...headers(), 'X-Request-Id': `${id}-s` }, body)];
    expect({ status: a.status, body: normalise(a.body) }).toEqual({ status: b.status, body: normalise(b.body) });
    const names = (e: Exchange) => Object.keys(e.headers).sort();
    expect(names(a)).toEqual(names(b));
    for (const h of names(a)) if (!PER_REQUEST.has(h)) expect([h, a.headers[h]]).toEqual([h, b.headers[h]]);
    expect([a.headers['x-request-id'], b.headers['x-request-id']]).toEqual([`${id}-f`, `${id}-s`]);
    // the request's log line: the same fields, the request id, method, path without the query, and the status
    const [fl, sl] = [(await completedLines(logs.fast, [`${id}-f`])).get(`${id}-f`), (await completedLines(logs.slow, [`${id}-s`])).get(`${id}-s`)];
    const shape = (l: any) => ({ keys: Object.keys(l).filter((k) => k !== 'responseTime').sort(), req: { ...l.req, id: undefined }, res: l.res, service: l.service });
    // (a body Express's body parser refuses is answered before pino-http on the Express path, so it has no line there)
    if (b.status < 400 || b.status === 401 || b.status === 404 || b.status === 409) {
      expect(shape(fl)).toEqual(shape(sl));
      expect(fl.res.statusCode).toBe(a.status);
    }
    return a;
  };

  it('installs the three hot routes, and none with FAST_ROUTES=false', () => {
    expect(fastRoutesOf(fast.app.getHttpServer()).sort()).toEqual(['AidController.lookup', 'CampaignsController.claim', 'StationsController.nearby']);
    expect(fastRoutesOf(slow.app.getHttpServer())).toEqual([]);
  });

  it('claims: good and bad requests', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 2, perMemberLimit: 1 }], perMemberLimit: 1 });
    const typeId = c.types[0].id as number;
    const path = `/api/vouchers/campaigns/${c.id}/claims`;
    const json = { 'Content-Type': 'application/json' };
    const [m1, m2, m3, m4] = [await fx.member(), await fx.member(), await fx.member(), await fx.member()];
    const body = JSON.stringify({ voucherTypeId: typeId });
    const withKey = (token: string, extra: Record<string, string> = {}) => () => ({ ...json, ...auth(token), 'Idempotency-Key': idemKey(), ...extra });

    const noToken = await same('POST', path, () => ({ ...json, 'Idempotency-Key': idemKey() }), body);
    expect(noToken.status).toBe(401);
    expect((await same('POST', path, () => ({ ...json, Authorization: 'Bearer not.a.token', 'Idempotency-Key': idemKey() }), body)).status).toBe(401);
    expect((await same('POST', path, withKey(m1), '{"voucherTypeId":')).status).toBe(400);
    expect((await same('POST', path, withKey(m1), JSON.stringify({ voucherTypeId: typeId, extra: 1 }))).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await same('POST', path, withKey(m1), `{"voucherTypeId":${typeId},"__proto__":{"x":1}}`)).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await same('POST', path, withKey(m1), JSON.stringify({ voucherTypeId: typeId, pad: 'x'.repeat(1_100_000) }))).status).toBe(413);
    expect((await same('POST', `/api/vouchers/campaigns/abc/claims`, withKey(m1), body)).status).toBe(400);
    expect((await same('POST', `/api/vouchers/campaigns/99999999/claims`, withKey(m1), body)).status).toBe(404);
    expect((await same('POST', path, () => ({ ...json, ...auth(m1) }), body)).status).toBe(400); // no Idempotency-Key
    expect((await same('POST', path, withKey(m1), JSON.stringify({ voucherTypeId: 'seven' }))).status).toBe(400);

    // one member through each instance: both issued, the same voucher apart from its id and claim time
    const issued = (b: unknown) => ({ ...(b as object), id: 'n', claimedAt: 't', validFrom: 't', validUntil: 't' });
    const a = await send(fast, 'POST', path, withKey(m1, { Origin: ORIGIN })(), body);
    const b = await send(slow, 'POST', path, withKey(m2, { Origin: ORIGIN })(), body);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(issued(a.body)).toEqual(issued(b.body));
    expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
    expect(a.headers['access-control-allow-origin']).toBe(ORIGIN);
    // stock gone: the same 409 from both, with and without an allowed origin; a foreign origin gets no CORS headers
    expect((await same('POST', path, withKey(m3, { Origin: ORIGIN }), body)).body).toMatchObject({ code: 'SOLD_OUT' });
    const foreign = await same('POST', path, withKey(m4, { Origin: 'https://evil.example' }), body);
    expect(foreign.status).toBe(409);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    // a path Express alone serves (trailing slash) gives the same answer as the fast one
    const replayKey = idemKey();
    const first = await send(fast, 'POST', path, { ...json, ...auth(m1), 'Idempotency-Key': replayKey }, body);
    const viaExpress = await send(fast, 'POST', `${path}/`, { ...json, ...auth(m1), 'Idempotency-Key': replayKey }, body);
    expect(viaExpress).toMatchObject({ status: first.status, body: first.body });
  }, 120_000);

  it('household-code scan and nearby stations: good and bad requests', async () => {
    const other = await fast.login('fr-staff-b', 'union_staff', 'HB-HS');
    const h = await activeHousehold(fast, staff, other);
    const good = await same('GET', `/api/aid/household-codes/${encodeURIComponent(h.code)}`, () => ({}));
    expect(good.status).toBe(200);
    expect((await same('GET', `/api/aid/household-codes/${encodeURIComponent(h.code)}x`, () => ({}))).status).toBe(404);
    expect((await same('GET', `/api/aid/household-codes/${'a'.repeat(300)}`, () => ({}))).status).toBe(400);
    expect((await same('GET', `/api/aid/household-codes/${encodeURIComponent(h.code)}`, () => ({ Origin: ORIGIN }))).headers['access-control-allow-origin']).toBe(ORIGIN);

    await createStation(fast, staff);
    await new Promise((r) => setTimeout(r, 1500)); // both instances' nearby indexes catch up (≤ 1 s)
    const near = await same('GET', '/api/stations/nearby?lat=30.2151&lng=115.0602&radiusM=5000', () => ({}));
    expect(near.status).toBe(200);
    expect((near.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect((await same('GET', '/api/stations/nearby?lat=91&lng=115', () => ({}))).status).toBe(400);
    expect((await same('GET', '/api/stations/nearby?lat=30&lng=115&unknown=1', () => ({}))).status).toBe(400);
    expect((await same('GET', '/api/stations/nearby?lat=30&lng=115&__proto__=1', () => ({}))).status).toBe(400);
    expect((await same('GET', '/api/stations/nearby', () => ({}))).status).toBe(400);
  }, 120_000);
});
