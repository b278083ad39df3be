import { startApp, TestApp } from './support/app';
import { auth, campaignForm, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Release rounds (分轮发放, issue 15 item 2), on SQLite and MySQL through real HTTP: a campaign whose second round
 * opens a few seconds into the test. Concurrent claims in each round issue exactly that round's release (0
 * over-issue, counted from the database), a sold-out round names the next one, the member view shows the round, the
 * next opening and what the round has left; unclaimed stock rolls over or lapses as staff chose. A second app instance
 * on the same database claims too (its own memory).
 */
const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('voucher release rounds', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let other: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    other = await startApp({}, { databaseUrl: t.databaseUrl, keyFile: t.keyFile });
    staff = await t.login('rounds-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  /** A published campaign of 2 hourly rounds whose second round opens `secondInMs` from now. */
  const roundsCampaign = (roundQuantity: number, rollover: boolean, secondInMs: number) => {
    const start = Date.now() - 60 * MINUTE + secondInMs;
    return fx.campaign({
      types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: roundQuantity * 2, roundQuantity, perMemberLimit: 1 }],
      perMemberLimit: 1, roundCount: 2, roundIntervalMinutes: 60, roundRollover: rollover,
      claimStartAt: new Date(start).toISOString(), claimEndAt: new Date(start + 3 * 60 * MINUTE).toISOString(),
      validFrom: new Date(start).toISOString(), validUntil: new Date(start + 30 * 24 * 60 * MINUTE).toISOString(),
    });
  };
  const claim = (base: TestApp, token: string, campaignId: number, typeId: number) => base.http().post(`/api/vouchers/campaigns/${campaignId}/claims`)
    .set(auth(token)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: typeId });
  const issued = async (campaignId: number) => Number((await t.db.query('SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ?', [campaignId]))[0].n);
  const members = async (n: number) => { const out: string[] = []; for (let i = 0; i < n; i++) out.push(await fx.member()); return out; };
  const memberView = async (token: string, id: number) => (await t.http().get('/api/vouchers/campaigns?pageSize=100').set(auth(token))).body.items.find((c: any) => c.id === id);

  it('rules: quantity = roundQuantity × roundCount, an interval is needed, the last round opens before the end; no top-up', async () => {
    const base = { name: '分轮', faceValueFen: 1000, minSpendFen: 0, quantity: 10, perMemberLimit: 1 };
    const post = (over: Record<string, unknown>) => t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(campaignForm(over));
    expect((await post({ types: [{ ...base, roundQuantity: 3 }], roundCount: 2, roundIntervalMinutes: 60 })).body.details[0].field).toBe('types.0.roundQuantity');
    expect((await post({ types: [{ ...base, roundQuantity: 5 }], roundCount: 2 })).body.details[0].field).toBe('roundIntervalMinutes');
    expect((await post({ types: [{ ...base, roundQuantity: 5 }] })).body.details[0].field).toBe('roundCount');
    expect((await post({ types: [{ ...base, roundQuantity: 5 }], roundCount: 2, roundIntervalMinutes: 30 })).status).toBe(400);
    expect((await post({ types: [{ ...base, roundQuantity: 5 }], roundCount: 2, roundIntervalMinutes: 60 * 24 * 2 })).body.details[0].field).toBe('roundCount');
    const soon = Date.now() + 10 * MINUTE;
    const lottery = await post({ types: [{ ...base, roundQuantity: 5 }], roundCount: 2, roundIntervalMinutes: 60, allocation: 'lottery',
      lottery: { registrationEndAt: new Date(soon).toISOString(), drawAt: new Date(soon + MINUTE).toISOString() } });
    expect([lottery.status, lottery.body.details?.[0]?.field]).toEqual([400, 'roundCount']);
    const ok = await roundsCampaign(5, true, 60 * MINUTE);
    expect(ok).toMatchObject({ roundCount: 2, roundIntervalMinutes: 60, roundRollover: true });
    const topUp = await t.http().post(`/api/vouchers/manage/campaigns/${ok.id}/types/${ok.types[0].id}/stock`).set(auth(staff)).send({ quantity: 20 });
    expect([topUp.status, topUp.body.code]).toEqual([409, 'ROUNDS_STOCK_FIXED']);
  }, 120_000);

  it('lapsing rounds: each round issues exactly its release under concurrent claims from two processes; what round 1 left lapses', async () => {
    const c = await roundsCampaign(4, false, 6_000);
    const typeId = c.types[0].id as number;
    const crowd = await members(14);
    // round 1: 7 claimers for 4 vouchers, through both instances at once
    const first = await Promise.all(crowd.slice(0, 7).map((m, i) => claim(i % 2 ? other : t, m, c.id, typeId)));
    expect(first.filter((r) => r.status === 201)).toHaveLength(4);
    const refused = first.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && r.body.code === 'SOLD_OUT' && typeof r.body.details?.nextRoundAt === 'string')).toBe(true);
    expect(refused[0].body.message).toMatch(/^本轮已领完，下一轮/);
    expect(await issued(c.id)).toBe(4);
    const before = await memberView(crowd[13], c.id);
    expect(before.round).toMatchObject({ index: 1, count: 2 });
    expect(before.types[0]).toMatchObject({ remaining: 0, state: 'sold_out' });

    await sleep(Math.max(0, new Date(before.round.nextAt).getTime() - Date.now()) + 300);
    const during = await memberView(crowd[13], c.id);
    expect(during.round).toEqual({ index: 2, count: 2, nextAt: null });
    expect(during.types[0]).toMatchObject({ remaining: 4, state: 'claimable' });
    // round 2: 7 new claimers, 4 vouchers (round 1's leftovers: none here; lapsing anyway)
    const second = await Promise.all(crowd.slice(7, 14).map((m, i) => claim(i % 2 ? other : t, m, c.id, typeId)));
    expect(second.filter((r) => r.status === 201)).toHaveLength(4);
    expect(second.filter((r) => r.status !== 201).every((r) => r.body.code === 'SOLD_OUT' && r.body.message === '券已领完')).toBe(true);
    expect(await issued(c.id)).toBe(8);
    const [row] = await t.db.query('SELECT claimed, quantity FROM voucher_types WHERE id = ?', [typeId]);
    expect([Number(row.claimed), Number(row.quantity)]).toEqual([8, 8]);
  }, 120_000);

  it('a round left half-claimed: rolled over, the next round offers both releases; lapsed, only its own', async () => {
    for (const rollover of [true, false]) {
      const c = await roundsCampaign(4, rollover, 5_000);
      const typeId = c.types[0].id as number;
      const crowd = await members(12);
      expect((await Promise.all(crowd.slice(0, 2).map((m) => claim(t, m, c.id, typeId)))).every((r) => r.status === 201)).toBe(true);
      const view = await memberView(crowd[11], c.id);
      expect(view.types[0].remaining).toBe(2);
      await sleep(Math.max(0, new Date(view.round.nextAt).getTime() - Date.now()) + 300);
      expect((await memberView(crowd[11], c.id)).types[0].remaining).toBe(rollover ? 6 : 4);
      const second = await Promise.all(crowd.slice(2, 12).map((m, i) => claim(i % 2 ? other : t, m, c.id, typeId)));
      expect([rollover, second.filter((r) => r.status === 201).length]).toEqual([rollover, rollover ? 6 : 4]);
      expect(second.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'SOLD_OUT')).toBe(true);
      expect(await issued(c.id)).toBe(rollover ? 8 : 6);
    }
  }, 180_000);
});
