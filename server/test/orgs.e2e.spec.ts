import { startApp, TestApp } from './support/app';

/** The federation tree: admins manage it, staff see their subtree. */
describe('orgs over HTTP', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('lists the subtree of a staff member, paged, and everything for an admin', async () => {
    const staff = await t.login('orgs-staff', 'union_staff', 'HB-HS');
    const page = await t.http().get('/api/orgs?pageSize=2').set(auth(staff));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items[0]).toMatchObject({ code: 'HB-HS', parentCode: 'HB', level: 'city', autoApprove: false });
    const grassroots = await t.http().get('/api/orgs?level=grassroots').set(auth(staff));
    expect(grassroots.body.items.map((o: any) => o.code)).toEqual(['HB-HS-HSG-WM']);
    const admin = await t.login('orgs-admin', 'admin');
    expect((await t.http().get('/api/orgs?pageSize=100').set(auth(admin))).body.total).toBe(38);
    expect((await t.http().get('/api/orgs?parentCode=JX').set(auth(staff))).status).toBe(404);
    expect((await t.http().get('/api/orgs?level=planet').set(auth(staff))).status).toBe(400);
  });

  it('finds orgs by a keyword in the name, code or city, inside the caller\'s subtree only', async () => {
    const staff = await t.login('orgs-staff-q', 'union_staff', 'HB-HS');
    const codes = async (token: string, q: string) => (await t.http().get(`/api/orgs?q=${encodeURIComponent(q)}`).set(auth(token))).body.items.map((o: any) => o.code);
    expect(await codes(staff, '网约')).toEqual(['HB-HS-HSG-WM']);
    expect(await codes(staff, 'hsg')).toEqual(['HB-HS-HSG', 'HB-HS-HSG-WM']); // codes, case as the collation compares
    expect(await codes(staff, '黄石')).toEqual(expect.arrayContaining(['HB-HS']));
    expect(await codes(staff, '南京')).toEqual([]); // 江苏's unions lie outside 黄石's subtree
    const admin = await t.login('orgs-admin-q', 'admin');
    expect((await codes(admin, '南京')).length).toBeGreaterThan(0);
    expect(await codes(staff, '%')).toEqual([]); // a LIKE wildcard is a plain character
    const tooLong = await t.http().get(`/api/orgs?q=${'工'.repeat(51)}`).set(auth(staff));
    expect([tooLong.status, tooLong.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('lets only admins create orgs, below their parent level, with unique codes', async () => {
    const admin = await t.login('orgs-admin', 'admin');
    const staff = await t.login('orgs-staff', 'union_staff', 'HB-HS');
    const body = { code: 'HB-HS-HSG-KD', name: '黄石港区快递行业工会联合会', level: 'grassroots', parentCode: 'HB-HS-HSG', city: '黄石', lat: 30.22, lng: 115.07 };
    expect((await t.http().post('/api/orgs').set(auth(staff)).send(body)).status).toBe(403);
    const created = await t.http().post('/api/orgs').set(auth(admin)).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'HB-HS-HSG-KD', parentCode: 'HB-HS-HSG', level: 'grassroots' });
    expect((await t.http().post('/api/orgs').set(auth(admin)).send(body)).body.code).toBe('ORG_CODE_TAKEN');
    expect((await t.http().post('/api/orgs').set(auth(admin)).send({ ...body, code: 'HB-X', level: 'province' })).body.code).toBe('ORG_LEVEL_INVALID');
    expect((await t.http().post('/api/orgs').set(auth(admin)).send({ ...body, code: 'lower-case' })).status).toBe(400);
    expect((await t.http().post('/api/orgs').set(auth(admin)).send({ ...body, code: 'HB-Y', id: 5 })).status).toBe(400);
    const inScope = await t.http().get('/api/orgs?level=grassroots').set(auth(staff));
    expect(inScope.body.items.map((o: any) => o.code)).toContain('HB-HS-HSG-KD');
    expect((await t.http().patch('/api/orgs/HB-HS-HSG-KD').set(auth(staff)).send({ name: '改名' })).status).toBe(403);
  });
});
