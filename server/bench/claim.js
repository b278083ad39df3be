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
 * Then the same workload against a minimal node:http + mysql2 endpoint doing the same SQL in one
 * transaction (insert voucher into the member's slot, record the idempotency key, conditional
 * stock update), and once more with two server processes on the same database. Prints a table.
 * Nothing here asserts a time.
 *
 * Env: BENCH_MEMBERS (20000), BENCH_STOCK (5000), BENCH_CONCURRENCY (500),
 *      BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_DIST (compiled server, default server/dist),
 *      BENCH_DB (union_bench_claim).
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

const N = Number(process.env.BENCH_MEMBERS || 20000);
const S = Number(process.env.BENCH_STOCK || 5000);
const C = Number(process.env.BENCH_CONCURRENCY || 500);
const BASE = (process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = process.env.BENCH_DB || 'union_bench_claim';
const DB_URL = `${BASE}/${DB}`;
const ORG = 'HB-HS-HSG-WM';

// --- the minimal endpoint (runs in its own process: `node claim.js --minimal <port>`)
async function minimalServer(port) {
  const pool = mysql.createPool({ uri: DB_URL, connectionLimit: 20, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const send = (status, obj) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)); };
      if (req.url === '/health') return send(200, { ok: true });
      const userId = Number(req.headers['x-user-id']);
      const key = String(req.headers['idempotency-key'] || '');
      const campaignId = Number(req.url.split('/')[4]);
      let voucherTypeId;
      try { voucherTypeId = JSON.parse(body).voucherTypeId; } catch { return send(400, { code: 'VALIDATION_FAILED' }); }
      const conn = await pool.getConnection();
      try {
        const [[member]] = await conn.query('SELECT id, orgId, status FROM members WHERE userId = ?', [userId]);
        if (!member) return send(403, { code: 'NOT_ELIGIBLE' });
        const [[type]] = await conn.query('SELECT t.*, c.perMemberLimit AS campaignLimit, c.validFrom, c.validUntil, c.validDays FROM voucher_types t JOIN voucher_campaigns c ON c.id = t.campaignId WHERE t.id = ? AND t.campaignId = ?', [voucherTypeId, campaignId]);
        if (!type) return send(404, { code: 'VOUCHER_TYPE_NOT_FOUND' });
        if (type.claimed >= type.quantity) return send(409, { code: 'SOLD_OUT' });
        const [[held]] = await conn.query('SELECT (SELECT COUNT(*) FROM vouchers WHERE memberId = ? AND voucherTypeId = ?) AS t, (SELECT COUNT(*) FROM vouchers WHERE memberId = ? AND campaignId = ?) AS c', [member.id, type.id, member.id, campaignId]);
        if (held.t >= type.perMemberLimit || held.c >= type.campaignLimit) return send(409, { code: 'LIMIT_REACHED' });
        await conn.beginTransaction();
        try {
          const now = new Date();
          const validFrom = type.validFrom || now;
          const validUntil = type.validUntil || new Date(now.getTime() + (type.validDays || 30) * 86_400_000);
          const [ins] = await conn.query(
            'INSERT INTO vouchers (campaignId, voucherTypeId, memberId, userId, orgId, typeSlot, campaignSlot, faceValueFen, minSpendFen, status, claimedAt, validFrom, validUntil) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
            [campaignId, type.id, member.id, userId, member.orgId, Number(held.t) + 1, Number(held.c) + 1, type.faceValueFen, type.minSpendFen, 'unused', now, validFrom, validUntil]);
          await conn.query('INSERT INTO idempotency_keys (userId, scope, `key`, fingerprint, resultId, createdAt) VALUES (?,?,?,?,?,?)', [userId, 'claim', key, `claim:${campaignId}:${type.id}`, ins.insertId, now]);
          const [upd] = await conn.query('UPDATE voucher_types SET claimed = claimed + 1 WHERE id = ? AND claimed < quantity', [type.id]);
          if (upd.affectedRows !== 1) { await conn.rollback(); return send(409, { code: 'SOLD_OUT' }); }
          await conn.commit();
          return send(201, { id: ins.insertId });
        } catch (e) {
          await conn.rollback();
          return send(e.code === 'ER_DUP_ENTRY' ? 409 : 500, { code: e.code === 'ER_DUP_ENTRY' ? 'LIMIT_REACHED' : 'INTERNAL:' + e.message });
        }
      } catch (e) {
        return send(500, { code: 'INTERNAL:' + e.message });
      } finally {
        conn.release();
      }
    });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
}

