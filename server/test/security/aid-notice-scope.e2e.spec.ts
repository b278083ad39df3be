import { newIdNumber, newMobile, startApp, TestApp } from '../support/app';
import { activeHousehold, auth, WM } from '../support/aid';
import { approvedApplication } from '../support/aid-applications';

/**
 * Issue 11: the aid public notice (公示) is posted where the worker applied. Staff read their own subtree; a
 * member, applicant or bound user reads only the notice of their own org itself: never upward (the city's
 * whole list) or sideways.
 */
describe('aid public notice scope', () => {
  let t: TestApp;
  let staffA: string; // 黄石市总工会 (city)
  let staffB: string;
  let wmStaff: string; // staff of the grassroots union
  let clerk: string;
  let member: string; // member of WM
  let wmApplicant: string;
  let districtApplicant: string;
  let t11Applicant: string;
  let bound: string; // bound to a household file of T11
  const T11 = 'HB-HS-HSG-T11';
  const DISTRICT = 'HB-HS-HSG';
  const ids: Record<string, number> = {};
  const http = () => t.http();
  const read = (token: string, orgCode?: string) => http().get(`/api/aid/notices?pageSize=100${orgCode ? `&orgCode=${orgCode}` : ''}`).set(auth(token));
  const listed = async (token: string, orgCode?: string) => {
    const res = await read(token, orgCode);
    return res.status === 200 ? (res.body.items as any[]).map((x) => x.id).sort() : res.status;
  };

  beforeAll(async () => {
    t = await startApp();
    const admin = await t.login('ns-admin', 'admin');
    await http().post('/api/orgs').set(auth(admin)).send({ code: T11, name: '黄石港区某物流公司工会', level: 'grassroots', parentCode: DISTRICT }).expect(201);
    staffA = await t.login('ns-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('ns-staff-b', 'union_staff', 'HB-HS');
    wmStaff = await t.login('ns-staff-wm', 'union_staff', WM);
    clerk = await t.login('ns-clerk', 'merchant_clerk', 'HB-HS');
    wmApplicant = await t.login('ns-wm-applicant');
    districtApplicant = await t.login('ns-district-applicant');
    t11Applicant = await t.login('ns-t11-applicant');
    ids.wm = await approvedApplication(t, wmApplicant, staffA, staffB, { orgCode: WM });
    ids.district = await approvedApplication(t, districtApplicant, staffA, staffB, { orgCode: DISTRICT });
    ids.t11 = await approvedApplication(t, t11Applicant, staffA, staffB, { orgCode: T11 });

    const jc = (await http().post('/api/membership/join-codes').set(auth(staffA)).send({ orgCode: WM, label: '公示范围' })).body;
    member = await t.login('ns-member');
    const m = await http().post('/api/membership/applications').set(auth(member)).send({ joinCode: jc.code, name: '周海燕', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'courier', consent: true });
    await http().post(`/api/membership/applications/${m.body.id}/approve`).set(auth(staffA)).expect(200);

    const h = await activeHousehold(t, staffA, staffB, { orgCode: T11 });
    bound = await t.login('ns-bound');
    await http().post('/api/aid/bindings').set(auth(bound)).send({ code: h.code, name: h.body.headName, idLast6: h.body.idNumber.slice(-6) }).expect((r) => expect(r.status).toBeLessThan(300));
  }, 120_000);
  afterAll(() => t.close());

  it('staff read their subtree; grassroots staff cannot read the city\'s or district\'s list', async () => {
    expect(await listed(staffA, 'HB-HS')).toEqual([ids.wm, ids.district, ids.t11].sort());
    expect(await listed(staffA, DISTRICT)).toEqual([ids.wm, ids.district, ids.t11].sort());
    expect(await listed(wmStaff, WM)).toEqual([ids.wm]);
    expect(await listed(wmStaff)).toEqual([ids.wm]);
    expect(await listed(wmStaff, 'HB-HS')).toBe(403);
    expect(await listed(wmStaff, DISTRICT)).toBe(403);
    expect(await listed(wmStaff, T11)).toBe(403);
    expect(await listed(clerk, 'HB-HS')).toBe(403); // not staff, not a member: a clerk's org is no reader's right
  });

  it('a member reads only their own union\'s notice: not upward, not sideways', async () => {
    expect(await listed(member)).toEqual([ids.wm]);
    expect(await listed(member, WM)).toEqual([ids.wm]);
    expect(await listed(member, 'HB-HS')).toBe(403);
    expect(await listed(member, DISTRICT)).toBe(403);
    expect(await listed(member, T11)).toBe(403);
  });

  it('an applicant reads the notice of the org applied to, and only that org\'s own approvals', async () => {
    expect(await listed(wmApplicant, WM)).toEqual([ids.wm]);
    expect(await listed(wmApplicant, 'HB-HS')).toBe(403);
    expect(await listed(wmApplicant, DISTRICT)).toBe(403);
    // applied to the district union: its notice lists the district's own approvals, not its grassroots unions'
    expect(await listed(districtApplicant)).toEqual([ids.district]);
    expect(await listed(districtApplicant, DISTRICT)).toEqual([ids.district]);
    expect(await listed(districtApplicant, WM)).toBe(403);
    expect(await listed(districtApplicant, 'HB-HS')).toBe(403);
  });

  it('a user bound to a household file reads the notice of the file\'s org', async () => {
    expect(await listed(bound, T11)).toEqual([ids.t11]);
    expect(await listed(bound)).toEqual([ids.t11]);
    expect(await listed(bound, WM)).toBe(403);
    expect(await listed(bound, DISTRICT)).toBe(403);
  });
});
