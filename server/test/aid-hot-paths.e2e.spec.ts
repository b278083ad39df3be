import {
  EMPLOYMENT_STATUSES, HARDSHIP_CAUSES, HARDSHIP_LEVELS, INCOME_BANDS, lastPeriods, NEED_TAGS, REVIEW_INTERVAL_MONTHS,
} from '@union/shared';
import { startApp, TestApp } from './support/app';
import { activeHousehold, auth, count, csvOf, householdBody, thisPeriod, WM } from './support/aid';
import { newIdNumber, newMobile } from './support/app';

/**
 * The aid hot paths over HTTP on SQLite or MySQL (TEST_DB): the public household-code scan (one read,
 * group-committed audit, nothing stale after a reissue, an exit or an edit) and the monitoring page
 * (one pass over the households) whose figures must equal a full recount.
 */
describe('aid hot paths', () => {
  let t: TestApp;
  let staffA: string;
  let staffB: string;

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('hot-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('hot-staff-b', 'union_staff', 'HB-HS');
  });
  afterAll(() => t.close());

  const scan = (code: string) => t.http().get(`/api/aid/household-codes/${encodeURIComponent(code)}`);

  describe('household-code scan', () => {
    it('audits every answered scan of a concurrent burst: one row per 200, none for refused codes', async () => {
      const households = await Promise.all([1, 2, 3, 4, 5].map(() => activeHousehold(t, staffA, staffB)));
      const auditOf = (id: number) => count(t, 'audit_logs', `entityType = 'household_code_lookup' AND entityId = ${id} AND actorUserId = 0`);
      const before = await Promise.all(households.map((h) => auditOf(h.id)));
      const N = 150;
      const answers = await Promise.all(Array.from({ length: N }, (_, i) => scan(households[i % households.length].code)));
      expect(answers.map((r) => r.status)).toEqual(Array(N).fill(200));
      const after = await Promise.all(households.map((h) => auditOf(h.id)));
      expect(after.map((n, i) => n - before[i])).toEqual(households.map((_, i) => Math.ceil((N - i) / households.length)));
      const fields = await t.db.query(`SELECT DISTINCT action, fields FROM audit_logs WHERE entityType = 'household_code_lookup' AND entityId = ${households[0].id}`);
      expect(fields).toEqual([{ action: 'lookup', fields: 'headNameMasked,monthStatus' }]);

      const exited = households[4];
      await t.http().post(`/api/aid/households/${exited.id}/exit`).set(auth(staffA)).send({ reason: '再就业' }).expect(200);
      const refused = await auditOf(exited.id);
      expect((await scan(exited.code)).status).toBe(410);
      expect(await auditOf(exited.id)).toBe(refused);
    });

    it('shows a reissue, an exit, a name edit, an org rename and a new payout on the very next scan', async () => {
      const h = await activeHousehold(t, staffA, staffB, { headName: '欧阳明华' });
      const first = await scan(h.code);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ headNameMasked: '欧***', active: true, orgName: '黄石市网约配送员工会联合会' });
      expect(first.body.months.at(-1)).toEqual({ period: thisPeriod(), status: 'none' });

      const renamed = await t.http().patch(`/api/aid/households/${h.id}`).set(auth(staffA)).send({ headName: '李华' });
      expect(renamed.status).toBe(200);
      expect((await scan(h.code)).body.headNameMasked).toBe('李*');

      const admin = await t.login('hot-admin', 'admin');
      const orgRenamed = await t.http().patch(`/api/orgs/${WM}`).set(auth(admin)).send({ name: '黄石市网约配送员工会联合会（新）' });
      expect(orgRenamed.status).toBe(200);
      expect((await scan(h.code)).body.orgName).toBe('黄石市网约配送员工会联合会（新）');
      await t.http().patch(`/api/orgs/${WM}`).set(auth(admin)).send({ name: '黄石市网约配送员工会联合会' }).expect(200);

      const one = await t.http().post('/api/aid/payouts/one-off').set(auth(staffA)).send({ householdId: h.id, aidType: 'living', amountFen: 10_000, period: thisPeriod() });
      expect(one.status).toBe(201);
      expect((await scan(h.code)).body.months.at(-1)).toEqual({ period: thisPeriod(), status: 'in_progress' });

      const reissued = await t.http().post(`/api/aid/households/${h.id}/code/reissue`).set(auth(staffA));
      expect(reissued.status).toBe(200);
      const old = await scan(h.code);
      expect(old.status).toBe(410);
      expect(old.body.code).toBe('HOUSEHOLD_CODE_REVOKED');
      const fresh = await scan(reissued.body.code);
      expect(fresh.status).toBe(200);
      expect(fresh.body.months.at(-1)).toEqual({ period: thisPeriod(), status: 'in_progress' });

      await t.http().post(`/api/aid/households/${h.id}/exit`).set(auth(staffA)).send({ reason: '家庭收入稳定' }).expect(200);
      const gone = await scan(reissued.body.code);
      expect(gone.status).toBe(410);
      expect(gone.body.code).toBe('HOUSEHOLD_CODE_REVOKED');
    });
  });

  describe('monitoring', () => {
    /** Every household figure of the page, recounted from the raw rows of the subtree. */
    async function recount(scopeCode: string) {
      const [scope] = await t.db.query('SELECT path FROM union_orgs WHERE code = ?', [scopeCode]);
      const rows: any[] = await t.db.query(
        `SELECT h.*, o.code AS orgCode FROM aid_households h INNER JOIN union_orgs o ON o.id = h.orgId WHERE SUBSTR(o.path, 1, ${scope.path.length}) = ?`, [scope.path],
      );
      const open = rows.filter((h) => h.status !== 'exited');
      const periods = lastPeriods(12);
      const cutoff = new Date();
      cutoff.setMonth(cutoff.getMonth() - REVIEW_INTERVAL_MONTHS);
      const date = (v: unknown) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));
      const tally = (list: any[], key: (h: any) => string) => {
        const m: Record<string, number> = {};
        for (const h of list) m[key(h)] = (m[key(h)] ?? 0) + 1;
        return m;
      };
      const band = (fen: number) => INCOME_BANDS.filter((b) => fen >= b.minFen).length - 1;
      const byOrg = tally(open, (h) => h.orgCode);
      const byRegion = tally(open, (h) => `${h.city}/${h.district}`);
      return {
        totals: {
          registered: rows.filter((h) => h.status === 'registered').length, active: rows.filter((h) => h.status === 'active').length,
          exited: rows.filter((h) => h.status === 'exited').length,
          overdue: rows.filter((h) => h.status === 'active' && h.lastReviewedAt && date(h.lastReviewedAt) < cutoff).length,
        },
        byLevel: HARDSHIP_LEVELS.map((l) => [l, open.filter((h) => h.level === l).length]),
        byCause: HARDSHIP_CAUSES.map((c) => [c, open.filter((h) => String(h.causes).includes(`|${c}|`)).length]),
        byOrg: Object.entries(byOrg).sort(),
        byRegion: Object.entries(byRegion).sort(),
        byIncomeBand: INCOME_BANDS.map((b, i) => [b.key, open.filter((h) => band(Number(h.perCapitaIncomeFen)) === i).length]),
        byEmployment: EMPLOYMENT_STATUSES.map((e) => [e, open.filter((h) => h.employmentStatus === e).length]),
        byNeed: NEED_TAGS.map((n) => [n, open.filter((h) => String(h.needs).includes(`|${n}|`)).length]),
        registrationsByMonth: periods.map((p) => ({
          period: p, registered: rows.filter((h) => h.registeredPeriod === p).length,
          exited: rows.filter((h) => h.status === 'exited' && String(h.exitDate ?? '').slice(0, 7) === p).length,
        })),
      };
    }
    async function served(scopeCode: string) {
      const res = await t.http().get(`/api/aid/monitoring?orgCode=${scopeCode}`).set(auth(staffA));
      expect(res.status).toBe(200);
      const m = res.body;
      const pairs = (list: any[]) => list.map((r: any) => [r.key, r.count]);
      return {
        totals: m.totals, byLevel: pairs(m.byLevel), byCause: pairs(m.byCause), byOrg: pairs(m.byOrg).filter(([, n]) => n > 0).sort(),
        byRegion: pairs(m.byRegion).sort(), byIncomeBand: pairs(m.byIncomeBand), byEmployment: pairs(m.byEmployment), byNeed: pairs(m.byNeed),
        registrationsByMonth: m.registrationsByMonth,
      };
    }

    it('equals a full recount after creates, edits, activations, reviews, exits and imports', async () => {
      const second = 'HB-HS-HSG'; // the district federation above WM: a second org of the city's subtree
      const hs: any[] = [];
      for (const [i, over] of [
        { level: 'relative', employmentStatus: 'unemployed', causes: ['disability'], needs: [], monthlyIncomeFen: 40_000, householdSize: 1 },
        { level: 'sudden', city: '黄石市', district: '下陆区', causes: ['illness', 'disaster'], needs: ['training', 'counselling'], orgCode: second },
        { level: 'severe', monthlyIncomeFen: 900_000, householdSize: 2 },
      ].entries()) {
        if (i === 0) hs.push(await activeHousehold(t, staffA, staffB, over));
        else {
          const reg = await t.http().post('/api/aid/households').set(auth(staffA)).send(householdBody(over));
          expect([reg.status, reg.body.status]).toEqual([201, 'registered']);
          hs.push(reg.body);
        }
      }
      expect(await served('HB-HS')).toEqual(await recount('HB-HS'));

      // edits of every counted attribute, an activation, a review, exits, an overdue file
      await t.http().patch(`/api/aid/households/${hs[0].id}`).set(auth(staffB))
        .send({ level: 'severe', employmentStatus: 'employed', causes: ['illness'], needs: ['job'], monthlyIncomeFen: 180_000, householdSize: 1, district: '西塞山区' }).expect(200);
      await t.http().post(`/api/aid/households/${hs[1].id}/activate`).set(auth(staffB)).expect(200);
      await t.http().post(`/api/aid/households/${hs[1].id}/review`).set(auth(staffA)).expect(200);
      await t.http().post(`/api/aid/households/${hs[0].id}/exit`).set(auth(staffA)).send({ reason: '再就业', date: `${thisPeriod()}-01` }).expect(200);
      await t.http().post(`/api/aid/households/${hs[2].id}/exit`).set(auth(staffA)).send({ reason: '迁出' }).expect(200);
      const stale = await activeHousehold(t, staffA, staffB);
      await t.db.query('UPDATE aid_households SET lastReviewedAt = ? WHERE id = ?', ['2020-01-01 00:00:00.000', stale.id]);
      expect(await served('HB-HS')).toEqual(await recount('HB-HS'));

      // an import (partial, one bad row) and a re-registration of an exited ID number
      const header = 'headName,idNumber,mobile,province,city,district,street,householdSize,家庭月收入(元),level,causes,employmentStatus,needs,orgCode';
      const row = (income: string, level: string, causes: string, needs: string) =>
        ['王一', newIdNumber(), newMobile(), '湖北省', '黄石市', '黄石港区', '花湖街道', '2', income, level, causes, '灵活就业', needs, WM];
      const csv = csvOf([header.split(','), row('1800.50', '深度困难', '因病|失业', '就业岗位'), row('300', '相对困难', '因残', ''), row('12.345', '深度困难', '因病', '')]);
      const imp = await t.http().post('/api/aid/households/import').set(auth(staffA)).send({ mode: 'partial', csv });
      expect(imp.status).toBe(200);
      expect(imp.body.imported).toBe(2);
      await t.http().post('/api/aid/households').set(auth(staffA)).send(householdBody({ idNumber: hs[0].body.idNumber })).expect(201);
      const expected = await recount('HB-HS');
      expect(await served('HB-HS')).toEqual(expected);
      expect(await served(WM)).toEqual(await recount(WM));
      expect(expected.totals.exited).toBeGreaterThanOrEqual(2);
      expect(expected.totals.overdue).toBeGreaterThanOrEqual(1);
      expect(expected.registrationsByMonth.at(-1)!.exited).toBeGreaterThanOrEqual(1);
    });
  });
});