// --- helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function freePort() {
  return new Promise((ok) => { const s = http.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
}
const secrets = { JWT_SECRET: randomBytes(32).toString('base64'), CODE_SECRET: randomBytes(32).toString('base64'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
async function startApi() {
  const port = await freePort();
  const server = startServerProcess({
    script: path.join(DIST, 'main.js'), cwd: path.dirname(DIST), label: 'bench-claim-api',
    env: { ...process.env, ...secrets, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: DB_URL, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      RATE_LIMIT: '1000000', H5_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'no-h5'), KEY_FILE: path.join(tmpdir(), `bench-keys-${process.pid}.json`) },
  });
  const url = `http://127.0.0.1:${port}`;
  await server.ready(`${url}/api/health`);
  return { url, server };
}
async function startMinimal() {
  const port = await freePort();
  const server = startServerProcess({ script: __filename, args: ['--minimal', String(port)], cwd: __dirname, env: process.env, label: 'bench-claim-minimal' });
  const url = `http://127.0.0.1:${port}`;
  await server.ready(`${url}/health`);
  return { url, server };
}

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

async function createCampaign(api, staffToken, label) {
  const now = Date.now();
  const res = await fetch(`${api}/api/vouchers/manage/campaigns`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staffToken}` },
    body: JSON.stringify({
      name: `压测活动 ${label}`, budgetFen: S * 2000, perMemberLimit: 1, types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: S, perMemberLimit: 1 }],
      claimStartAt: new Date(now - 1000).toISOString(), claimEndAt: new Date(now + 3600_000).toISOString(), validityKind: 'relative', validDays: 30, merchantScope: 'all',
    }),
  });
  const c = await res.json();
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(c)}`);
  const pub = await fetch(`${api}/api/vouchers/manage/campaigns/${c.id}/publish`, { method: 'POST', headers: { Authorization: `Bearer ${staffToken}` } });
  if (pub.status !== 200) throw new Error(`publish: ${pub.status}`);
  return { campaignId: c.id, typeId: c.types[0].id };
}

/** One claim per member from C concurrent workers, round-robin over `urls`. */
async function fire(urls, members, campaignId, typeId, headersOf) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: C });
  const latencies = new Float64Array(members.length);
  const codes = {};
  let next = 0;
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
        resolve();
      });
    });
    req.on('error', (e) => { latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6; codes[e.code || 'ERROR'] = (codes[e.code || 'ERROR'] || 0) + 1; resolve(); });
    req.end(body);
  });
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(C, members.length) }, async () => { while (next < members.length) await one(next++); }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { requests: members.length, seconds, rps: members.length / seconds, p50: pct(50), p95: pct(95), p99: pct(99), codes };
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
  const u = new URL(BASE);
  const admin = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await admin.query(`CREATE DATABASE \`${DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  console.log(`bench:claim — members ${N}, stock ${S}, concurrency ${C}, database ${DB}`);

  const api = await startApi();
  const servers = [api.server];
  try {
    const conn = await mysql.createConnection({ uri: DB_URL, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
    const loadStart = Date.now();
    const members = await loadMembers(conn);
    const { JwtService } = require(require.resolve('@nestjs/jwt', { paths: [DIST] }));
    const jwt = new JwtService({ secret: secrets.JWT_SECRET, signOptions: { expiresIn: '7d' } });
    for (const m of members) m.token = jwt.sign({ sub: m.userId });
    console.log(`loaded ${members.length} members (encrypted) in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);
    const login = await fetch(`${api.url}/api/auth/dev-login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userKey: 'bench-staff', role: 'union_staff', orgCode: 'HB-HS' }) });
    const staffToken = (await login.json()).accessToken;
    const rows = [];
    const run = async (label, urls, headersOf, viaApi = true) => {
      const { campaignId, typeId } = await createCampaign(api.url, staffToken, label);
      const r = await fire(urls, members, campaignId, typeId, headersOf);
      const v = await verify(conn, campaignId, typeId);
      rows.push({ label, ...r, ...v });
      console.log(`${label}: ${r.rps.toFixed(0)} claims/s, codes ${JSON.stringify(r.codes)}`);
    };
    const bearer = (m) => ({ Authorization: `Bearer ${m.token}` });
    await run('API, 1 process', [api.url], bearer);
    const minimal = await startMinimal();
    servers.push(minimal.server);
    await run('minimal node:http + mysql2', [minimal.url], (m) => ({ 'X-User-Id': String(m.userId) }));
    await minimal.server.stop();
    const second = await startApi();
    servers.push(second.server);
    await run('API, 2 processes', [api.url, second.url], bearer);
    await conn.end();

    const ours = rows[0].rps;
    const minimalRps = rows[1].rps;
    const fmt = (x, d = 1) => x.toFixed(d);
    const header = ['run', 'requests', 'claims/s', 'p50 ms', 'p95 ms', 'p99 ms', 'issued', 'over-issued', 'above limit'];
    const lines = rows.map((r) => [r.label, r.requests, fmt(r.rps, 0), fmt(r.p50), fmt(r.p95), fmt(r.p99), r.issued, r.overIssued, r.aboveLimit]);
    const widths = header.map((h, i) => Math.max(String(h).length, ...lines.map((l) => String(l[i]).length)));
    const row = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
    console.log('');
    console.log(row(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const l of lines) console.log(row(l));
    console.log('');
    console.log(`ratio ours ÷ minimal (claims/s): ${fmt(ours / minimalRps, 2)}   two processes ÷ one: ${fmt(rows[2].rps / ours, 2)}`);
    console.log(`stock ${S} per run; every member claims once; over-issued and above-limit must be 0. total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const bad = rows.filter((r) => r.overIssued || r.aboveLimit || r.issued !== Math.min(S, N));
    if (bad.length) { console.error('INVARIANT BROKEN:', bad.map((r) => r.label).join(', ')); process.exitCode = 1; }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

if (process.argv[2] === '--minimal') minimalServer(Number(process.argv[3]));
else main().catch((e) => { console.error(e); process.exit(1); });
