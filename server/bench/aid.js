#!/usr/bin/env node
/**
 * bench:aid — loads N households (default 100,000) with 12 months of payouts each into MySQL/MariaDB,
 * then measures over HTTP against the compiled server (server/dist):
 *   0. a floor: GET /api/health at the scanners' concurrency (the HTTP stack, global guards and one `SELECT 1`)
 *   1. the public household-code look-up  GET /api/aid/household-codes/{code}   (random households)
 *   2. the monitoring summary for a city  GET /api/aid/monitoring?orgCode=HB-HS  (staff of 湖北省总工会), at
 *      BENCH_MONITOR_CONCURRENCY, then one request at a time (its own cost, without queueing behind the others)
 *   3. the write paths that keep the monitoring tallies: registrations POST /api/aid/households at
 *      BENCH_MONITOR_CONCURRENCY into the city's unions, then CSV imports of BENCH_IMPORT_ROWS (100) households one at a time
 * and prints p50/p95/p99. Personal data is encrypted through the app's own PersonalDataCipher and the
 * codes signed through its SignedCodeService, with the same keys the server is started with.
 * Prints figures only; asserts nothing about time. The last line is one JSON object:
 *   {"bench":"aid","households":N,"months":12,"payouts":…,"cityHouseholds":…,
 *    "lookup":{"p50Ms","p95Ms","p99Ms","reqPerSec","count","errors","concurrency"},
 *    "healthFloor":{…same…},"monitoringCity":{…same…},"monitoringAlone":{…same, one staff at a time…},
 *    "registrations":{…same, POST /api/aid/households by city staff…},"imports":{…same, one CSV import of BENCH_IMPORT_ROWS at a time…,
 *    "rows","householdsPerSec"},"talliesRebuildMs":…}
 * The rows are loaded straight by SQL, past the write paths that keep the monitoring tallies, so after loading the bench
 * rebuilds them with the server's own rebuildAidTallies (when the build under test has it: "talliesRebuildMs", else null).
 *
 * Env: BENCH_HOUSEHOLDS (100000), BENCH_MONTHS (12), BENCH_SECONDS per endpoint (12), BENCH_CONCURRENCY (100 concurrent scanners),
 *      BENCH_MONITOR_CONCURRENCY (4), BENCH_CITY (HB-HS), BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306),
 *      BENCH_DB (union_bench_aid: dropped and recreated; another name lets two benches share a server), BENCH_KEEP_DB=1 keeps it afterwards,
 *      BENCH_ORGS (0): that many more grassroots unions, spread over the districts of BENCH_CITY, before the households
 *      are loaded (the households are spread evenly over every grassroots and district union, so most then lie in the
 *      city; "orgs", "cityOrgs" and "cityHouseholds" in the JSON line).
 */
require('reflect-metadata');
const { startServerProcess } = require('./server-process');
const { randomBytes } = require('crypto');
const http = require('http');
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const path = require('path');
const mysql = require('mysql2/promise');
const { recreateDatabase, dropDatabaseUnlessKept } = require('./database');
const shared = require('@union/shared');

const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.resolve(__dirname, '..', 'dist');
const { PersonalDataCipher } = require(path.join(DIST, 'common', 'crypto.service'));
const { SignedCodeService } = require(path.join(DIST, 'common', 'signed-code.service'));

const N = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const MONTHS = Number(process.env.BENCH_MONTHS ?? 12);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const MONITOR_CONCURRENCY = Number(process.env.BENCH_MONITOR_CONCURRENCY ?? 4);
const CITY = process.env.BENCH_CITY ?? 'HB-HS';
const BASE = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = process.env.BENCH_DB ?? 'union_bench_aid';
const EXTRA_ORGS = Number(process.env.BENCH_ORGS ?? 0);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100);

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '建国秀英明华丽娟志强海燕桂兰玉梅军平红霞文杰晓东春花德胜淑珍永福金凤小红伟刚敏静磊洋艳勇涛超芳娜';
const LEVELS = ['severe', 'relative', 'sudden'];
const CAUSES = shared.HARDSHIP_CAUSES;
const EMPLOYMENT = shared.EMPLOYMENT_STATUSES;
const NEEDS = shared.NEED_TAGS;
const AMOUNT = { severe: 80_000, relative: 50_000, sudden: 30_000 };

