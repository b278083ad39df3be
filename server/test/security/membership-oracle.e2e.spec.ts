import { newIdNumber, newMobile, startApp, TestApp } from '../support/app';

/**
 * Issue 11 item 4a: a membership application must not be an oracle. A new account applying with someone else's ID
 * number (a member here, a member elsewhere, a pending application elsewhere) gets ONE neutral answer that names no
 * union; the account's own situation may still be answered plainly. Staff of the receiving org see the refused
 * attempt flagged with the match (naming the org only when it lies in their subtree), and that read is audited.
 */
describe('membership applications are not an oracle', () => {
  let t: TestApp;
  let hsStaff: string; // 黄石市总工会: WM (黄石市网约配送员工会联合会) is in the subtree
  let xyStaff: string; // 襄阳: another subtree
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const WM = 'HB-HS-HSG-WM';
  const WM_NAME = '黄石市网约配送员工会联合会';
  const XY = 'HB-XY-FC-LG';
  let wmCode: string;
  let xyCode: string;
  let seq = 0;

  const form = (code: string, idNumber = newIdNumber()) => ({ joinCode: code, name: '汪小明', idNumber, mobile: newMobile(), occupation: 'food_delivery', consent: true });
  const apply = async (token: string, code: string, idNumber?: string) => t.http().post('/api/membership/applications').set(auth(token)).send(form(code, idNumber));
  const freshUser = () => t.login(`oracle-${++seq}`);
  const orgNames = async () => (await t.db.query('SELECT name FROM union_orgs')).map((r: { name: string }) => r.name) as string[];
  /** An ID number that is an approved member of WM (applied by its real owner). */
  const memberOfWm = async () => {
    const idNumber = newIdNumber();
    const owner = await freshUser();
    const app = await apply(owner, wmCode, idNumber);
    expect(app.status).toBe(201);
    expect((await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(hsStaff))).status).toBe(200);
    return { idNumber, owner };
  };

  beforeAll(async () => {
    t = await startApp({ SUBMISSION_RATE_LIMITS: 'true' }); // the production rate-limit table
    hsStaff = await t.login('oracle-staff-hs', 'union_staff', 'HB-HS');
    xyStaff = await t.login('oracle-staff-xy', 'union_staff', 'HB-XY');
    wmCode = (await t.http().post('/api/membership/join-codes').set(auth(hsStaff)).send({ orgCode: WM })).body.code;
    xyCode = (await t.http().post('/api/membership/join-codes').set(auth(xyStaff)).send({ orgCode: XY })).body.code;
  });
  afterAll(() => t.close());

  it('answers a stranger alike for member here, member elsewhere and pending elsewhere, naming no union', async () => {
    const memberWm = await memberOfWm();
    const pendingIdNumber = newIdNumber();
    expect((await apply(await freshUser(), wmCode, pendingIdNumber)).status).toBe(201);

    const answers = [
      await apply(await freshUser(), wmCode, memberWm.idNumber), // member here
      await apply(await freshUser(), xyCode, memberWm.idNumber), // member elsewhere
      await apply(await freshUser(), xyCode, pendingIdNumber), // pending application elsewhere
      await apply(await freshUser(), wmCode, pendingIdNumber), // pending application here
    ];
    const names = await orgNames();
    for (const res of answers) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ID_NUMBER_UNAVAILABLE');
      expect(res.body.details).toBeUndefined();
      for (const name of names) expect(res.text).not.toContain(name);
      expect(res.headers['retry-after']).toBeUndefined();
    }
    // one and the same answer, whatever the reason
    expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(answers[0].body.code).not.toBe('ALREADY_MEMBER');
  });

  it('still answers an account about itself (its own membership, its own pending application)', async () => {
    const { idNumber, owner } = await memberOfWm();
    const again = await apply(owner, xyCode, idNumber);
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_MEMBER']);
    expect(again.body.message).toContain(WM_NAME); // the caller's own union
    const applicant = await freshUser();
    expect((await apply(applicant, wmCode)).status).toBe(201);
    const twice = await apply(applicant, xyCode);
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_PENDING']);
    expect(twice.body.message).toContain(WM_NAME);
  });

  it('shows the refused attempt to the receiving org\'s staff with the match, the org only inside their subtree, audited', async () => {
    const { idNumber } = await memberOfWm();
    const stranger = await freshUser();
    const strangerId = (await t.http().get('/api/me').set(auth(stranger))).body.id;
    const refusedXy = await apply(stranger, xyCode, idNumber);
    expect(refusedXy.status).toBe(409);
    const strangerHs = await freshUser();
    expect((await apply(strangerHs, wmCode, idNumber)).status).toBe(409);

    // the applicant's own list shows the refusal with the same neutral words, no match, no union of the match
    const mine = await t.http().get('/api/membership/applications/mine').set(auth(stranger));
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ status: 'rejected', rejectReason: refusedXy.body.message });
    expect(mine.body.items[0].idNumberMatch).toBeUndefined();
    expect(JSON.stringify(mine.body)).not.toContain(WM_NAME);

    // 襄阳 staff see the attempt flagged "matches an existing member", but not where (黄石 is outside their subtree)
    const auditsBefore = Number((await t.db.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'read_id_number_match'"))[0].n);
    const xyList = await t.http().get('/api/membership/applications?status=rejected').set(auth(xyStaff));
    const xyRow = xyList.body.items.find((a: any) => a.name === '汪小明' && a.idNumberMasked && a.id === mine.body.items[0].id);
    expect(xyRow).toBeDefined();
    expect(xyRow.idNumberMatch).toEqual({ kind: 'member', org: null });
    expect(JSON.stringify(xyList.body)).not.toContain(WM_NAME);
    const xyOne = await t.http().get(`/api/membership/applications/${xyRow.id}`).set(auth(xyStaff));
    expect(xyOne.body.idNumberMatch).toEqual({ kind: 'member', org: null });

    // 黄石 staff see it with the org (WM lies in their subtree)
    const hsList = await t.http().get(`/api/membership/applications?status=rejected&orgCode=${WM}`).set(auth(hsStaff));
    const hsRow = hsList.body.items.find((a: any) => a.idNumberMasked === xyRow.idNumberMasked && a.status === 'rejected');
    expect(hsRow.idNumberMatch).toMatchObject({ kind: 'member', org: { code: WM, name: WM_NAME } });

    const audits = await t.db.query("SELECT actorUserId, entityType, fields FROM audit_logs WHERE action = 'read_id_number_match'");
    expect(audits.length).toBeGreaterThanOrEqual(auditsBefore + 3);
    const xyStaffId = (await t.http().get('/api/me').set(auth(xyStaff))).body.id;
    expect(audits.some((a: any) => a.actorUserId === xyStaffId && a.entityType === 'member')).toBe(true);
    expect(strangerId).toBeGreaterThan(0);
  });

  it('meets the per-account limit after 10 probes in an hour (429)', async () => {
    const prober = await freshUser();
    const { idNumber } = await memberOfWm();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await apply(prober, xyCode, i === 0 ? idNumber : newIdNumber())).status);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
  });
});
