import { JwtService } from '@nestjs/jwt';
import { startApp, TestApp } from './support/app';
import { startFakeWechat } from './support/fake-wechat';
import { dropMysqlDatabase, testDatabaseKind } from './support/db';

/** WeChat login against a fake code2session server reached over real HTTP, and dev login rules. */
describe('auth over HTTP', () => {
  let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
  let t: TestApp;

  beforeAll(async () => {
    wechat = await startFakeWechat();
    t = await startApp({ WECHAT_API_BASE: wechat.base, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret' });
  });
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  it('maps an openid to one user and never returns the session_key', async () => {
    const first = await t.http().post('/api/auth/wechat').send({ code: 'ok:openid-rider-1' });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ roles: ['user'], org: null, memberNo: null });
    expect(JSON.stringify(first.body)).not.toContain('SESSION-KEY-SECRET');
    const call = wechat.requests.at(-1)!;
    expect(Object.fromEntries(call.searchParams)).toEqual({ appid: 'wx-test-app', secret: 'wx-test-secret', js_code: 'ok:openid-rider-1', grant_type: 'authorization_code' });
    const second = await t.http().post('/api/auth/wechat').send({ code: 'ok:openid-rider-1' });
    expect(second.body.user.id).toBe(first.body.user.id);
    const other = await t.http().post('/api/auth/wechat').send({ code: 'ok:openid-rider-2' });
    expect(other.body.user.id).not.toBe(first.body.user.id);
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${first.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(first.body.user.id);
  });

  it.each([
    ['invalid', 400, 'WECHAT_CODE_INVALID'],
    ['freq', 429, 'WECHAT_RATE_LIMITED'],
    ['busy', 503, 'WECHAT_BUSY'],
    ['used', 503, 'WECHAT_UNAVAILABLE'],
  ])('turns code2session answer %s into %i %s', async (code, status, errorCode) => {
    const res = await t.http().post('/api/auth/wechat').send({ code });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(errorCode);
    expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('answers 503 when WeChat cannot be reached', async () => {
    const down = await startApp({ WECHAT_API_BASE: 'http://127.0.0.1:1' });
    try {
      const res = await down.http().post('/api/auth/wechat').send({ code: 'ok:x' });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });

  it('validates login bodies', async () => {
    expect((await t.http().post('/api/auth/wechat').send({})).status).toBe(400);
    expect((await t.http().post('/api/auth/wechat').send({ code: 'ok:a', openid: 'forged' })).status).toBe(400);
    expect((await t.http().post('/api/auth/dev-login').send({ userKey: 'x', role: 'union_staff' })).body.code).toBe('ORG_REQUIRED');
    expect((await t.http().post('/api/auth/dev-login').send({ userKey: 'x', role: 'union_staff', orgCode: 'NOPE' })).status).toBe(404);
  });

  it('dev login gives the same user for the same key, and reports staff org', async () => {
    const a = await t.http().post('/api/auth/dev-login').send({ userKey: 'same', role: 'union_staff', orgCode: 'HB-HS' });
    const b = await t.http().post('/api/auth/dev-login').send({ userKey: 'same', role: 'union_staff', orgCode: 'HB-HS' });
    expect(a.body.user.id).toBe(b.body.user.id);
    expect(a.body.user).toMatchObject({ roles: ['union_staff'], org: { code: 'HB-HS', name: '黄石市总工会', level: 'city' } });
    expect((await t.http().get('/api/auth/config')).body).toEqual({ devLogin: true });
  });

  it('refuses dev login when it is off', async () => {
    const off = await startApp({ AUTH_DEV_LOGIN: 'false' });
    try {
      const res = await off.http().post('/api/auth/dev-login').send({ userKey: 'x', role: 'admin' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('DEV_LOGIN_DISABLED');
      expect((await off.http().get('/api/auth/config')).body).toEqual({ devLogin: false });
    } finally {
      await off.close();
    }
  });
});

describe('signing-key rotation and expiry', () => {
  it('accepts tokens of a previous secret listed in JWT_PREVIOUS_SECRETS, refuses unknown ones and expired ones', async () => {
    const oldSecret = 'o'.repeat(40);
    const newSecret = 'n'.repeat(40);
    const before = await startApp({ JWT_SECRET: oldSecret, JWT_TTL_SECONDS: '300', KEEP_DB: '1' });
    const token = await before.login('rotating-user');
    await before.close();
    const after = await startApp({ JWT_SECRET: newSecret, JWT_PREVIOUS_SECRETS: oldSecret, KEEP_DB: '1' }, { databaseUrl: before.databaseUrl, keyFile: before.keyFile });
    try {
      expect((await after.http().get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      const fresh = await after.login('rotating-user');
      const me = await after.http().get('/api/me').set('Authorization', `Bearer ${fresh}`);
      expect(me.status).toBe(200);
      const expired = after.app.get(JwtService).sign({ sub: me.body.id }, { expiresIn: -10 });
      const res = await after.http().get('/api/me').set('Authorization', `Bearer ${expired}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    } finally {
      await after.close();
    }
    const strict = await startApp({ JWT_SECRET: newSecret }, { databaseUrl: before.databaseUrl, keyFile: before.keyFile });
    try {
      expect((await strict.http().get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    } finally {
      await strict.close();
      if (testDatabaseKind() === 'mysql') await dropMysqlDatabase(before.databaseUrl);
    }
  });
});
