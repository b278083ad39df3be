#!/usr/bin/env node
/**
 * pnpm bench:nearby — nearby search at national scale, on the local MySQL/MariaDB.
 *
 * Loads 10,000 and then 200,000 stations spread around 60 Chinese cities (multi-row INSERTs straight into
 * the database, so the API's in-memory index has to notice them), starts the compiled API
 * (server/dist/main.js) on that database, and measures typical queries over HTTP with 100 concurrent users
 * at random points: p50/p95/p99 of `GET /api/stations/nearby` for five queries, the last one what the mini-program's
 * station list sends (`openFirst=true`: open stations first, then closed ones, each by distance). Then `sameAsBruteForce`: for BENCH_CHECK_POINTS
 * random points per query, the API's total and first two pages are compared with a brute-force haversine sort of
 * every station of the bench's database (read back from it), open-now evaluated with the shared evaluateOpen at
 * the same instant. The same queries are then answered by a full scan — one SQL statement
 * that computes the haversine distance of every row, behind a minimal HTTP server of its own (so both
 * are measured over HTTP; the full-scan server does less work per request than the API, which only
 * flatters the scan; it runs at most 8 concurrent, a full scan per request would only queue behind 100) — and
 * the ratio scan/index is printed. EXPLAIN shows the plan of the scan. Prints a table and, last, one JSON line
 * (figures of the largest size). Figures only, no assertions.
 * Env: BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306), BENCH_SIZES (default 10000,200000),
 * BENCH_REQUESTS (per query, default 1000), BENCH_CONCURRENCY (100), BENCH_CHECK_POINTS (50),
 * BENCH_SERVER_MAIN (default server/dist/main.js), BENCH_API_NODE_ARGS (node flags for the API process, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
const { startServerProcess } = require('./server-process');
const { recreateDatabase, dropDatabaseUnlessKept } = require('./database');
const http = require('http');
const { mkdtempSync, rmSync } = require('fs');
const { createServer } = require('net');
const { tmpdir } = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const mysql = require('mysql2/promise');

const BASE = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = 'union_bench_nearby';
const SIZES = (process.env.BENCH_SIZES ?? '10000,200000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const SCAN_CONCURRENCY = Math.min(CONCURRENCY, 8);
const CHECK_POINTS = Number(process.env.BENCH_CHECK_POINTS ?? 50);
const os = require('os');
const { evaluateOpen, haversineMeters, amenityMask } = require('@union/shared');
const SERVER_MAIN = process.env.BENCH_SERVER_MAIN ?? path.resolve(__dirname, '..', 'dist', 'main.js');
const R = 6371008.8;

/** City centres (GCJ-02, approx.) and a weight ~ how many stations a city has. */
const CITIES = [
  ['北京', 39.9042, 116.4074, 5], ['上海', 31.2304, 121.4737, 5], ['广州', 23.1291, 113.2644, 4], ['深圳', 22.5431, 114.0579, 4], ['成都', 30.5728, 104.0668, 4],
  ['重庆', 29.563, 106.5516, 4], ['武汉', 30.5928, 114.3055, 4], ['长沙', 28.2282, 112.9388, 4], ['杭州', 30.2741, 120.1551, 4], ['南京', 32.0603, 118.7969, 3],
  ['西安', 34.3416, 108.9398, 3], ['郑州', 34.7466, 113.6254, 3], ['天津', 39.3434, 117.3616, 3], ['苏州', 31.2989, 120.5853, 3], ['青岛', 36.0671, 120.3826, 2],
  ['济南', 36.6512, 117.1201, 2], ['合肥', 31.8206, 117.2272, 2], ['福州', 26.0745, 119.2965, 2], ['厦门', 24.4798, 118.0894, 2], ['南昌', 28.682, 115.8579, 2],
  ['昆明', 25.0389, 102.7183, 2], ['贵阳', 26.647, 106.6302, 2], ['南宁', 22.817, 108.3665, 2], ['沈阳', 41.8057, 123.4315, 2], ['大连', 38.914, 121.6147, 2],
  ['哈尔滨', 45.8038, 126.535, 2], ['长春', 43.8171, 125.3235, 2], ['石家庄', 38.0428, 114.5149, 2], ['太原', 37.8706, 112.5489, 2], ['呼和浩特', 40.8424, 111.749, 1],
  ['兰州', 36.0611, 103.8343, 1], ['西宁', 36.6171, 101.7782, 1], ['银川', 38.4872, 106.2309, 1], ['乌鲁木齐', 43.8256, 87.6168, 1], ['拉萨', 29.65, 91.1, 1],
  ['海口', 20.044, 110.1999, 1], ['三亚', 18.2528, 109.5119, 1], ['徐州', 34.261, 117.1849, 2], ['黄石', 30.1997, 115.0389, 1], ['襄阳', 32.0089, 112.1224, 1],
  ['岳阳', 29.3572, 113.1289, 1], ['鹰潭', 28.2602, 117.0692, 1], ['盐城', 33.3477, 120.1633, 1], ['淄博', 36.8131, 118.0548, 1], ['烟台', 37.4638, 121.4479, 1],
  ['无锡', 31.4912, 120.3119, 2], ['宁波', 29.8683, 121.544, 2], ['温州', 27.9943, 120.6994, 1], ['佛山', 23.0215, 113.1214, 2], ['东莞', 23.0207, 113.7518, 2],
  ['泉州', 24.8741, 118.6757, 1], ['洛阳', 34.6197, 112.454, 1], ['宜昌', 30.6919, 111.2865, 1], ['株洲', 27.8274, 113.1339, 1], ['赣州', 25.8311, 114.935, 1],
  ['桂林', 25.2736, 110.29, 1], ['绵阳', 31.4675, 104.6796, 1], ['包头', 40.6574, 109.8403, 1], ['唐山', 39.6305, 118.1802, 1], ['白山', 41.9425, 126.4238, 1],
];
const TOTAL_WEIGHT = CITIES.reduce((n, c) => n + c[3], 0);

