#!/usr/bin/env node
/**
 * pnpm bench:claim — the voucher claim rush on MySQL/MariaDB.
 *
 * 1. Creates a fresh database, starts the compiled server (server/dist/main.js) on it.
 * 2. Loads N members with multi-row INSERTs, their ID and mobile numbers encrypted by the app's own
 *    PersonalDataCipher (realistic rows), and signs their tokens with the app's JwtService.
 * 3. Staff create and publish a campaign with stock S (per-member limit 1) through the API.
 * 4. C concurrent claimers fire one claim per member over HTTP (keep-alive), timing each request.
 * 5. Counts vouchers issued, over-issued (must be 0) and members above their limit (must be 0).
 * Then the same workload against
 *  - the minimal endpoint: node:http + mysql2 doing what the API did before issue 12 (reads member, type and
 *    held counts, then one transaction: insert voucher into the member's slot, record the idempotency key,
 *    conditional stock update);
 *  - the floor: the three writes in one transaction and an in-memory sold-out flag, nothing else (member and
 *    type known in memory);
 *  - two API processes on the same database;
 *  - the API on a campaign with release rounds (issue 15): the first of two rounds offers the stock, the same storm.
 * For each it measures claims/s (every answered claim request, issued or sold out, per second of the storm),
 * p50/p99, sold-out answers, the SQL statements each process really sent (counted in the process: the API
 * through TypeORM's per-statement hook enabled by SQL_COUNT_FILE, the bench endpoints around each query;
 * read on SIGUSR2), and the process CPU time per answered claim (utime+stime from /proc/<pid>/stat).
 * SQL per issued claim and per sold-out answer come from a sequential probe after each storm (a campaign with
 * stock P, 2P members claim one after the other: P issued, then P sold out), so the split is exact; the storm's
 * own average (statements ÷ answers) is printed too. Data statements and transaction control
 * (START TRANSACTION/COMMIT/ROLLBACK) are counted apart, and so is the API's background poll (the token-claims
 * watch, twice a second whatever the traffic); "SQL per claim" means data statements sent for claims.
 * Prints a table and, last, one JSON line. Nothing here asserts a time.
 *
 * Env: BENCH_MEMBERS (20000), BENCH_STOCK (5000), BENCH_CONCURRENCY (500),
 *      BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_DIST (compiled server, default server/dist),
 *      BENCH_DB (union_bench_claim), BENCH_PROBE (100: stock of the sequential SQL-count probe),
 *      BENCH_RUNS (api1,rounds,minimal,floor,api2: which endpoints, in order; `rounds` is the API on a campaign of two
 *      lapsing release rounds, the first offering the stock),
 *      BENCH_API_NODE_ARGS (node flags for the API processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
'use strict';
const http = require('http');
const { randomBytes, createHash } = require('crypto');
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const path = require('path');

const DIST = path.resolve(process.env.BENCH_DIST || path.join(__dirname, '..', 'dist'));
const mysql = require(require.resolve('mysql2/promise', { paths: [DIST, __dirname] }));
const { startServerProcess } = require('./server-process');
const { recreateDatabase } = require('./database');

const N = Number(process.env.BENCH_MEMBERS || 20000);
const S = Number(process.env.BENCH_STOCK || 5000);
const C = Number(process.env.BENCH_CONCURRENCY || 500);
const BASE = (process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = process.env.BENCH_DB || 'union_bench_claim';
const DB_URL = `${BASE}/${DB}`;
const ORG = 'HB-HS-HSG-WM';
const PROBE = Number(process.env.BENCH_PROBE || 100);
const RUNS = (process.env.BENCH_RUNS || 'api1,rounds,minimal,floor,api2').split(',');
const { execSync } = require('child_process');
const { readFileSync, existsSync, statSync } = require('fs');
const CLK_TCK = (() => { try { return Number(execSync('getconf CLK_TCK').toString().trim()) || 100; } catch { return 100; } })();

// --- statement counting inside the bench's own endpoints (the API counts through SQL_COUNT_FILE, see src/common/sql-statement-counter.ts)
const TX_CONTROL = /^\s*(START\s+TRANSACTION|BEGIN|COMMIT|ROLLBACK)\b/i;
const counts = { statements: 0, transactionControl: 0 };
function counted(conn) {
  return {
    query: (sql, params) => { if (TX_CONTROL.test(sql)) counts.transactionControl++; else counts.statements++; return conn.query(sql, params); },
    beginTransaction: () => { counts.transactionControl++; return conn.beginTransaction(); },
    commit: () => { counts.transactionControl++; return conn.commit(); },
    rollback: () => { counts.transactionControl++; return conn.rollback(); },
    release: () => conn.release(),
  };
}
function exposeCounts() {
  const file = process.env.SQL_COUNT_FILE;
  if (file) process.on('SIGUSR2', () => { const cpu = process.cpuUsage(); require('fs').writeFileSync(file, JSON.stringify({ ...counts, cpuMicros: cpu.user + cpu.system, at: Date.now() })); });
}

// --- the bench's own claim endpoints (each in its own process) share the request parsing and the three writes
/** Serves `POST …/campaigns/<id>/claims {voucherTypeId}` (user in X-User-Id) with `handle(claim, send)`, and GET /health. */
function serveClaims(port, handle) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const send = (status, obj) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)); };
      if (req.url === '/health') return send(200, { ok: true });
      let voucherTypeId;
      try { voucherTypeId = JSON.parse(body).voucherTypeId; } catch { return send(400, { code: 'VALIDATION_FAILED' }); }
      const claim = { userId: Number(req.headers['x-user-id']), key: String(req.headers['idempotency-key'] || ''), campaignId: Number(req.url.split('/')[4]), voucherTypeId };
      try { await handle(claim, send); } catch (e) { send(500, { code: 'INTERNAL:' + e.message }); }
    });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
}

