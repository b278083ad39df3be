import { startApp, TestApp } from '../support/app';
import { makeMember } from '../support/stations';
import { auth, idemKey, merchantForm, voucherFixtures } from '../support/vouchers-fixtures';

/**
 * Issue 11 item 6: a clerk must not redeem, at the clerk's own shop, a voucher the clerk's own member
 * account claimed (a clerk turning union money into cash). Refused with 403 SELF_REDEMPTION and audited.
 */
describe('security: no self-redemption', () => {
  let t: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('self-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  });
  afterAll(() => t.close());

  it('refuses a clerk redeeming their own voucher at their own shop, audits the attempt, and leaves the voucher usable', async () => {
    const key = `self-clerk-${process.pid}`;
    await makeMember(t, staff, key);
    const clerk = await t.login(key, 'merchant_clerk', 'HB-HS');
    const applied = await t.http().post('/api/vouchers/merchants').set(auth(clerk)).send(merchantForm({ name: '自家小店' }));
    expect(applied.status).toBe(201);
    expect((await t.http().post(`/api/vouchers/merchants/${applied.body.id}/approve`).set(auth(staff))).status).toBe(200);
    const c = await fx.campaign();

    const claimed = await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
    expect(claimed.status).toBe(201);
    const code = (await t.http().get(`/api/vouchers/my/vouchers/${claimed.body.id}/code`).set(auth(clerk))).body.code;

    const res = await t.http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen: 20000 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('SELF_REDEMPTION');
    expect(res.body.message).toMatch(/本人/);
    const audits = await t.db.query(`SELECT actorUserId, entityId FROM audit_logs WHERE action = 'refuse_self_redemption' AND entityType = 'voucher'`);
    const [owner] = await t.db.query(`SELECT userId FROM vouchers WHERE id = ${claimed.body.id}`);
    expect(audits.map((a: any) => [Number(a.actorUserId), Number(a.entityId)])).toEqual([[Number(owner.userId), claimed.body.id]]);
    expect(Number((await t.db.query(`SELECT COUNT(*) AS n FROM voucher_redemptions WHERE voucherId = ${claimed.body.id}`))[0].n)).toBe(0);
    expect((await t.http().get(`/api/vouchers/my/vouchers/${claimed.body.id}`).set(auth(clerk))).body.status).toBe('unused');

    // another member's voucher is redeemed at the same shop as before
    const member = await fx.member();
    const other = await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
    const otherCode = (await t.http().get(`/api/vouchers/my/vouchers/${other.body.id}/code`).set(auth(member))).body.code;
    const ok = await t.http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: otherCode, orderAmountFen: 20000 });
    expect(ok.status).toBe(201);
  });
});
