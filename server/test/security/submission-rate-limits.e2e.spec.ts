import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadConfig } from '../../src/config/config';
import { newIdNumber, newMobile, startApp, TestApp } from '../support/app';

/**
 * Issue 11 item 4b: submissions (membership applications and transfers, aid applications, household bindings,
 * check-ins) are rate-limited per account AND per client address by ONE policy table
 * (src/common/rate-limit.policies.ts), with the production values — 10 membership (and aid) applications per
 * account per hour. Over the limit: 429 RATE_LIMITED in the error envelope with Retry-After. With REDIS_URL the
 * counters are shared by every API process (under RATE_LIMIT_KEY_PREFIX).
 * Requests are cheap ones (an unknown join code, a malformed body): every attempt counts, valid or not.
 * The test harness turns the table off by default (SUBMISSION_RATE_LIMITS=false, as it raises RATE_LIMIT); these
 * apps turn it on, so they run the production values.
 */
const LIMITS_ON = { SUBMISSION_RATE_LIMITS: 'true' };
const HOUR = 3600;
let ipSeq = 0;
const run = randomBytes(3).toString('hex');
/** A fresh client address per use (TEST-NET-2 with a per-run second octet), so no two tests share a per-client counter. */
const newClient = () => `198.18.${parseInt(run.slice(0, 2), 16)}.${++ipSeq}`;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const applyBody = { joinCode: 'abc.0.xyz', name: '张三', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true };

describe('submission rate limits (one policy table, per account and per client)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(LIMITS_ON);
  });
  afterAll(() => t.close());

  const apply = (token: string, ip: string) => t.http().post('/api/membership/applications').set(auth(token)).set('X-Forwarded-For', ip).send(applyBody);

  it('holds the production limits in the table', async () => {
    const { RATE_LIMIT_POLICIES } = await import('../../src/common/rate-limit.policies');
    expect(RATE_LIMIT_POLICIES.membershipApplication.perAccount).toEqual({ limit: 10, windowSeconds: HOUR });
    expect(RATE_LIMIT_POLICIES.aidApplication.perAccount).toEqual({ limit: 10, windowSeconds: HOUR });
    for (const p of Object.values(RATE_LIMIT_POLICIES)) {
      expect(p.perClient.limit).toBeGreaterThanOrEqual(p.perAccount.limit);
      expect(p.threat.length).toBeGreaterThan(10);
    }
  });

  it('applies the table by default and cannot be switched off in production', () => {
    expect(loadConfig({ KEY_FILE: join(mkdtempSync(join(tmpdir(), 'rl-cfg-')), 'keys.json') }).submissionRateLimits).toBe(true);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), CODE_SECRET: 'c'.repeat(40), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' };
    expect(loadConfig(production).submissionRateLimits).toBe(true);
    expect(() => loadConfig({ ...production, SUBMISSION_RATE_LIMITS: 'false' })).toThrow(/SUBMISSION_RATE_LIMITS/);
  });

  it('refuses the 11th membership application of one account within the hour (429, Retry-After), not another account', async () => {
    const token = await t.login(`rl-sub-a-${run}`);
    const ip = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await apply(token, ip)).status);
    expect(statuses).toEqual(Array(10).fill(404)); // unknown join code, but counted
    const limited = await apply(token, newClient()); // another address does not help the account
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(HOUR - 60);
    expect(retryAfter).toBeLessThanOrEqual(HOUR);
    // another account from the very same address is not affected
    const other = await t.login(`rl-sub-b-${run}`);
    expect((await apply(other, ip)).status).toBe(404);
  });

  it('limits one client address across accounts (per client)', async () => {
    const { RATE_LIMIT_POLICIES } = await import('../../src/common/rate-limit.policies');
    const { perAccount, perClient } = RATE_LIMIT_POLICIES.membershipApplication;
    const ip = newClient();
    let sent = 0;
    for (let a = 0; sent < perClient.limit; a++) {
      const token = await t.login(`rl-sub-client-${run}-${a}`);
      for (let i = 0; i < perAccount.limit && sent < perClient.limit; i++, sent++) expect((await apply(token, ip)).status).toBe(404);
    }
    const fresh = await t.login(`rl-sub-client-${run}-fresh`);
    const limited = await apply(fresh, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(HOUR - 60);
    expect((await apply(fresh, newClient())).status).toBe(404); // the same account from another address is fine
  });

  // every policy of the table on its route, per account, at the table's own limit
  const routes: Array<[string, string, string]> = [
    ['membershipTransfer', 'POST', '/api/membership/transfers'],
    ['aidApplication', 'POST', '/api/aid/applications'],
    ['householdBinding', 'POST', '/api/aid/bindings'],
    ['stationCheckIn', 'POST', '/api/stations/checkins'],
  ];
  it.each(routes)('%s: %s %s refuses the account over its per-account limit', async (policy, method, path) => {
    const { RATE_LIMIT_POLICIES } = await import('../../src/common/rate-limit.policies');
    const { limit } = RATE_LIMIT_POLICIES[policy as keyof typeof RATE_LIMIT_POLICIES].perAccount;
    const token = await t.login(`rl-sub-${policy}-${run}`);
    const send = () => (t.http() as any)[method.toLowerCase()](path).set(auth(token)).set('X-Forwarded-For', newClient()).send({ unexpected: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) statuses.push((await send()).status);
    expect(statuses.every((s) => s === 400)).toBe(true); // malformed, and counted
    const limited = await send();
    expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('submission rate limits shared by two API processes through Redis', () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test-${run}-${process.pid}:`;
  let a: TestApp & { databaseUrl: string; keyFile: string };
  let b: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    a = await startApp({ ...LIMITS_ON, REDIS_URL: redisUrl, RATE_LIMIT_KEY_PREFIX: prefix });
    b = await startApp({ ...LIMITS_ON, REDIS_URL: redisUrl, RATE_LIMIT_KEY_PREFIX: prefix }, { databaseUrl: a.databaseUrl, keyFile: a.keyFile });
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`{${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await b.close();
    await a.close();
  });

  it('counts one account\'s applications across both processes, under the configured key prefix', async () => {
    const token = await a.login(`rl-redis-${run}`);
    const ip = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const app = i % 2 ? b : a;
      statuses.push((await app.http().post('/api/membership/applications').set(auth(token)).set('X-Forwarded-For', ip).send(applyBody)).status);
    }
    expect(statuses).toEqual([...Array(10).fill(404), 429]);
    const keys = await redis.keys(`{${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith(`{${prefix}rl:membershipApplication:`))).toBe(true);
    expect(keys.some((k) => k.includes(':account:'))).toBe(true);
    expect(keys.some((k) => k.includes(`:client:${ip}`))).toBe(true);
  });
});
