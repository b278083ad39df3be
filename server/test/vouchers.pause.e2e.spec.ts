import { startApp, TestApp } from './support/app';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Issue 15, item 1: pause and resume a campaign through real HTTP (SQLite and MySQL), also honoured mid-rush by a
 * second app instance on the same database (its own memory, no Redis: the claim rules' 1 s bound).
 */
describe('voucher campaign pause and resume', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('pause-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(() => t.close());

  it('a pause made through one instance is honoured mid-rush by another within about 1 s, and so is the resume', async () => {
    const other = await startApp({}, { databaseUrl: t.databaseUrl, keyFile: t.keyFile });
    try {
      // one member who may claim many: the rush is the same member claiming again and again through the other instance
      const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 100, perMemberLimit: 100 }], perMemberLimit: 100 });
      const member = await fx.member();
      const claimOn = (base: TestApp, token: string) => base.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(token))
        .set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
      expect((await claimOn(other, member)).status).toBe(201); // the other instance holds the rules in memory
      const pausedAt = Date.now();
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/pause`).set(auth(staff)).send({})).status).toBe(200);
      // claims keep arriving at the other instance: none sent later than 1 s after the pause (plus 0.5 s for the pause's
      // own commit and a loaded test machine) is issued, and from then on every one is refused
      let lastIssuedSentAt = pausedAt;
      let refusals = 0;
      while (Date.now() - pausedAt < 2_500) {
        const sentAt = Date.now();
        const r = await claimOn(other, member);
        if (r.status === 201) { lastIssuedSentAt = sentAt; expect(refusals).toBe(0); continue; }
        expect([r.status, r.body.code]).toEqual([409, 'CAMPAIGN_PAUSED']);
        refusals++;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(refusals).toBeGreaterThan(0);
      expect(lastIssuedSentAt - pausedAt).toBeLessThanOrEqual(1_500);
      const resumedAt = Date.now();
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/resume`).set(auth(staff))).status).toBe(200);
      let issuedSentAt = 0;
      while (!issuedSentAt && Date.now() - resumedAt < 3_000) {
        const sentAt = Date.now();
        const r = await claimOn(other, member);
        if (r.status === 201) issuedSentAt = sentAt;
        else { expect(r.body.code).toBe('CAMPAIGN_PAUSED'); await new Promise((res) => setTimeout(res, 100)); }
      }
      expect(issuedSentAt).toBeGreaterThan(0);
      expect(issuedSentAt - resumedAt).toBeLessThanOrEqual(1_500);
    } finally {
      await other.close();
    }
  }, 120_000);

  const claim = (token: string, c: { id: number; types: Array<{ id: number }> }) =>
    t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(token)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
  const redeem = async (member: string, clerk: string, voucherId: number) => {
    const code = (await t.http().get(`/api/vouchers/my/vouchers/${voucherId}/code`).set(auth(member))).body.code;
    return t.http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen: 15000 });
  };

  it('a paused campaign refuses claims with 409 CAMPAIGN_PAUSED, still redeems held vouchers, and claims again after resume; both audited', async () => {
    const c = await fx.campaign({ perMemberLimit: 1 });
    const [m1, m2, m3] = [await fx.member(), await fx.member(), await fx.member()];
    const { token: clerk } = await fx.merchant();
    const held = await claim(m1, c);
    expect(held.status).toBe(201);
    const held2 = await claim(m3, c);
    expect(held2.status).toBe(201);

    const paused = await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/pause`).set(auth(staff)).send({});
    expect(paused.status).toBe(200);
    expect(paused.body.pausedAt).toEqual(expect.any(String));
    const refused = await claim(m2, c);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CAMPAIGN_PAUSED');
    expect((await redeem(m1, clerk, held.body.id)).status).toBe(201);

    // pausing twice is refused only through resume semantics: resume, then pause with redemption frozen
    expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/resume`).set(auth(staff))).status).toBe(200);
    expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/resume`).set(auth(staff))).body.code).toBe('CAMPAIGN_NOT_PAUSED');
    expect((await claim(m2, c)).status).toBe(201);

    expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/pause`).set(auth(staff)).send({ freezeRedemption: true })).status).toBe(200);
    const frozen = await redeem(m3, clerk, held2.body.id);
    expect(frozen.status).toBe(409);
    expect(frozen.body.code).toBe('REDEMPTION_FROZEN');
    expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/resume`).set(auth(staff))).status).toBe(200);
    expect((await redeem(m3, clerk, held2.body.id)).status).toBe(201);

    const rows = await t.db.query(`SELECT action FROM audit_logs WHERE action IN ('pause', 'resume') AND entityId = ? ORDER BY id`, [c.id]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['pause', 'resume', 'pause', 'resume']);
  }, 120_000);

  it('malformed pause body is 400, not 500; a draft cannot be paused', async () => {
    const c = await fx.campaign();
    const bad = await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/pause`).set(auth(staff)).send({ freezeRedemption: 'yes' });
    expect(bad.status).toBe(400);
    const draft = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send((await import('./support/vouchers-fixtures')).campaignForm());
    const res = await t.http().post(`/api/vouchers/manage/campaigns/${draft.body.id}/pause`).set(auth(staff)).send({});
    expect(res.body.code).toBe('CAMPAIGN_NOT_PUBLISHED');
  }, 60_000);
});