let seed = 20240501;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
function pickCity() {
  let x = rand() * TOTAL_WEIGHT;
  for (const c of CITIES) if ((x -= c[3]) <= 0) return c;
  return CITIES[0];
}
/** A point around a city: most within ~8 km of the centre, a tail out to ~30 km. */
function around(c, sigmaKm = 8) {
  return { lat: c[1] + (gauss() * sigmaKm) / 111.2, lng: c[2] + (gauss() * sigmaKm) / (111.2 * Math.cos((c[1] * Math.PI) / 180)) };
}

const DAY = JSON.stringify({ is24h: false, weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['08:00-20:00']])) });
const NIGHT = JSON.stringify({ is24h: false, weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['10:00-14:00', '17:00-02:00']])) });
const ALL = JSON.stringify({ is24h: true, weekly: {} });

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function loadStations(pool, orgId, from, to) {
  const now = new Date();
  for (let start = from; start < to; start += 2000) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + 2000); i++) {
      const p = around(pickCity());
      const hours = i % 3 === 0 ? ALL : i % 3 === 1 ? DAY : NIGHT;
      rows.push([orgId, `驿站${i}`, `地址${i}`, p.lat, p.lng, Math.floor(rand() * 512), hours, '[]', i % 50 === 0 ? 'temporarily_closed' : 'open', `bench${i}`, now, now]);
    }
    await pool.query('INSERT INTO stations (orgId, name, address, lat, lng, amenityMask, hours, closedDates, status, codeBody, createdAt, updatedAt) VALUES ?', [rows]);
  }
}

function startApi(url, port) {
  const dir = mkdtempSync(path.join(tmpdir(), 'union-bench-'));
  const server = startServerProcess({
    script: SERVER_MAIN, cwd: path.dirname(path.dirname(SERVER_MAIN)), label: 'bench-nearby-api', nodeArgs: (process.env.BENCH_API_NODE_ARGS || '').split(' ').filter(Boolean),
    env: { ...process.env, PORT: String(port), DATABASE_URL: url, NODE_ENV: 'development', SEED_DEMO: 'false', LOG_LEVEL: 'warn', RATE_LIMIT: '100000000', KEY_FILE: path.join(dir, 'keys.json'), UPLOAD_DIR: path.join(dir, 'up') },
  });
  return { server, dir };
}


