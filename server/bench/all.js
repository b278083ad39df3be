#!/usr/bin/env node
/**
 * pnpm bench:all — a mixed load on MySQL/MariaDB against one and then two API processes.
 *
 * 70% reads: membership card, nearby stations, member campaign list, public household-code look-up;
 * 30% writes: voucher claims, station check-ins, redemptions (each redemption = fetch the 60 s code as the
 * member + redeem as the clerk). Closed loop: BENCH_CONCURRENCY clients each send the next request when the
 * previous one answered, for BENCH_SECONDS per run after a short warm-up. With two processes the clients
 * spread requests round-robin (like a load balancer). Prints requests/s and p50/p95/p99 per route, the
 * total, and the scaling ratio; checks the stock and limit invariants afterwards. Asserts no time.
 *
 * Setup: a fresh database (BENCH_DB, default union_bench_all) on BENCH_MYSQL_URL (default the local MariaDB),
 * BENCH_MEMBERS members inserted in multi-row batches with the app's own cipher, stations, households and
 * merchants through the API.
 * Env: BENCH_MEMBERS (3000), BENCH_CONCURRENCY (32), BENCH_SECONDS (25), BENCH_WARMUP (3), BENCH_DIST (server/dist).
 */
'use strict';
const http = require('http');
const { randomBytes } = require('crypto');
const { mkdtempSync } = require('fs');
const { tmpdir, cpus, loadavg } = require('os');
const path = require('path');

const DIST = path.resolve(process.env.BENCH_DIST || path.join(__dirname, '..', 'dist'));
const mysql = require(require.resolve('mysql2/promise', { paths: [DIST, __dirname] }));
const shared = require(require.resolve('@union/shared', { paths: [DIST] }));
const { startServerProcess } = require('./server-process');
const { recreateDatabase } = require('./database');

