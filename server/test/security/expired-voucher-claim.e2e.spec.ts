import { Campaign } from '../../src/modules/vouchers/entities/campaign.entity';
import { startApp, TestApp } from '../support/app';
import { auth, campaignForm, idemKey, voucherFixtures } from '../support/vouchers-fixtures';

/**
 * Issue 11 item 3: a claim must never issue a voucher that is already dead. A campaign whose fixed
 * validity ends before its claim window ends is refused when created or edited; a claim of a campaign
 * whose validity is already over (stored before the rule) is refused and takes no stock.
 */
describe('security: no claim of an expired voucher', () => {
  let t: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
  const count = async (sql: string) => Number((await t.db.query(sql))[0].n);

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('exp-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  });
  afterAll(() => t.close());

  it('refuses to create a campaign whose validity ends before its claim window ends', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM voucher_campaigns');
    const res = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff))
      .send(campaignForm({ claimEndAt: iso(10 * DAY), validFrom: iso(-60_000), validUntil: iso(5 * DAY) }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDITY_ENDS_BEFORE_CLAIM_END');
    expect(res.body.message).toMatch(/有效期.*领取结束/);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'validUntil' })]);
    // a validity already over, with the window still open
    const dead = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff))
      .send(campaignForm({ claimStartAt: iso(-2 * DAY), validFrom: iso(-3 * DAY), validUntil: iso(-DAY) }));
    expect([dead.status, dead.body.code]).toEqual([400, 'VALIDITY_ENDS_BEFORE_CLAIM_END']);
    expect(await count('SELECT COUNT(*) AS n FROM voucher_campaigns')).toBe(before);
    // validity ending exactly with the claim window, or later, is fine
    const end = iso(DAY);
    expect((await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ claimEndAt: end, validUntil: end }))).status).toBe(201);
  });

  it('refuses edits that would leave the validity ending before the claim window (draft and published)', async () => {
    const draft = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ claimEndAt: iso(DAY), validUntil: iso(30 * DAY) }));
    expect(draft.status).toBe(201);
    const shorter = await t.http().patch(`/api/vouchers/manage/campaigns/${draft.body.id}`).set(auth(staff)).send({ validUntil: iso(DAY / 2) });
    expect([shorter.status, shorter.body.code]).toEqual([400, 'VALIDITY_ENDS_BEFORE_CLAIM_END']);
    const longer = await t.http().patch(`/api/vouchers/manage/campaigns/${draft.body.id}`).set(auth(staff)).send({ claimEndAt: iso(40 * DAY) });
    expect([longer.status, longer.body.code]).toEqual([400, 'VALIDITY_ENDS_BEFORE_CLAIM_END']);

    const published = await fx.campaign({ claimEndAt: iso(DAY), validUntil: iso(30 * DAY) });
    const extended = await t.http().patch(`/api/vouchers/manage/campaigns/${published.id}`).set(auth(staff)).send({ claimEndAt: iso(31 * DAY) });
    expect([extended.status, extended.body.code]).toEqual([400, 'VALIDITY_ENDS_BEFORE_CLAIM_END']);
    const view = await t.http().get(`/api/vouchers/manage/campaigns/${published.id}`).set(auth(staff));
    expect(new Date(view.body.claimEndAt).getTime()).toBeLessThan(Date.now() + 2 * DAY);

    // a draft stored before the rule cannot be published either
    const legacy = await t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm({ claimEndAt: iso(DAY), validUntil: iso(30 * DAY) }));
    await t.db.getRepository(Campaign).update(legacy.body.id, { validUntil: new Date(Date.now() + DAY / 2) });
    const publish = await t.http().post(`/api/vouchers/manage/campaigns/${legacy.body.id}/publish`).set(auth(staff));
    expect([publish.status, publish.body.code]).toEqual([400, 'VALIDITY_ENDS_BEFORE_CLAIM_END']);
    expect((await t.http().get(`/api/vouchers/manage/campaigns/${legacy.body.id}`).set(auth(staff))).body.status).toBe('draft');
  });

  it('refuses a claim once the validity is over, takes no stock and writes no voucher', async () => {
    const member = await fx.member();
    const c = await fx.campaign();
    // a campaign stored before the rule existed: validity already over, claim window still open
    await t.db.getRepository(Campaign).update(c.id, { validFrom: new Date(Date.now() - 3 * DAY), validUntil: new Date(Date.now() - DAY) });
    const stockBefore = await count(`SELECT claimed AS n FROM voucher_types WHERE id = ${c.types[0].id}`);
    const vouchersBefore = await count('SELECT COUNT(*) AS n FROM vouchers');

    const res = await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('VALIDITY_ENDED');
    expect(res.body.message).toMatch(/有效期/);
    expect(await count(`SELECT claimed AS n FROM voucher_types WHERE id = ${c.types[0].id}`)).toBe(stockBefore);
    expect(await count('SELECT COUNT(*) AS n FROM vouchers')).toBe(vouchersBefore);
    expect(await count(`SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ${c.id}`)).toBe(0);

    // the member's list shows the type as no longer claimable
    const list = await t.http().get('/api/vouchers/campaigns').set(auth(member));
    const mine = list.body.items.find((x: any) => x.id === c.id);
    expect(mine.types[0].state).toBe('ended');
  });
});