const HAVERSINE = `(${2 * R} * ASIN(SQRT(POW(SIN(RADIANS(lat - ?) / 2), 2) + COS(RADIANS(?)) * COS(RADIANS(lat)) * POW(SIN(RADIANS(lng - ?) / 2), 2))))`;

/** The full-scan baseline over HTTP: distance of every row computed in SQL, then radius, filter, order, page. */
function startScanServer(pool) {
  const server = http.createServer(async (req, res) => {
   try {
    const q = new URL(req.url, 'http://x').searchParams;
    const lat = Number(q.get('lat'));
    const lng = Number(q.get('lng'));
    const radius = Number(q.get('radiusM'));
    const mask = (q.get('amenities') ?? '').split(',').filter(Boolean).reduce((m, a) => m | (1 << ['rest', 'water', 'charging', 'microwave', 'restroom', 'battery_swap', 'fridge', 'first_aid', 'wifi'].indexOf(a)), 0);
    const openOnly = q.get('openNow') === 'true' ? " AND status = 'open'" : '';
    // open first by status only (the scan does not evaluate opening hours: that only flatters it)
    const openFirst = q.get('openFirst') === 'true' ? "status <> 'open', " : '';
    const [rows] = await pool.query(
      `SELECT id, name, lat, lng, amenityMask, hours, status, ${HAVERSINE} AS d FROM stations WHERE (amenityMask & ?) = ?${openOnly} HAVING d <= ? ORDER BY ${openFirst}d, id LIMIT 20`,
      [lat, lat, lng, mask, mask, radius],
    );
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ items: rows }));
   } catch (e) {
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: String(e) }));
   }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Resident memory of a process in MB (Linux /proc), or null. */
function rssMb(pid) {
  try { return Math.round(Number(/VmRSS:\s+(\d+)/.exec(require('fs').readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024); } catch { return null; }
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Keep-alive connections for one phase of the bench: a fresh agent per phase (its sockets destroyed at the end), so a
 * socket the server closed while idle between phases is never reused.
 */
let agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
function newPhase() {
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
}
/** GET over the phase's keep-alive agent (lighter on the bench's own CPU than fetch); resolves status and parsed body. */
function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try { resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }); } catch (e) { reject(e); }
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Runs `n` GETs with `c` concurrent workers; returns latencies (ms) sorted and the mean result size. */
async function measure(makeUrl, n, c) {
  newPhase();
  const times = [];
  let items = 0;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const url = makeUrl(i);
      const t0 = performance.now();
      const { status, body } = await get(url);
      times.push(performance.now() - t0);
      if (status !== 200) throw new Error(`${url}: ${status} ${JSON.stringify(body)}`);
      items += body.items.length;
    }
  };
  await Promise.all(Array.from({ length: c }, worker));
  return { sorted: times.sort((a, b) => a - b), meanItems: items / n };
}

const QUERIES = [
  { name: '5 km around me', params: 'radiusM=5000', radiusM: 5000, amenities: [], openNow: false },
  { name: '3 km, charging, open now', params: 'radiusM=3000&amenities=charging&openNow=true', radiusM: 3000, amenities: ['charging'], openNow: true },
  { name: '10 km, water+restroom', params: 'radiusM=10000&amenities=water,restroom', radiusM: 10000, amenities: ['water', 'restroom'], openNow: false },
  { name: '50 km (maximum radius)', params: 'radiusM=50000', radiusM: 50000, amenities: [], openNow: false },
  // what the mini-program's station list sends: open stations first, then the closed ones, each by distance
  { name: '5 km, open first (the list)', params: 'radiusM=5000&openFirst=true', radiusM: 5000, amenities: [], openNow: false, openFirst: true },
];

/**
 * The route's answers against a brute-force haversine sort of every station in the database: for `points`
 * random points and every query, total and the first two pages of 20 (ids in order, distance to 0.1 m).
 * Open-now uses one instant per comparison; a comparison that straddles a minute boundary is retried once.
 * @returns {{ same: boolean, compared: number, mismatches: string[] }}
 */
