import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../src/config/config';
import { dataSourceOptions, resolveDataSourceOptions } from '../src/database/data-source';
import { newIdNumber, newMobile, startApp, TestApp } from './support/app';
import { createMysqlDatabase, dropMysqlDatabase, MYSQL_BASE, testDatabaseKind } from './support/db';
import { startTcpProxy } from './support/tcp-proxy';

const onMysql = testDatabaseKind() === 'mysql' ? describe : describe.skip;

describe('platform: health, docs, envelope, limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT: '3', RATE_LIMIT_WINDOW_SECONDS: '2' });
  });
  afterAll(() => t.close());

  it('reports health with the database it checked', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: testDatabaseKind() });
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
    expect((await t.http().get('/api/health').set('X-Request-Id', 'trace-123')).headers['x-request-id']).toBe('trace-123');
  });

  it('serves Swagger UI and an OpenAPI document generated from the DTOs', async () => {
    const ui = await t.http().get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = (await t.http().get('/api/docs-json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/membership/applications', '/api/auth/wechat', '/api/health']));
    expect(doc.components.schemas.CreateApplicationDto.properties).toHaveProperty('idNumber');
  });

  it('answers every failure with the envelope and no stack trace', async () => {
    const unknown = await t.http().get('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 'NOT_FOUND', message: '请求的资源不存在' });
    const malformed = await t.http().post('/api/auth/dev-login').set('Content-Type', 'application/json').send('{"userKey":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    const huge = await t.http().post('/api/auth/dev-login').set('Content-Type', 'application/json').send(JSON.stringify({ userKey: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    for (const res of [unknown, malformed, huge]) expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    const longUrl = await t.http().get(`/api/membership/join-codes/${'字'.repeat(3000)}`);
    expect(longUrl.status).toBe(431);
    expect(JSON.parse(longUrl.text)).toEqual({ code: 'HEADERS_TOO_LARGE', message: '请求地址或请求头过长' });
  });

  it('refuses prototype keys the whitelist cannot see (mass assignment)', async () => {
    const before = Number((await t.db.query('SELECT COUNT(*) AS n FROM users'))[0].n);
    for (const body of ['{"userKey":"proto-1","role":"user","constructor":{"x":1}}', '{"userKey":"proto-2","role":"user","__proto__":{"role":"admin"}}', '{"userKey":"proto-3","role":"user","a":{"prototype":1}}']) {
      const res = await t.http().post('/api/auth/dev-login').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http().get('/api/orgs?constructor=1').set('Authorization', `Bearer ${await t.login('proto-staff', 'union_staff', 'HB-HS')}`)).status).toBe(400);
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM users'))[0].n)).toBe(before + 1); // only proto-staff
  });

  it('answers CSV and image routes with a JSON envelope when they fail', async () => {
    const staff = await t.login('csv-staff', 'union_staff', 'HB-HS');
    const res = await t.http().get('/api/membership/members/export.csv?page=-1').set('Authorization', `Bearer ${staff}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('rate-limits public code look-ups and login per client, then recovers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.http().get('/api/membership/join-codes/abc.0.xyz')).status);
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await t.http().get('/api/membership/join-codes/abc.0.xyz');
    expect(limited.body).toEqual({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    const logins: number[] = [];
    for (let i = 0; i < 4; i++) logins.push((await t.http().post('/api/auth/wechat').send({})).status);
    expect(logins).toEqual([400, 400, 400, 429]);
    await new Promise((r) => setTimeout(r, 2300));
    expect((await t.http().get('/api/membership/join-codes/abc.0.xyz')).status).toBe(404);
  });
});

describe('shared rate limits and security headers', () => {
  it('counts requests across two API processes through Redis', async () => {
    const env = { RATE_LIMIT: '3', RATE_LIMIT_WINDOW_SECONDS: '5', REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
    const a = await startApp(env);
    const b = await startApp(env);
    try {
      const client = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const hit = (t: TestApp) => t.http().get('/api/membership/join-codes/abc.0.xyz').set('X-Forwarded-For', client);
      const statuses = [(await hit(a)).status, (await hit(b)).status, (await hit(a)).status, (await hit(b)).status];
      expect(statuses).toEqual([404, 404, 404, 429]);
      const other = await a.http().get('/api/membership/join-codes/abc.0.xyz').set('X-Forwarded-For', '192.0.2.77');
      expect(other.status).toBe(404);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sends security headers and no CORS grant unless configured', async () => {
    const t = await startApp({ CORS_ORIGINS: 'https://h5.union.example.cn' });
    try {
      const res = await t.http().get('/api/health').set('Origin', 'https://evil.example.com');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const ok = await t.http().get('/api/health').set('Origin', 'https://h5.union.example.cn');
      expect(ok.headers['access-control-allow-origin']).toBe('https://h5.union.example.cn');
    } finally {
      await t.close();
    }
  });
});

describe('configuration', () => {
  const secrets = { JWT_SECRET: 'j'.repeat(40), CODE_SECRET: 'c'.repeat(40), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' };
  it('names the wrong variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ AUTH_DEV_LOGIN: 'maybe' })).toThrow(/AUTH_DEV_LOGIN/);
  });
  it('refuses production with missing or default secrets, or with dev login on', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets, JWT_SECRET: 'change-me-change-me-change-me-change-me' })).toThrow(/default secret/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets, AUTH_DEV_LOGIN: 'true' })).toThrow(/AUTH_DEV_LOGIN/);
    const ok = loadConfig({ NODE_ENV: 'production', ...secrets, DATABASE_URL: 'mysql://u:p@db:3306/union' });
    expect(ok.devLogin).toBe(false);
    expect(ok.database).toEqual({ type: 'mysql', url: 'mysql://u:p@db:3306/union' });
  });
  it('defaults to the embedded file server/data/union.sqlite on port 3000', () => {
    const c = loadConfig({ KEY_FILE: '/tmp/union-config-test-keys.json' });
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/server\/data\/union\.sqlite$/) });
    expect(c.devLogin).toBe(true);
  });
});

describe('data survives a restart', () => {
  it('keeps applications, members and encrypted data readable', async () => {
    const first = await startApp({ KEEP_DB: '1' });
    const staff = await first.login('restart-staff', 'union_staff', 'HB-HS');
    const jc = (await first.http().post('/api/membership/join-codes').set('Authorization', `Bearer ${staff}`).send({ orgCode: 'HB-HS-HSG-WM' })).body;
    const rider = await first.login('restart-rider');
    const app = await first.http().post('/api/membership/applications').set('Authorization', `Bearer ${rider}`)
      .send({ joinCode: jc.code, name: '张三', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'truck_driver', consent: true });
    await first.http().post(`/api/membership/applications/${app.body.id}/approve`).set('Authorization', `Bearer ${staff}`).expect(200);
    await first.close();

    const second = await startApp({}, { databaseUrl: first.databaseUrl, keyFile: first.keyFile });
    try {
      expect((await second.http().get(`/api/membership/join-codes/${jc.code}`)).status).toBe(200);
      const card = await second.http().get('/api/membership/card').set('Authorization', `Bearer ${rider}`);
      expect(card.status).toBe(200);
      expect(card.body.name).toBe('张三');
      const orgs = await second.db.query('SELECT COUNT(*) AS n FROM union_orgs');
      expect(Number(orgs[0].n)).toBe(38); // seeded once, not twice
    } finally {
      await second.close();
      if (testDatabaseKind() === 'mysql') await dropMysqlDatabase(first.databaseUrl);
    }
  });
});

onMysql('MySQL schema', () => {
  it('the checked-in migrations build exactly what the entities describe', async () => {
    const url = await createMysqlDatabase(`union_schema_${process.pid}`);
    const ds = new DataSource({ ...(await resolveDataSourceOptions({ database: { type: 'mysql', url } })), migrationsRun: false });
    await ds.initialize();
    try {
      await ds.runMigrations();
      const diff = await ds.driver.createSchemaBuilder().log();
      expect(diff.upQueries.map((q) => q.query)).toEqual([]);
      const tables = await ds.query("SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'migrations'");
      expect(tables.length).toBe(ds.entityMetadatas.length);
      for (const row of tables) expect(row.TABLE_COLLATION).toMatch(/^utf8mb4/);
    } finally {
      await ds.destroy();
      await dropMysqlDatabase(url);
    }
  });

  it('never synchronizes MySQL', () => {
    expect(dataSourceOptions({ database: { type: 'mysql', url: `${MYSQL_BASE}/x` } })).toMatchObject({ synchronize: false, migrationsRun: true });
  });

  it('answers 503 while the database is unreachable and recovers by itself', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(MYSQL_BASE).port || 3306));
    const name = `union_down_${process.pid}`;
    await createMysqlDatabase(name);
    const base = new URL(MYSQL_BASE);
    base.port = String(proxy.port);
    const t = await startApp({}, { databaseUrl: `${base.toString().replace(/\/$/, '')}/${name}`, keyFile: `/tmp/union-down-${process.pid}.json` });
    try {
      const token = await t.login('down-rider');
      expect((await t.http().get('/api/health')).status).toBe(200);
      await proxy.down();
      const started = Date.now();
      const health = await t.http().get('/api/health');
      expect(health.status).toBe(503);
      expect(health.body.code).toBe('DB_UNAVAILABLE');
      const me = await t.http().get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).toBe(503);
      expect(me.body).toEqual({ code: 'DB_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' });
      expect(Date.now() - started).toBeLessThan(15_000);
      await proxy.up();
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        status = (await t.http().get('/api/me').set('Authorization', `Bearer ${token}`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
    } finally {
      await t.close();
      await proxy.close();
      await dropMysqlDatabase(`${MYSQL_BASE}/${name}`);
    }
  });
});