const pick = (list, i) => list[Math.abs(i) % list.length];
const rnd = (n) => Math.floor(Math.random() * n);
const sqlTime = (d) => d.toISOString().slice(0, 19).replace('T', ' ');
const t0 = Date.now();
const log = (msg) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

/** A valid (GB 11643 check character) ID number, distinct for every i below ~180,000: birth date from i / 1000, sequence i % 1000. */
function idNumber(i) {
  const block = Math.floor(i / 1000);
  const birth = new Date(Date.UTC(1960, 0, 1) + block * 97 * 86400_000);
  const region = pick(['420202', '420203', '420204', '360681', '360602', '330113', '430102', '320302'], block + Math.floor(block / 180));
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${region}${ymd}${String(i % 1000).padStart(3, '0')}`;
  return first17 + shared.idNumberCheckChar(first17);
}

async function main() {
  await recreateDatabase(BASE, DB);

  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64'), CODE_SECRET: randomBytes(32).toString('base64'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const config = { dataKey: Buffer.from(secrets.DATA_ENCRYPTION_KEY, 'base64'), codeSecret: secrets.CODE_SECRET };
  const cipher = new PersonalDataCipher(config);
  const codes = new SignedCodeService(config);

  log(`starting the server on ${DB} (migrations, union tree)`);
  const server = await startServer(secrets);
  let summary;
  try {
    const db = await mysql.createPool({ uri: `${BASE}/${DB}`, connectionLimit: 4, timezone: 'Z', charset: 'utf8mb4' });
    if (EXTRA_ORGS > 0) {
      // grassroots unions spread over the measured city's districts: a city federation has thousands of them
      const [districts] = await db.query("SELECT o.id, o.code, o.path, o.city FROM union_orgs o JOIN union_orgs c ON o.path LIKE CONCAT(c.path, '%') WHERE c.code = ? AND o.level = 'district' ORDER BY o.id", [CITY]);
      const rows = [];
      for (let i = 0; i < EXTRA_ORGS; i++) {
        const d = districts[i % districts.length];
        const code = `${d.code}-B${i + 1}`;
        rows.push([code, `基层工会${i + 1}号`, 'grassroots', d.id, `${d.path}${code}/`, d.city, null, null, 0, sqlTime(new Date())]);
      }
      for (let j = 0; j < rows.length; j += 2000) {
        await db.query('INSERT INTO union_orgs (code, name, level, parentId, path, city, lat, lng, autoApprove, createdAt) VALUES ?', [rows.slice(j, j + 2000)]);
      }
      log(`added ${EXTRA_ORGS.toLocaleString()} grassroots unions under the ${districts.length} districts of ${CITY}`);
    }
    const [orgs] = await db.query("SELECT id, code, path, name, city FROM union_orgs WHERE level IN ('grassroots', 'district') ORDER BY id");
    const [[cityOrgs]] = await db.query('SELECT COUNT(*) AS n FROM union_orgs o JOIN union_orgs c ON o.path LIKE CONCAT(c.path, \'%\') WHERE c.code = ?', [CITY]);
    const [[cityOrg]] = await db.query('SELECT path FROM union_orgs WHERE code = ?', [CITY]);

    const periods = shared.lastPeriods(MONTHS);
    const now = new Date();
    log(`loading ${N.toLocaleString()} households, ${N.toLocaleString()} codes, ${(N * periods.length).toLocaleString()} payouts`);
    const [batchRes] = await db.query('SELECT id FROM union_orgs WHERE code = ?', ['ACFTU']);
    const rootOrg = batchRes[0].id;
    const batchIds = {};
    for (const period of periods) {
      const [r] = await db.query(
        "INSERT INTO aid_payout_batches (kind, orgId, period, aidType, amountSevereFen, amountRelativeFen, amountSuddenFen, status, note, createdById, createdAt, approvedById, approvedAt) VALUES ('monthly', ?, ?, 'living', 80000, 50000, 30000, 'approved', 'bench', 1, ?, 2, ?)",
        [rootOrg, period, sqlTime(now), sqlTime(now)],
      );
      batchIds[period] = r.insertId;
    }

    const codeList = [];
    const CHUNK = 2000;
    let loaded = 0;
    const work = [];
    for (let start = 0; start < N; start += CHUNK) work.push(start);
    const loadChunk = async (start) => {
      const end = Math.min(N, start + CHUNK);
      const hh = [];
      const cc = [];
      const pp = [];
      for (let i = start; i < end; i++) {
        const id = i + 1;
        const org = orgs[i % orgs.length];
        const name = pick(SURNAMES, i * 7) + pick(GIVEN, i * 13) + (i % 3 ? pick(GIVEN, i * 31) : '');
        const idn = idNumber(i);
        const mob = `13${String(100000000 + i).slice(-9)}`;
        const size = 1 + (i % 6);
        const income = 30_000 + ((i * 7919) % 600_000);
        const level = pick(LEVELS, i * 3 + (i % 7));
        const causes = `|${CAUSES[i % CAUSES.length]}|${i % 4 === 0 ? `${CAUSES[(i + 2) % CAUSES.length]}|` : ''}`;
        const needs = `|${NEEDS[i % NEEDS.length]}|`;
        const registered = new Date(now.getTime() - (30 + (i % 700)) * 86400_000);
        const reviewed = new Date(now.getTime() - (i % 450) * 86400_000);
        const idHash = cipher.lookupHash('id', idn);
        hh.push([
          id, 'active', org.id, name, cipher.encrypt(idn), idHash, shared.maskIdNumber(idn), idHash, cipher.encrypt(mob), cipher.lookupHash('mobile', mob),
          shared.maskMobile(mob), null, '湖北省', org.city ?? '某市', `${org.city ?? ''}${pick(['港区', '西区', '东区', '南区'], i)}`, pick(['胜阳港街道', '花湖街道', '黄石港街道', '沈家营街道'], i), null,
          size, income, shared.perCapitaIncomeFen(income, size), level, causes, pick(EMPLOYMENT, i * 5), needs, null, 1, sqlTime(registered),
          shared.shanghaiPeriod(registered), 2, sqlTime(registered), sqlTime(reviewed), null, null, null, sqlTime(now),
        ]);
        const body = randomBytes(12).toString('base64url');
        const code = codes.sign('household', body).code;
        cc.push([id, body, code, 1, id, 1, sqlTime(registered), null]);
        codeList[i] = code;
        for (const [k, period] of periods.entries()) {
          const last = k === periods.length - 1;
          const failed = !last && (i + k) % 97 === 0;
          const status = last ? (i % 3 ? 'approved' : 'pending') : failed ? 'failed' : 'paid';
          const settled = status === 'paid' || status === 'failed';
          pp.push([
            batchIds[period], id, org.id, 'living', period, level, AMOUNT[level], status,
            settled ? `BK${period.replace('-', '')}${String(id).padStart(7, '0')}` : null, settled ? `${period}-25` : null, failed ? '账户异常' : null, sqlTime(now), sqlTime(now),
          ]);
        }
      }
      await db.query(
        'INSERT INTO aid_households (id, status, orgId, headName, idNumberEnc, idNumberHash, idNumberMasked, activeKey, mobileEnc, mobileHash, mobileMasked, memberNo, province, city, district, street, addressDetail, householdSize, monthlyIncomeFen, perCapitaIncomeFen, level, causes, employmentStatus, needs, needsNote, registeredById, registeredAt, registeredPeriod, reviewedById, activatedAt, lastReviewedAt, exitReason, exitDate, exitedById, updatedAt) VALUES ?',
        [hh],
      );
      await db.query('INSERT INTO aid_household_codes (householdId, body, code, version, activeKey, issuedById, issuedAt, revokedAt) VALUES ?', [cc]);
      for (let j = 0; j < pp.length; j += 6000) {
        await db.query('INSERT INTO aid_payouts (batchId, householdId, orgId, aidType, period, level, amountFen, status, bankRef, bankDate, failReason, createdAt, updatedAt) VALUES ?', [pp.slice(j, j + 6000)]);
      }
      loaded += end - start;
      if (loaded % 20_000 < CHUNK) log(`  ${loaded.toLocaleString()} households`);
    };
    const lanes = Array.from({ length: 3 }, async () => {
      while (work.length) await loadChunk(work.shift());
    });
    await Promise.all(lanes);
    const talliesRebuildMs = await rebuildTallies();
    await db.query('ANALYZE TABLE aid_households, aid_household_codes, aid_payouts, union_orgs');
    const [[{ cityHouseholds }]] = await db.query('SELECT COUNT(*) AS cityHouseholds FROM aid_households h JOIN union_orgs o ON o.id = h.orgId WHERE o.path LIKE ?', [`${cityOrg.path}%`]);
    const [[{ payouts }]] = await db.query('SELECT COUNT(*) AS payouts FROM aid_payouts');
    await db.end();
    log(`loaded: ${N.toLocaleString()} households, ${Number(payouts).toLocaleString()} payouts; ${Number(cityHouseholds).toLocaleString()} households in ${CITY} (${Number(cityOrgs.n).toLocaleString()} unions)`);

    const token = await devLogin(server.port, `bench-staff-${CITY}`, CITY);
    log(`warming up`);
    await measure(server.port, () => `/api/aid/household-codes/${encodeURIComponent(codeList[rnd(N)])}`, {}, 2, 4);
    await measure(server.port, () => `/api/aid/monitoring?orgCode=${CITY}`, { Authorization: `Bearer ${token}` }, 2, 2);
    log(`floor: GET /api/health (HTTP stack + SELECT 1) ${SECONDS}s at concurrency ${CONCURRENCY}`);
    const floor = await measure(server.port, () => '/api/health', {}, SECONDS, CONCURRENCY);
    log(`public code look-up: ${SECONDS}s at concurrency ${CONCURRENCY}`);
    const lookup = await measure(server.port, () => `/api/aid/household-codes/${encodeURIComponent(codeList[rnd(N)])}`, {}, SECONDS, CONCURRENCY);
    log(`monitoring summary for ${CITY}: ${SECONDS}s at concurrency ${MONITOR_CONCURRENCY}`);
    const monitoring = await measure(server.port, () => `/api/aid/monitoring?orgCode=${CITY}`, { Authorization: `Bearer ${token}` }, SECONDS, MONITOR_CONCURRENCY);
    log(`monitoring summary for ${CITY} alone: ${SECONDS}s at concurrency 1`);
    const monitoringAlone = await measure(server.port, () => `/api/aid/monitoring?orgCode=${CITY}`, { Authorization: `Bearer ${token}` }, SECONDS, 1);
    // the write paths that keep the tallies and roll-ups: single registrations by city staff into the city's unions,
    // then CSV imports of IMPORT_ROWS households each, one at a time
    const [cityUnions] = await mysql.createConnection(`${BASE}/${DB}`).then(async (c) => {
      try {
        return await c.query("SELECT o.code FROM union_orgs o JOIN union_orgs c ON o.path LIKE CONCAT(c.path, '%') WHERE c.code = ? AND o.level IN ('grassroots', 'district') ORDER BY o.id", [CITY]);
      } finally {
        await c.end();
      }
    });
    let fresh = N;
    const newHousehold = () => {
      const i = fresh++;
      return {
        headName: pick(SURNAMES, i * 7) + pick(GIVEN, i * 13), idNumber: idNumber(i), mobile: `13${String(100000000 + i).slice(-9)}`, province: '湖北省',
        city: '黄石市', district: '黄石港区', street: '胜阳港街道', householdSize: 1 + (i % 5), monthlyIncomeFen: 40_000 + ((i * 7919) % 500_000),
        level: pick(LEVELS, i), causes: [CAUSES[i % CAUSES.length]], employmentStatus: pick(EMPLOYMENT, i), needs: [NEEDS[i % NEEDS.length]],
        orgCode: cityUnions[i % cityUnions.length].code,
      };
    };
    log(`registrations (POST /api/aid/households) into ${cityUnions.length.toLocaleString()} unions of ${CITY}: ${SECONDS}s at concurrency ${MONITOR_CONCURRENCY}`);
    const registrations = await measure(server.port, () => ({ path: '/api/aid/households', body: newHousehold() }), { Authorization: `Bearer ${token}` }, SECONDS, MONITOR_CONCURRENCY);
    const csvCell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const importCsv = () => {
      const header = ['headName', 'idNumber', 'mobile', 'province', 'city', 'district', 'street', 'householdSize', 'monthlyIncomeFen', 'level', 'causes', 'employmentStatus', 'needs', 'orgCode'];
      const lines = Array.from({ length: IMPORT_ROWS }, () => {
        const h = newHousehold();
        return header.map((k) => csvCell(Array.isArray(h[k]) ? h[k].join('|') : h[k])).join(',');
      });
      return [header.join(','), ...lines].join('\n');
    };
    log(`imports of ${IMPORT_ROWS} households each (POST /api/aid/households/import), one at a time, ${SECONDS}s`);
    const imports = await measure(server.port, () => ({ path: '/api/aid/households/import', body: { mode: 'all_or_nothing', csv: importCsv() } }), { Authorization: `Bearer ${token}` }, SECONDS, 1);
    summary = { floor, lookup, monitoring, monitoringAlone, registrations, imports, cityHouseholds: Number(cityHouseholds), cityOrgs: Number(cityOrgs.n), orgs: orgs.length, payouts: Number(payouts), talliesRebuildMs };
  } finally {
    await server.stop();
    await dropDatabaseUnlessKept(BASE, DB);
  }

  const row = (name, r) => `| ${name.padEnd(40)} | ${String(r.count).padStart(6)} | ${r.rps.toFixed(0).padStart(6)} | ${r.p50.toFixed(1).padStart(7)} | ${r.p95.toFixed(1).padStart(7)} | ${r.p99.toFixed(1).padStart(7)} | ${String(r.errors).padStart(6)} |`;
  console.log(`\nbench:aid — ${N.toLocaleString()} households × ${MONTHS} months = ${summary.payouts.toLocaleString()} payouts (MySQL/MariaDB); ${CITY}: ${summary.cityHouseholds.toLocaleString()} households in ${summary.cityOrgs.toLocaleString()} unions (${summary.orgs.toLocaleString()} grassroots and district unions in all)`);
  console.log('| endpoint                                 |  count |  req/s | p50 ms  | p95 ms  | p99 ms  | errors |');
  console.log('|------------------------------------------|-------:|-------:|--------:|--------:|--------:|-------:|');
  console.log(row(`floor: GET /api/health (c=${CONCURRENCY})`, summary.floor));
  console.log(row(`GET household-codes/{code} (c=${CONCURRENCY})`, summary.lookup));
  console.log(row(`GET monitoring?orgCode=${CITY} (c=${MONITOR_CONCURRENCY})`, summary.monitoring));
  console.log(row(`GET monitoring?orgCode=${CITY} (c=1)`, summary.monitoringAlone));
  console.log(row(`POST households (c=${MONITOR_CONCURRENCY})`, summary.registrations));
  console.log(row(`POST households/import ×${IMPORT_ROWS} (c=1)`, summary.imports));
  console.log(`total run ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const figures = (r, concurrency) => ({
    p50Ms: round(r.p50), p95Ms: round(r.p95), p99Ms: round(r.p99), reqPerSec: Math.round(r.rps), count: r.count, errors: r.errors, concurrency,
  });
  console.log(JSON.stringify({
    bench: 'aid', households: N, months: MONTHS, payouts: summary.payouts, city: CITY, cityHouseholds: summary.cityHouseholds,
    orgs: summary.orgs, cityOrgs: summary.cityOrgs,
    lookup: figures(summary.lookup, CONCURRENCY), healthFloor: figures(summary.floor, CONCURRENCY), monitoringCity: figures(summary.monitoring, MONITOR_CONCURRENCY),
    monitoringAlone: figures(summary.monitoringAlone, 1), registrations: figures(summary.registrations, MONITOR_CONCURRENCY),
    imports: { ...figures(summary.imports, 1), rows: IMPORT_ROWS, householdsPerSec: Math.round(summary.imports.rps * IMPORT_ROWS) }, talliesRebuildMs: summary.talliesRebuildMs,
  }));
}