/**
 * The three writes of a claim in one transaction on `conn`: the voucher in the member's slot (unique key), the
 * idempotency key, the conditional stock update. Answers 201, or 409 SOLD_OUT / LIMIT_REACHED; `onSoldOut` runs
 * when the stock is gone.
 */
async function writeClaim(conn, send, { userId, key, campaignId }, type, member, slots, onSoldOut = () => {}) {
  try {
    await conn.beginTransaction();
    const now = new Date();
    const validFrom = type.validFrom || now;
    const validUntil = type.validUntil || new Date(now.getTime() + (type.validDays || 30) * 86_400_000);
    const [ins] = await conn.query(
      'INSERT INTO vouchers (campaignId, voucherTypeId, memberId, userId, orgId, typeSlot, campaignSlot, faceValueFen, minSpendFen, status, claimedAt, validFrom, validUntil) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
      [campaignId, type.id, member.id, userId, member.orgId, slots.type, slots.campaign, type.faceValueFen, type.minSpendFen, 'unused', now, validFrom, validUntil]);
    await conn.query('INSERT INTO idempotency_keys (userId, scope, `key`, fingerprint, resultId, createdAt) VALUES (?,?,?,?,?,?)', [userId, 'claim', key, `claim:${campaignId}:${type.id}`, ins.insertId, now]);
    const [upd] = await conn.query('UPDATE voucher_types SET claimed = claimed + 1 WHERE id = ? AND claimed < quantity', [type.id]);
    if (upd.affectedRows !== 1) { onSoldOut(); await conn.rollback(); return send(409, { code: 'SOLD_OUT' }); }
    await conn.commit();
    return send(201, { id: ins.insertId });
  } catch (e) {
    await conn.rollback().catch(() => undefined);
    return send(e.code === 'ER_DUP_ENTRY' ? 409 : 500, { code: e.code === 'ER_DUP_ENTRY' ? 'LIMIT_REACHED' : 'INTERNAL:' + e.message });
  }
}

