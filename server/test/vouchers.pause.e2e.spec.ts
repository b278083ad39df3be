import { startApp, TestApp } from './support/app';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/** Issue 15, item 1: pause and resume a campaign through real HTTP (SQLite and MySQL). */
describe('voucher campaign pause and resume', () => {
  let t: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('pause-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(() => t.close());

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

    const rows = await t.db.query(`SELECT action FROM audit_logs WHERE action IN ('pause', 'resume') ORDER BY id`);
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
