import { newIdNumber, startApp, TestApp } from '../support/app';
import { activeHousehold, auth, count, WM } from '../support/aid';
import { applicationBody, proposedApplication, VISIT_BODY } from '../support/aid-applications';

/**
 * Issue 11 item 5: an aid application made with someone else's ID number.
 * The applicant learns nothing (same answer whatever the ID matches), the real owner is never blocked, staff
 * see the match and must explicitly merge or reject, and nothing is written into an existing file otherwise.
 */
describe('aid applications with someone else\'s ID number (item 5)', () => {
  let t: TestApp;
  let staffA: string; // 黄石市总工会
  let staffB: string;
  let jx: string; // 江西省总工会
  let stranger: string;
  let owner: string;
  const http = () => t.http();
  const apply = (token: string, over: Record<string, unknown>) => http().post('/api/aid/applications').set(auth(token)).send(applicationBody(over));
  const post = (token: string, id: number, action: string, body: object = {}) => http().post(`/api/aid/applications/${id}/${action}`).set(auth(token)).send(body);
  const staffRead = async (id: number, token = staffA) => (await http().get(`/api/aid/applications/${id}`).set(auth(token))).body;
  const fileOf = async (id: number) => {
    const [row] = await t.db.query(`SELECT householdSize, monthlyIncomeFen, perCapitaIncomeFen, level, causes, status, orgId FROM aid_households WHERE id = ${id}`);
    return JSON.stringify(row);
  };

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('id-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('id-staff-b', 'union_staff', 'HB-HS');
    jx = await t.login('id-staff-jx', 'union_staff', 'JX');
    stranger = await t.login('id-stranger');
    owner = await t.login('id-owner');
  });
  afterAll(() => t.close());

  it('answers a stranger exactly as for any ID: no link, no routing to the file\'s union, no union named', async () => {
    const h = await activeHousehold(t, staffA, staffB, { orgCode: WM });
    const fileBefore = await fileOf(h.id);
    const matching = await apply(stranger, { idNumber: h.body.idNumber, orgCode: 'HB-HS-HSG' });
    const fresh = await apply(stranger, { idNumber: newIdNumber(), orgCode: 'HB-HS-HSG' });
    expect(matching.status).toBe(201);
    expect(fresh.status).toBe(201);
    const shape = (b: any) => ({ keys: Object.keys(b).sort(), status: b.status, org: b.org.code, linked: b.linkedToHousehold, events: b.events.map((e: any) => e.type) });
    expect(shape(matching.body)).toEqual(shape(fresh.body));
    expect(matching.body).toMatchObject({ status: 'submitted', org: { code: 'HB-HS-HSG' }, linkedToHousehold: false });
    expect(matching.text).not.toContain('黄石市网约配送员工会联合会');
    expect(matching.body.householdId).toBeUndefined();
    expect(matching.body.householdMatch).toBeUndefined();
    // the applicant's own read says nothing either
    const mine = await http().get(`/api/aid/applications/${matching.body.id}`).set(auth(stranger));
    expect(mine.body).toMatchObject({ linkedToHousehold: false, org: { code: 'HB-HS-HSG' } });
    expect(mine.text).not.toContain('黄石市网约配送员工会联合会');
    expect(await count(t, 'aid_applications', `id = ${matching.body.id} AND householdId IS NULL AND linkedToHousehold = 0`)).toBe(1);
    expect(await fileOf(h.id)).toBe(fileBefore);
  });

  it('never blocks the real owner: another account\'s open application with the same ID does not count', async () => {
    const h = await activeHousehold(t, staffA, staffB, { orgCode: WM });
    const squatter = await apply(stranger, { idNumber: h.body.idNumber, orgCode: WM });
    expect(squatter.status).toBe(201);
    const real = await apply(owner, { idNumber: h.body.idNumber, orgCode: WM, name: h.body.headName });
    expect(real.status).toBe(201);
    // one open application per account and ID number still holds for the same account
    const twice = await apply(stranger, { idNumber: h.body.idNumber, orgCode: WM });
    expect([twice.status, twice.body.code]).toEqual([409, 'APPLICATION_OPEN_EXISTS']);
    // and concurrent submissions by two accounts with one new ID both get in, once each
    const racing = newIdNumber();
    const results = await Promise.all([stranger, owner, stranger, owner].map((tok) => apply(tok, { idNumber: racing })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'APPLICATION_OPEN_EXISTS')).toHaveLength(2);
  });

  it('shows staff the match; approving needs the explicit merge choice; a rejection leaves the file alone', async () => {
    const h = await activeHousehold(t, staffA, staffB, { orgCode: WM, level: 'relative', householdSize: 4, monthlyIncomeFen: 300_000 });
    const fileBefore = await fileOf(h.id);
    const squatter = (await apply(stranger, { idNumber: h.body.idNumber, orgCode: WM })).body.id as number;
    const real = (await apply(owner, { idNumber: h.body.idNumber, orgCode: WM, name: h.body.headName })).body.id as number;

    const view = await staffRead(squatter);
    expect(view.householdMatch).toEqual({ householdId: h.id, org: expect.objectContaining({ code: WM, name: '黄石市网约配送员工会联合会' }) });
    expect(view.sameIdOpenApplications).toBe(1);
    expect(view.linkedToHousehold).toBe(false);
    const list = (await http().get('/api/aid/applications?pageSize=100').set(auth(staffA))).body.items;
    expect(list.find((x: any) => x.id === squatter)).toMatchObject({ matchesHousehold: true, linkedToHousehold: false });

    await post(staffA, squatter, 'accept').expect(200);
    await post(staffA, squatter, 'visit', VISIT_BODY).expect(200);
    // approving without the explicit choice: 400, nothing written
    const noChoice = await post(staffA, squatter, 'decision', { decision: 'approve', level: 'severe' });
    expect([noChoice.status, noChoice.body.code, noChoice.body.details?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'mergeIntoHousehold']);
    expect((await staffRead(squatter)).status).toBe('visiting');
    const falseChoice = await post(staffA, squatter, 'decision', { decision: 'approve', level: 'severe', mergeIntoHousehold: false });
    expect(falseChoice.status).toBe(400);
    // staff see it is not the owner: reject; the file is untouched
    await post(staffA, squatter, 'decision', { decision: 'reject', reason: '身份信息与档案不符' }).expect(200);
    expect(await fileOf(h.id)).toBe(fileBefore);
    expect(await count(t, 'audit_logs', `entityType = 'household' AND entityId = ${h.id} AND action IN ('update', 'merge_application')`)).toBe(0);

    // the real owner's application: merge chosen explicitly, confirmed by a second person, audited
    await post(staffA, real, 'accept').expect(200);
    await post(staffA, real, 'visit', { ...VISIT_BODY, verifiedHouseholdSize: 4, verifiedMonthlyIncomeFen: 200_000 }).expect(200);
    const merge = await post(staffA, real, 'decision', { decision: 'approve', level: 'severe', causes: ['unemployment'], mergeIntoHousehold: true });
    expect(merge.status).toBe(200);
    expect(merge.body).toMatchObject({ status: 'proposed', linkedToHousehold: true, householdId: h.id });
    expect(await fileOf(h.id)).toBe(fileBefore); // a proposal writes nothing into the file
    const confirmed = await post(staffB, real, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'approved', householdId: h.id, linkedToHousehold: true });
    const file = (await http().get(`/api/aid/households/${h.id}`).set(auth(staffA))).body;
    expect(file).toMatchObject({ level: 'severe', causes: ['unemployment'], householdSize: 4, monthlyIncomeFen: 200_000 });
    expect(await count(t, 'audit_logs', `entityType = 'household' AND entityId = ${h.id} AND action = 'merge_application' AND fields LIKE '%application:${real}%'`)).toBe(1);
    // the applicant learns of the link only once approved
    expect((await http().get(`/api/aid/applications/${real}`).set(auth(owner))).body.linkedToHousehold).toBe(true);
  });

  it('refuses a merge by staff whose scope does not cover the file (they can only reject)', async () => {
    const h = await activeHousehold(t, staffA, staffB, { orgCode: WM });
    const fileBefore = await fileOf(h.id);
    const res = await apply(stranger, { idNumber: h.body.idNumber, orgCode: 'JX-YT' });
    expect(res.status).toBe(201);
    expect(res.body.org.code).toBe('JX-YT');
    const id = res.body.id as number;
    const view = await staffRead(id, jx);
    expect(view.householdMatch).toEqual({ householdId: null, org: expect.objectContaining({ code: WM }) });
    await post(jx, id, 'accept').expect(200);
    await post(jx, id, 'visit', VISIT_BODY).expect(200);
    const merge = await post(jx, id, 'decision', { decision: 'approve', level: 'severe', mergeIntoHousehold: true });
    expect([merge.status, merge.body.code]).toEqual([403, 'HOUSEHOLD_MERGE_FORBIDDEN']);
    expect((await post(jx, id, 'decision', { decision: 'approve', level: 'severe' })).status).toBe(400);
    expect((await staffRead(id, jx)).status).toBe('visiting');
    await post(jx, id, 'decision', { decision: 'reject', reason: '已在其他工会建档' }).expect(200);
    expect(await fileOf(h.id)).toBe(fileBefore);
  });

  it('does not fold an approval into a file that appeared after the proposal: 409, nothing written', async () => {
    const idNumber = newIdNumber();
    const { id } = await proposedApplication(t, owner, staffA, { idNumber });
    const h = await activeHousehold(t, staffA, staffB, { idNumber, orgCode: WM });
    const fileBefore = await fileOf(h.id);
    const households = await count(t, 'aid_households');
    const confirm = await post(staffB, id, 'confirm');
    expect(confirm.status).toBe(409);
    expect((await staffRead(id)).status).toBe('proposed');
    expect(await fileOf(h.id)).toBe(fileBefore);
    expect(await count(t, 'aid_households')).toBe(households);
    // the staff view now shows the match; the handler re-decides with the explicit choice
    expect((await staffRead(id)).householdMatch).toMatchObject({ householdId: h.id });
  });
});