// --- the minimal endpoint (`node claim.js --minimal <port>`): the same SQL as the API did before issue 12
async function minimalServer(port) {
  exposeCounts();
  const pool = mysql.createPool({ uri: DB_URL, connectionLimit: 20, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
  serveClaims(port, async (claim, send) => {
    const conn = counted(await pool.getConnection());
    try {
      const [[member]] = await conn.query('SELECT id, orgId, status FROM members WHERE userId = ?', [claim.userId]);
      if (!member) return send(403, { code: 'NOT_ELIGIBLE' });
      const [[type]] = await conn.query('SELECT t.*, c.perMemberLimit AS campaignLimit, c.validFrom, c.validUntil, c.validDays FROM voucher_types t JOIN voucher_campaigns c ON c.id = t.campaignId WHERE t.id = ? AND t.campaignId = ?', [claim.voucherTypeId, claim.campaignId]);
      if (!type) return send(404, { code: 'VOUCHER_TYPE_NOT_FOUND' });
      if (type.claimed >= type.quantity) return send(409, { code: 'SOLD_OUT' });
      const [[held]] = await conn.query('SELECT (SELECT COUNT(*) FROM vouchers WHERE memberId = ? AND voucherTypeId = ?) AS t, (SELECT COUNT(*) FROM vouchers WHERE memberId = ? AND campaignId = ?) AS c', [member.id, type.id, member.id, claim.campaignId]);
      if (held.t >= type.perMemberLimit || held.c >= type.campaignLimit) return send(409, { code: 'LIMIT_REACHED' });
      return await writeClaim(conn, send, claim, type, member, { type: Number(held.t) + 1, campaign: Number(held.c) + 1 });
    } finally {
      conn.release();
    }
  });
}

// --- the floor (`node claim.js --floor <port>`): the three writes in one transaction and an in-memory sold-out
// flag, nothing else. Members (userId → member id, org) are loaded once at start, a type on its first claim.
async function floorServer(port) {
  exposeCounts();
  const pool = mysql.createPool({ uri: DB_URL, connectionLimit: 20, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
  const [rows] = await pool.query('SELECT id, userId, orgId FROM members');
  const members = new Map(rows.map((m) => [Number(m.userId), { id: Number(m.id), orgId: Number(m.orgId) }]));
  const types = new Map();
  const soldOut = new Set();
  const typeOf = (typeId, campaignId) => {
    if (!types.has(typeId)) {
      types.set(typeId, pool.query('SELECT t.*, c.validFrom, c.validUntil, c.validDays FROM voucher_types t JOIN voucher_campaigns c ON c.id = t.campaignId WHERE t.id = ? AND t.campaignId = ?', [typeId, campaignId])
        .then(([r]) => { counts.statements++; return r[0] || null; }));
    }
    return types.get(typeId);
  };
  serveClaims(port, async (claim, send) => {
    const member = members.get(claim.userId);
    if (!member) return send(403, { code: 'NOT_ELIGIBLE' });
    const type = await typeOf(claim.voucherTypeId, claim.campaignId);
    if (!type) return send(404, { code: 'VOUCHER_TYPE_NOT_FOUND' });
    if (soldOut.has(type.id)) return send(409, { code: 'SOLD_OUT' });
    const conn = counted(await pool.getConnection());
    try {
      return await writeClaim(conn, send, claim, type, member, { type: 1, campaign: 1 }, () => soldOut.add(type.id));
    } finally {
      conn.release();
    }
  });
}

// --- helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function freePort() {
  return new Promise((ok) => { const s = http.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
}
const secrets = { JWT_SECRET: randomBytes(32).toString('base64'), CODE_SECRET: randomBytes(32).toString('base64'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
let countSeq = 0;
const countFile = () => path.join(tmpdir(), `bench-claim-sql-${process.pid}-${++countSeq}.json`);
async function startApi() {
  const port = await freePort();
  // the API counts its SQL only in builds that have the counter (older builds: CPU only)
  const sqlCountFile = existsSync(path.join(DIST, 'common', 'sql-statement-counter.js')) ? countFile() : undefined;
  const server = startServerProcess({
    script: path.join(DIST, 'main.js'), cwd: path.dirname(DIST), label: 'bench-claim-api', nodeArgs: (process.env.BENCH_API_NODE_ARGS || '').split(' ').filter(Boolean),
    env: { ...process.env, ...secrets, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: DB_URL, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      RATE_LIMIT: '1000000', H5_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'no-h5'), KEY_FILE: path.join(tmpdir(), `bench-keys-${process.pid}.json`), ...(sqlCountFile ? { SQL_COUNT_FILE: sqlCountFile } : {}) },
  });
  const url = `http://127.0.0.1:${port}`;
  await server.ready(`${url}/api/health`);
  return { url, server, sqlCountFile };
}
async function startEndpoint(kind) {
  const port = await freePort();
  const sqlCountFile = countFile();
  const server = startServerProcess({ script: __filename, args: [`--${kind}`, String(port)], cwd: __dirname, env: { ...process.env, SQL_COUNT_FILE: sqlCountFile }, label: `bench-claim-${kind}` });
  const url = `http://127.0.0.1:${port}`;
  await server.ready(`${url}/health`);
  return { url, server, sqlCountFile };
}

/** CPU ms (utime + stime of /proc/<pid>/stat) and SQL statements (the process's own count, written on SIGUSR2) of each process, summed. */
async function snapshot(procs) {
  let cpuMs = 0, statements = 0, transactionControl = 0;
  for (const p of procs) {
    const f = readFileSync(`/proc/${p.server.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    cpuMs += ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // fields 14, 15 (utime, stime), counted from after "(comm) "
    if (!p.sqlCountFile) { statements = NaN; continue; } // a build without the counter (SIGUSR2 would end it)
    const before = existsSync(p.sqlCountFile) ? statSync(p.sqlCountFile).mtimeMs : 0;
    const asked = Date.now();
    p.server.child.kill('SIGUSR2');
    let c = null;
    for (let i = 0; i < 100 && !c; i++) {
      await sleep(20);
      try { const j = JSON.parse(readFileSync(p.sqlCountFile, 'utf8')); if (j.at >= asked || statSync(p.sqlCountFile).mtimeMs > before) c = j; } catch { /* not yet */ }
    }
    if (!c) throw new Error(`no SQL counts from pid ${p.server.child.pid}`);
    statements += c.statements; transactionControl += c.transactionControl;
  }
  return { cpuMs, statements, transactionControl };
}
const delta = (a, b) => ({ cpuMs: b.cpuMs - a.cpuMs, statements: b.statements - a.statements, transactionControl: b.transactionControl - a.transactionControl });

/** Inserts N users + members (encrypted personal data) in multi-row batches; returns [{userId, memberId}]. */
async function loadMembers(conn) {
  const { PersonalDataCipher } = require(path.join(DIST, 'common', 'crypto.service'));
  const { idNumberCheckChar, maskIdNumber, maskMobile } = require(require.resolve('@union/shared', { paths: [DIST] }));
  const cipher = new PersonalDataCipher({ dataKey: Buffer.from(secrets.DATA_ENCRYPTION_KEY, 'base64') });
  const [[org]] = await conn.query('SELECT id FROM union_orgs WHERE code = ?', [ORG]);
  const now = new Date();
  const BATCH = 1000;
  for (let start = 0; start < N; start += BATCH) {
    const end = Math.min(N, start + BATCH);
    const users = [];
    for (let i = start; i < end; i++) users.push([`bench-member-${i}`, `会员${i}`, 'user', null, now]);
    const [res] = await conn.query('INSERT INTO users (devKey, displayName, role, orgId, createdAt) VALUES ?', [users]);
    const members = [];
    for (let i = start, userId = res.insertId; i < end; i++, userId++) {
      const birth = new Date(Date.UTC(1965, 0, 1) + (i % 12000) * 86_400_000);
      const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
      const first17 = `420202${ymd}${String(Math.floor(i / 12000)).padStart(3, '0')}`;
      const idNumber = first17 + idNumberCheckChar(first17);
      const mobile = `139${String(10_000_000 + i).slice(-8)}`;
      members.push([userId, org.id, '测试会员', cipher.encrypt(idNumber), cipher.lookupHash('id', idNumber), maskIdNumber(idNumber), cipher.encrypt(mobile),
        cipher.lookupHash('mobile', mobile), maskMobile(mobile), ['food_delivery', 'courier', 'ride_hailing'][i % 3], '美团', '黄石', 'active', now]);
    }
    await conn.query('INSERT INTO members (userId, orgId, name, idNumberEnc, idNumberHash, idNumberMasked, mobileEnc, mobileHash, mobileMasked, occupation, platform, workCity, status, joinedAt) VALUES ?', [members]);
  }
  await conn.query("UPDATE members SET memberNo = CONCAT('GH', LPAD(id, 10, '0')) WHERE memberNo IS NULL");
  const [rows] = await conn.query("SELECT u.id AS userId, m.id AS memberId FROM users u JOIN members m ON m.userId = u.id WHERE u.devKey LIKE 'bench-member-%' ORDER BY u.id");
  return rows;
}

/** A published campaign with `quantity` on offer now; with `rounds`, the first of 2 lapsing hourly release rounds offers it. */
async function createCampaign(api, staffToken, label, quantity = S, rounds = false) {
  const now = Date.now();
  const roundFields = rounds ? { roundCount: 2, roundIntervalMinutes: 60, roundRollover: false } : {};
  const res = await fetch(`${api}/api/vouchers/manage/campaigns`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staffToken}` },
    body: JSON.stringify({
      name: `压测活动 ${label}`, budgetFen: quantity * 2000 * (rounds ? 2 : 1), perMemberLimit: 1, ...roundFields,
      types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: rounds ? 2 * quantity : quantity, ...(rounds ? { roundQuantity: quantity } : {}), perMemberLimit: 1 }],
      claimStartAt: new Date(now - 1000).toISOString(), claimEndAt: new Date(now + (rounds ? 3 : 1) * 3600_000).toISOString(), validityKind: 'relative', validDays: 30, merchantScope: 'all',
    }),
  });
  const c = await res.json();
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(c)}`);
  const pub = await fetch(`${api}/api/vouchers/manage/campaigns/${c.id}/publish`, { method: 'POST', headers: { Authorization: `Bearer ${staffToken}` } });
  if (pub.status !== 200) throw new Error(`publish: ${pub.status}`);
  return { campaignId: c.id, typeId: c.types[0].id };
}

/** One claim per member from C concurrent workers, round-robin over `urls`. */
async function fire(urls, members, campaignId, typeId, headersOf, concurrency = C) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(members.length);
  const codes = {};
  let next = 0;
  let answered = 0; // requests that got an HTTP answer (issued, sold out or any other status)
  const one = (i) => new Promise((resolve) => {
    const u = new URL(`${urls[i % urls.length]}/api/vouchers/campaigns/${campaignId}/claims`);
    const body = JSON.stringify({ voucherTypeId: typeId });
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Idempotency-Key': `bench-${campaignId}-${i}`, ...headersOf(members[i]) } }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => {
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
        let code = String(res.statusCode);
        if (res.statusCode !== 201) { try { code = JSON.parse(data).code; } catch { /* keep status */ } } else code = 'issued';
        codes[code] = (codes[code] || 0) + 1;
        answered++;
        resolve();
      });
    });
    req.on('error', (e) => { latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6; codes[e.code || 'ERROR'] = (codes[e.code || 'ERROR'] || 0) + 1; resolve(); });
    req.end(body);
  });
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, members.length) }, async () => { while (next < members.length) await one(next++); }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { requests: members.length, answered, seconds, rps: answered / seconds, p50: pct(50), p95: pct(95), p99: pct(99), codes };
}

async function verify(conn, campaignId, typeId) {
  const [[a]] = await conn.query('SELECT COUNT(*) AS issued FROM vouchers WHERE voucherTypeId = ?', [typeId]);
  const [[b]] = await conn.query('SELECT claimed, quantity FROM voucher_types WHERE id = ?', [typeId]);
  const [[c]] = await conn.query('SELECT COUNT(*) AS n FROM (SELECT memberId FROM vouchers WHERE campaignId = ? GROUP BY memberId HAVING COUNT(*) > 1) x', [campaignId]);
  const issued = Number(a.issued);
  return { issued, claimedCounter: Number(b.claimed), overIssued: Math.max(0, issued - Number(b.quantity), Number(b.claimed) - Number(b.quantity)), aboveLimit: Number(c.n) };
}

async function main() {
  const t0 = Date.now();
  await recreateDatabase(BASE, DB);
  console.log(`bench:claim — members ${N}, stock ${S}, concurrency ${C}, database ${DB}`);

  const api = await startApi();
  const servers = [api.server];
  try {
    const conn = await mysql.createConnection({ uri: DB_URL, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
    const loadStart = Date.now();
    const members = await loadMembers(conn);
    const { JwtService } = require(require.resolve('@nestjs/jwt', { paths: [DIST] }));
    const jwt = new JwtService({ secret: secrets.JWT_SECRET, signOptions: { expiresIn: '7d' } });
    // the claims login issues (role and org ride in the token since issue 12; an older build signs only sub)
    let claimsOf = (userId) => ({ sub: userId });
    try { const { accessTokenClaims } = require(path.join(DIST, 'modules', 'auth', 'auth.service')); if (accessTokenClaims) claimsOf = (userId) => accessTokenClaims({ id: userId, role: 'user', orgId: null }); } catch { /* older build */ }
    for (const m of members) m.token = jwt.sign(claimsOf(m.userId));
    console.log(`loaded ${members.length} members (encrypted) in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);
    const login = await fetch(`${api.url}/api/auth/dev-login`, { method: 'POST', headers: { 'Content-Type': 'application/json', connection: 'close' }, body: JSON.stringify({ userKey: 'bench-staff', role: 'union_staff', orgCode: 'HB-HS' }) });
    const staffToken = (await login.json()).accessToken;
    const rows = [];
    const run = async (key, label, procs, headersOf, rounds = false) => {
      const urls = procs.map((p) => p.url);
      const { campaignId, typeId } = await createCampaign(api.url, staffToken, label, S, rounds);
      const before = await snapshot(procs).catch(() => null);
      const r = await fire(urls, members, campaignId, typeId, headersOf);
      const after = await snapshot(procs).catch(() => null);
      const v = await verify(conn, campaignId, typeId);
      const storm = before && after ? delta(before, after) : null;
      const sqlKnown = storm && Number.isFinite(storm.statements);
      // the sequential probe: PROBE issued, then PROBE sold out, counted apart
      const probe = await createCampaign(api.url, staffToken, `${label} probe`, PROBE, rounds);
      const probeMembers = members.slice(0, 2 * PROBE);
      const p0 = await snapshot(procs).catch(() => null);
      const issuedProbe = await fire(urls, probeMembers.slice(0, PROBE), probe.campaignId, probe.typeId, headersOf, 1);
      const p1 = await snapshot(procs).catch(() => null);
      const soldOutProbe = await fire(urls, probeMembers.slice(PROBE), probe.campaignId, probe.typeId, headersOf, 1);
      const p2 = await snapshot(procs).catch(() => null);
      const perIssued = sqlKnown && p0 && p1 ? delta(p0, p1) : null;
      const perSoldOut = sqlKnown && p1 && p2 ? delta(p1, p2) : null;
      const soldOut = r.codes.SOLD_OUT || 0;
      rows.push({
        key, label, ...r, ...v, soldOut,
        cpuMsPerClaim: storm ? storm.cpuMs / r.answered : null,
        sqlPerAnswer: sqlKnown ? storm.statements / r.answered : null,
        txPerAnswer: sqlKnown ? storm.transactionControl / r.answered : null,
        sqlPerClaim: perIssued && issuedProbe.codes.issued === PROBE ? perIssued.statements / PROBE : null,
        txPerClaim: perIssued && issuedProbe.codes.issued === PROBE ? perIssued.transactionControl / PROBE : null,
        sqlPerSoldOut: perSoldOut && soldOutProbe.codes.SOLD_OUT === PROBE ? perSoldOut.statements / PROBE : null,
        txPerSoldOut: perSoldOut && soldOutProbe.codes.SOLD_OUT === PROBE ? perSoldOut.transactionControl / PROBE : null,
      });
      console.log(`${label}: ${r.rps.toFixed(0)} claims/s, codes ${JSON.stringify(r.codes)}; probe ${JSON.stringify(issuedProbe.codes)} then ${JSON.stringify(soldOutProbe.codes)}`);
    };
    const bearer = (m) => ({ Authorization: `Bearer ${m.token}` });
    const byUserId = (m) => ({ 'X-User-Id': String(m.userId) });
    let second = null;
    for (const which of RUNS) {
      if (which === 'api1') await run('api1', 'API, 1 process', [api], bearer);
      else if (which === 'rounds') await run('rounds', 'API, 1 process, release rounds', [api], bearer, true);
      else if (which === 'minimal' || which === 'floor') {
        const ep = await startEndpoint(which);
        servers.push(ep.server);
        await run(which, which === 'floor' ? 'floor: 3 writes + sold-out flag' : 'minimal node:http + mysql2', [ep], byUserId);
        await ep.server.stop();
      } else if (which === 'api2') {
        if (!second) { second = await startApi(); servers.push(second.server); }
        await run('api2', 'API, 2 processes', [api, second], bearer);
      }
    }
    await conn.end();

    const get = (k) => rows.find((r) => r.key === k);
    const fmt = (x, d = 1) => (x === null || x === undefined ? '-' : x.toFixed(d));
    const header = ['run', 'requests', 'answered', 'claims/s', 'p50 ms', 'p99 ms', 'issued', 'sold out', 'SQL/claim', 'SQL/sold out', 'SQL/answer (storm)', 'tx ctl/claim', 'CPU ms/claim', 'over-issued', 'above limit'];
    const lines = rows.map((r) => [r.label, r.requests, r.answered, fmt(r.rps, 0), fmt(r.p50), fmt(r.p99), r.issued, r.soldOut, fmt(r.sqlPerClaim, 2), fmt(r.sqlPerSoldOut, 2), fmt(r.sqlPerAnswer, 2), fmt(r.txPerClaim, 2), fmt(r.cpuMsPerClaim, 2), r.overIssued, r.aboveLimit]);
    const widths = header.map((h, i) => Math.max(String(h).length, ...lines.map((l) => String(l[i]).length)));
    const row = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
    console.log('');
    console.log(row(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const l of lines) console.log(row(l));
    console.log('');
    const ratio = (a, b) => (a && b ? fmt(a.rps / b.rps, 2) : '-');
    console.log(`claims/s: API ÷ floor ${ratio(get('api1'), get('floor'))}, API ÷ minimal ${ratio(get('api1'), get('minimal'))}, two processes ÷ one ${ratio(get('api2'), get('api1'))}, release rounds ÷ one round ${ratio(get('rounds'), get('api1'))}; p99 API ÷ floor ${get('api1') && get('floor') ? fmt(get('api1').p99 / get('floor').p99, 2) : '-'}`);
    console.log('SQL/claim and SQL/sold out: data statements per answer in a sequential probe (stock ' + PROBE + ', then ' + PROBE + ' sold out); transaction control (START TRANSACTION/COMMIT/ROLLBACK) and the API background token-claims poll counted apart.');
    console.log('CPU ms/claim: the endpoint processes\' utime+stime during the storm ÷ answered requests. load average ' + require('os').loadavg().map((x) => x.toFixed(2)).join(' '));
    console.log(`stock ${S} per run; every member claims once; over-issued and above-limit must be 0. total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const bad = rows.filter((r) => r.overIssued || r.aboveLimit || r.issued !== Math.min(S, N));
    if (bad.length) { console.error('INVARIANT BROKEN:', bad.map((r) => r.label).join(', ')); process.exitCode = 1; }
    const figures = (r, extra) => (r ? { claimsPerSec: Math.round(r.rps), p50Ms: Math.round(r.p50), p99Ms: Math.round(r.p99), soldOut: r.soldOut, issued: r.issued,
      ...(extra ? { sqlPerClaim: r.sqlPerClaim === null ? null : +r.sqlPerClaim.toFixed(2), sqlPerSoldOut: r.sqlPerSoldOut === null ? null : +r.sqlPerSoldOut.toFixed(2),
        sqlPerAnswerInStorm: r.sqlPerAnswer === null ? null : +r.sqlPerAnswer.toFixed(2), txControlPerClaim: r.txPerClaim === null ? null : +r.txPerClaim.toFixed(2),
        cpuMsPerClaim: r.cpuMsPerClaim === null ? null : +r.cpuMsPerClaim.toFixed(2) } : {}) } : null);
    console.log(JSON.stringify({
      bench: 'claim', members: N, stock: S, concurrency: C,
      floor: figures(get('floor'), true), minimal: figures(get('minimal'), true), api1: figures(get('api1'), true), api2: figures(get('api2'), true),
      api1Rounds: figures(get('rounds'), true),
      overIssued: rows.reduce((s2, r) => s2 + r.overIssued, 0), overLimit: rows.reduce((s2, r) => s2 + r.aboveLimit, 0),
      loadAverage: +require('os').loadavg()[0].toFixed(2),
    }));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

if (process.argv[2] === '--minimal') minimalServer(Number(process.argv[3]));
else if (process.argv[2] === '--floor') floorServer(Number(process.argv[3]));
else main().catch((e) => { console.error(e); process.exit(1); });