const round = (ms) => Math.round(ms * 10) / 10;

/** Rebuilds the monitoring tallies from the loaded rows with the build under test's own code; ms taken, or null for a build without tallies. */
async function rebuildTallies() {
  const file = path.join(DIST, 'modules', 'aid', 'aid-tallies.js');
  if (!require('fs').existsSync(file)) return null;
  const { rebuildAidTallies } = require(file);
  const { resolveDataSourceOptions } = require(path.join(DIST, 'database', 'data-source'));
  const { DataSource } = require('typeorm');
  const ds = new DataSource({ ...(await resolveDataSourceOptions({ database: { type: 'mysql', url: `${BASE}/${DB}` } })), migrationsRun: false, logging: false });
  await ds.initialize();
  const started = Date.now();
  try {
    const counted = await ds.transaction((em) => rebuildAidTallies(em));
    log(`monitoring tallies rebuilt from ${counted.households.toLocaleString()} households and ${counted.payouts.toLocaleString()} payouts in ${Date.now() - started} ms`);
  } finally {
    await ds.destroy();
  }
  return Date.now() - started;
}

/** Starts server/dist/main.js on a free port against the bench database (log in artifacts/bench/); resolves when /api/health answers 200. */
async function startServer(secrets) {
  const port = await new Promise((resolve) => {
    const s = require('net').createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'union-bench-aid-'));
  const server = startServerProcess({
    script: path.join(DIST, 'main.js'), cwd: path.resolve(DIST, '..'), label: 'bench-aid-api',
    env: {
      ...process.env, ...secrets, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: `${BASE}/${DB}`, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false',
      LOG_LEVEL: 'error', RATE_LIMIT: '100000000', SUBMISSION_RATE_LIMITS: 'false', KEY_FILE: path.join(dir, 'keys.json'), H5_DIR: path.join(dir, 'no-h5'),
    },
  });
  await server.ready(`http://127.0.0.1:${port}/api/health`, 60_000);
  return { port, stop: () => server.stop() };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function get(port, p, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: body ? 'POST' : 'GET', agent, headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

async function devLogin(port, userKey, orgCode) {
  const res = await get(port, '/api/auth/dev-login', {}, { userKey, role: 'union_staff', orgCode });
  if (res.status !== 200) throw new Error(`dev login failed: ${res.status} ${res.text}`);
  return JSON.parse(res.text).accessToken;
}

/**
 * Closed-loop load: `concurrency` workers issue requests back to back for `seconds`; latencies in ms. `nextPath`
 * gives a path to GET or `{ path, body }` to POST as JSON; any answer but 200/201 counts as an error.
 */
async function measure(port, nextPath, headers, seconds, concurrency) {
  const latencies = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      const s = process.hrtime.bigint();
      try {
        const next = nextPath();
        const res = typeof next === 'string' ? await get(port, next, headers) : await get(port, next.path, headers, next.body);
        if (res.status !== 200 && res.status !== 201) errors++;
      } catch {
        errors++;
      }
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }));
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { count: latencies.length, rps: latencies.length / ((Date.now() - started) / 1000), p50: q(0.5), p95: q(0.95), p99: q(0.99), errors };
}

main().catch((e) => {
  console.error(String(e?.stack ?? e).slice(0, 2000));
  process.exit(1);
});
