import { newIdNumber, newMobile, startApp, TestApp } from './support/app';

/** ID and mobile numbers: encrypted at rest, masked in every response, staff reads audited. */
describe('personal data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('stores no plaintext ID or mobile number and returns none unmasked', async () => {
    const staff = await t.login('privacy-staff', 'union_staff', 'HB-HS');
    const auth = (tok: string) => ({ Authorization: `Bearer ${tok}` });
    const jc = (await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: 'HB-HS-HSG-WM' })).body;
    const rider = await t.login('privacy-rider');
    const idNumber = newIdNumber();
    const mobile = newMobile();
    const responses: string[] = [];
    const keep = (res: { text: string }) => (responses.push(res.text), res);
    const app = keep(await t.http().post('/api/membership/applications').set(auth(rider)).send({ joinCode: jc.code, name: '李四', idNumber, mobile, occupation: 'courier', consent: true }));
    keep(await t.http().get('/api/membership/applications/mine').set(auth(rider)));
    keep(await t.http().get('/api/membership/applications').set(auth(staff)));
    keep(await t.http().get(`/api/membership/applications/${JSON.parse(app.text).id}`).set(auth(staff)));
    keep(await t.http().post(`/api/membership/applications/${JSON.parse(app.text).id}/approve`).set(auth(staff)));
    const card = keep(await t.http().get('/api/membership/card').set(auth(rider)));
    keep(await t.http().post('/api/membership/card/verify').set(auth(staff)).send({ cardCode: JSON.parse(card.text).cardCode }));
    keep(await t.http().get('/api/membership/members').set(auth(staff)));
    keep(await t.http().get('/api/membership/members/export.csv').set(auth(staff)));
    keep(await t.http().get('/api/me').set(auth(rider)));

    for (const text of responses) {
      expect(text).not.toContain(idNumber);
      expect(text).not.toContain(mobile);
    }
    expect(responses.join('\n')).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);

    for (const table of ['membership_applications', 'members', 'audit_logs', 'users']) {
      const rows = await t.db.query(`SELECT * FROM ${table}`);
      expect(rows.length).toBeGreaterThan(0);
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(idNumber);
      expect(dump).not.toContain(mobile);
      expect(dump).not.toContain(idNumber.slice(6, 14)); // not even the birth date in clear
    }
    const [member] = await t.db.query('SELECT idNumberEnc, mobileEnc FROM members');
    expect(member.idNumberEnc).toMatch(/^v1\./);
    expect(member.mobileEnc).toMatch(/^v1\./);

    const audit = await t.db.query("SELECT actorUserId, entityType, fields FROM audit_logs WHERE entityType = 'membership_application'");
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0].fields).toContain('idNumber');
  });
});
