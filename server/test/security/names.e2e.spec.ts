import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import mysql from 'mysql2/promise';
import { newIdNumber, newMobile, startApp, TestApp } from '../support/app';
import { dropMysqlDatabase, MYSQL_BASE, testDatabaseKind } from '../support/db';
import { activeHousehold, auth, count, WM } from '../support/aid';
import { applicationBody } from '../support/aid-applications';

/**
 * Issue 11 item 9 (names): rare characters of real Chinese names — CJK Extension A `䶮` (U+4DAE),
 * Extension B `𠀀` (U+20000) and other code points outside the BMP — are accepted, stored and read back
 * unchanged on SQLite and MySQL (utf8mb4), counted by code point; a middle dot only between parts.
 * Every DTO that takes a person's name uses the one shared rule (`validatePersonName`).
 */
describe('security: person names (issue 11 item 9)', () => {
  let t: TestApp;
  let staff: string;
  let staffB: string;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('names-staff', 'union_staff', 'HB-HS');
    staffB = await t.login('names-staff-b', 'union_staff', 'HB-HS');
  });
  afterAll(() => t.close());

  let userSeq = 0;
  async function applyForMembership(name: string) {
    const jc = await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: WM });
    const rider = await t.login(`names-rider-${++userSeq}`);
    return t.http().post('/api/membership/applications').set(auth(rider)).send({
      joinCode: jc.body.code, name, idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true,
    });
  }

  it.each([
    ['Extension A', '王䶮'],
    ['Extension B, outside the BMP', '陈𠀀'],
    ['Extensions B and D', '李𪚥𫠝'],
    ['ideographic zero', '张〇'],
    ['a minority name with a middle dot', '阿卜杜·热合曼'],
    ['30 characters of 60 UTF-16 units', '𠀀'.repeat(30)],
  ])('a membership application accepts %s and reads it back unchanged', async (_label, name) => {
    const res = await applyForMembership(name);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
    const rows = await t.db.query('SELECT name FROM membership_applications WHERE id = ?', [res.body.id]);
    expect(rows[0].name).toBe(name);
    const approved = await t.http().post(`/api/membership/applications/${res.body.id}/approve`).set(auth(staff));
    expect(approved.status).toBe(200);
    const members = await t.db.query('SELECT name FROM members WHERE name = ?', [name]);
    expect(members.map((m: any) => m.name)).toContain(name);
  });

  it.each([['··'], ['·汪小明'], ['汪小明·'], ['汪··小明'], ['𠀀'.repeat(31)], ['汪\u202e明']])('refuses %j naming the field, storing nothing', async (name) => {
    const before = await count(t, 'membership_applications');
    const res = await applyForMembership(name);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: any) => d.field)).toContain('name');
    expect(await count(t, 'membership_applications')).toBe(before);
  });

  it('an aid household file takes an Extension B head name, and its owner can bind with it', async () => {
    const h = await activeHousehold(t, staff, staffB, { headName: '陈𠀀' });
    expect(h.headName ?? h.body.headName).toBe('陈𠀀');
    const user = await t.login('names-bind');
    const bound = await t.http().post('/api/aid/bindings').set(auth(user)).send({ code: h.code, name: '陈𠀀', idLast6: h.body.idNumber.slice(-6) });
    expect(bound.status).toBe(200);
    const wrong = await t.http().post('/api/aid/bindings').set(auth(await t.login('names-bind-2'))).send({ code: h.code, name: '陈𠀁', idLast6: h.body.idNumber.slice(-6) });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
  });

  it('an aid application takes an Extension A name and refuses a leading dot', async () => {
    const ok = await t.http().post('/api/aid/applications').set(auth(await t.login('names-aid-1'))).send(applicationBody({ name: '王䶮' }));
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('王䶮');
    const bad = await t.http().post('/api/aid/applications').set(auth(await t.login('names-aid-2'))).send(applicationBody({ name: '·王䶮' }));
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: any) => d.field)).toContain('name');
  });

  (testDatabaseKind() === 'mysql' ? it : it.skip)('on a database created as latin1, the migrations make names outside the BMP storable', async () => {
    const name = `union_t${process.pid}_latin1`;
    const u = new URL(MYSQL_BASE);
    const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET latin1`);
    await conn.end();
    const databaseUrl = `${MYSQL_BASE}/${name}`;
    const other = await startApp({}, { databaseUrl, keyFile: join(mkdtempSync(join(tmpdir(), 'union-latin1-')), 'keys.json') });
    try {
      const staffL = await other.login('latin1-staff', 'union_staff', 'HB-HS');
      const jc = await other.http().post('/api/membership/join-codes').set(auth(staffL)).send({ orgCode: WM });
      const res = await other.http().post('/api/membership/applications').set(auth(await other.login('latin1-rider'))).send({
        joinCode: jc.body.code, name: '陈𠀀', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true,
      });
      expect(res.status).toBe(201);
      expect((await other.db.query('SELECT name FROM membership_applications WHERE id = ?', [res.body.id]))[0].name).toBe('陈𠀀');
      const latin = await other.db.query(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COLLATION NOT LIKE 'utf8mb4%'`);
      expect(Number(latin[0].n)).toBe(0);
    } finally {
      await other.close();
      await dropMysqlDatabase(databaseUrl);
    }
  });
});

