import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { startApp, TestApp } from './support/app';
import { testDatabaseKind } from './support/db';
import { createMembers } from './support/vouchers-factory';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * The claim rush and double scanning under real concurrency, on MySQL only (SQLite serialises every
 * write): one process, then two `node server/dist/main.js` processes on the same database.
 * VOUCHERS_SERVER_MAIN points at another compiled server (default server/dist/main.js).
 */
const onMysql = testDatabaseKind() === 'mysql' ? describe : describe.skip;
const SERVER_MAIN = resolve(process.env.VOUCHERS_SERVER_MAIN ?? join(__dirname, '..', 'dist', 'main.js'));

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** Starts a compiled server process on the same database and keys; resolves its base URL once healthy. */
async function spawnServer(databaseUrl: string, keyFile: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [SERVER_MAIN], {
    cwd: dirname(dirname(SERVER_MAIN)),
    env: {
      ...process.env, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: databaseUrl, KEY_FILE: keyFile, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false',
      LOG_LEVEL: 'warn', H5_DIR: join(mkdtempSync(join(tmpdir(), 'vouchers-proc-')), 'no-h5'), RATE_LIMIT: '100000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise<void>((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return { url, stop };
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`server did not become healthy: ${stderr}`);
}

async function post(url: string, path: string, token: string, body: object, key?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const tally = (results: Array<{ status: number; body: any }>) =>
  results.reduce<Record<string, number>>((acc, r) => {
    const k = r.status === 201 ? 'ok' : r.body.code;
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

onMysql('vouchers under concurrency (MySQL)', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;
  let seq = 0;
  const scalar = async (sql: string) => Number(Object.values((await t.db.query(sql))[0])[0]);

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('cc-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(() => t.close());

  /** Runs the three races against the given base URLs (requests spread round-robin). */
  function races(urls: () => string[]) {
    const at = (i: number) => urls()[i % urls().length];

    it('300 parallel claims for a stock of 50 from 300 members → exactly 50 issued', async () => {
      const members = await createMembers(t, 300, { orgCode: 'HB-HS-HSG-WM', prefix: `rush-${++seq}` });
      const c = await fx.campaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 50, perMemberLimit: 1 }], perMemberLimit: 1 });
      const typeId = c.types[0].id;
      const results = await Promise.all(members.map((m, i) => post(at(i), `/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: typeId }, idemKey())));
      expect(tally(results)).toEqual({ ok: 50, SOLD_OUT: 250 });
      expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE voucherTypeId = ${typeId}`)).toBe(50);
      expect(await scalar(`SELECT claimed FROM voucher_types WHERE id = ${typeId}`)).toBe(50);
      expect(await scalar(`SELECT COUNT(DISTINCT memberId) FROM vouchers WHERE voucherTypeId = ${typeId}`)).toBe(50);
    }, 120_000);

    it('50 parallel claims by one member with a limit of 2 → exactly 2', async () => {
      const [m] = await createMembers(t, 1, { orgCode: 'HB-HS-HSG-WM', prefix: `greedy-${++seq}` });
      const c = await fx.campaign({
        types: [
          { name: 'A', faceValueFen: 500, minSpendFen: 0, quantity: 100, perMemberLimit: 2 },
          { name: 'B', faceValueFen: 500, minSpendFen: 0, quantity: 100, perMemberLimit: 2 },
        ],
        perMemberLimit: 3,
      });
      const [a, b] = c.types;
      const onA = await Promise.all(Array.from({ length: 50 }, (_, i) => post(at(i), `/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: a.id }, idemKey())));
      expect(tally(onA)).toEqual({ ok: 2, LIMIT_REACHED: 48 });
      expect(await scalar(`SELECT claimed FROM voucher_types WHERE id = ${a.id}`)).toBe(2);
      // the campaign-wide limit (3) across both types at once
      const mixed = await Promise.all(Array.from({ length: 50 }, (_, i) => post(at(i), `/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: i % 2 ? a.id : b.id }, idemKey())));
      expect(tally(mixed)).toEqual({ ok: 1, LIMIT_REACHED: 49 });
      expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE memberId = ${m.memberId} AND campaignId = ${c.id}`)).toBe(3);
      expect(await scalar(`SELECT SUM(claimed) FROM voucher_types WHERE campaignId = ${c.id}`)).toBe(3);
      // the same key 20 times at once → one voucher
      const [m2] = await createMembers(t, 1, { orgCode: 'HB-HS-HSG-WM', prefix: `retry-${++seq}` });
      const key = idemKey();
      const retries = await Promise.all(Array.from({ length: 20 }, (_, i) => post(at(i), `/api/vouchers/campaigns/${c.id}/claims`, m2.token, { voucherTypeId: a.id }, key)));
      expect(new Set(retries.map((r) => `${r.status}:${r.body.id}`)).size).toBe(1);
      expect(retries[0].status).toBe(201);
      expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE memberId = ${m2.memberId}`)).toBe(1);
    }, 120_000);

    it('20 parallel redemptions of one voucher by several clerks → exactly one succeeds', async () => {
      const member = await fx.member();
      const { token: owner } = await fx.merchant();
      const clerks = [owner];
      for (let i = 0; i < 3; i++) {
        const invite = await post(t.url, '/api/vouchers/merchants/clerk-invites', owner, {});
        const clerk = await t.login(`cc-clerk-${seq}-${i}-${Date.now()}`, 'merchant_clerk', 'HB-HS');
        expect((await post(t.url, '/api/vouchers/merchants/clerks', clerk, { inviteCode: invite.body.code })).status).toBe(201);
        clerks.push(clerk);
      }
      const c = await fx.campaign();
      const voucher = (await post(t.url, `/api/vouchers/campaigns/${c.id}/claims`, member, { voucherTypeId: c.types[0].id }, idemKey())).body;
      const code = (await (await fetch(`${t.url}/api/vouchers/my/vouchers/${voucher.id}/code`, { headers: auth(member) })).json()).code;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(at(i), '/api/vouchers/redemptions', clerks[i % clerks.length], { redemptionCode: code, orderAmountFen: 15000 }, idemKey())));
      expect(tally(results)).toEqual({ ok: 1, ALREADY_REDEEMED: 19 });
      expect(await scalar(`SELECT COUNT(*) FROM voucher_redemptions WHERE voucherId = ${voucher.id}`)).toBe(1);
      expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE id = ${voucher.id} AND status = 'redeemed'`)).toBe(1);
    }, 120_000);
  }

  describe('one process', () => races(() => [t.url]));

  describe('two server processes on the same database', () => {
    const procs: Array<{ url: string; stop: () => Promise<void> }> = [];
    beforeAll(async () => {
      if (!existsSync(SERVER_MAIN)) throw new Error(`compiled server missing at ${SERVER_MAIN}: build the server (or set VOUCHERS_SERVER_MAIN)`);
      procs.push(...(await Promise.all([spawnServer(t.databaseUrl, t.keyFile), spawnServer(t.databaseUrl, t.keyFile)])));
    }, 120_000);
    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop()));
    });
    races(() => procs.map((p) => p.url));
  });

  describe('afterwards', () => {
    it('reconciliation reports no difference after the races', async () => {
      const res = await fetch(`${t.url}/api/vouchers/reconciliation`, { headers: auth(staff) });
      expect(await res.json()).toMatchObject({ ok: true, differences: [] });
    });
  });
});
