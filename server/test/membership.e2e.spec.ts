import { SignedCodeService } from '../src/common/signed-code.service';
import { newIdNumber, newMobile, startApp, TestApp } from './support/app';

/** The first journey over real HTTP: join code → application → review → card; on SQLite or MySQL (TEST_DB). */
describe('membership over HTTP', () => {
  let t: TestApp;
  let staff: string; // 黄石市总工会 staff
  let otherStaff: string; // 江西省总工会 staff: another subtree
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const WM = 'HB-HS-HSG-WM'; // 黄石市网约配送员工会联合会

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('staff-hs', 'union_staff', 'HB-HS');
    otherStaff = await t.login('staff-jx', 'union_staff', 'JX');
  });
  afterAll(() => t.close());

  async function joinCode(orgCode = WM, token = staff, extra: object = {}) {
    const res = await t.http().post('/api/membership/join-codes').set(auth(token)).send({ orgCode, label: '站点海报', ...extra });
    expect(res.status).toBe(201);
    return res.body as { code: string; url: string; orgName: string };
  }
  const form = (code: string, over: object = {}) => ({
    joinCode: code, name: '汪小明', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', platform: '美团', workCity: '黄石', consent: true, ...over,
  });
  const count = async (table: string) => Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('runs the whole journey: code, apply, approve, card, verify', async () => {
    const jc = await joinCode();
    expect(jc.orgName).toBe('黄石市网约配送员工会联合会');
    expect(jc.url).toMatch(/\/#\/pages\/join\/index\?code=/);

    const lookup = await t.http().get(`/api/membership/join-codes/${jc.code}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({ orgName: '黄石市网约配送员工会联合会', orgCode: WM, acceptsApplications: true });

    const qr = await t.http().get(`/api/membership/join-codes/${jc.code}/qr`).set(auth(staff));
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');

    const rider = await t.login('rider-1');
    const body = form(jc.code);
    const applied = await t.http().post('/api/membership/applications').set(auth(rider)).send(body);
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ status: 'pending', kind: 'join', name: '汪小明', org: { code: WM } });
    expect(applied.body.idNumberMasked).toBe(`${body.idNumber.slice(0, 6)}********${body.idNumber.slice(-4)}`);

    const mine = await t.http().get('/api/membership/applications/mine').set(auth(rider));
    expect(mine.body.items[0]).toMatchObject({ id: applied.body.id, status: 'pending' });

    const list = await t.http().get('/api/membership/applications?status=pending&pageSize=5').set(auth(staff));
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 5 });
    expect(list.body.items.map((a: any) => a.id)).toContain(applied.body.id);

    const approved = await t.http().post(`/api/membership/applications/${applied.body.id}/approve`).set(auth(staff));
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.memberNo).toMatch(/^GH\d{10}$/);

    const again = await t.http().post(`/api/membership/applications/${applied.body.id}/approve`).set(auth(staff));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('NOT_PENDING');

    const card = await t.http().get('/api/membership/card').set(auth(rider));
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ memberNo: approved.body.memberNo, name: '汪小明', org: { code: WM }, occupation: 'food_delivery', status: 'active', cardCodeTtlSeconds: 60 });
    expect(new Date(card.body.cardCodeExpiresAt).getTime() - Date.now()).toBeGreaterThan(50_000);
    const card2 = await t.http().get('/api/membership/card').set(auth(rider));
    expect(card2.body.cardCode).not.toBe(card.body.cardCode);

    const me = await t.http().get('/api/me').set(auth(rider));
    expect(me.body).toMatchObject({ roles: ['user', 'member'], memberNo: approved.body.memberNo });

    const verified = await t.http().post('/api/membership/card/verify').set(auth(staff)).send({ cardCode: card.body.cardCode });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ memberNo: approved.body.memberNo, nameMasked: '汪**', org: expect.objectContaining({ code: WM }), occupation: 'food_delivery', status: 'active' });

    const keeper = await t.login('keeper-1', 'station_keeper', 'HB-HS');
    expect((await t.http().post('/api/membership/card/verify').set(auth(keeper)).send({ cardCode: card.body.cardCode })).status).toBe(200);
    expect((await t.http().post('/api/membership/card/verify').set(auth(rider)).send({ cardCode: card.body.cardCode })).status).toBe(403);
  });

  it('refuses tampered (404), expired (410) and foreign card codes', async () => {
    const jc = await joinCode();
    const rider = await t.login('rider-card');
    const app = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code));
    await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(staff)).expect(200);
    const { cardCode } = (await t.http().get('/api/membership/card').set(auth(rider))).body;
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    const tampered = await t.http().post('/api/membership/card/verify').set(auth(staff)).send({ cardCode: flip(cardCode) });
    expect(tampered.status).toBe(404);
    expect(tampered.body.code).toBe('CARD_CODE_INVALID');
    const [body] = cardCode.split('.');
    const old = t.app.get(SignedCodeService).sign('card', body, 60, Date.now() - 120_000).code;
    const expired = await t.http().post('/api/membership/card/verify').set(auth(staff)).send({ cardCode: old });
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('CARD_CODE_EXPIRED');
    // a join code is signed for another purpose and never passes as a card code
    expect((await t.http().post('/api/membership/card/verify').set(auth(staff)).send({ cardCode: jc.code })).status).toBe(404);
  });

  it('answers tampered join codes with 404, revoked and expired with 410', async () => {
    const jc = await joinCode();
    const parts = jc.code.split('.');
    const tampered = `${parts[0].slice(0, -1)}${parts[0].endsWith('a') ? 'b' : 'a'}.${parts[1]}.${parts[2]}`;
    const r1 = await t.http().get(`/api/membership/join-codes/${tampered}`);
    expect(r1.status).toBe(404);
    expect(r1.body).toEqual({ code: 'JOIN_CODE_NOT_FOUND', message: '入会二维码无效' });
    expect((await t.http().get('/api/membership/join-codes/garbage')).status).toBe(404);

    const rider = await t.login('rider-revoked');
    const revoked = await t.http().post(`/api/membership/join-codes/${jc.code}/revoke`).set(auth(staff));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked).toBe(true);
    const r2 = await t.http().get(`/api/membership/join-codes/${jc.code}`);
    expect(r2.status).toBe(410);
    expect(r2.body.code).toBe('JOIN_CODE_REVOKED');
    const r3 = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code));
    expect(r3.status).toBe(410);

    const soon = await joinCode(WM, staff, { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await t.http().get(`/api/membership/join-codes/${soon.code}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    const r4 = await t.http().get(`/api/membership/join-codes/${soon.code}`);
    expect(r4.status).toBe(410);
    expect(r4.body.code).toBe('JOIN_CODE_EXPIRED');
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    const jc = await joinCode();
    const rider = await t.login('rider-bad');
    const before = await count('membership_applications');
    const cases: Array<[object, string]> = [
      [{ idNumber: '110105194912310021' }, 'idNumber'],
      [{ idNumber: '12345' }, 'idNumber'],
      [{ mobile: '12345678901' }, 'mobile'],
      [{ occupation: 'pilot' }, 'occupation'],
      [{ consent: false }, 'consent'],
      [{ name: '' }, 'name'],
      [{ role: 'admin' }, 'role'],
      [{ status: 'approved' }, 'status'],
    ];
    for (const [over, field] of cases) {
      const res = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code, over));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: any) => d.field)).toContain(field);
    }
    const bad = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code, { idNumber: '110105194912310021' }));
    expect(bad.body.details.find((d: any) => d.field === 'idNumber').message).toMatch(/校验位/);
    expect((await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: 'HB-HS' })).body.code).toBe('ORG_NOT_GRASSROOTS');
    expect((await t.http().post('/api/membership/applications/abc/approve').set(auth(staff))).status).toBe(400);
    expect((await t.http().post('/api/membership/applications/1/reject').set(auth(staff)).send({})).status).toBe(400);
    expect((await t.http().get('/api/membership/applications?pageSize=1000').set(auth(staff))).status).toBe(400);
    expect(await count('membership_applications')).toBe(before);
  });

  it('needs a token (401) and the right role (403)', async () => {
    expect((await t.http().get('/api/membership/card')).status).toBe(401);
    expect((await t.http().post('/api/membership/applications').send({})).body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await t.http().get('/api/me').set('Authorization', 'Bearer not-a-jwt')).status).toBe(401);
    const rider = await t.login('rider-roles');
    expect((await t.http().get('/api/membership/applications').set(auth(rider))).status).toBe(403);
    expect((await t.http().post('/api/membership/join-codes').set(auth(rider)).send({ orgCode: WM })).status).toBe(403);
    expect((await t.http().get('/api/membership/stats').set(auth(rider))).status).toBe(403);
  });

  it('keeps staff inside their subtree (403/404) and changes nothing', async () => {
    const jc = await joinCode();
    const rider = await t.login('rider-scope');
    const app = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code));
    expect((await t.http().post('/api/membership/join-codes').set(auth(otherStaff)).send({ orgCode: WM })).status).toBe(404);
    expect((await t.http().get(`/api/membership/applications/${app.body.id}`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().post(`/api/membership/applications/${app.body.id}/reject`).set(auth(otherStaff)).send({ reason: 'x' })).status).toBe(404);
    expect((await t.http().post(`/api/membership/join-codes/${jc.code}/revoke`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().get(`/api/membership/join-codes/${jc.code}/qr`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().get(`/api/membership/applications?orgCode=${WM}`).set(auth(otherStaff))).status).toBe(404);
    const theirs = await t.http().get('/api/membership/applications').set(auth(otherStaff));
    expect(theirs.body.items.map((a: any) => a.id)).not.toContain(app.body.id);
    const still = await t.http().get(`/api/membership/applications/${app.body.id}`).set(auth(staff));
    expect(still.body.status).toBe('pending');
    expect((await t.http().get('/api/membership/join-codes/' + jc.code)).status).toBe(200);
  });

  it('allows one pending application and one membership per ID number (409, naming no union to another account)', async () => {
    const jc = await joinCode();
    const idNumber = newIdNumber();
    const a = await t.login('rider-dup-a');
    const b = await t.login('rider-dup-b');
    const first = await t.http().post('/api/membership/applications').set(auth(a)).send(form(jc.code, { idNumber }));
    expect(first.status).toBe(201);
    const second = await t.http().post('/api/membership/applications').set(auth(b)).send(form(jc.code, { idNumber }));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('ID_NUMBER_UNAVAILABLE');
    expect(second.body.message).not.toContain('黄石市网约配送员工会联合会');
    await t.http().post(`/api/membership/applications/${first.body.id}/approve`).set(auth(staff)).expect(200);
    const third = await t.http().post('/api/membership/applications').set(auth(b)).send(form(jc.code, { idNumber }));
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('ID_NUMBER_UNAVAILABLE');
    expect(third.body.message).not.toContain('黄石市网约配送员工会联合会');
  });

  it('lets only one of many concurrent duplicate applications through', async () => {
    const jc = await joinCode();
    const idNumber = newIdNumber();
    const tokens = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => t.login(`rider-race-${i}`)));
    const results = await Promise.all(tokens.map((tok) => t.http().post('/api/membership/applications').set(auth(tok)).send(form(jc.code, { idNumber }))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
    expect(results.every((r) => r.status === 201 || r.body.code === 'ID_NUMBER_UNAVAILABLE')).toBe(true);
  });

  it('rejects with a reason the applicant sees, and the person can apply again', async () => {
    const jc = await joinCode();
    const rider = await t.login('rider-reject');
    const body = form(jc.code);
    const app = await t.http().post('/api/membership/applications').set(auth(rider)).send(body);
    const rej = await t.http().post(`/api/membership/applications/${app.body.id}/reject`).set(auth(staff)).send({ reason: '身份信息与平台登记不一致' });
    expect(rej.status).toBe(200);
    const mine = await t.http().get('/api/membership/applications/mine').set(auth(rider));
    expect(mine.body.items[0]).toMatchObject({ status: 'rejected', rejectReason: '身份信息与平台登记不一致' });
    expect((await t.http().post('/api/membership/applications').set(auth(rider)).send(body)).status).toBe(201);
  });

  it('approves automatically when the org is set to', async () => {
    const org = 'HB-XY-FC-LG';
    const xyStaff = await t.login('staff-xy', 'union_staff', 'HB-XY');
    const patched = await t.http().patch(`/api/orgs/${org}`).set(auth(xyStaff)).send({ autoApprove: true });
    expect(patched.status).toBe(200);
    expect(patched.body.autoApprove).toBe(true);
    expect((await t.http().patch(`/api/orgs/${org}`).set(auth(otherStaff)).send({ autoApprove: false })).status).toBe(404);
    const jc = await joinCode(org, xyStaff);
    const rider = await t.login('rider-auto');
    const app = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code));
    expect(app.status).toBe(201);
    expect(app.body.status).toBe('approved');
    expect(app.body.memberNo).toMatch(/^GH/);
  });

  it('transfers a member to another org, keeping the number and both orgs in the history', async () => {
    const jc = await joinCode();
    const rider = await t.login('rider-transfer');
    const app = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code));
    const { memberNo } = (await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(staff))).body;
    const jxStaff = otherStaff;
    const target = await joinCode('JX-YT-GX-ZG', jxStaff);
    expect((await t.http().post('/api/membership/transfers').set(auth(rider)).send({ joinCode: jc.code })).body.code).toBe('SAME_ORG');
    const tr = await t.http().post('/api/membership/transfers').set(auth(rider)).send({ joinCode: target.code });
    expect(tr.status).toBe(201);
    expect(tr.body).toMatchObject({ kind: 'transfer', status: 'pending', fromOrg: { code: 'HB-HS-HSG-WM' } });
    expect((await t.http().post(`/api/membership/applications/${tr.body.id}/approve`).set(auth(staff))).status).toBe(404);
    const ok = await t.http().post(`/api/membership/applications/${tr.body.id}/approve`).set(auth(jxStaff));
    expect(ok.status).toBe(200);
    const card = await t.http().get('/api/membership/card').set(auth(rider));
    expect(card.body.memberNo).toBe(memberNo);
    expect(card.body.org.name).toBe(target.orgName);
    expect(card.body.history.map((h: any) => [h.org.code, h.event])).toEqual([['HB-HS-HSG-WM', 'joined'], [card.body.org.code, 'transferred_in']]);
    const nonMember = await t.login('rider-not-member');
    expect((await t.http().post('/api/membership/transfers').set(auth(nonMember)).send({ joinCode: target.code })).body.code).toBe('NOT_MEMBER');
  });

  it('gives staff statistics, a paged member list and a masked CSV, all audited', async () => {
    const jc = await joinCode();
    const rider = await t.login('rider-stats');
    const app = await t.http().post('/api/membership/applications').set(auth(rider)).send(form(jc.code, { occupation: 'courier', platform: '顺丰' }));
    await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(staff)).expect(200);
    const stats = await t.http().get('/api/membership/stats').set(auth(staff));
    expect(stats.status).toBe(200);
    expect(stats.body.totalMembers).toBeGreaterThanOrEqual(1);
    expect(stats.body.byOccupation).toEqual(expect.arrayContaining([expect.objectContaining({ occupation: 'courier' })]));
    expect(stats.body.byPlatform).toEqual(expect.arrayContaining([expect.objectContaining({ platform: '顺丰' })]));
    expect(stats.body.byOrg[0].org.code).toBe(WM);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(stats.body.applicationsPerDay).toEqual(expect.arrayContaining([expect.objectContaining({ date: today })]));
    expect(stats.body.averageApprovalSeconds).toEqual(expect.any(Number));
    const jxStats = await t.http().get('/api/membership/stats').set(auth(otherStaff));
    expect(jxStats.body.byOrg.map((r: any) => r.org.code)).not.toContain(WM);

    const members = await t.http().get('/api/membership/members?occupation=courier&pageSize=2').set(auth(staff));
    expect(members.status).toBe(200);
    expect(members.body.items[0].idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const csv = await t.http().get('/api/membership/members/export.csv').set(auth(staff));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('会员编号,姓名,身份证号,手机号');
    expect(csv.text).toMatch(/\d{6}\*{8}[\dX]{4}/);
    const audits = await t.db.query("SELECT action, entityType FROM audit_logs WHERE action = 'export'");
    expect(audits.length).toBeGreaterThanOrEqual(1);
    const reads = await t.db.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'read' AND entityType = 'member'");
    expect(Number(reads[0].n)).toBeGreaterThanOrEqual(1);
  });
});
