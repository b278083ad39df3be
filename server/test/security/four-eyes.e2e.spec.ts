import { contentHash } from '../../src/common/four-eyes';
import { startApp, TestApp } from '../support/app';
import { activeHousehold, auth, count, householdBody, thisPeriod } from '../support/aid';

/**
 * Issue 11, item 1: the four-eyes rule on aid payouts (and every other approval flow) cannot be
 * bypassed. Whoever created or changed a batch, or any payout in it, cannot approve it; a change
 * is a new version and the approval records which version (and the SHA-256 of its payouts); only the
 * approved version can be paid (bank results imported). On SQLite and MySQL (TEST_DB).
 */
describe('four-eyes on approvals (issue 11 item 1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const amounts = { severe: 50_000, relative: 40_000, sudden: 30_000 };
  const staff = (key: string, org: string) => t.login(`fe-${key}-${org}`, 'union_staff', org);
  const approve = (tok: string, id: number, body: Record<string, unknown> = {}) => t.http().post(`/api/aid/payout-batches/${id}/approve`).set(auth(tok)).send(body);
  const patch = (tok: string, payoutId: number, amountFen: number) => t.http().patch(`/api/aid/payouts/${payoutId}`).set(auth(tok)).send({ amountFen });
  const batchOf = async (tok: string, id: number) => (await t.http().get(`/api/aid/payout-batches/${id}`).set(auth(tok))).body;
  const linesOf = async (tok: string, id: number) => (await t.http().get(`/api/aid/payout-batches/${id}/payouts?pageSize=100`).set(auth(tok))).body.items as any[];
  const bankCsv = (lines: any[], ref: string) =>
    'household,amount,status,bankRef,date\n' + lines.map((p, i) => `${p.householdId},${(p.amountFen / 100).toFixed(2)},success,${ref}${i},2026-11-25`).join('\n') + '\n';

  /** Staff a, b, c, d of one city (distinct people) and `n` active households of its grassroots union; a monthly batch created by a. */
  async function world(city: string, grassroots: string, n: number) {
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((k) => staff(k, city)));
    const ids: Record<string, number> = {};
    for (const [k, tok] of Object.entries({ a, b, c, d })) ids[k] = (await t.http().get('/api/me').set(auth(tok))).body.id;
    const hs = [];
    for (let i = 0; i < n; i++) hs.push(await activeHousehold(t, c, d, { orgCode: grassroots, level: 'severe', city: '某市' }));
    const created = await t.http().post('/api/aid/payout-batches').set(auth(a)).send({ period: thisPeriod(), aidType: 'living', amountsByLevel: amounts });
    expect(created.status).toBe(201);
    return { a, b, c, d, ids, hs, batchId: created.body.id as number };
  }

  it('the probe: B raises a line from 500 to 1,000,000 yuan and approves alone: refused, nothing approved or payable', async () => {
    const { a, b, c, batchId } = await world('HB-XY', 'HB-XY-FC-LG', 2);
    const [line] = await linesOf(a, batchId);
    expect(line.amountFen).toBe(50_000);
    expect((await patch(b, line.id, 100_000_000)).status).toBe(200);
    const alone = await approve(b, batchId);
    expect(alone.status).toBe(403);
    expect(alone.body.code).toBe('FOUR_EYES_REQUIRED');
    expect(alone.body.message).toMatch(/四眼原则/);
    expect(await batchOf(a, batchId)).toMatchObject({ status: 'pending', approvedById: null, approvedVersion: null });
    expect((await linesOf(a, batchId)).every((p) => p.status === 'pending')).toBe(true);
    // nor can B pay it, nor can the creator approve B's change
    const paid = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(b)).send({ csv: bankCsv(await linesOf(b, batchId), `FEP${batchId}`) });
    expect(paid.status).toBe(409);
    expect((await approve(a, batchId)).body.code).toBe('FOUR_EYES_REQUIRED');
    expect(await count(t, 'aid_payouts', `batchId = ${batchId} AND status <> 'pending'`)).toBe(0);
    // a third person who made nothing may approve, and the record names the content approved
    const ok = await approve(c, batchId);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', totalFen: 100_050_000 });
  });

  it('the creator cannot approve; nor can the last editor of any line, even after someone else changed another line', async () => {
    const { a, b, c, d, ids, batchId } = await world('ZJ-HZ', 'ZJ-HZ-LP-XJY', 2);
    const created = await batchOf(a, batchId);
    expect(created).toMatchObject({ version: 1, lastEditedById: null, makerIds: [ids.a] });
    expect((await approve(a, batchId)).status).toBe(403);

    const [l1, l2] = await linesOf(a, batchId);
    expect((await patch(b, l1.id, 45_000)).status).toBe(200);
    expect((await patch(c, l2.id, 46_000)).status).toBe(200);
    const changed = await batchOf(a, batchId);
    expect(changed).toMatchObject({ version: 3, lastEditedById: ids.c, status: 'pending' });
    expect([...changed.makerIds].sort()).toEqual([ids.a, ids.b, ids.c].sort());
    for (const maker of [a, b, c]) {
      const res = await approve(maker, batchId);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FOUR_EYES_REQUIRED');
    }
    expect((await approve(d, batchId)).status).toBe(200);
  });

  it('the approval records the approver and the version (with the SHA-256 of its payouts); a stale version is refused', async () => {
    const { a, b, c, d, ids, batchId } = await world('HN-YY', 'HN-YY-LX-KD', 3);
    const seen = await batchOf(d, batchId);
    expect(seen.version).toBe(1);
    const [l1] = await linesOf(a, batchId);
    expect((await patch(b, l1.id, 55_500)).status).toBe(200); // changed after d looked

    const stale = await approve(d, batchId, { version: seen.version });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('APPROVAL_STALE');
    expect((await batchOf(a, batchId)).status).toBe('pending');
    expect((await approve(d, batchId, { version: 'x' })).status).toBe(400);

    const ok = await approve(d, batchId, { version: 2 });
    expect(ok.status).toBe(200);
    const lines = await linesOf(a, batchId);
    const hash = contentHash(lines.map((p) => [p.id, p.householdId, p.aidType, p.period, p.amountFen]));
    expect(ok.body).toMatchObject({ status: 'approved', approvedById: ids.d, version: 2, approvedVersion: 2, approvedHash: hash });
    expect(ok.body.approvedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await count(t, 'audit_logs', `action = 'approve' AND entityType = 'payout_batch' AND entityId = ${batchId} AND actorUserId = ${ids.d} AND fields LIKE '%${hash}%'`)).toBe(1);
    void c;
  });

  it('approved content cannot change; a version that was not approved (a change slipping past the rule) cannot be paid', async () => {
    const { a, b, c, batchId } = await world('JS-YC', 'JS-YC-YD-ZB', 2);
    expect((await approve(b, batchId)).status).toBe(200);
    const lines = await linesOf(a, batchId);
    const after = await patch(c, lines[0].id, 99_999_999);
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('PAYOUT_NOT_PENDING');
    expect(await batchOf(a, batchId)).toMatchObject({ status: 'approved', version: 1, approvedVersion: 1, lastEditedById: null });
    expect((await linesOf(a, batchId))[0].amountFen).toBe(50_000);

    // a change written by some other path than the service: the version moves on, paying is refused
    await t.db.query(`UPDATE aid_payout_batches SET version = version + 1 WHERE id = ${batchId}`);
    const refused = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(c)).send({ csv: bankCsv(lines, `FEV${batchId}`) });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('VERSION_NOT_APPROVED');
    expect(await count(t, 'aid_payouts', `batchId = ${batchId} AND status = 'paid'`)).toBe(0);
    expect(await count(t, 'aid_bank_records', `batchId = ${batchId}`)).toBe(0);

    // the approved version pays
    await t.db.query(`UPDATE aid_payout_batches SET version = version - 1 WHERE id = ${batchId}`);
    const paid = await t.http().post(`/api/aid/payout-batches/${batchId}/bank-results`).set(auth(c)).send({ csv: bankCsv(lines, `FEV${batchId}`) });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ paid: 2, errors: [] });
  });

  it('one-off payouts: neither their creator nor the editor of the amount can approve; approved amounts do not change', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((k) => staff(k, 'HB-HS')));
    const h = await activeHousehold(t, b, c);
    const one = await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send({ householdId: h.id, aidType: 'medical', amountFen: 50_000, note: '住院救助' });
    expect(one.status).toBe(201);
    const [line] = await linesOf(a, one.body.id);
    expect((await approve(a, one.body.id)).body.code).toBe('FOUR_EYES_REQUIRED');
    expect((await patch(b, line.id, 100_000_000)).status).toBe(200);
    expect((await approve(b, one.body.id)).body.code).toBe('FOUR_EYES_REQUIRED');
    expect((await approve(a, one.body.id)).body.code).toBe('FOUR_EYES_REQUIRED');
    const ok = await approve(c, one.body.id, { version: 2 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', approvedVersion: 2, totalFen: 100_000_000 });
    expect((await patch(a, line.id, 1)).body.code).toBe('PAYOUT_NOT_PENDING');
  });

  it('a change racing an approval: either the change is refused or the approval is; what is approved is exactly what is stored', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((k) => staff(k, 'HB-HS')));
    const h = await activeHousehold(t, b, c);
    for (let m = 1; m <= 8; m++) {
      const one = await t.http().post('/api/aid/payouts/one-off').set(auth(a)).send({ householdId: h.id, aidType: 'festival', amountFen: 10_000, period: `2025-0${m}` });
      expect(one.status).toBe(201);
      const [line] = await linesOf(a, one.body.id);
      const [changed, approved] = await Promise.all([patch(b, line.id, 10_000 + m), approve(c, one.body.id, { version: 1 })]);
      // exactly one wins
      expect([changed.status, approved.status].sort()).toEqual([200, 409]);
      const batch = await batchOf(a, one.body.id);
      const lines = await linesOf(a, one.body.id);
      if (approved.status === 200) {
        expect(changed.body.code).toBe('PAYOUT_NOT_PENDING');
        expect(batch).toMatchObject({ status: 'approved', version: 1, approvedVersion: 1 });
        expect(lines[0].amountFen).toBe(10_000);
        expect(batch.approvedHash).toBe(contentHash(lines.map((p) => [p.id, p.householdId, p.aidType, p.period, p.amountFen])));
      } else {
        expect(approved.body.code).toBe('APPROVAL_STALE');
        expect(batch).toMatchObject({ status: 'pending', version: 2, approvedVersion: null });
        expect(lines[0].amountFen).toBe(10_000 + m);
      }
    }
  });

  it('household files: whoever registered or last changed a file cannot activate it', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((k) => staff(k, 'HB-HS')));
    const reg = await t.http().post('/api/aid/households').set(auth(a)).send(householdBody({ level: 'relative' }));
    expect(reg.status).toBe(201);
    expect((await t.http().patch(`/api/aid/households/${reg.body.id}`).set(auth(b)).send({ level: 'severe' })).status).toBe(200);
    const byEditor = await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(b));
    expect(byEditor.status).toBe(403);
    expect(byEditor.body.code).toBe('FOUR_EYES_REQUIRED');
    expect((await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(a))).body.code).toBe('FOUR_EYES_REQUIRED');
    expect((await t.http().get(`/api/aid/households/${reg.body.id}`).set(auth(a))).body.status).toBe('registered');
    expect((await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(c))).status).toBe(200);
  });
});
