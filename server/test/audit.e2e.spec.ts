import { newIdNumber, newMobile, startApp, TestApp } from './support/app';

/** The audit trail: written on staff reads, searchable by admins only, unchangeable through the API. */
describe('audit over HTTP', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('lets admins search who read which record, and nobody change it', async () => {
    const staff = await t.login('audit-staff', 'union_staff', 'HB-HS');
    const jc = (await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: 'HB-HS-HSG-WM' })).body;
    const rider = await t.login('audit-rider');
    const app = (await t.http().post('/api/membership/applications').set(auth(rider))
      .send({ joinCode: jc.code, name: '孙七', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'courier', consent: true })).body;
    await t.http().get(`/api/membership/applications/${app.id}`).set(auth(staff)).expect(200);
    const staffId = (await t.http().get('/api/me').set(auth(staff))).body.id;

    const admin = await t.login('audit-admin', 'admin');
    const found = await t.http().get(`/api/audit?entityType=membership_application&entityId=${app.id}&actorUserId=${staffId}`).set(auth(admin));
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(1);
    expect(found.body.items[0]).toMatchObject({ action: 'read', actorUserId: staffId, entityId: app.id });
    const since = new Date(Date.now() + 60_000).toISOString();
    expect((await t.http().get(`/api/audit?from=${since}`).set(auth(admin))).body.total).toBe(0);

    expect((await t.http().get('/api/audit').set(auth(staff))).status).toBe(403);
    expect((await t.http().get('/api/audit?from=yesterday').set(auth(admin))).status).toBe(400);
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      expect((await t.http()[method](`/api/audit/${found.body.items[0].id}`).set(auth(admin)).send({ action: 'none' })).status).toBe(404);
    }
  });
});
