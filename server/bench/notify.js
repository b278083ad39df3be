#!/usr/bin/env node
/**
 * pnpm bench:notify — N members reminded of one campaign opening (issue 14), on MySQL/MariaDB.
 *
 * 1. Creates a fresh database, starts the compiled server on it once (migrations), creates and publishes a campaign
 *    opening in 5 minutes through the API.
 * 2. Loads N accounts with a WeChat openid, one subscribe grant each (topic campaign_reminder) and one 提醒我 each,
 *    with multi-row INSERTs.
 * 3. Writing: starts one server process with only the schedule on (NOTIFY_SCHEDULE, no dispatcher); its reminder job
 *    (every minute) writes one message and one outbox row per 提醒我. Messages written per second = N ÷ the time from
 *    the first message seen to the last (the table is polled every 100 ms).
 * 4. Delivery: a fake WeChat server in this process answers cgi-bin/token and cgi-bin/message/subscribe/send over
 *    real HTTP (errcode 0, each send counted by openid). One dispatcher process (NOTIFY_DISPATCH only) delivers the
 *    outbox; delivered per second = N ÷ the time from the first send received to the last. Then the outbox and the
 *    grants are set back to their state before delivery and two dispatcher processes deliver them again.
 *    The reminders' quiet-hours hold (22:00–08:00 Asia/Shanghai) is lifted before each delivery run (nextAttemptAt
 *    set to now): the bench measures throughput whatever the hour.
 * 5. Checks every member got exactly one send per run (duplicates and missing must be 0) and prints a table and,
 *    last, one JSON line. Nothing here asserts a time.
 *
 * Env: BENCH_MEMBERS (50000), BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_DIST (compiled server, default
 *      server/dist), BENCH_DB (union_bench_notify), BENCH_KEEP_DB (keep the database afterwards).
 */
'use strict';
const http = require('http');
const { randomBytes } = require('crypto');
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const path = require('path');
const { startServerProcess } = require('./server-process');
const { recreateDatabase, dropDatabaseUnlessKept } = require('./database');

const DIST = path.resolve(process.env.BENCH_DIST || path.join(__dirname, '..', 'dist'));
const mysql = require(require.resolve('mysql2/promise', { paths: [DIST, __dirname] }));
const N = Number(process.env.BENCH_MEMBERS || 50_000);
const BASE = (process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const DB = process.env.BENCH_DB || 'union_bench_notify';
const DB_URL = `${BASE}/${DB}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secrets = { JWT_SECRET: randomBytes(32).toString('base64'), CODE_SECRET: randomBytes(32).toString('base64'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
const keyFile = path.join(tmpdir(), `bench-notify-keys-${process.pid}.json`);

function freePort() {
  return new Promise((ok) => { const s = http.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
}

/** The fake WeChat server API: token and subscribe/send, every send counted by openid with its arrival time. */
function fakeWechat() {
  const state = { sends: 0, byOpenid: new Map(), first: 0, last: 0 };
  const server = http.createServer((req, res) => {
    const send = (obj) => { const body = JSON.stringify(obj); res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }); res.end(body); };
    if (req.url.startsWith('/cgi-bin/token')) return send({ access_token: 'bench-token', expires_in: 7200 });
    if (req.url.startsWith('/cgi-bin/message/subscribe/send')) {
      let raw = '';
      req.on('data', (c) => { raw += c; });
      req.on('end', () => {
        const now = Date.now();
        let touser = '';
        try { touser = JSON.parse(raw).touser; } catch { /* counted as unknown */ }
        state.sends++;
        state.byOpenid.set(touser, (state.byOpenid.get(touser) || 0) + 1);
        if (!state.first) state.first = now;
        state.last = now;
        send({ errcode: 0, errmsg: 'ok' });
      });
      return undefined;
    }
    res.writeHead(404); res.end();
  });
  return {
    state,
    reset() { state.sends = 0; state.byOpenid = new Map(); state.first = 0; state.last = 0; },
    listen: () => new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`))),
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

