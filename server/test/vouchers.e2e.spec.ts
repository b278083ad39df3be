import { SignedCodeService } from '../src/common/signed-code.service';
import { VoucherExpiryJob } from '../src/modules/vouchers/jobs/voucher-expiry.job';
import { SettlementService } from '../src/modules/vouchers/settlement.service';
import { startApp, TestApp } from './support/app';
import { auth, campaignForm, idemKey, merchantForm, voucherFixtures } from './support/vouchers-fixtures';

/** Vouchers over real HTTP on SQLite or MySQL (TEST_DB): merchants, campaigns, claims, redemption, settlement. */
describe('vouchers over HTTP', () => {
  let t: TestApp;
  let staff: string; // 黄石市总工会
  let otherStaff: string; // 江西省总工会: another subtree
  let fx: ReturnType<typeof voucherFixtures>;
  const count = async (table: string) => Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const claim = (token: string, campaignId: number, voucherTypeId: number, key: string | null = idemKey()) => {
    const req = t.http().post(`/api/vouchers/campaigns/${campaignId}/claims`).set(auth(token));
    if (key !== null) req.set('Idempotency-Key', key);
    return req.send({ voucherTypeId });
  };
  const codeOf = async (token: string, voucherId: number) => (await t.http().get(`/api/vouchers/my/vouchers/${voucherId}/code`).set(auth(token))).body.code as string;
  const redeem = (token: string, redemptionCode: string, orderAmountFen: number, key: string | null = idemKey()) => {
    const req = t.http().post('/api/vouchers/redemptions').set(auth(token));
    if (key !== null) req.set('Idempotency-Key', key);
    return req.send({ redemptionCode, orderAmountFen });
  };

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('v-staff-hs', 'union_staff', 'HB-HS');
    otherStaff = await t.login('v-staff-jx', 'union_staff', 'JX');
    fx = voucherFixtures(t, staff);
  });
  afterAll(() => t.close());

  describe('merchants and clerks', () => {
    it('applies, is reviewed in scope, and invites a clerk', async () => {
      const owner = await t.login('m-owner-1', 'user');
      const form = merchantForm();
      const applied = await t.http().post('/api/vouchers/merchants').set(auth(owner)).send({ ...form, licenceNo: form.licenceNo.toLowerCase() });
      expect(applied.status).toBe(201);
      expect(applied.body).toMatchObject({ status: 'pending', licenceNo: form.licenceNo, category: 'catering', org: { code: 'HB-HS-HSG' } });
      expect(applied.body.contactMobileMasked).toBe(`${form.contactMobile.slice(0, 3)}****${form.contactMobile.slice(-4)}`);
      expect(JSON.stringify(applied.body)).not.toContain(form.contactMobile);

      expect((await t.http().get('/api/vouchers/merchants/mine').set(auth(owner))).body[0].id).toBe(applied.body.id);
      // a second application by the same account, and the same licence by another account
      expect((await t.http().post('/api/vouchers/merchants').set(auth(owner)).send(merchantForm())).body.code).toBe('ALREADY_CLERK');
      const other = await t.login('m-owner-2', 'user');
      const dup = await t.http().post('/api/vouchers/merchants').set(auth(other)).send(merchantForm({ licenceNo: form.licenceNo }));
      expect([dup.status, dup.body.code]).toEqual([409, 'LICENCE_TAKEN']);

      // pending: the owner can do nothing yet
      expect((await t.http().get('/api/vouchers/clerk/me').set(auth(await t.login('m-owner-1', 'merchant_clerk', 'HB-HS')))).body.code).toBe('MERCHANT_NOT_APPROVED');

      const list = await t.http().get('/api/vouchers/merchants?status=pending').set(auth(staff));
      expect(list.status).toBe(200);
      expect(list.body.items.map((m: any) => m.id)).toContain(applied.body.id);
      const otherList = await t.http().get('/api/vouchers/merchants').set(auth(otherStaff));
      expect(otherList.body.items.map((m: any) => m.id)).not.toContain(applied.body.id);
      expect((await t.http().post(`/api/vouchers/merchants/${applied.body.id}/approve`).set(auth(otherStaff))).status).toBe(404);
      expect((await t.http().post(`/api/vouchers/merchants/${applied.body.id}/approve`).set(auth(owner))).status).toBe(403);
      expect((await t.http().post(`/api/vouchers/merchants/${applied.body.id}/approve`)).status).toBe(401);

      const ok = await t.http().post(`/api/vouchers/merchants/${applied.body.id}/approve`).set(auth(staff));
      expect([ok.status, ok.body.status]).toEqual([200, 'approved']);
      expect((await t.http().post(`/api/vouchers/merchants/${applied.body.id}/approve`).set(auth(staff))).body.code).toBe('MERCHANT_NOT_PENDING');
      // the applicant account became a merchant clerk
      const me = await t.http().get('/api/vouchers/clerk/me').set(auth(owner));
      expect(me.body).toMatchObject({ role: 'owner', merchant: { id: applied.body.id, status: 'approved' } });

      const invite = await t.http().post('/api/vouchers/merchants/clerk-invites').set(auth(owner));
      expect(invite.status).toBe(201);
      expect(invite.body.merchantName).toBe(form.name);
      const clerk = await t.login('m-clerk-1', 'user');
      const accepted = await t.http().post('/api/vouchers/merchants/clerks').set(auth(clerk)).send({ inviteCode: invite.body.code });
      expect(accepted.status).toBe(201);
      expect(accepted.body).toMatchObject({ role: 'clerk', merchant: { id: applied.body.id } });
      expect((await t.http().get('/api/vouchers/clerk/me').set(auth(clerk))).body.role).toBe('clerk');
      expect((await t.http().post('/api/vouchers/merchants/clerks').set(auth(clerk)).send({ inviteCode: invite.body.code })).body.code).toBe('ALREADY_CLERK');
      // a plain clerk cannot invite; a tampered invite is refused
      expect((await t.http().post('/api/vouchers/merchants/clerk-invites').set(auth(clerk))).body.code).toBe('NOT_OWNER');
      const stranger = await t.login('m-stranger', 'user');
      expect((await t.http().post('/api/vouchers/merchants/clerks').set(auth(stranger)).send({ inviteCode: invite.body.code.slice(0, -2) + 'xx' })).status).toBe(404);
    });

    it('rejects with a reason and frees the account and the licence', async () => {
      const owner = await t.login('m-owner-3', 'user');
      const form = merchantForm();
      const applied = (await t.http().post('/api/vouchers/merchants').set(auth(owner)).send(form)).body;
      expect((await t.http().post(`/api/vouchers/merchants/${applied.id}/reject`).set(auth(staff)).send({})).status).toBe(400);
      const rejected = await t.http().post(`/api/vouchers/merchants/${applied.id}/reject`).set(auth(staff)).send({ reason: '地址不在本辖区' });
      expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '地址不在本辖区' });
      expect((await t.http().post('/api/vouchers/merchants').set(auth(owner)).send(form)).status).toBe(201);
    });

    it('refuses bad input with 400 and writes nothing', async () => {
      const user = await t.login('m-bad', 'user');
      const before = await count('merchants');
      for (const bad of [{ licenceNo: '91350100M000100Y44' }, { licenceNo: '123' }, { category: 'bar' }, { lat: 91 }, { contactMobile: '123' }, { name: '' }, { extra: 1 }]) {
        const res = await t.http().post('/api/vouchers/merchants').set(auth(user)).send(merchantForm(bad));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const check = await t.http().post('/api/vouchers/merchants').set(auth(user)).send(merchantForm({ licenceNo: '91350100M000100Y44' }));
      expect(check.body.details).toEqual([{ field: 'licenceNo', message: '统一社会信用代码校验位不正确，请核对' }]);
      expect((await t.http().post('/api/vouchers/merchants').set(auth(user)).send(merchantForm({ orgCode: 'NOPE' }))).status).toBe(404);
      expect(await count('merchants')).toBe(before);
      expect((await t.http().post('/api/vouchers/merchants').send(merchantForm())).status).toBe(401);
      expect((await t.http().get('/api/vouchers/merchants?status=bogus').set(auth(staff))).status).toBe(400);
    });

    it('a merchant_clerk account without a binding can do nothing merchant-related (403 NOT_A_CLERK)', async () => {
      const unbound = await t.login('m-unbound', 'merchant_clerk', 'HB-HS');
      for (const res of [
        await t.http().get('/api/vouchers/clerk/me').set(auth(unbound)),
        await t.http().post('/api/vouchers/merchants/clerk-invites').set(auth(unbound)),
        await t.http().get('/api/vouchers/redemptions/today').set(auth(unbound)),
        await redeem(unbound, 'x.y.z', 1000),
        await t.http().post('/api/vouchers/redemptions/1/reverse').set(auth(unbound)),
        await t.http().get('/api/vouchers/settlements').set(auth(unbound)),
      ]) {
        expect([res.status, res.body.code]).toEqual([403, 'NOT_A_CLERK']);
      }
      const user = await t.login('m-user-role', 'user');
      expect((await t.http().get('/api/vouchers/redemptions/today').set(auth(user))).status).toBe(403);
    });
  });

  describe('campaigns', () => {
    it('creates a draft, enforces the budget, publishes, freezes the rules and only grows stock', async () => {
      const before = await count('voucher_campaigns');
      const over = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ budgetFen: 199_999 }));
      expect([over.status, over.body.code]).toEqual([400, 'BUDGET_EXCEEDED']);
      expect(over.body.details).toEqual({ allocatedFen: 200_000, budgetFen: 199_999 });
      for (const bad of [
        { types: [] }, { types: [{ name: 'x', faceValueFen: 0, minSpendFen: 0, quantity: 1, perMemberLimit: 1 }] }, { claimEndAt: new Date(Date.now() - 120_000).toISOString() },
        { validityKind: 'relative', validDays: undefined }, { merchantScope: 'categories' }, { merchantScope: 'merchants', merchantIds: [] }, { budgetFen: 1.5 },
        { occupations: ['pilot'] }, { claimStartAt: 'tomorrow' },
      ]) {
        const res = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm(bad));
        expect([res.status, bad]).toEqual([400, bad]);
      }
      expect((await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ merchantScope: 'merchants', merchantIds: [999999] }))).status).toBe(404);
      expect((await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ orgCode: 'JX' }))).status).toBe(404);
      expect((await t.http().post('/api/vouchers/manage/campaigns').set(auth(await t.login('c-user', 'user'))).send(campaignForm())).status).toBe(403);
      expect((await t.http().post('/api/vouchers/manage/campaigns').send(campaignForm())).status).toBe(401);
      expect(await count('voucher_campaigns')).toBe(before);

      const created = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({
        types: [
          { name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 1 },
          { name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 100, perMemberLimit: 2 },
        ],
        budgetFen: 400_000, occupations: ['food_delivery', 'courier'], merchantScope: 'categories', categories: ['catering', 'supermarket'],
      }));
      expect(created.status).toBe(201);
      const c = created.body;
      expect(c).toMatchObject({ status: 'draft', allocatedFen: 300_000, org: { code: 'HB-HS' }, occupations: ['food_delivery', 'courier'], categories: ['catering', 'supermarket'] });
      // draft: anything may change
      const edited = await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ perMemberLimit: 3 });
      expect([edited.status, edited.body.perMemberLimit]).toEqual([200, 3]);
      expect((await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ budgetFen: 100 })).body.code).toBe('BUDGET_EXCEEDED');
      expect((await t.http().get(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(otherStaff))).status).toBe(404);
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/publish`).set(auth(otherStaff))).status).toBe(404);

      const pub = await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/publish`).set(auth(staff));
      expect([pub.status, pub.body.status]).toEqual([200, 'published']);
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/publish`).set(auth(staff))).body.code).toBe('CAMPAIGN_NOT_DRAFT');
      for (const frozen of [{ perMemberLimit: 5 }, { types: campaignForm().types }, { claimStartAt: new Date().toISOString() }, { occupations: [] }, { validUntil: new Date(Date.now() + 9e9).toISOString() }, { merchantScope: 'all' }]) {
        const res = await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send(frozen);
        expect([res.status, res.body.code]).toEqual([409, 'CAMPAIGN_RULE_FROZEN']);
      }
      const renamed = await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ name: '黄石职工消费季（第二期）', claimEndAt: new Date(Date.now() + 2 * 86_400_000).toISOString() });
      expect([renamed.status, renamed.body.name]).toEqual([200, '黄石职工消费季（第二期）']);
      expect((await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ budgetFen: 299_999 })).body.code).toBe('BUDGET_EXCEEDED');

      const [t1, t2] = c.types;
      const more = await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${t2.id}/stock`).set(auth(staff)).send({ quantity: 200 });
      expect([more.status, more.body.allocatedFen]).toEqual([200, 400_000]);
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${t1.id}/stock`).set(auth(staff)).send({ quantity: 101 })).body.code).toBe('BUDGET_EXCEEDED');
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${t1.id}/stock`).set(auth(staff)).send({ quantity: 99 })).body.code).toBe('STOCK_CANNOT_SHRINK');
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${t1.id}/stock`).set(auth(staff)).send({ quantity: -1 })).status).toBe(400);
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/999999/stock`).set(auth(staff)).send({ quantity: 1 })).status).toBe(404);
      const raisedBudget = await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ budgetFen: 420_000 });
      expect(raisedBudget.status).toBe(200);
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${t1.id}/stock`).set(auth(staff)).send({ quantity: 110 })).body.types[0].quantity).toBe(110);

      const list = await t.http().get('/api/vouchers/manage/campaigns?status=published').set(auth(staff));
      expect(list.body.items.map((x: any) => x.id)).toContain(c.id);
      expect((await t.http().get('/api/vouchers/manage/campaigns').set(auth(otherStaff))).body.items.map((x: any) => x.id)).not.toContain(c.id);

      const closed = await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/close`).set(auth(staff));
      expect([closed.status, closed.body.status]).toEqual([200, 'closed']);
      expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/close`).set(auth(staff))).body.code).toBe('CAMPAIGN_NOT_PUBLISHED');
      expect((await t.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ name: '再改' })).body.code).toBe('CAMPAIGN_CLOSED');
    });
  });

  describe('claims', () => {
    it('claims once per key, lists the member view, and reports every claim error', async () => {
      const member = await fx.member();
      const c = await fx.campaign({
        types: [
          { name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 1 },
          { name: '无门槛5元', faceValueFen: 500, minSpendFen: 0, quantity: 2, perMemberLimit: 3 },
        ],
        perMemberLimit: 3,
      });
      const [t1, t2] = c.types;
      const key = idemKey();
      const first = await claim(member, c.id, t1.id, key);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ campaignId: c.id, voucherTypeId: t1.id, faceValueFen: 2000, minSpendFen: 10000, status: 'unused' });
      const retry = await claim(member, c.id, t1.id, key);
      expect([retry.status, retry.body.id]).toEqual([201, first.body.id]);
      expect((await claim(member, c.id, t2.id, key)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(Number((await t.db.query(`SELECT claimed FROM voucher_types WHERE id = ${t1.id}`))[0].claimed)).toBe(1);

      expect((await claim(member, c.id, t1.id)).body.code).toBe('LIMIT_REACHED');
      // missing or malformed key: 400, nothing written
      const before = await count('vouchers');
      for (const k of [null, 'short', 'has space in it', 'x'.repeat(65)]) {
        const res = await claim(member, c.id, t2.id, k);
        expect([res.status, res.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
      }
      expect((await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: 'a' })).status).toBe(400);
      expect((await t.http().post(`/api/vouchers/campaigns/abc/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: t2.id })).status).toBe(400);
      expect(await count('vouchers')).toBe(before);
      expect((await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set('Idempotency-Key', idemKey()).send({ voucherTypeId: t2.id })).status).toBe(401);
      expect((await claim(member, c.id, 999999)).status).toBe(404);

      // SOLD_OUT: stock 2 of t2
      const other = await fx.member();
      expect((await claim(member, c.id, t2.id)).status).toBe(201);
      expect((await claim(other, c.id, t2.id)).status).toBe(201);
      const sold = await claim(other, c.id, t2.id);
      expect([sold.status, sold.body.code]).toEqual([409, 'SOLD_OUT']);

      const list = await t.http().get('/api/vouchers/campaigns').set(auth(member));
      const mine = list.body.items.find((x: any) => x.id === c.id);
      expect(mine).toMatchObject({ phase: 'open', held: 2 });
      expect(mine.types.map((x: any) => [x.state, x.held, x.remaining])).toEqual([['limit_reached', 1, 99], ['sold_out', 1, 0]]);

      // NOT_STARTED / ENDED
      const later = await fx.campaign({ claimStartAt: new Date(Date.now() + 3600_000).toISOString() });
      const early = await claim(member, later.id, later.types[0].id);
      expect([early.status, early.body.code]).toEqual([409, 'NOT_STARTED']);
      expect((await t.http().get('/api/vouchers/campaigns').set(auth(member))).body.items.find((x: any) => x.id === later.id)).toMatchObject({ phase: 'upcoming', types: [{ state: 'not_started' }] });
      const closing = await fx.campaign();
      await t.http().post(`/api/vouchers/manage/campaigns/${closing.id}/close`).set(auth(staff)).expect(200);
      const late = await claim(member, closing.id, closing.types[0].id);
      expect([late.status, late.body.code]).toEqual([410, 'ENDED']);

      // NOT_ELIGIBLE: not a member, another subtree, another occupation
      const nonMember = await t.login('claim-non-member');
      expect((await claim(nonMember, c.id, t1.id)).body.code).toBe('NOT_ELIGIBLE');
      expect((await t.http().get('/api/vouchers/campaigns').set(auth(nonMember))).body.code).toBe('NOT_MEMBER');
      const jxMember = await fx.member({ orgCode: 'JX-YT-GX-ZG', reviewer: otherStaff });
      const far = await claim(jxMember, c.id, t1.id);
      expect([far.status, far.body.code]).toEqual([403, 'NOT_ELIGIBLE']);
      expect((await t.http().get('/api/vouchers/campaigns').set(auth(jxMember))).body.items.map((x: any) => x.id)).not.toContain(c.id);
      const gigOnly = await fx.campaign({ occupations: ['courier'] });
      const wrongJob = await claim(member, gigOnly.id, gigOnly.types[0].id);
      expect([wrongJob.status, wrongJob.body.code]).toEqual([403, 'NOT_ELIGIBLE']);
      const courier = await fx.member({ occupation: 'courier' });
      expect((await claim(courier, gigOnly.id, gigOnly.types[0].id)).status).toBe(201);

      // a draft is invisible
      const draft = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm());
      expect((await claim(member, draft.body.id, draft.body.types[0].id)).status).toBe(404);

      // the campaign-wide limit holds across types
      const wide = await fx.campaign({
        types: [
          { name: 'A', faceValueFen: 100, minSpendFen: 0, quantity: 10, perMemberLimit: 2 },
          { name: 'B', faceValueFen: 100, minSpendFen: 0, quantity: 10, perMemberLimit: 2 },
        ],
        perMemberLimit: 3,
      });
      for (const [type, expected] of [[0, 201], [0, 201], [1, 201], [1, 409]] as const) {
        expect((await claim(courier, wide.id, wide.types[type].id)).status).toBe(expected);
      }
    });

    it('relative validity runs N days from the claim', async () => {
      const member = await fx.member();
      const c = await fx.campaign({ validityKind: 'relative', validDays: 7, validFrom: undefined, validUntil: undefined });
      const v = (await claim(member, c.id, c.types[0].id)).body;
      const days = (new Date(v.validUntil).getTime() - new Date(v.claimedAt).getTime()) / 86_400_000;
      expect(days).toBeCloseTo(7, 5);
    });
  });

  describe('redemption, reversal, expiry, settlement', () => {
    it('runs the whole flow and reconciles', async () => {
      const member = await fx.member();
      const { token: clerk, merchant } = await fx.merchant();
      const { token: clerk2 } = await fx.merchant({ name: '黄石百货超市', category: 'supermarket' });
      const { token: farClerk } = await fx.merchant({ orgCode: 'JX-YT', name: '鹰潭小吃' }, otherStaff);
      const c = await fx.campaign({ merchantScope: 'categories', categories: ['catering'] });
      const voucher = (await claim(member, c.id, c.types[0].id)).body;

      const mine = await t.http().get('/api/vouchers/my/vouchers?status=unused').set(auth(member));
      expect(mine.body.items.map((v: any) => v.id)).toContain(voucher.id);
      expect((await t.http().get(`/api/vouchers/my/vouchers/${voucher.id}`).set(auth(member))).body.campaignName).toBe('黄石职工消费季');
      expect((await t.http().get(`/api/vouchers/my/vouchers/${voucher.id}`).set(auth(await fx.member()))).status).toBe(404);

      const codeRes = await t.http().get(`/api/vouchers/my/vouchers/${voucher.id}/code`).set(auth(member));
      expect(codeRes.body.ttlSeconds).toBe(60);
      expect(new Date(codeRes.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(50_000);
      const code = codeRes.body.code;

      // merchants in scope for the member
      const merchants = await t.http().get(`/api/vouchers/campaigns/${c.id}/merchants?lat=30.2&lng=115.06`).set(auth(member));
      expect(merchants.status).toBe(200);
      expect(merchants.body.items.map((m: any) => m.id)).toContain(merchant.id);
      expect(merchants.body.items.every((m: any) => m.category === 'catering' && m.distanceMetres > 0)).toBe(true);

      // refusals before anything is written
      expect((await redeem(clerk2, code, 20000)).body.code).toBe('MERCHANT_NOT_IN_SCOPE');
      expect((await redeem(farClerk, code, 20000)).body.code).toBe('MERCHANT_NOT_IN_SCOPE');
      const below = await redeem(clerk, code, 9999);
      expect([below.status, below.body.code, below.body.message]).toEqual([422, 'BELOW_MIN_SPEND', '订单金额未达到满减门槛']);
      expect((await redeem(clerk, code.slice(0, -3) + 'abc', 20000)).body.code).toBe('REDEMPTION_CODE_INVALID');
      const stale = t.app.get(SignedCodeService).sign('redemption', `${voucher.id.toString(36)}~old`, 60, Date.now() - 61_000).code;
      const expiredCode = await redeem(clerk, stale, 20000);
      expect([expiredCode.status, expiredCode.body.code]).toEqual([410, 'REDEMPTION_CODE_EXPIRED']);
      expect((await t.http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen: 12.5 })).status).toBe(400);
      expect((await redeem(clerk, code, 20000, null)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect((await redeem(member, code, 20000)).status).toBe(403);
      expect(await count('voucher_redemptions')).toBe(0);

      const key = idemKey();
      const done = await redeem(clerk, code, 23456, key);
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ voucherId: voucher.id, merchant: { id: merchant.id }, orderAmountFen: 23456, faceValueFen: 2000, status: 'active' });
      const again = await redeem(clerk, code, 23456, key);
      expect([again.status, again.body.id]).toEqual([201, done.body.id]);
      const twice = await redeem(clerk, code, 23456);
      expect([twice.status, twice.body.code, twice.body.message]).toEqual([409, 'ALREADY_REDEEMED', '该券已核销，不能重复使用']);
      expect((await t.http().get(`/api/vouchers/my/vouchers/${voucher.id}/code`).set(auth(member))).body.code).toBe('VOUCHER_NOT_USABLE');
      expect((await t.http().get('/api/vouchers/my/vouchers?status=redeemed').set(auth(member))).body.items[0]).toMatchObject({ id: voucher.id, status: 'redeemed' });

      const today = await t.http().get('/api/vouchers/redemptions/today').set(auth(clerk));
      expect(today.body).toMatchObject({ count: 1, faceValueFen: 2000, orderAmountFen: 23456 });

      // settlement: staff of the subtree, the merchant itself, not another subtree
      const s = await t.http().get('/api/vouchers/settlements').set(auth(staff));
      expect(s.body.lines.find((l: any) => l.merchantId === merchant.id)).toMatchObject({ count: 1, faceValueFen: 2000, orderAmountFen: 23456, org: { code: 'HB-HS-HSG' } });
      expect((await t.http().get('/api/vouchers/settlements').set(auth(clerk))).body.lines.map((l: any) => l.merchantId)).toEqual([merchant.id]);
      expect((await t.http().get('/api/vouchers/settlements').set(auth(otherStaff))).body.lines).toEqual([]);
      expect((await t.http().get('/api/vouchers/settlements?from=2026-13-01').set(auth(staff))).status).toBe(400);
      expect((await t.http().get('/api/vouchers/settlements').set(auth(member))).status).toBe(403);
      const csv = await t.http().get('/api/vouchers/settlements/export.csv').set(auth(staff));
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text).toContain('黄石好味餐馆');
      expect(csv.text).toContain('20.00,234.56');

      const stats = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats`).set(auth(staff));
      expect(stats.body).toMatchObject({ claimedCount: 1, claimedFen: 2000, redeemedCount: 1, redeemedFen: 2000, drivenSpendingFen: 23456, leverage: 11.73 });
      expect(stats.body.byCategory).toEqual([{ category: 'catering', redeemed: 1, redeemedFen: 2000, drivenSpendingFen: 23456 }]);
      expect(stats.body.byOrg[0]).toMatchObject({ org: { code: 'HB-HS-HSG-WM' }, claimed: 1 });
      expect(stats.body.byDay.length).toBe(1);
      expect((await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats`).set(auth(otherStaff))).status).toBe(404);

      // reversal: not by another merchant; same merchant today → voucher usable again
      expect((await t.http().post(`/api/vouchers/redemptions/${done.body.id}/reverse`).set(auth(clerk2))).status).toBe(404);
      const reversed = await t.http().post(`/api/vouchers/redemptions/${done.body.id}/reverse`).set(auth(clerk));
      expect([reversed.status, reversed.body.status]).toEqual([200, 'reversed']);
      expect((await t.http().post(`/api/vouchers/redemptions/${done.body.id}/reverse`).set(auth(clerk))).body.code).toBe('ALREADY_REVERSED');
      expect((await t.http().get(`/api/vouchers/my/vouchers/${voucher.id}`).set(auth(member))).body.status).toBe('unused');
      expect((await t.http().get('/api/vouchers/redemptions/today').set(auth(clerk))).body).toMatchObject({ count: 0, faceValueFen: 0, items: [{ status: 'reversed' }] });

      // redeem again, then a reversal on another day is refused
      const second = await redeem(clerk, await codeOf(member, voucher.id), 10000);
      expect(second.status).toBe(201);
      await t.db.query(`UPDATE voucher_redemptions SET serviceDate = '2020-01-01' WHERE id = ${second.body.id}`);
      expect((await t.http().post(`/api/vouchers/redemptions/${second.body.id}/reverse`).set(auth(clerk))).body.code).toBe('REVERSAL_NOT_ALLOWED');
      await t.db.query(`UPDATE voucher_redemptions SET serviceDate = '${second.body.serviceDate}' WHERE id = ${second.body.id}`);

      // today's list is paged, newest first; the day's totals cover every page (here: the active second one only)
      const page1 = await t.http().get('/api/vouchers/redemptions/today?pageSize=1').set(auth(clerk));
      expect(page1.body).toMatchObject({ total: 2, page: 1, pageSize: 1, count: 1, faceValueFen: 2000, orderAmountFen: 10000 });
      expect(page1.body.items.map((r: any) => [r.id, r.status])).toEqual([[second.body.id, 'active']]);
      const page2 = await t.http().get('/api/vouchers/redemptions/today?pageSize=1&page=2').set(auth(clerk));
      expect(page2.body).toMatchObject({ total: 2, page: 2, count: 1, faceValueFen: 2000 });
      expect(page2.body.items.map((r: any) => [r.id, r.status])).toEqual([[done.body.id, 'reversed']]);
      const tooBig = await t.http().get('/api/vouchers/redemptions/today?pageSize=101').set(auth(clerk));
      expect([tooBig.status, tooBig.body.code]).toEqual([400, 'VALIDATION_FAILED']);

      // reconciliation: clean, then one corrupted row is reported, then clean again
      const clean = await t.http().get('/api/vouchers/reconciliation').set(auth(staff));
      expect(clean.body).toMatchObject({ ok: true, differences: [], redeemedVouchers: 1, settledCount: 1, redeemedFaceValueFen: 2000, settledFaceValueFen: 2000 });
      expect((await t.http().get('/api/vouchers/reconciliation').set(auth(clerk))).status).toBe(403);
      await t.db.query(`UPDATE voucher_redemptions SET faceValueFen = 2500 WHERE id = ${second.body.id}`);
      const dirty = await t.app.get(SettlementService).reconcile(null);
      expect(dirty.ok).toBe(false);
      expect(dirty.differences.map((d) => d.kind).sort()).toEqual(['FACE_VALUE_MISMATCH', 'TOTAL_MISMATCH']);
      expect(dirty.differences.find((d) => d.kind === 'FACE_VALUE_MISMATCH')).toMatchObject({ voucherId: voucher.id, redemptionId: second.body.id });
      await t.db.query(`UPDATE voucher_redemptions SET faceValueFen = 2000 WHERE id = ${second.body.id}`);
      await t.db.query(`UPDATE vouchers SET status = 'unused' WHERE id = ${voucher.id}`);
      const dirty2 = await t.app.get(SettlementService).reconcile(null);
      expect(dirty2.differences.map((d) => d.kind).sort()).toEqual(['REDEMPTION_VOUCHER_NOT_REDEEMED', 'TOTAL_MISMATCH']);
      await t.db.query(`UPDATE vouchers SET status = 'redeemed' WHERE id = ${voucher.id}`);
      expect((await t.app.get(SettlementService).reconcile(null)).ok).toBe(true);
    });

    it('never redeems an expired voucher, and the job marks it expired', async () => {
      const member = await fx.member();
      const { token: clerk } = await fx.merchant();
      const c = await fx.campaign();
      const voucher = (await claim(member, c.id, c.types[0].id)).body;
      const code = await codeOf(member, voucher.id);
      const past = new Date(Date.now() - 1000);
      await t.db.getRepository('Voucher').update({ id: voucher.id }, { validUntil: past });
      expect((await t.http().get(`/api/vouchers/my/vouchers/${voucher.id}`).set(auth(member))).body.status).toBe('expired');
      const res = await redeem(clerk, code, 20000);
      expect([res.status, res.body.code, res.body.message]).toEqual([410, 'VOUCHER_EXPIRED', '该券已过期']);
      expect(await t.app.get(VoucherExpiryJob).run()).toBeGreaterThanOrEqual(1);
      expect(await t.app.get(VoucherExpiryJob).run()).toBe(0); // idempotent
      expect((await t.db.query(`SELECT status FROM vouchers WHERE id = ${voucher.id}`))[0].status).toBe('expired');
      expect((await t.http().get('/api/vouchers/my/vouchers?status=expired').set(auth(member))).body.items.map((v: any) => v.id)).toContain(voucher.id);
      expect((await t.app.get(SettlementService).reconcile(null)).ok).toBe(true);
    });
  });
});
