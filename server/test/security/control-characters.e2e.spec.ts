import { startApp, TestApp } from '../support/app';
import { activeHousehold, auth, count, thisPeriod, WM } from '../support/aid';
import { applicationBody, FILES } from '../support/aid-applications';
import { campaignForm } from '../support/vouchers-fixtures';
import { createStation, makeMember } from '../support/stations';

/**
 * Issue 11 item 9 (control characters): C0 controls (line breaks only in multi-line fields), DEL, C1 and
 * the bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) are refused with 400 naming the
 * field, in every string field of every DTO — decorated or not, body, query or path — by one mechanism
 * (the global validation pipe and `@SafeText`, on the shared `findUnsafeChar`); uploaded file names are
 * stripped of them and of path separators before they are stored.
 */
describe('security: control and bidi characters (issue 11 item 9)', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('cc-staff', 'union_staff', 'HB-HS');
  });
  afterAll(() => t.close());

  const BAD = { RLO: '\u202e', NUL: '\u0000', LRI: '\u2066', RLM: '\u200f', ALM: '\u061c', DEL: '\u007f', C1: '\u0085', ESC: '\u001b' };

  it.each(Object.entries(BAD))('a station rating comment with %s is refused, nothing stored', async (_label, ch) => {
    const s = await createStation(t, staff);
    const rider = await makeMember(t, staff, `cc-rider-${ch.codePointAt(0)}`);
    await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code }).expect(201);
    const before = await count(t, 'station_ratings');
    const res = await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send({ stars: 4, comment: `很好${ch}gpj.exe` });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: any) => d.field)).toContain('comment');
    expect(await count(t, 'station_ratings')).toBe(before);
  });

  it('multi-line fields keep line breaks; single-line fields refuse them', async () => {
    const multi = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ description: '第一行\r\n第二行\n第三行' }));
    expect(multi.status).toBe(201);
    const single = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ name: '黄石\n消费季' }));
    expect(single.status).toBe(400);
    expect(single.body.details.map((d: any) => d.field)).toContain('name');
    const bidi = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ description: '说明\u202e反向' }));
    expect(bidi.status).toBe(400);
    expect(bidi.body.details.map((d: any) => d.field)).toContain('description');
    const nested = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ types: [{ name: '满100减20\u202e', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 1 }] }));
    expect(nested.status).toBe(400);
    expect(nested.body.details.map((d: any) => d.field)).toContain('types.0.name');
  });

  it('an aid application: the account may span lines, NUL and RLO are refused anywhere', async () => {
    const before = await count(t, 'aid_applications');
    for (const over of [{ account: '爱人患病\u0000住院' }, { employer: '某某\u202e配送站' }, { street: '胜阳港\u2067街道' }, { addressDetail: '3栋\n2单元' }]) {
      const res = await t.http().post('/api/aid/applications').set(auth(await t.login(`cc-aid-${Object.keys(over)[0]}`))).send(applicationBody(over));
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: any) => d.field)).toContain(Object.keys(over)[0]);
    }
    expect(await count(t, 'aid_applications')).toBe(before);
    const ok = await t.http().post('/api/aid/applications').set(auth(await t.login('cc-aid-ok'))).send(applicationBody({ account: '爱人患病住院。\n孩子上学。' }));
    expect(ok.status).toBe(201);
  });

  it('query and path parameters nobody decorated for it are covered too', async () => {
    const q = await t.http().get('/api/stations').query({ q: '驿站\u202e' }).set(auth(staff));
    expect(q.status).toBe(400);
    expect(q.body.details.map((d: any) => d.field)).toContain('q');
    const path = await t.http().get(`/api/membership/join-codes/${encodeURIComponent('abc\u202edef')}`);
    expect(path.status).toBe(400);
    expect(path.body.code).toBe('VALIDATION_FAILED');
    const label = await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: WM, label: '海报\u0000' });
    expect(label.status).toBe(400);
    expect(label.body.details.map((d: any) => d.field)).toContain('label');
  });

  it('an uploaded document keeps its name without control, bidi or path characters', async () => {
    const worker = await t.login('cc-doc-worker');
    const app = await t.http().post('/api/aid/applications').set(auth(worker)).send(applicationBody());
    expect(app.status).toBe(201);
    const up = await t.http().post(`/api/aid/applications/${app.body.id}/documents`).set(auth(worker)).attach('file', FILES.jpeg, '收入证明\u202egpj.exe\u0085\u200f.jpg');
    expect({ status: up.status, body: up.body }).toMatchObject({ status: 201 });
    expect(up.body.name).toBe('收入证明gpj.exe.jpg');
    const rows = await t.db.query('SELECT originalName FROM aid_application_documents WHERE id = ?', [up.body.id]);
    expect(rows[0].originalName).toBe('收入证明gpj.exe.jpg');
    const dir = await t.http().post(`/api/aid/applications/${app.body.id}/documents`).set(auth(worker)).attach('file', FILES.png, '..\\..\\证明\u2066.png');
    expect(dir.status).toBe(201);
    expect(dir.body.name).toBe('证明.png');
  });

  it('a bank result file (an upload, not a DTO) refuses a failure reason with a bidi override, row by row', async () => {
    const b = await t.login('cc-staff-b', 'union_staff', 'HB-HS');
    const h = await activeHousehold(t, staff, b);
    const batch = await t.http().post('/api/aid/payout-batches').set(auth(staff)).send({ period: thisPeriod(), aidType: 'living', amountsByLevel: { severe: 50_000, relative: 30_000, sudden: 20_000 } });
    expect(batch.status).toBe(201);
    expect((await t.http().post(`/api/aid/payout-batches/${batch.body.id}/approve`).set(auth(b))).status).toBe(200);
    const file = `household,amount,status,bankRef,date,reason\n${h.id},500.00,failed,BKCC${batch.body.id},2026-11-25,账户\u202e已销户\n`;
    const res = await t.http().post(`/api/aid/payout-batches/${batch.body.id}/bank-results`).set(auth(staff)).attach('file', Buffer.from(file), 'bank.csv');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ failed: 0, paid: 0 });
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 1, field: 'reason' })]);
    expect(await count(t, 'aid_payouts', `failReason IS NOT NULL AND batchId = ${batch.body.id}`)).toBe(0);
  });
});

