import { startApp, TestApp } from './support/app';
import { auth, campaignForm, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Issue 15, item 3: the per-member daily cap `perMemberDailyLimit` is validated, stored, shown to staff and members,
 * editable in a draft and frozen once published; claims enforce it through the day's slot key (no counting), also
 * under concurrent claims of one member, and a new Asia/Shanghai day opens new slots.
 */
describe('voucher campaign per-member daily cap (management)', () => {
  let t: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('daily-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(() => t.close());

  const create = (over: Record<string, unknown>) => t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm(over));

  it('is optional (null = no daily cap), stored and shown; at most the per-member limit; malformed values are 400', async () => {
    const none = await create({});
    expect(none.status).toBe(201);
    expect(none.body.perMemberDailyLimit).toBeNull();

    const capped = await create({ perMemberLimit: 5, perMemberDailyLimit: 2 });
    expect(capped.status).toBe(201);
    expect(capped.body.perMemberDailyLimit).toBe(2);
    expect((await t.http().get(`/api/vouchers/manage/campaigns/${capped.body.id}`).set(auth(staff))).body.perMemberDailyLimit).toBe(2);

    const above = await create({ perMemberLimit: 2, perMemberDailyLimit: 3 });
    expect(above.status).toBe(400);
    expect(above.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'perMemberDailyLimit', message: '每日限领不能多于每人限领总数' }] });
    for (const bad of [0, -1, 1.5, '2', 101, true]) {
      const res = await create({ perMemberLimit: 100, perMemberDailyLimit: bad });
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  }, 60_000);

  it('changes freely in a draft (also back to null), stays within the per-member limit on edit, and is frozen once published', async () => {
    const draft = (await create({ perMemberLimit: 3, perMemberDailyLimit: 1 })).body;
    const patch = (id: number, body: object) => t.http().patch(`/api/vouchers/manage/campaigns/${id}`).set(auth(staff)).send(body);
    expect((await patch(draft.id, { perMemberDailyLimit: 3 })).body.perMemberDailyLimit).toBe(3);
    // lowering the per-member limit below the daily cap is refused, whichever field changes
    expect((await patch(draft.id, { perMemberLimit: 2 })).body.details).toEqual([{ field: 'perMemberDailyLimit', message: '每日限领不能多于每人限领总数' }]);
    expect((await patch(draft.id, { perMemberDailyLimit: null })).body.perMemberDailyLimit).toBeNull();
    expect((await patch(draft.id, { perMemberLimit: 2 })).body.perMemberDailyLimit).toBeNull();
    expect((await patch(draft.id, { perMemberDailyLimit: 1 })).body.perMemberDailyLimit).toBe(1);

    expect((await t.http().post(`/api/vouchers/manage/campaigns/${draft.id}/publish`).set(auth(staff))).status).toBe(200);
    for (const body of [{ perMemberDailyLimit: 2 }, { perMemberDailyLimit: null }]) {
      const frozen = await patch(draft.id, body);
      expect(frozen.status).toBe(409);
      expect(frozen.body).toMatchObject({ code: 'CAMPAIGN_RULE_FROZEN', details: { fields: ['perMemberDailyLimit'] } });
    }

    // members see the cap next to the per-member limit
    const member = await fx.member();
    const list = await t.http().get('/api/vouchers/campaigns?pageSize=100').set(auth(member));
    expect(list.body.items.find((c: { id: number }) => c.id === draft.id)).toMatchObject({ perMemberLimit: 2, perMemberDailyLimit: 1 });
  }, 60_000);

  describe('claims', () => {
    const claim = (token: string, campaignId: number, typeId: number) => t.http().post(`/api/vouchers/campaigns/${campaignId}/claims`).set(auth(token))
      .set('Idempotency-Key', `dl-${Date.now()}-${Math.random().toString(36).slice(2)}`).send({ voucherTypeId: typeId });
    const types = [1, 2, 3, 4].map((i) => ({ name: `券${i}`, faceValueFen: 1000, minSpendFen: 5000, quantity: 50, perMemberLimit: 2 }));

    it('the day cap refuses the claim after it with 409 DAILY_LIMIT_REACHED; a new day opens new slots; the total limit still holds', async () => {
      const c = await fx.campaign({ types, perMemberLimit: 3, perMemberDailyLimit: 2 });
      const member = await fx.member();
      expect((await claim(member, c.id, c.types[0].id)).status).toBe(201);
      expect((await claim(member, c.id, c.types[1].id)).status).toBe(201);
      const third = await claim(member, c.id, c.types[2].id);
      expect(third.status).toBe(409);
      expect(third.body).toMatchObject({ code: 'DAILY_LIMIT_REACHED', details: { perMemberDailyLimit: 2 } });
      const held = await t.db.query('SELECT claimDay, daySlot FROM vouchers WHERE campaignId = ? ORDER BY daySlot', [c.id]);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      expect(held.map((r: any) => [r.claimDay, Number(r.daySlot)])).toEqual([[today, 1], [today, 2]]);
      // the two were claimed "yesterday": today's slots are free again, and the campaign total (3) ends it after one more
      await t.db.query(`UPDATE vouchers SET claimDay = '2000-01-01' WHERE campaignId = ?`, [c.id]);
      expect((await claim(member, c.id, c.types[2].id)).status).toBe(201);
      expect((await claim(member, c.id, c.types[3].id)).body.code).toBe('LIMIT_REACHED');
    }, 120_000);

    it('concurrent claims of one member issue exactly the daily cap', async () => {
      const c = await fx.campaign({ types, perMemberLimit: 8, perMemberDailyLimit: 2 });
      const member = await fx.member();
      const answers = await Promise.all([0, 1, 2, 3, 0, 1, 2, 3].map((i) => claim(member, c.id, c.types[i].id)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
      expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && ['DAILY_LIMIT_REACHED', 'LIMIT_REACHED'].includes(a.body.code))).toBe(true);
      expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ?', [c.id]))[0].n)).toBe(2);
    }, 120_000);

    it('a campaign without a daily cap leaves the day slot empty', async () => {
      const c = await fx.campaign({ types, perMemberLimit: 3 });
      const member = await fx.member();
      for (const i of [0, 1, 2]) expect((await claim(member, c.id, c.types[i].id)).status).toBe(201);
      const rows = await t.db.query('SELECT claimDay, daySlot FROM vouchers WHERE campaignId = ?', [c.id]);
      expect(rows.map((r: any) => [r.claimDay, r.daySlot])).toEqual([[null, null], [null, null], [null, null]]);
    }, 120_000);
  });
});