async function bruteForceCheck(pool, base, points) {
  const [rows] = await pool.query('SELECT id, lat, lng, amenityMask, hours, closedDates, status, closedUntil FROM stations');
  const all = rows.map((r) => ({ id: Number(r.id), lat: Number(r.lat), lng: Number(r.lng), mask: Number(r.amenityMask),
    rules: { hours: typeof r.hours === 'string' ? JSON.parse(r.hours) : r.hours, closedDates: typeof r.closedDates === 'string' ? JSON.parse(r.closedDates) : r.closedDates, status: r.status, closedUntil: r.closedUntil ?? null } }));
  const mismatches = [];
  let compared = 0;
  newPhase();
  for (const p of points) {
    for (const q of QUERIES) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const minute = Math.floor(Date.now() / 60000);
        const mask = amenityMask(q.amenities);
        const at = Date.now();
        const expected = all.map((s) => ({ s, d: haversineMeters(p.lat, p.lng, s.lat, s.lng) }))
          .filter((x) => x.d <= q.radiusM && (x.s.mask & mask) === mask && (!q.openNow || evaluateOpen(x.s.rules, at).open))
          .map((x) => ({ ...x, closed: q.openFirst && !evaluateOpen(x.s.rules, at).open ? 1 : 0 }))
          .sort((a, b) => a.closed - b.closed || a.d - b.d || a.s.id - b.s.id);
        const got = [];
        let total = -1;
        for (const page of [1, 2]) {
          const { status, body } = await get(`${base}/api/stations/nearby?lat=${p.lat}&lng=${p.lng}&${q.params}&page=${page}&pageSize=20`);
          if (status !== 200) throw new Error(`brute-force check: ${status} ${JSON.stringify(body)}`);
          total = body.total;
          got.push(...body.items);
        }
        if (Math.floor(Date.now() / 60000) !== minute && attempt === 0) continue; // open-now may have changed in between
        const want = expected.slice(0, 40);
        const ok = total === expected.length && got.length === want.length
          && got.every((g, i) => g.id === want[i].s.id && Math.abs(g.distanceM - want[i].d) <= 0.051);
        compared++;
        if (!ok) mismatches.push(`${q.name} at ${p.lat},${p.lng}: total ${total} vs ${expected.length}, ids ${got.slice(0, 5).map((g) => g.id)} vs ${want.slice(0, 5).map((w) => w.s.id)}`);
        break;
      }
    }
  }
  return { same: mismatches.length === 0 && compared > 0, compared, mismatches };
}

function queryPoints(count) {
  const s = seed;
  seed = 777;
  const pts = Array.from({ length: count }, () => around(pickCity(), 5));
  seed = s;
  return pts;
}