async function startServer(label, env) {
  const port = await freePort();
  const server = startServerProcess({
    script: path.join(DIST, 'main.js'), cwd: path.dirname(DIST), label,
    env: { ...process.env, ...secrets, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: DB_URL, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      RATE_LIMIT: '1000000', KEY_FILE: keyFile, H5_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'no-h5'), NOTIFY_DISPATCH: 'false', NOTIFY_SCHEDULE: 'false', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await server.ready(`${url}/api/health`);
  return { url, server };
}

/** Polls `count()` every 100 ms until it reaches `target` (or `timeoutMs`); answers when it first moved and when it got there. */
async function watch(count, target, timeoutMs) {
  let first = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await count();
    if (n > 0 && !first) first = Date.now();
    if (n >= target) return { first, last: Date.now(), n };
    if (Date.now() > deadline) return { first, last: Date.now(), n, timedOut: true };
    await sleep(100);
  }
}

async function main() {
  const t0 = Date.now();
  await recreateDatabase(BASE, DB);
  console.log(`bench:notify — members ${N}, database ${DB}`);
  const wechat = fakeWechat();
  const wechatUrl = await wechat.listen();
  const running = [];
  const rows = [];
  try {
    // 1. schema and the campaign
    const setup = await startServer('bench-notify-setup', {});
    running.push(setup.server);
    const login = await fetch(`${setup.url}/api/auth/dev-login`, { method: 'POST', headers: { 'Content-Type': 'application/json', connection: 'close' }, body: JSON.stringify({ userKey: 'bench-staff', role: 'union_staff', orgCode: 'HB-HS' }) });
    const staff = (await login.json()).accessToken;
    const opens = Date.now() + 5 * 60_000;
    const created = await fetch(`${setup.url}/api/vouchers/manage/campaigns`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staff}` },
      body: JSON.stringify({ name: '压测提醒活动', budgetFen: 2000 * N, perMemberLimit: 1, types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: N, perMemberLimit: 1 }],
        claimStartAt: new Date(opens).toISOString(), claimEndAt: new Date(opens + 3600_000).toISOString(), validityKind: 'relative', validDays: 30, merchantScope: 'all' }),
    });
    const campaign = await created.json();
    if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(campaign)}`);
    const pub = await fetch(`${setup.url}/api/vouchers/manage/campaigns/${campaign.id}/publish`, { method: 'POST', headers: { Authorization: `Bearer ${staff}` } });
    if (pub.status !== 200) throw new Error(`publish: ${pub.status}`);
    await setup.server.stop();
    running.length = 0;

    // 2. accounts, grants and 提醒我 rows
    const conn = await mysql.createConnection({ uri: DB_URL, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
    const loadStart = Date.now();
    const [[{ maxId }]] = await conn.query('SELECT COALESCE(MAX(id), 0) AS maxId FROM users');
    const now = new Date();
    for (let i = 0; i < N; i += 2000) {
      const ids = Array.from({ length: Math.min(2000, N - i) }, (_, k) => Number(maxId) + i + k + 1);
      await conn.query('INSERT INTO users (id, openid, devKey, displayName, role, orgId, createdAt) VALUES ?', [ids.map((id) => [id, `bench-openid-${id}`, null, `会员${id}`, 'user', null, now])]);
      await conn.query('INSERT INTO message_grants (userId, topic, remaining, updatedAt) VALUES ?', [ids.map((id) => [id, 'campaign_reminder', 1, now])]);
      await conn.query('INSERT INTO campaign_reminders (campaignId, userId, createdAt, remindedAt) VALUES ?', [ids.map((id) => [campaign.id, id, now, null])]);
    }
    console.log(`loaded ${N} accounts, grants and 提醒我 in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

    // 3. writing: the schedule in one process
    const writer = await startServer('bench-notify-writer', { NOTIFY_SCHEDULE: 'true' });
    running.push(writer.server);
    console.log('waiting for the reminder job (every minute) to write the messages…');
    const countMessages = async () => Number((await conn.query("SELECT COUNT(*) AS n FROM messages WHERE kind = 'campaign_opening'"))[0][0].n);
    const w = await watch(countMessages, N, 5 * 60_000);
    await writer.server.stop();
    running.length = 0;
    const [[{ deliveries }]] = await conn.query('SELECT COUNT(*) AS deliveries FROM message_deliveries');
    rows.push({ key: 'written', label: 'messages written (reminder job, 1 process)', count: w.n, seconds: (w.last - w.first) / 1000, extra: `outbox rows ${deliveries}` });
    if (w.timedOut) throw new Error(`the reminder job wrote ${w.n} of ${N} messages in 5 minutes`);

    // 4. delivery with 1, then 2 dispatcher processes
    const dispatchEnv = { NOTIFY_DISPATCH: 'true', NOTIFY_POLL_MS: '200', WECHAT_API_BASE: wechatUrl, WECHAT_TEMPLATES: 'campaign_reminder=bench-template' };
    for (const processes of [1, 2]) {
      await conn.query("UPDATE message_deliveries SET status = 'pending', attempts = 0, nextAttemptAt = UTC_TIMESTAMP(), lockedUntil = NULL, lockedBy = NULL, grantUsed = 0, sendStartedAt = NULL, lastError = NULL, sentAt = NULL, failedAt = NULL");
      await conn.query("UPDATE message_grants SET remaining = 1 WHERE topic = 'campaign_reminder'");
      wechat.reset();
      const started = Date.now();
      for (let p = 0; p < processes; p++) running.push((await startServer(`bench-notify-dispatch${processes}-${p}`, dispatchEnv)).server);
      const d = await watch(async () => wechat.state.byOpenid.size, N, 10 * 60_000);
      await sleep(500); // a late duplicate would arrive now
      await Promise.all(running.map((s) => s.stop()));
      running.length = 0;
      const duplicates = wechat.state.sends - wechat.state.byOpenid.size;
      const [[{ sent }]] = await conn.query("SELECT COUNT(*) AS sent FROM message_deliveries WHERE status = 'sent'");
      rows.push({
        key: `dispatch${processes}`, label: `delivered to WeChat, ${processes} dispatcher process${processes > 1 ? 'es' : ''}`, count: wechat.state.byOpenid.size,
        seconds: (wechat.state.last - wechat.state.first) / 1000, extra: `duplicates ${duplicates}, missing ${N - wechat.state.byOpenid.size}, recorded sent ${sent}, start → first send ${((wechat.state.first - started) / 1000).toFixed(1)} s`,
        duplicates, missing: N - wechat.state.byOpenid.size, timedOut: !!d.timedOut,
      });
    }
    await conn.end();

    const perSec = (r) => (r.seconds > 0 ? r.count / r.seconds : null);
    console.log('');
    console.log('| run | messages | seconds | per second | notes |');
    console.log('|---|---:|---:|---:|---|');
    for (const r of rows) console.log(`| ${r.label} | ${r.count} | ${r.seconds.toFixed(1)} | ${perSec(r) === null ? '-' : perSec(r).toFixed(0)} | ${r.extra} |`);
    console.log('');
    console.log(`load average ${require('os').loadavg().map((x) => x.toFixed(2)).join(' ')}; total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const bad = rows.filter((r) => r.duplicates || r.missing || r.timedOut);
    if (bad.length) { console.error('INVARIANT BROKEN:', bad.map((r) => r.label).join(', ')); process.exitCode = 1; }
    const get = (k) => rows.find((r) => r.key === k);
    const fig = (r) => (r ? { messages: r.count, seconds: +r.seconds.toFixed(1), perSec: perSec(r) === null ? null : Math.round(perSec(r)), ...(r.duplicates !== undefined ? { duplicates: r.duplicates, missing: r.missing } : {}) } : null);
    console.log(JSON.stringify({ bench: 'notify', members: N, written: fig(get('written')), dispatch1: fig(get('dispatch1')), dispatch2: fig(get('dispatch2')), loadAverage: +require('os').loadavg()[0].toFixed(2) }));
  } finally {
    await Promise.all(running.map((s) => s.stop()));
    await wechat.close();
    await dropDatabaseUnlessKept(BASE, DB);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
