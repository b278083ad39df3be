import { newIdNumber, startApp, TestApp } from '../support/app';
import { activeHousehold, auth, count, WM } from '../support/aid';
import { proposedApplication } from '../support/aid-applications';

/**
 * Issue 11: the confirmation of an aid approval writes the application, the household file (new, activated, or
 * the merged one) and the one-off payout in ONE transaction. The side effect is made to fail for a real reason
 * through the API: the handler (who registers the file and creates the payout) is moved to another union between
 * proposing and confirmation, so the payout service no longer finds the household in the handler's scope.
 */
describe('aid approval side effects are all or nothing', () => {
  let t: TestApp;
  let staffA: string;
  let staffB: string;
  let worker: string;
  const HANDLER = 'tx-staff-a';
  const http = () => t.http();
  const status = async (id: number) => (await http().get(`/api/aid/applications/${id}`).set(auth(staffB))).body.status;
  const totals = async () => ({
    households: await count(t, 'aid_households'),
    codes: await count(t, 'aid_household_codes'),
    batches: await count(t, 'aid_payout_batches'),
    payouts: await count(t, 'aid_payouts'),
    approvedEvents: await count(t, 'aid_application_events', "type = 'approved'"),
    audits: await count(t, 'audit_logs', "action IN ('register', 'activate', 'create_one_off', 'confirm_approval', 'update', 'merge_application')"),
  });

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login(HANDLER, 'union_staff', 'HB-HS');
    staffB = await t.login('tx-staff-b', 'union_staff', 'HB-HS');
    worker = await t.login('tx-worker');
  });
  afterAll(() => t.close());
  afterEach(async () => { await t.login(HANDLER, 'union_staff', 'HB-HS'); });

  it('a new household: when the payout fails, the application stays proposed and no file, code or batch exists', async () => {
    const { id } = await proposedApplication(t, worker, staffA, {}, { decision: 'approve', level: 'relative', payout: { aidType: 'medical', amountFen: 50_000 } });
    await t.login(HANDLER, 'union_staff', 'JX'); // the handler is transferred to another union
    const before = await totals();
    const res = await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await status(id)).toBe('proposed');
    expect(await totals()).toEqual(before);
    expect(await count(t, 'aid_applications', `id = ${id} AND householdId IS NULL AND payoutBatchId IS NULL AND openKey IS NOT NULL AND noticeUntil IS NULL`)).toBe(1);

    // control: back in 黄石, the same confirmation goes through and writes everything
    await t.login(HANDLER, 'union_staff', 'HB-HS');
    const ok = await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB));
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.householdId).toEqual(expect.any(Number));
    expect(ok.body.payoutBatchId).toEqual(expect.any(Number));
    const file = await http().get(`/api/aid/households/${ok.body.householdId}`).set(auth(staffB));
    expect(file.body.status).toBe('active');
    const after = await totals();
    expect([after.households - before.households, after.batches - before.batches, after.payouts - before.payouts, after.approvedEvents - before.approvedEvents]).toEqual([1, 1, 1, 1]);
  });

  it('a merge into an existing file: when the payout fails, the file is not changed', async () => {
    const h = await activeHousehold(t, staffA, staffB, { orgCode: WM, level: 'relative', householdSize: 4, monthlyIncomeFen: 300_000 });
    const fileBefore = JSON.stringify(await t.db.query(`SELECT householdSize, monthlyIncomeFen, perCapitaIncomeFen, level, causes, updatedAt FROM aid_households WHERE id = ${h.id}`));
    const { id } = await proposedApplication(t, worker, staffA, { idNumber: h.body.idNumber, orgCode: WM }, {
      decision: 'approve', level: 'severe', causes: ['illness'], mergeIntoHousehold: true, payout: { aidType: 'education', amountFen: 80_000 },
    });
    await t.login(HANDLER, 'union_staff', 'JX');
    const before = await totals();
    const res = await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await status(id)).toBe('proposed');
    expect(await totals()).toEqual(before);
    expect(JSON.stringify(await t.db.query(`SELECT householdSize, monthlyIncomeFen, perCapitaIncomeFen, level, causes, updatedAt FROM aid_households WHERE id = ${h.id}`))).toBe(fileBefore);
    await t.login(HANDLER, 'union_staff', 'HB-HS');
  });

  it('a unique conflict on the new file (registered directly meanwhile) also leaves the application proposed', async () => {
    const idNumber = newIdNumber();
    const { id } = await proposedApplication(t, worker, staffA, { idNumber }, { decision: 'approve', level: 'relative', payout: { aidType: 'festival', amountFen: 20_000 } });
    await http().post('/api/aid/households').set(auth(staffB)).send({
      headName: '汪建国', idNumber, mobile: '13900000000', province: '湖北省', city: '黄石市', district: '黄石港区', street: '胜阳港街道',
      householdSize: 2, monthlyIncomeFen: 100_000, level: 'severe', causes: ['illness'], employmentStatus: 'flexible', orgCode: WM,
    }).expect(201);
    const before = await totals();
    const res = await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB));
    expect(res.status).toBe(409);
    expect(await status(id)).toBe('proposed');
    expect(await totals()).toEqual(before);
  });
});