async function main() {
  await recreateDatabase(BASE, DB);
  const url = `${BASE}/${DB}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { server, dir } = startApi(url, port);
  const pool = mysql.createPool({ uri: url, connectionLimit: SCAN_CONCURRENCY + 2 });
  const scan = await startScanServer(pool);
  const scanBase = `http://127.0.0.1:${scan.address().port}`;
  const results = [];
  try {
    await server.ready(`${base}/api/health`, 60_000); // runs the migrations and loads the union tree
    const [[org]] = await pool.query("SELECT id FROM union_orgs WHERE code = 'ACFTU'");
    const points = queryPoints(REQUESTS + 50);
    let loaded = 0;
    console.log(`nearby benchmark on ${url.replace(/\/\/[^@]*@/, '//')} — ${REQUESTS} requests per query, ${CONCURRENCY} concurrent (full scan ${SCAN_CONCURRENCY}), ${CITIES.length} cities, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    const checks = [];
    for (const size of SIZES) {
      const t0 = performance.now();
      await loadStations(pool, org.id, loaded, size);
      loaded = size;
      await pool.query('ANALYZE TABLE stations');
      console.log(`\nloaded ${size.toLocaleString('en')} stations (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      for (const q of QUERIES) {
        const mk = (b, path) => (i) => { const p = points[i % points.length]; return `${b}${path}?lat=${p.lat.toFixed(6)}&lng=${p.lng.toFixed(6)}&${q.params}&pageSize=20`; };
        const w0 = performance.now();
        await measure(mk(base, '/api/stations/nearby'), Math.min(200, REQUESTS), CONCURRENCY); // warm-up (the first request catches the index up with the load)
        if (q === QUERIES[0]) console.log(`  (warm-up incl. the index catching up with ${size.toLocaleString('en')} stations: ${((performance.now() - w0) / 1000).toFixed(1)} s; API resident memory ${rssMb(server.child.pid)} MB)`);
        const index = await measure(mk(base, '/api/stations/nearby'), REQUESTS, CONCURRENCY);
        await measure(mk(scanBase, '/'), 10, SCAN_CONCURRENCY);
        const full = await measure(mk(scanBase, '/'), Math.max(40, Math.round(REQUESTS / (size >= 100000 ? 10 : 3))), SCAN_CONCURRENCY);
        const row = { size, query: q.name, index, full };
        results.push(row);
        const f = (s) => `${pct(s, 50).toFixed(1)} / ${pct(s, 95).toFixed(1)} / ${pct(s, 99).toFixed(1)}`;
        console.log(`  ${q.name.padEnd(28)} api ${f(index.sorted).padEnd(22)} full scan ${f(full.sorted).padEnd(24)} ×${(pct(full.sorted, 50) / pct(index.sorted, 50)).toFixed(1)} (p50)  ~${index.meanItems.toFixed(1)} results`);
      }
      const c0 = performance.now();
      const check = await bruteForceCheck(pool, base, points.slice(0, CHECK_POINTS).map((x, i) => (i % 5 === 4 ? { lat: 18 + rand() * 36, lng: 73 + rand() * 62 } : x)));
      checks.push({ size, ...check });
      console.log(`  same as brute force: ${check.same} (${check.compared} comparisons, ${((performance.now() - c0) / 1000).toFixed(1)} s)${check.mismatches.length ? `\n    ${check.mismatches.slice(0, 5).join('\n    ')}` : ''}`);
    }
    const p = points[0];
    const [full] = await pool.query(`EXPLAIN SELECT id, ${HAVERSINE} AS d FROM stations HAVING d <= 5000 ORDER BY d, id LIMIT 20`, [p.lat, p.lat, p.lng]);
    console.log(`\nplan of the full scan → type=${full[0].type} key=${full[0].key} rows≈${full[0].rows}; the API answers from its in-memory k-d tree`);
    console.log(`\n${CONCURRENCY} concurrent users (full scan: ${SCAN_CONCURRENCY}), load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log('\n| stations | query | api p50 / p95 / p99 (ms) | full scan p50 / p95 / p99 (ms) | scan ÷ api (p50) |');
    console.log('|---:|---|---|---|---:|');
    for (const r of results) {
      const f = (s) => `${pct(s, 50).toFixed(1)} / ${pct(s, 95).toFixed(1)} / ${pct(s, 99).toFixed(1)}`;
      console.log(`| ${r.size.toLocaleString('en')} | ${r.query} | ${f(r.index.sorted)} | ${f(r.full.sorted)} | ${(pct(r.full.sorted, 50) / pct(r.index.sorted, 50)).toFixed(1)} |`);
    }
    const largest = SIZES[SIZES.length - 1];
    const last = results.filter((r) => r.size === largest);
    const api = last.flatMap((r) => r.index.sorted).sort((a, b) => a - b);
    const scan = last.flatMap((r) => r.full.sorted).sort((a, b) => a - b);
    const r1 = (x) => Math.round(x * 10) / 10;
    console.log(JSON.stringify({
      bench: 'nearby', stations: largest, concurrency: CONCURRENCY,
      api: { p50Ms: r1(pct(api, 50)), p95Ms: r1(pct(api, 95)), p99Ms: r1(pct(api, 99)), requests: api.length },
      fullScan: { p50Ms: r1(pct(scan, 50)), p95Ms: r1(pct(scan, 95)), concurrency: SCAN_CONCURRENCY },
      sameAsBruteForce: checks.length > 0 && checks.every((c) => c.same), comparisons: checks.reduce((n, c) => n + c.compared, 0),
      queries: Object.fromEntries(last.map((r) => [r.query, { p50Ms: r1(pct(r.index.sorted, 50)), p95Ms: r1(pct(r.index.sorted, 95)), meanItems: r1(r.index.meanItems) }])),
      apiRssMb: rssMb(server.child.pid), loadAverage: os.loadavg().map(r1),
    }));
  } finally {
    agent.destroy();
    scan.close();
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    await dropDatabaseUnlessKept(BASE, DB);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
