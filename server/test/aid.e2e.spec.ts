import { addMonths, lastPeriods, shanghaiPeriod } from '@union/shared';
import { SignedCodeService } from '../src/common/signed-code.service';
import { newIdNumber, newMobile, startApp, TestApp } from './support/app';
import { activeHousehold, auth, count, csvOf, householdBody, thisPeriod, WM } from './support/aid';
import { talliesAndRebuild } from './support/aid-tallies';

/** 一户一码 over HTTP on SQLite or MySQL (TEST_DB): files, four-eyes, codes, binding, payouts, monitoring. */
describe('aid over HTTP', () => {
  let t: TestApp;
  let staffA: string; // 黄石市总工会
  let staffB: string; // 黄石市总工会, a second person
  let jx: string; // 江西省总工会: another subtree
  let rider: string;

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('aid-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('aid-staff-b', 'union_staff', 'HB-HS');
    jx = await t.login('aid-staff-jx', 'union_staff', 'JX');
    rider = await t.login('aid-rider');
  });
  afterAll(() => t.close());

  describe('household files', () => {
    it('registers, needs a second staff member to activate (four-eyes), then issues a code', async () => {
      const body = householdBody({ householdSize: 3, monthlyIncomeFen: 100_001 });
      const reg = await t.http().post('/api/aid/households').set(auth(staffA)).send(body);
      expect(reg.status).toBe(201);
      expect(reg.body).toMatchObject({ status: 'registered', headName: body.headName, org: { code: WM }, perCapitaIncomeFen: 33_333, code: null, reviewOverdue: false });
      expect(reg.body.idNumberMasked).toBe(`${body.idNumber.slice(0, 6)}********${body.idNumber.slice(-4)}`);
      expect(reg.body.mobileMasked).toBe(`${body.mobile.slice(0, 3)}****${body.mobile.slice(-4)}`);
      expect(reg.body.causes).toEqual(['illness', 'unemployment']);

      const self = await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(staffA));
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('FOUR_EYES_REQUIRED');
      expect((await t.http().get(`/api/aid/households/${reg.body.id}`).set(auth(staffA))).body.status).toBe('registered');

      const ok = await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(staffB));
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'active', codeVersion: 1 });
      expect(ok.body.code).toMatch(/^[\w-]+\.0\.[\w-]+$/);
      expect(ok.body.lastReviewedAt).toEqual(expect.any(String));
      const again = await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(staffB));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('HOUSEHOLD_NOT_REGISTERED');

      const dup = await t.http().post('/api/aid/households').set(auth(staffB)).send(householdBody({ idNumber: body.idNumber }));
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('HOUSEHOLD_ALREADY_REGISTERED');
      expect(dup.body.message).toContain('黄石市网约配送员工会联合会');
    });

    it('lets only one of concurrent registrations of one ID number through', async () => {
      const idNumber = newIdNumber();
      const results = await Promise.all([1, 2, 3, 4].map(() => t.http().post('/api/aid/households').set(auth(staffA)).send(householdBody({ idNumber }))));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409 && r.body.code === 'HOUSEHOLD_ALREADY_REGISTERED')).toHaveLength(3);
    });

    it('searches by name prefix, full ID number or mobile; updates, re-verifies, flags overdue and exits', async () => {
      const h = await activeHousehold(t, staffA, staffB, { headName: '欧阳娜娜' });
      const byName = await t.http().get('/api/aid/households?q=欧阳&pageSize=5').set(auth(staffA));
      expect(byName.status).toBe(200);
      expect(byName.body.items.map((x: any) => x.id)).toContain(h.id);
      const byId = await t.http().get(`/api/aid/households?q=${h.body.idNumber}`).set(auth(staffA));
      expect(byId.body.items.map((x: any) => x.id)).toEqual([h.id]);
      const byMobile = await t.http().get(`/api/aid/households?q=${h.body.mobile}`).set(auth(staffA));
      expect(byMobile.body.items.map((x: any) => x.id)).toEqual([h.id]);

      const patched = await t.http().patch(`/api/aid/households/${h.id}`).set(auth(staffB)).send({ monthlyIncomeFen: 100_000, householdSize: 4, needs: ['training'] });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ monthlyIncomeFen: 100_000, householdSize: 4, perCapitaIncomeFen: 25_000, needs: ['training'], status: 'active' });
      const other = await activeHousehold(t, staffA, staffB);
      const taken = await t.http().patch(`/api/aid/households/${h.id}`).set(auth(staffA)).send({ idNumber: other.body.idNumber });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('HOUSEHOLD_ALREADY_REGISTERED');
      const newId = newIdNumber();
      const moved = await t.http().patch(`/api/aid/households/${h.id}`).set(auth(staffA)).send({ idNumber: newId, mobile: newMobile() });
      expect(moved.body.idNumberMasked).toBe(`${newId.slice(0, 6)}********${newId.slice(-4)}`);
      expect((await t.http().get(`/api/aid/households?q=${newId}`).set(auth(staffA))).body.items.map((x: any) => x.id)).toEqual([h.id]);
      h.body.idNumber = newId;

      const past = new Date(Date.now() - 400 * 86400_000);
      await t.db.createQueryBuilder().update('aid_households').set({ lastReviewedAt: past }).where('id = :id', { id: h.id }).execute();
      const overdue = await t.http().get('/api/aid/households?overdue=true&pageSize=100').set(auth(staffA));
      expect(overdue.body.items.find((x: any) => x.id === h.id)).toMatchObject({ reviewOverdue: true });
      const reviewed = await t.http().post(`/api/aid/households/${h.id}/review`).set(auth(staffA));
      expect(reviewed.status).toBe(200);
      expect(reviewed.body.reviewOverdue).toBe(false);

      const exited = await t.http().post(`/api/aid/households/${h.id}/exit`).set(auth(staffA)).send({ reason: '再就业，家庭收入稳定', date: '2026-11-20' });
      expect(exited.status).toBe(200);
      expect(exited.body).toMatchObject({ status: 'exited', exitReason: '再就业，家庭收入稳定', exitDate: '2026-11-20', code: null });
      expect((await t.http().get(`/api/aid/household-codes/${h.code}`)).status).toBe(410);
      expect((await t.http().post(`/api/aid/households/${h.id}/exit`).set(auth(staffA)).send({ reason: '再次' })).body.code).toBe('HOUSEHOLD_NOT_ACTIVE');
      // the ID number may open a new file after exit
      expect((await t.http().post('/api/aid/households').set(auth(staffA)).send(householdBody({ idNumber: h.body.idNumber }))).status).toBe(201);
    });

    it('rejects bad input with 400 and writes nothing', async () => {
      const before = await count(t, 'aid_households');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ idNumber: '110105194912310021' }, 'idNumber'], [{ mobile: '12345' }, 'mobile'], [{ headName: 'X' }, 'headName'],
        [{ level: 'poor' }, 'level'], [{ causes: [] }, 'causes'], [{ causes: ['laziness'] }, 'causes'], [{ householdSize: 0 }, 'householdSize'],
        [{ monthlyIncomeFen: -1 }, 'monthlyIncomeFen'], [{ monthlyIncomeFen: 12.5 }, 'monthlyIncomeFen'], [{ employmentStatus: 'x' }, 'employmentStatus'],
        [{ status: 'active' }, 'status'], [{ memberNo: 'A1' }, 'memberNo'], [{ street: '' }, 'street'], [{ needs: ['money'] }, 'needs'],
      ];
      for (const [over, field] of cases) {
        const res = await t.http().post('/api/aid/households').set(auth(staffA)).send(householdBody(over));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.map((d: any) => d.field)).toContain(field);
      }
      const h = await activeHousehold(t, staffA, staffB);
      const after = await count(t, 'aid_households');
      expect((await t.http().patch(`/api/aid/households/${h.id}`).set(auth(staffA)).send({ householdSize: 99 })).status).toBe(400);
      expect((await t.http().patch(`/api/aid/households/${h.id}`).set(auth(staffA)).send({ status: 'exited' })).status).toBe(400);
      expect((await t.http().post(`/api/aid/households/${h.id}/exit`).set(auth(staffA)).send({})).status).toBe(400);
      expect((await t.http().post(`/api/aid/households/${h.id}/exit`).set(auth(staffA)).send({ reason: 'x', date: '2026-13-01' })).status).toBe(400);
      expect((await t.http().get('/api/aid/households/abc').set(auth(staffA))).status).toBe(400);
      expect((await t.http().get('/api/aid/households?pageSize=1000').set(auth(staffA))).status).toBe(400);
      expect((await t.http().get('/api/aid/households?level=rich').set(auth(staffA))).status).toBe(400);
      expect(await count(t, 'aid_households')).toBe(after);
      expect(after).toBe(before + 1);
      expect((await t.http().get(`/api/aid/households/${h.id}`).set(auth(staffA))).body).toMatchObject({ householdSize: 3, status: 'active' });
    });

    it('needs a token (401) and staff role (403)', async () => {
      const h = await activeHousehold(t, staffA, staffB);
      const staffRoutes: Array<['get' | 'post' | 'patch', string]> = [
        ['post', '/api/aid/households'], ['get', '/api/aid/households'], ['get', '/api/aid/households/export.csv'], ['post', '/api/aid/households/import'],
        ['get', `/api/aid/households/${h.id}`], ['patch', `/api/aid/households/${h.id}`], ['post', `/api/aid/households/${h.id}/activate`],
        ['post', `/api/aid/households/${h.id}/review`], ['post', `/api/aid/households/${h.id}/exit`], ['get', `/api/aid/households/${h.id}/card`],
        ['post', `/api/aid/households/${h.id}/code/reissue`], ['get', `/api/aid/households/${h.id}/payouts`], ['post', '/api/aid/payout-batches'],
        ['get', '/api/aid/payout-batches'], ['get', '/api/aid/payout-batches/1'], ['get', '/api/aid/payout-batches/1/payouts'],
        ['post', '/api/aid/payout-batches/1/approve'], ['post', '/api/aid/payout-batches/1/bank-results'], ['post', '/api/aid/payouts/one-off'],
        ['patch', '/api/aid/payouts/1'], ['get', '/api/aid/monitoring'], ['get', '/api/aid/monitoring/export.csv'],
      ];
      const keeper = await t.login('aid-keeper', 'station_keeper', 'HB-HS');
      for (const [method, path] of staffRoutes) {
        expect([path, (await t.http()[method](path).send({})).status]).toEqual([path, 401]);
        expect([path, (await t.http()[method](path).set(auth(rider)).send({})).status]).toEqual([path, 403]);
        expect([path, (await t.http()[method](path).set(auth(keeper)).send({})).status]).toEqual([path, 403]);
      }
      expect((await t.http().post('/api/aid/bindings').send({})).status).toBe(401);
      expect((await t.http().get('/api/aid/my')).status).toBe(401);
      expect((await t.http().get(`/api/aid/household-codes/${h.code}`)).status).toBe(200);
    });

    it('keeps staff inside their subtree (404) and changes nothing', async () => {
      const h = await activeHousehold(t, staffA, staffB);
      const reg = (await t.http().post('/api/aid/households').set(auth(staffA)).send(householdBody())).body;
      const other = (r: any) => expect(r.status).toBe(404);
      other(await t.http().get(`/api/aid/households/${h.id}`).set(auth(jx)));
      other(await t.http().patch(`/api/aid/households/${h.id}`).set(auth(jx)).send({ householdSize: 5 }));
      other(await t.http().post(`/api/aid/households/${reg.id}/activate`).set(auth(jx)));
      other(await t.http().post(`/api/aid/households/${h.id}/review`).set(auth(jx)));
      other(await t.http().post(`/api/aid/households/${h.id}/exit`).set(auth(jx)).send({ reason: '越权' }));
      other(await t.http().get(`/api/aid/households/${h.id}/card`).set(auth(jx)));
      other(await t.http().post(`/api/aid/households/${h.id}/code/reissue`).set(auth(jx)));
      other(await t.http().get(`/api/aid/households/${h.id}/payouts`).set(auth(jx)));
      other(await t.http().post('/api/aid/households').set(auth(jx)).send(householdBody({ orgCode: WM })));
      other(await t.http().get(`/api/aid/households?orgCode=${WM}`).set(auth(jx)));
      other(await t.http().get(`/api/aid/monitoring?orgCode=${WM}`).set(auth(jx)));
      other(await t.http().post('/api/aid/payouts/one-off').set(auth(jx)).send({ householdId: h.id, aidType: 'medical', amountFen: 10000 }));
      other(await t.http().post('/api/aid/payout-batches').set(auth(jx)).send({ period: thisPeriod(), aidType: 'living', amountsByLevel: { severe: 1, relative: 1, sudden: 1 }, orgCode: WM }));
      const theirs = await t.http().get('/api/aid/households?pageSize=100').set(auth(jx));
      expect(theirs.body.items.map((x: any) => x.id)).not.toContain(h.id);
      const mine = await t.http().get(`/api/aid/households/${h.id}`).set(auth(staffA));
      expect(mine.body).toMatchObject({ status: 'active', householdSize: 3, code: h.code });
      expect((await t.http().get(`/api/aid/households/${reg.id}`).set(auth(staffA))).body.status).toBe('registered');
    });
  });

  describe('CSV import and export', () => {
    const header = 'headName,idNumber,mobile,province,city,district,street,householdSize,家庭月收入(元),level,causes,employmentStatus,needs,orgCode';
    const row = (over: Partial<Record<string, string>> = {}) => {
      const v = { headName: '李秀英', idNumber: newIdNumber(), mobile: newMobile(), province: '湖北省', city: '黄石市', district: '黄石港区', street: '花湖街道',
        householdSize: '2', income: '1800.50', level: '深度困难', causes: '因病|失业', employmentStatus: '灵活就业', needs: '就业岗位', orgCode: WM, ...over };
      return [v.headName, v.idNumber, v.mobile, v.province, v.city, v.district, v.street, v.householdSize, v.income, v.level, v.causes, v.employmentStatus, v.needs, v.orgCode].join(',');
    };

    it('partial: imports the valid rows and reports the bad one by row and field', async () => {
      const before = await count(t, 'aid_households');
      const csv = [header, row({ headName: '王一' }), row({ idNumber: '110105194912310021' }), row({ headName: '王三', causes: '因病、因残' })].join('\n');
      const res = await t.http().post('/api/aid/households/import').set(auth(staffA)).send({ mode: 'partial', csv });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'partial', totalRows: 3, imported: 2 });
      expect(res.body.errors).toEqual([{ row: 2, field: 'idNumber', reason: expect.stringContaining('校验位') }]);
      expect(await count(t, 'aid_households')).toBe(before + 2);
      const first = await t.http().get(`/api/aid/households/${res.body.householdIds[0]}`).set(auth(staffA));
      expect(first.body).toMatchObject({ headName: '王一', status: 'registered', monthlyIncomeFen: 180_050, perCapitaIncomeFen: 90_025, level: 'severe', causes: ['illness', 'unemployment'], employmentStatus: 'flexible', needs: ['job'] });
      const third = await t.http().get(`/api/aid/households/${res.body.householdIds[1]}`).set(auth(staffA));
      expect(third.body.causes).toEqual(['illness', 'disability']);
    });

    it('all_or_nothing: any bad row → 422 with the report and nothing written; multipart upload works', async () => {
      const dupId = newIdNumber();
      const csv = [header, row({ idNumber: dupId }), row({ idNumber: dupId }), row({ income: '12.345' }), row({ level: '很困难' }), row({ orgCode: 'JX-YT-GX-ZG' })].join('\n');
      const before = await count(t, 'aid_households');
      const res = await t.http().post('/api/aid/households/import').set(auth(staffA)).send({ mode: 'all_or_nothing', csv });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('IMPORT_REJECTED');
      expect(res.body.details.imported).toBe(0);
      expect(res.body.details.errors).toEqual(expect.arrayContaining([
        { row: 2, field: 'idNumber', reason: '与第1行身份证号重复' },
        { row: 3, field: 'monthlyIncomeFen', reason: expect.any(String) },
        { row: 4, field: 'level', reason: expect.any(String) },
        { row: 5, field: 'orgCode', reason: expect.any(String) },
      ]));
      expect(await count(t, 'aid_households')).toBe(before);

      const good = [header, row(), row()].join('\n');
      const up = await t.http().post('/api/aid/households/import').set(auth(staffA)).field('mode', 'all_or_nothing').attach('file', Buffer.from('\uFEFF' + good, 'utf8'), { filename: 'households.csv', contentType: 'text/csv' });
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ imported: 2, errors: [] });
      expect(await count(t, 'aid_households')).toBe(before + 2);
    });

    it('refuses files that are not the expected CSV (400) and writes nothing', async () => {
      const before = await count(t, 'aid_households');
      const bad = async (body: object, code: string) => {
        const res = await t.http().post('/api/aid/households/import').set(auth(staffA)).send(body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe(code);
      };
      await bad({ mode: 'partial' }, 'FILE_REQUIRED');
      await bad({ mode: 'partial', csv: 'foo,bar\n1,2\n' }, 'FILE_INVALID');
      await bad({ mode: 'partial', csv: header + '\n' }, 'FILE_INVALID');
      await bad({ mode: 'sometimes', csv: header + '\n' + row() }, 'VALIDATION_FAILED');
      await bad({ mode: 'partial', csv: 'headName,idNumber\n"unterminated,1\n' }, 'FILE_INVALID');
      expect(await count(t, 'aid_households')).toBe(before);
    });

    it('exports a masked CSV', async () => {
      const h = await activeHousehold(t, staffA, staffB);
      const csv = await t.http().get(`/api/aid/households/export.csv?q=${h.body.idNumber}`).set(auth(staffA));
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text).toContain('档案编号,状态,户主姓名,身份证号,手机号');
      expect(csv.text).toContain(h.idNumberMasked);
      expect(csv.text).not.toContain(h.body.idNumber);
      expect(csv.text).not.toContain(h.body.mobile);
      const audited = await count(t, 'audit_logs', `action = 'export' AND entityType = 'household' AND entityId = ${h.id}`);
      expect(audited).toBe(1);
    });
  });

  describe('payouts', () => {
    /** Households of one subtree per test, so batches do not see each other's households. */
    async function setup(cityCode: string, orgCode: string, n: number) {
      const a = await t.login(`pay-a-${cityCode}`, 'union_staff', cityCode);
      const b = await t.login(`pay-b-${cityCode}`, 'union_staff', cityCode);
      const levels = ['severe', 'relative', 'sudden'];
      const hs = [];
      for (let i = 0; i < n; i++) hs.push(await activeHousehold(t, a, b, { orgCode, level: levels[i % 3], city: '某市' }));
      return { a, b, hs };
    }
    const amounts = { severe: 80_000, relative: 50_000, sudden: 30_000 };

    it('creates a batch, edits an amount, needs a second staff member to approve, applies the bank file once', async () => {
      const { a, b, hs } = await setup('HN-CS', 'HN-CS-WM', 3);
      const period = thisPeriod();
      const created = await t.http().post('/api/aid/payout-batches').set(auth(a)).send({ period, aidType: 'living', amountsByLevel: amounts });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'monthly', period, aidType: 'living', status: 'pending', org: { code: 'HN-CS' }, amountsByLevel: amounts, totalFen: 160_000 });
      expect(created.body.counts).toEqual({ pending: 3, approved: 0, paid: 0, failed: 0 });
      const batchId = created.body.id;

      const payouts = (await t.http().get(`/api/aid/payout-batches/${batchId}/payouts`).set(auth(a))).body;
      expect(payouts.total).toBe(3);
      const p0 = payouts.items.find((p: any) => p.householdId === hs[0].id);
      expect(p0).toMatchObject({ level: 'severe', amountFen: 80_000, status: 'pending', headName: hs[0].headName });
      const amended = await t.http().patch(`/api/aid/payouts/${p0.id}`).set(auth(a)).send({ amountFen: 90_000 });
      expect(amended.status).toBe(200);
      expect(amended.body.amountFen).toBe(90_000);
      expect((await t.http().patch(`/api/aid/payouts/${p0.id}`).set(auth(a)).send({ amountFen: -5 })).status).toBe(400);

      const self = await t.http().post(`/api/aid/payout-batches/${batchId}/approve`).set(auth(a));
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('FOUR_EYES_REQUIRED');
      const early = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(a)).send({ csv: 'household,amount,status,bankRef,date\n1,1,success,X,2026-11-01\n' });
      expect(early.body.code).toBe('BATCH_NOT_APPROVED');
      const approved = await t.http().post(`/api/aid/payout-batches/${batchId}/approve`).set(auth(b));
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', counts: { approved: 3, pending: 0 }, totalFen: 170_000 });
      expect((await t.http().post(`/api/aid/payout-batches/${batchId}/approve`).set(auth(b))).body.code).toBe('BATCH_NOT_PENDING');
      expect((await t.http().patch(`/api/aid/payouts/${p0.id}`).set(auth(a)).send({ amountFen: 1 })).body.code).toBe('PAYOUT_NOT_PENDING');

      // a second batch for the same period and type pays nobody twice
      const second = await t.http().post('/api/aid/payout-batches').set(auth(b)).send({ period, aidType: 'living', amountsByLevel: amounts });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('BATCH_EMPTY');
      expect(await count(t, 'aid_payouts', `householdId IN (${hs.map((h) => h.id).join(',')})`)).toBe(3);
      expect(await count(t, 'aid_payout_batches', `id > ${batchId}`)).toBe(0);

      const p1 = payouts.items.find((p: any) => p.householdId === hs[1].id);
      const bankFile = [
        '户码,金额,状态,银行流水号,日期,失败原因',
        `${hs[0].code},900.00,成功,BK${batchId}A,2026-11-25,`,
        `${hs[1].id},500,failed,BK${batchId}B,2026-11-25,账户已销户`,
        `${hs[2].id},300.00,success,BK${batchId}C,2026-11-25,`,
        `${hs[2].id},999.00,success,BK${batchId}D,2026-11-25,`,
        `99999999,1.00,success,BK${batchId}E,2026-11-25,`,
      ].join('\n');
      const imported = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(a)).attach('file', Buffer.from(bankFile), 'bank.csv');
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ totalRows: 5, paid: 2, failed: 1, alreadyImported: 0 });
      expect(imported.body.errors).toEqual([
        { row: 4, field: 'amount', reason: expect.stringContaining('金额与批次不符') },
        { row: 5, field: 'household', reason: '该家庭不在本批次中' },
      ]);
      const snapshot = async () => JSON.stringify(await t.db.query(`SELECT id, status, amountFen, bankRef, bankDate, batchId FROM aid_payouts WHERE batchId = ${batchId} ORDER BY id`));
      const before = await snapshot();
      const recordsBefore = await count(t, 'aid_bank_records');
      const again = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(a)).send({ csv: bankFile });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ paid: 0, failed: 0, alreadyImported: 3 });
      expect(await snapshot()).toBe(before);
      expect(await count(t, 'aid_bank_records')).toBe(recordsBefore);

      const batch = await t.http().get(`/api/aid/payout-batches/${batchId}`).set(auth(b));
      expect(batch.body.counts).toEqual({ pending: 0, approved: 0, paid: 2, failed: 1 });
      expect(batch.body.paidFen).toBe(120_000);

      // the failed payout goes into a later batch (the same row: still one per household, type and period)
      const retry = await t.http().post('/api/aid/payout-batches').set(auth(b)).send({ period, aidType: 'living', amountsByLevel: amounts });
      expect(retry.status).toBe(201);
      expect(retry.body.counts).toEqual({ pending: 1, approved: 0, paid: 0, failed: 0 });
      const moved = (await t.http().get(`/api/aid/payout-batches/${retry.body.id}/payouts`).set(auth(b))).body.items;
      expect(moved).toEqual([expect.objectContaining({ id: p1.id, householdId: hs[1].id, status: 'pending', amountFen: 50_000, bankRef: null })]);
      await t.http().post(`/api/aid/payout-batches/${retry.body.id}/approve`).set(auth(a)).expect(200);
      const retried = await t.http().post(`/api/aid/payout-batches/${retry.body.id}/bank-results`).set(auth(b)).send({ csv: `household,amount,status,bankRef,date\n${hs[1].id},500.00,success,BK${batchId}R,2026-11-26\n` });
      expect(retried.body).toMatchObject({ paid: 1, errors: [] });
      // the old failed line names a reference now used: importing the first file again still changes nothing
      const third = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(a)).send({ csv: bankFile });
      expect(third.body.paid + third.body.failed).toBe(0);
      expect((await t.http().get(`/api/aid/households/${hs[1].id}/payouts`).set(auth(a))).body).toEqual([expect.objectContaining({ status: 'paid', bankRef: `BK${batchId}R` })]);

      // the database itself refuses a second payout row for the same household, type and period
      await expect(t.db.query(
        `INSERT INTO aid_payouts (batchId, householdId, orgId, aidType, period, level, amountFen, status, createdAt, updatedAt) VALUES (${batchId}, ${hs[0].id}, 1, 'living', '${period}', 'severe', 1, 'pending', '2026-11-01 00:00:00', '2026-11-01 00:00:00')`,
      )).rejects.toThrow();
      const list = await t.http().get(`/api/aid/payout-batches?period=${period}`).set(auth(a));
      expect(list.body.items.map((x: any) => x.id)).toEqual(expect.arrayContaining([batchId, retry.body.id]));
    });

    it('lets only one of concurrent batches for the same period create payouts', async () => {
      const { a, b, hs } = await setup('HN-YY', 'HN-YY-LX-KD', 2);
      const period = addMonths(thisPeriod(), -1);
      const results = await Promise.all([a, b, a].map((tok) => t.http().post('/api/aid/payout-batches').set(auth(tok)).send({ period, aidType: 'living', amountsByLevel: amounts })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(2);
      expect(await count(t, 'aid_payouts', `householdId IN (${hs.map((h) => h.id).join(',')}) AND period = '${period}'`)).toBe(2);
    });

    it('one-off payouts need a second staff member too, and never duplicate', async () => {
      const { a, b, hs } = await setup('JS-XZ', 'JS-XZ-TS-KD', 1);
      const res = await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send({ householdId: hs[0].id, aidType: 'medical', amountFen: 200_000, note: '住院救助' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'one_off', aidType: 'medical', period: thisPeriod(), status: 'pending', totalFen: 200_000, note: '住院救助', amountsByLevel: null });
      expect((await t.http().post(`/api/aid/payout-batches/${res.body.id}/approve`).set(auth(a))).body.code).toBe('FOUR_EYES_REQUIRED');
      expect((await t.http().post(`/api/aid/payout-batches/${res.body.id}/approve`).set(auth(b))).status).toBe(200);
      const dup = await t.http().post('/api/aid/payouts/one-off').set(auth(b)).send({ householdId: hs[0].id, aidType: 'medical', amountFen: 1000 });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('PAYOUT_EXISTS');
      const before = await count(t, 'aid_payouts');
      for (const bad of [{ householdId: hs[0].id, aidType: 'lottery', amountFen: 1 }, { householdId: hs[0].id, aidType: 'festival', amountFen: 0 }, { householdId: hs[0].id, aidType: 'festival', amountFen: 1, period: '2026-13' }, { aidType: 'festival', amountFen: 1 }]) {
        expect((await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send(bad)).status).toBe(400);
      }
      for (const bad of [{ period: '2026-11', aidType: 'living' }, { period: '11/2026', aidType: 'living', amountsByLevel: amounts }, { period: '2026-11', aidType: 'living', amountsByLevel: { severe: 1, relative: -1, sudden: 1 } }, { period: '2026-11', aidType: 'living', amountsByLevel: amounts, extra: 1 }]) {
        expect((await t.http().post('/api/aid/payout-batches').set(auth(a)).send(bad)).status).toBe(400);
      }
      expect(await count(t, 'aid_payouts')).toBe(before);
      const reg = (await t.http().post('/api/aid/households').set(auth(a)).send(householdBody({ orgCode: 'JS-XZ-TS-KD' }))).body;
      expect((await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send({ householdId: reg.id, aidType: 'festival', amountFen: 1000 })).body.code).toBe('HOUSEHOLD_NOT_ACTIVE');
    });

    it('keeps batches and payouts inside the subtree (404)', async () => {
      const { a, hs } = await setup('JS-YC', 'JS-YC-YD-ZB', 1);
      const batch = (await t.http().post('/api/aid/payout-batches').set(auth(a)).send({ period: thisPeriod(), aidType: 'festival', amountsByLevel: amounts })).body;
      const payout = (await t.http().get(`/api/aid/payout-batches/${batch.id}/payouts`).set(auth(a))).body.items[0];
      expect((await t.http().get(`/api/aid/payout-batches/${batch.id}`).set(auth(jx))).status).toBe(404);
      expect((await t.http().get(`/api/aid/payout-batches/${batch.id}/payouts`).set(auth(jx))).status).toBe(404);
      expect((await t.http().post(`/api/aid/payout-batches/${batch.id}/approve`).set(auth(jx))).status).toBe(404);
      expect((await t.http().post(`/api/aid/payout-batches/${batch.id}/bank-results`).set(auth(jx)).send({ csv: 'x' })).status).toBe(404);
      expect((await t.http().patch(`/api/aid/payouts/${payout.id}`).set(auth(jx)).send({ amountFen: 1 })).status).toBe(404);
      expect((await t.http().get('/api/aid/payout-batches').set(auth(jx))).body.items.map((x: any) => x.id)).not.toContain(batch.id);
      expect((await t.http().get(`/api/aid/payout-batches/${batch.id}`).set(auth(a))).body).toMatchObject({ status: 'pending', totalFen: hs.length * 80_000 });
      expect((await t.http().get(`/api/aid/payout-batches/${batch.id}/payouts`).set(auth(a))).body.items[0].amountFen).toBe(80_000);
    });
  });

  describe('the household code, public look-up and binding', () => {
    async function paidHousehold() {
      const a = await t.login('code-a', 'union_staff', 'HB-XY');
      const b = await t.login('code-b', 'union_staff', 'HB-XY');
      const h = await activeHousehold(t, a, b, { orgCode: 'HB-XY-FC-LG', headName: '汪明' });
      const period = thisPeriod();
      const one = (await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send({ householdId: h.id, aidType: 'living', amountFen: 76_543, period })).body;
      await t.http().post(`/api/aid/payout-batches/${one.id}/approve`).set(auth(b)).expect(200);
      await t.http().post(`/api/aid/payout-batches/${one.id}/bank-results`).set(auth(a)).send({ csv: `household,amount,status,bankRef,date\n${h.id},765.43,success,PUB${h.id},2026-11-25\n` }).expect(200);
      const prev = (await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send({ householdId: h.id, aidType: 'festival', amountFen: 12_345, period: addMonths(period, -1) })).body;
      return { a, b, h, period, prev };
    }

    it('shows the masked name, the org and 12 months of status, but no amount and no personal data', async () => {
      const { h, period } = await paidHousehold();
      const res = await t.http().get(`/api/aid/household-codes/${encodeURIComponent(h.code)}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['active', 'headNameMasked', 'hotline', 'months', 'orgName']);
      expect(res.body).toMatchObject({ headNameMasked: '汪*', orgName: '蓝光楼宇联合基层工会委员会', hotline: '12351', active: true });
      expect(res.body.months.map((m: any) => m.period)).toEqual(lastPeriods(12));
      expect(res.body.months.at(-1)).toEqual({ period, status: 'paid' });
      expect(res.body.months.at(-2)).toEqual({ period: addMonths(period, -1), status: 'in_progress' });
      expect(res.body.months[0].status).toBe('none');
      for (const m of res.body.months) expect(Object.keys(m).sort()).toEqual(['period', 'status']);
      for (const secret of ['765', '76543', '12345', '123.45', h.body.idNumber, h.body.idNumber.slice(-6), h.body.mobile, h.body.mobile.slice(-4), '汪明', 'amount', 'Fen']) {
        expect(res.text).not.toContain(secret);
      }
      expect(await count(t, 'audit_logs', `entityType = 'household_code_lookup' AND entityId = ${h.id} AND actorUserId = 0`)).toBeGreaterThanOrEqual(1);
    });

    it('answers tampered codes 404 and reissued ones 410; the card shows the new code', async () => {
      const { a, h } = await paidHousehold();
      const [body, exp, sig] = h.code.split('.');
      const tampered = `${body.slice(0, -1)}${body.endsWith('A') ? 'B' : 'A'}.${exp}.${sig}`;
      expect((await t.http().get(`/api/aid/household-codes/${tampered}`)).body).toEqual({ code: 'HOUSEHOLD_CODE_NOT_FOUND', message: '帮扶码无效' });
      expect((await t.http().get('/api/aid/household-codes/garbage')).status).toBe(404);
      const foreign = t.app.get(SignedCodeService).sign('join', body).code;
      expect((await t.http().get(`/api/aid/household-codes/${foreign}`)).status).toBe(404);
      const unknown = t.app.get(SignedCodeService).sign('household', 'neverissued123').code;
      expect((await t.http().get(`/api/aid/household-codes/${unknown}`)).status).toBe(404);

      const card = await t.http().get(`/api/aid/households/${h.id}/card`).set(auth(a));
      expect(card.body).toMatchObject({ headNameMasked: '汪*', orgName: '蓝光楼宇联合基层工会委员会', hotline: '12351', code: h.code, codeVersion: 1 });
      expect(card.body.url).toBe(`${t.config.publicBaseUrl}/#/pages/aid/code?c=${encodeURIComponent(h.code)}`);
      const re = await t.http().post(`/api/aid/households/${h.id}/code/reissue`).set(auth(a));
      expect(re.status).toBe(200);
      expect(re.body.codeVersion).toBe(2);
      expect(re.body.code).not.toBe(h.code);
      const old = await t.http().get(`/api/aid/household-codes/${h.code}`);
      expect(old.status).toBe(410);
      expect(old.body.code).toBe('HOUSEHOLD_CODE_REVOKED');
      expect(old.body.message).toContain('已失效');
      expect((await t.http().get(`/api/aid/household-codes/${re.body.code}`)).status).toBe(200);
      const user = await t.login('code-old-binder');
      expect((await t.http().post('/api/aid/bindings').set(auth(user)).send({ code: h.code, name: '汪明', idLast6: h.body.idNumber.slice(-6) })).status).toBe(410);
    });

    it('binds with name and the last 6 ID characters, locks after 5 failures for an hour, then shows amounts', async () => {
      const { h, period, prev } = await paidHousehold();
      const user = await t.login('binder-1');
      const right = { code: h.code, name: '汪明', idLast6: h.body.idNumber.slice(-6) };
      const wrong = { ...right, idLast6: right.idLast6 === '000000' ? '111111' : '000000' };
      expect((await t.http().get('/api/aid/my').set(auth(user))).body).toEqual({ households: [] });
      for (let i = 1; i <= 4; i++) {
        const res = await t.http().post('/api/aid/bindings').set(auth(user)).send(i % 2 ? wrong : { ...right, name: '汪小明' });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'BIND_MISMATCH', details: { remaining: 5 - i } });
      }
      const fifth = await t.http().post('/api/aid/bindings').set(auth(user)).send(wrong);
      expect(fifth.status).toBe(423);
      expect(fifth.body.code).toBe('BIND_LOCKED');
      const locked = await t.http().post('/api/aid/bindings').set(auth(user)).send(right);
      expect(locked.status).toBe(423);
      expect(new Date(locked.body.details.lockedUntil).getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
      expect(await count(t, 'aid_household_bindings', `householdId = ${h.id}`)).toBe(0);
      expect((await t.http().post('/api/aid/bindings').set(auth(user)).send({ ...right, idLast6: '12345' })).status).toBe(400);

      // another account is not locked; and once the hour has passed this one may try again
      const other = await t.login('binder-2');
      expect((await t.http().post('/api/aid/bindings').set(auth(other)).send(right)).status).toBe(200);
      await t.db.query(`UPDATE aid_bind_attempts SET at = '2020-01-01 00:00:00' WHERE householdId = ${h.id}`);
      const bound = await t.http().post('/api/aid/bindings').set(auth(user)).send({ ...right, idLast6: right.idLast6.toLowerCase() });
      expect(bound.status).toBe(200);
      expect(bound.body).toMatchObject({ householdId: h.id, headName: '汪明', status: 'active', orgName: '蓝光楼宇联合基层工会委员会', paidTotalFen: 76_543 });
      expect(bound.body.idNumberMasked).not.toContain(h.body.idNumber.slice(6, 14));
      const my = await t.http().get('/api/aid/my').set(auth(user));
      expect(my.body.households[0].payouts).toEqual(expect.arrayContaining([
        { id: expect.any(Number), aidType: 'living', period, amountFen: 76_543, status: 'paid', bankDate: '2026-11-25' },
        { id: prev.id ? expect.any(Number) : expect.any(Number), aidType: 'festival', period: addMonths(period, -1), amountFen: 12_345, status: 'pending', bankDate: null },
      ]));
      expect((await t.http().post('/api/aid/bindings').set(auth(user)).send(right)).status).toBe(200);
      expect(await count(t, 'aid_household_bindings', `householdId = ${h.id}`)).toBe(2);
    });

    it('serialises concurrent binding attempts: never more than 5 failures are recorded', async () => {
      const { h } = await paidHousehold();
      const user = await t.login('binder-race');
      const wrong = { code: h.code, name: '汪明', idLast6: h.body.idNumber.slice(-6) === '000000' ? '111111' : '000000' };
      const results = await Promise.all(Array.from({ length: 10 }, () => t.http().post('/api/aid/bindings').set(auth(user)).send(wrong)));
      expect(results.filter((r) => r.status === 400)).toHaveLength(4);
      expect(results.filter((r) => r.status === 423)).toHaveLength(6);
      expect(await count(t, 'aid_bind_attempts', `householdId = ${h.id}`)).toBe(5);
    });
  });

  describe('monitoring', () => {
    it('counts the subtree by level, cause, org, region, income band, employment, payouts and months; CSV too', async () => {
      const a = await t.login('mon-a', 'union_staff', 'ZJ');
      const b = await t.login('mon-b', 'union_staff', 'ZJ');
      const org = 'ZJ-HZ-LP-XJY';
      const h1 = await activeHousehold(t, a, b, { orgCode: org, level: 'severe', causes: ['illness'], householdSize: 2, monthlyIncomeFen: 90_000, employmentStatus: 'unemployed', city: '杭州市', district: '临平区', needs: [] });
      await activeHousehold(t, a, b, { orgCode: org, level: 'relative', causes: ['illness', 'disaster'], householdSize: 1, monthlyIncomeFen: 250_000, employmentStatus: 'employed', city: '杭州市', district: '临平区' });
      await t.http().post('/api/aid/households').set(auth(a)).send(householdBody({ orgCode: org, level: 'sudden', causes: ['accident'], city: '杭州市', district: '余杭区' })).expect(201);
      const gone = await activeHousehold(t, a, b, { orgCode: org, city: '杭州市', district: '临平区' });
      await t.http().post(`/api/aid/households/${gone.id}/exit`).set(auth(a)).send({ reason: '脱困' }).expect(200);
      await t.db.createQueryBuilder().update('aid_households').set({ lastReviewedAt: new Date(Date.now() - 400 * 86400_000) }).where('id = :id', { id: h1.id }).execute();
      const batch = (await t.http().post('/api/aid/payout-batches').set(auth(a)).send({ period: thisPeriod(), aidType: 'living', amountsByLevel: { severe: 80_000, relative: 50_000, sudden: 30_000 } })).body;
      await t.http().post(`/api/aid/payout-batches/${batch.id}/approve`).set(auth(b)).expect(200);
      await t.http().post(`/api/aid/payout-batches/${batch.id}/bank-results`).set(auth(a)).send({ csv: `household,amount,status,bankRef,date\n${h1.id},800,success,MON${h1.id},2026-11-26\n` }).expect(200);

      const res = await t.http().get('/api/aid/monitoring').set(auth(a));
      expect(res.status).toBe(200);
      const m = res.body;
      const c = (rows: any[], key: string) => rows.find((r) => r.key === key)?.count;
      expect(m.totals).toEqual({ registered: 1, active: 2, exited: 1, overdue: 1 });
      expect(c(m.byLevel, 'severe')).toBe(1);
      expect(c(m.byLevel, 'relative')).toBe(1);
      expect(c(m.byLevel, 'sudden')).toBe(1);
      expect(c(m.byCause, 'illness')).toBe(2);
      expect(c(m.byCause, 'disaster')).toBe(1);
      expect(c(m.byCause, 'accident')).toBe(1);
      expect(m.byOrg).toEqual([{ key: org, label: '临平区新就业形态劳动者工会联合会', count: 3 }]);
      expect(c(m.byRegion, '杭州市/临平区')).toBe(2);
      expect(c(m.byRegion, '杭州市/余杭区')).toBe(1);
      expect(c(m.byIncomeBand, 'lt500')).toBe(1); // 900 yuan / 2 people
      expect(c(m.byIncomeBand, 'ge2000')).toBe(1);
      expect(c(m.byEmployment, 'unemployed')).toBe(1);
      expect(m.payoutsByMonth).toEqual([{ period: thisPeriod(), aidType: 'living', count: 2, amountFen: 130_000, paidCount: 1, paidFen: 80_000 }]);
      expect(m.registrationsByMonth.at(-1)).toEqual({ period: thisPeriod(), registered: 4, exited: 1 });
      expect(m.registrationsByMonth).toHaveLength(12);

      const narrowed = await t.http().get(`/api/aid/monitoring?orgCode=${org}`).set(auth(a));
      expect(narrowed.body.scope).toMatchObject({ code: org });
      expect((await t.http().get('/api/aid/monitoring?orgCode=bad code').set(auth(a))).status).toBe(400);
      const theirs = await t.http().get('/api/aid/monitoring').set(auth(jx));
      expect(theirs.body.byOrg.map((r: any) => r.key)).not.toContain(org);
      const csv = await t.http().get('/api/aid/monitoring/export.csv').set(auth(a));
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('分类,项目,数量,金额(元)');
      expect(csv.text).toContain('困难类别,深度困难,1');
      expect(csv.text).toContain(`发放 ${thisPeriod()},生活救助,2,1300.00`);
    });
  });

  describe('personal data', () => {
    it('audits every staff read, and the raw tables hold no plaintext ID or mobile number', async () => {
      const h = await activeHousehold(t, staffA, staffB);
      const one = (await t.http().post('/api/aid/payouts/one-off').set(auth(staffA)).send({ householdId: h.id, aidType: 'education', amountFen: 100_000 })).body;
      const reads: Array<[string, string]> = [
        [`/api/aid/households/${h.id}`, 'household'],
        [`/api/aid/households?q=${h.body.idNumber}`, 'household'],
        [`/api/aid/households/export.csv?q=${h.body.mobile}`, 'household'],
        [`/api/aid/households/${h.id}/card`, 'household'],
        [`/api/aid/households/${h.id}/payouts`, 'household'],
        [`/api/aid/payout-batches/${one.id}/payouts`, 'household'],
        [`/api/aid/payout-batches/${one.id}`, 'payout_batch'],
        ['/api/aid/payout-batches', 'payout_batch'],
        ['/api/aid/monitoring', 'aid_monitoring'],
      ];
      const responses: string[] = [];
      for (const [path, entityType] of reads) {
        const where = entityType === 'household' ? `entityType = 'household' AND entityId = ${h.id}` : `entityType = '${entityType}'`;
        const before = await count(t, 'audit_logs', where);
        const res = await t.http().get(path).set(auth(staffB));
        expect([path, res.status]).toEqual([path, 200]);
        responses.push(res.text);
        const rows = await t.db.query(`SELECT actorUserId, fields FROM audit_logs WHERE ${where} ORDER BY id DESC`);
        expect([path, rows.length - before]).toEqual([path, 1]);
        expect(Number(rows[0].actorUserId)).toBeGreaterThan(0);
      }
      const detail = await t.db.query(`SELECT fields FROM audit_logs WHERE entityType = 'household' AND entityId = ${h.id} AND action = 'read' ORDER BY id ASC`);
      expect(detail[0].fields).toContain('idNumber');

      const binder = await t.login('privacy-binder');
      responses.push((await t.http().get(`/api/aid/household-codes/${h.code}`)).text);
      responses.push((await t.http().post('/api/aid/bindings').set(auth(binder)).send({ code: h.code, name: h.headName, idLast6: h.body.idNumber.slice(-6) })).text);
      responses.push((await t.http().get('/api/aid/my').set(auth(binder))).text);
      for (const text of responses) {
        expect(text).not.toContain(h.body.idNumber);
        expect(text).not.toContain(h.body.mobile);
      }

      const ids: string[] = (await t.db.query('SELECT idNumberMasked FROM aid_households')).map((r: any) => r.idNumberMasked);
      expect(ids.length).toBeGreaterThan(10);
      for (const table of ['aid_households', 'aid_household_codes', 'aid_household_bindings', 'aid_bind_attempts', 'aid_bind_guards', 'aid_payout_batches', 'aid_payouts', 'aid_bank_records', 'audit_logs']) {
        const dump = JSON.stringify(await t.db.query(`SELECT * FROM ${table}`));
        expect(dump).not.toContain(h.body.idNumber);
        expect(dump).not.toContain(h.body.mobile);
        expect(dump).not.toContain(h.body.idNumber.slice(6, 14));
        expect(dump).not.toMatch(/\b\d{17}[\dX]\b/); // no ID number of any household in clear
        expect(dump).not.toMatch(/\b1[3-9]\d{9}\b/); // nor any mobile number
      }
      const [row] = await t.db.query(`SELECT idNumberEnc, mobileEnc, idNumberHash FROM aid_households WHERE id = ${h.id}`);
      expect(row.idNumberEnc).toMatch(/^v1\./);
      expect(row.mobileEnc).toMatch(/^v1\./);
      expect(row.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('kept the monitoring tallies equal to a rebuild from the rows through everything above', async () => {
    const { kept, rebuilt } = await talliesAndRebuild(t);
    expect(kept.length).toBeGreaterThan(50);
    expect(kept).toEqual(rebuilt);
  });
});

describe('aid public look-up rate limit', () => {
  it('answers 429 after RATE_LIMIT look-ups per client and window', async () => {
    const t = await startApp({ RATE_LIMIT: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const code = t.app.get(SignedCodeService).sign('household', 'ratelimitbody1').code;
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http().get(`/api/aid/household-codes/${code}`)).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect((await t.http().get(`/api/aid/household-codes/${code}`)).body.code).toBe('RATE_LIMITED');
    } finally {
      await t.close();
    }
  });
});

// keeps the import used when periods shift at month boundaries
void shanghaiPeriod;