const N = Number(process.env.BENCH_MEMBERS || 3000);
const C = Number(process.env.BENCH_CONCURRENCY || 32);
const SECONDS = Number(process.env.BENCH_SECONDS || 25);
const WARMUP = Number(process.env.BENCH_WARMUP || 3);
const BASE = (process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = process.env.BENCH_DB || 'union_bench_all';
const DB_URL = `${BASE}/${DB}`;
const ORG = 'HB-HS-HSG-WM';
const LIMIT = 10; // vouchers per member and campaign: enough that claims keep succeeding during a run

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (a) => a[Math.floor(Math.random() * a.length)];
function freePort() {
  return new Promise((ok) => { const s = http.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
}
const secrets = { JWT_SECRET: randomBytes(32).toString('base64'), CODE_SECRET: randomBytes(32).toString('base64'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
async function startApi() {
  const port = await freePort();
  const server = startServerProcess({
    script: path.join(DIST, 'main.js'), cwd: path.dirname(DIST), label: 'bench-all-api',
    env: { ...process.env, ...secrets, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: DB_URL, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      RATE_LIMIT: '100000000', H5_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'no-h5'), KEY_FILE: path.join(tmpdir(), `bench-all-keys-${process.pid}.json`) },
  });
  const url = `http://127.0.0.1:${port}`;
  await server.ready(`${url}/api/health`);
  return { url, server };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
/** One request over keep-alive; resolves {status, body, ms}. */
function request(base, method, p, token, body, extra = {}) {
  return new Promise((resolve) => {
    const u = new URL(base + p);
    const data = body ? JSON.stringify(body) : null;
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent,
      headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, body: parsed, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
      });
    });
    req.on('error', (e) => resolve({ status: 0, body: { code: e.code }, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(data);
  });
}
async function must(res, what, status = [200, 201]) {
  const r = await res;
  if (!status.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Inserts N users + members (encrypted personal data) in multi-row batches. */
async function loadMembers(conn) {
  const { PersonalDataCipher } = require(path.join(DIST, 'common', 'crypto.service'));
  const cipher = new PersonalDataCipher({ dataKey: Buffer.from(secrets.DATA_ENCRYPTION_KEY, 'base64') });
  const [[org]] = await conn.query('SELECT id FROM union_orgs WHERE code = ?', [ORG]);
  const now = new Date();
  for (let start = 0; start < N; start += 1000) {
    const end = Math.min(N, start + 1000);
    const users = [];
    for (let i = start; i < end; i++) users.push([`bench-all-${i}`, `会员${i}`, 'user', null, now]);
    const [res] = await conn.query('INSERT INTO users (devKey, displayName, role, orgId, createdAt) VALUES ?', [users]);
    const members = [];
    for (let i = start, userId = res.insertId; i < end; i++, userId++) {
      const birth = new Date(Date.UTC(1965, 0, 1) + (i % 12000) * 86_400_000);
      const first17 = `420202${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(Math.floor(i / 12000)).padStart(3, '0')}`;
      const idNumber = first17 + shared.idNumberCheckChar(first17);
      const mobile = `139${String(10_000_000 + i).slice(-8)}`;
      members.push([userId, org.id, '测试会员', cipher.encrypt(idNumber), cipher.lookupHash('id', idNumber), shared.maskIdNumber(idNumber), cipher.encrypt(mobile),
        cipher.lookupHash('mobile', mobile), shared.maskMobile(mobile), ['food_delivery', 'courier', 'ride_hailing'][i % 3], '美团', '黄石', 'active', now]);
    }
    await conn.query('INSERT INTO members (userId, orgId, name, idNumberEnc, idNumberHash, idNumberMasked, mobileEnc, mobileHash, mobileMasked, occupation, platform, workCity, status, joinedAt) VALUES ?', [members]);
  }
  await conn.query("UPDATE members SET memberNo = CONCAT('GH', LPAD(id, 10, '0')) WHERE memberNo IS NULL");
  const [rows] = await conn.query("SELECT u.id AS userId, m.id AS memberId FROM users u JOIN members m ON m.userId = u.id WHERE u.devKey LIKE 'bench-all-%' ORDER BY u.id");
  return rows;
}

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function licenceNo() {
  let body = '91420200';
  for (let i = 0; i < 9; i++) body += pick(CHARS);
  return body + shared.creditCodeCheckChar(body);
}
let seq = 0;
async function world(api, members) {
  const login = (userKey, role, orgCode) => must(request(api, 'POST', '/api/auth/dev-login', null, { userKey, role, ...(orgCode ? { orgCode } : {}) }), 'login').then((b) => b.accessToken);
  const staff = await login('bench-staff-a', 'union_staff', 'HB-HS');
  const staffB = await login('bench-staff-b', 'union_staff', 'HB-HS');
  const stationCodes = [];
  for (let i = 0; i < 60; i++) {
    const s = await must(request(api, 'POST', '/api/stations', staff, {
      name: `压测驿站${i}`, orgCode: ORG, address: `黄石市黄石大道${i}号`, lat: 30.18 + (i % 10) * 0.008, lng: 115.02 + Math.floor(i / 10) * 0.01,
      amenities: ['rest', 'water', 'charging'], hours: { is24h: true, weekly: {} }, phone: '0714-6200000', description: '压测',
    }), 'station');
    stationCodes.push(s.code);
  }
  const householdCodes = [];
  for (let i = 0; i < 40; i++) {
    const n = 100 + i;
    const first17 = `4202021975${String(1 + (i % 12)).padStart(2, '0')}${String(10 + (i % 18)).padStart(2, '0')}${String(n).padStart(3, '0')}`;
    const h = await must(request(api, 'POST', '/api/aid/households', staff, {
      headName: '汪建国', idNumber: first17 + shared.idNumberCheckChar(first17), mobile: `138${String(20_000_000 + i).slice(-8)}`, province: '湖北省', city: '黄石市', district: '黄石港区',
      street: '胜阳港街道', addressDetail: '某小区', householdSize: 3, monthlyIncomeFen: 250_001, level: 'severe', causes: ['illness'], employmentStatus: 'flexible',
      needs: ['job'], orgCode: ORG,
    }), 'household');
    householdCodes.push((await must(request(api, 'POST', `/api/aid/households/${h.id}/activate`, staffB), 'activate')).code);
  }
  const clerks = [];
  for (let i = 0; i < 4; i++) {
    const token = await login(`bench-clerk-${i}`, 'merchant_clerk', 'HB-HS');
    const m = await must(request(api, 'POST', '/api/vouchers/merchants', token, {
      name: `压测商户${i}`, category: 'catering', address: '黄石港区天虹路1号', lat: 30.2151, lng: 115.0602, licenceNo: licenceNo(), contactName: '李老板',
      contactMobile: `137${String(30_000_000 + i).slice(-8)}`, orgCode: 'HB-HS-HSG', discountNote: '会员再享9折',
    }), 'merchant');
    await must(request(api, 'POST', `/api/vouchers/merchants/${m.id}/approve`, staff), 'approve merchant');
    clerks.push(token);
  }
  return { staff, stationCodes, householdCodes, clerks, members };
}

async function campaign(api, staff, label) {
  const now = Date.now();
  const c = await must(request(api, 'POST', '/api/vouchers/manage/campaigns', staff, {
    name: `压测活动 ${label} ${++seq}`, budgetFen: 2_000_000_000, perMemberLimit: LIMIT, merchantScope: 'all',
    types: [{ name: '满50减5', faceValueFen: 500, minSpendFen: 5000, quantity: 1_000_000, perMemberLimit: LIMIT }],
    claimStartAt: new Date(now - 1000).toISOString(), claimEndAt: new Date(now + 3600_000).toISOString(), validityKind: 'relative', validDays: 30,
  }), 'campaign');
  await must(request(api, 'POST', `/api/vouchers/manage/campaigns/${c.id}/publish`, staff), 'publish');
  return { id: c.id, typeId: c.types[0].id };
}

/** One mixed run against `urls` (round-robin per request). */
async function run(label, urls, w, camp) {
  const stats = new Map();
  let rr = 0;
  let recording = false;
  const base = () => urls[rr++ % urls.length];
  const note = (route, r) => {
    if (!recording) return;
    let s = stats.get(route);
    if (!s) stats.set(route, (s = { ms: [], errors: 0, codes: {} }));
    s.ms.push(r.ms);
    const k = r.status >= 200 && r.status < 300 ? String(r.status) : `${r.status} ${r.body && r.body.code}`;
    s.codes[k] = (s.codes[k] || 0) + 1;
    if (r.status === 0 || r.status >= 500) s.errors++;
  };
  const owned = [];
  let memberNext = Math.floor(Math.random() * w.members.length);
  const member = () => w.members[memberNext++ % w.members.length];
  const ops = [
    [0.20, 'GET membership/card', async () => note('GET membership/card', await request(base(), 'GET', '/api/membership/card', pick(w.members).token))],
    [0.40, 'GET stations/nearby', async () => note('GET stations/nearby', await request(base(), 'GET', `/api/stations/nearby?lat=${(30.2 + Math.random() * 0.06).toFixed(5)}&lng=${(115.03 + Math.random() * 0.05).toFixed(5)}&radiusM=3000`, null))],
    [0.55, 'GET vouchers/campaigns', async () => note('GET vouchers/campaigns', await request(base(), 'GET', '/api/vouchers/campaigns', pick(w.members).token))],
    [0.70, 'GET aid/household-codes/{code}', async () => note('GET aid/household-codes/{code}', await request(base(), 'GET', `/api/aid/household-codes/${encodeURIComponent(pick(w.householdCodes))}`, null))],
    [0.82, 'POST vouchers claims', async () => {
      const m = member();
      const r = await request(base(), 'POST', `/api/vouchers/campaigns/${camp.id}/claims`, m.token, { voucherTypeId: camp.typeId }, { 'Idempotency-Key': `b-${randomBytes(8).toString('hex')}` });
      note('POST vouchers claims', r);
      if (r.status === 201 && owned.length < 5000) owned.push({ id: r.body.id, token: m.token });
    }],
    [0.92, 'POST stations/checkins', async () => note('POST stations/checkins', await request(base(), 'POST', '/api/stations/checkins', pick(w.members).token, { code: pick(w.stationCodes) }))],
    [1.00, 'POST vouchers/redemptions', async () => {
      const v = owned.shift();
      if (!v) return;
      const c = await request(base(), 'GET', `/api/vouchers/my/vouchers/${v.id}/code`, v.token);
      note('GET my/vouchers/{id}/code (for redemption)', c);
      if (c.status !== 200) return;
      note('POST vouchers/redemptions', await request(base(), 'POST', '/api/vouchers/redemptions', pick(w.clerks), { redemptionCode: c.body.code, orderAmountFen: 8000 }, { 'Idempotency-Key': `r-${randomBytes(8).toString('hex')}` }));
    }],
  ];
  let stopped = false;
  const client = async () => {
    while (!stopped) {
      const x = Math.random();
      await ops.find(([p]) => x < p)[2]();
    }
  };
  const clients = Array.from({ length: C }, client);
  await sleep(WARMUP * 1000);
  recording = true;
  const t0 = process.hrtime.bigint();
  const load0 = loadavg()[0];
  await sleep(SECONDS * 1000);
  recording = false;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  stopped = true;
  await Promise.all(clients);
  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] || 0;
  const rows = [];
  let total = 0;
  let errors = 0;
  const all = [];
  for (const [route, s] of [...stats].sort()) {
    const sorted = s.ms.sort((a, b) => a - b);
    total += sorted.length;
    errors += s.errors;
    all.push(...sorted);
    rows.push({ route, n: sorted.length, rps: sorted.length / seconds, p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99), errors: s.errors, codes: s.codes });
  }
  all.sort((a, b) => a - b);
  rows.push({ route: 'all routes', n: total, rps: total / seconds, p50: pct(all, 50), p95: pct(all, 95), p99: pct(all, 99), errors });
  return { label, rows, rps: total / seconds, seconds, load: [load0, loadavg()[0]] };
}

function table(result) {
  const header = ['route', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors (5xx/none)'];
  const lines = result.rows.map((r) => [r.route, r.n, r.rps.toFixed(1), r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1), r.errors]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) => '| ' + cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ') + ' |';
  console.log(`\n${result.label}: ${result.rps.toFixed(1)} requests/s over ${result.seconds.toFixed(1)} s, ${C} clients (load average ${result.load.map((x) => x.toFixed(1)).join(' → ')})`);
  console.log(row(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const l of lines) console.log(row(l));
  const odd = result.rows.filter((r) => r.codes && Object.keys(r.codes).some((k) => !/^2/.test(k)));
  for (const r of odd) console.log(`  ${r.route}: ${JSON.stringify(r.codes)}`);
}

async function main() {
  const t0 = Date.now();
  const ver = { v: await recreateDatabase(BASE, DB) };
  console.log(`bench:all — ${N} members, ${C} clients, ${SECONDS} s per run (+${WARMUP} s warm-up), database ${DB} on ${ver.v}; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('mix: 70% reads (card 20, nearby 20, campaigns 15, household code 15) / 30% writes (claims 12, check-ins 10, redemptions 8 = code + redeem)');

  const first = await startApi();
  const servers = [first.server];
  try {
    const conn = await mysql.createConnection({ uri: DB_URL, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
    const members = await loadMembers(conn);
    const { JwtService } = require(require.resolve('@nestjs/jwt', { paths: [DIST] }));
    const jwt = new JwtService({ secret: secrets.JWT_SECRET, signOptions: { expiresIn: '7d' } });
    for (const m of members) m.token = jwt.sign({ sub: m.userId });
    const w = await world(first.url, members);
    console.log(`set-up: ${members.length} members, 60 stations, 40 households, 4 merchants in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    const one = await run('1 API process', [first.url], w, await campaign(first.url, w.staff, 'one'));
    table(one);
    const second = await startApi();
    servers.push(second.server);
    const two = await run('2 API processes (client round-robin)', [first.url, second.url], w, await campaign(first.url, w.staff, 'two'));
    table(two);

    const [[over]] = await conn.query('SELECT COUNT(*) AS n FROM voucher_types WHERE claimed > quantity OR claimed <> (SELECT COUNT(*) FROM vouchers v WHERE v.voucherTypeId = voucher_types.id)');
    const [[above]] = await conn.query('SELECT COUNT(*) AS n FROM (SELECT memberId FROM vouchers GROUP BY memberId, campaignId HAVING COUNT(*) > ?) x', [LIMIT]);
    const [[twice]] = await conn.query("SELECT COUNT(*) AS n FROM (SELECT voucherId FROM voucher_redemptions WHERE status = 'active' GROUP BY voucherId HAVING COUNT(*) > 1) x");
    await conn.end();
    console.log(`\nscaling ratio (2 processes ÷ 1, requests/s): ${(two.rps / one.rps).toFixed(2)}`);
    const wr = (r, name) => (r.rows.find((x) => x.route === name) || { rps: 0 }).rps;
    console.log(`claims/s in the mix: ${wr(one, 'POST vouchers claims').toFixed(1)} → ${wr(two, 'POST vouchers claims').toFixed(1)}`);
    console.log(`invariants: stock counters wrong ${over.n}, members above limit ${above.n}, vouchers redeemed twice ${twice.n}. total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (Number(over.n) || Number(above.n) || Number(twice.n)) { console.error('INVARIANT BROKEN'); process.exitCode = 1; }
  } finally {
    agent.destroy();
    await Promise.all(servers.map((x) => x.stop()));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
