import { parse } from 'csv-parse/sync';
import { startApp, TestApp } from './support/app';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Issue 15, items 5 and 6: spending driven by employer and by merchant (pages, CSV exports) and the staff
 * campaign page's one request, through real HTTP on SQLite and MySQL. The expected figures are summed here
 * from the ledger of what the test itself did, not read back from the server.
 */
describe('voucher campaign statistics by employer and merchant, and the live page', () => {
  let t: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('stats-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(() => t.close());

  type Campaign = { id: number; types: Array<{ id: number; faceValueFen: number }> };
  const claim = async (token: string, c: Campaign, typeIndex = 0) => {
    const res = await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(token)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[typeIndex].id });
    if (res.status !== 201) throw new Error(`claim: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number };
  };
  const redeem = async (member: string, clerk: string, voucherId: number, orderAmountFen: number) => {
    const code = (await t.http().get(`/api/vouchers/my/vouchers/${voucherId}/code`).set(auth(member))).body.code;
    const res = await t.http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen });
    if (res.status !== 201) throw new Error(`redeem: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number };
  };
  const csvRows = (text: string): string[][] => parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false });
  const yuan = (fen: number) => (fen / 100).toFixed(2);

  it('sums claims, redemptions and spending per employer and per merchant, paged by amount, exported as CSV and audited', async () => {
    const c = (await fx.campaign({
      perMemberLimit: 2,
      types: [
        { name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 1 },
        { name: '满20减5', faceValueFen: 500, minSpendFen: 2000, quantity: 100, perMemberLimit: 1 },
      ],
    })) as Campaign;
    const other = (await fx.campaign()) as Campaign;
    const x = await fx.merchant({ name: '黄石好味餐馆' });
    const y = await fx.merchant({ name: '=HYPERLINK("x")超市', category: 'supermarket' });

    // the ledger: every voucher of `c` claimed here, who holds it, where it was redeemed, for how much, and whether it stands
    type Entry = { employer: string | null; memberKey: string; faceFen: number; merchantId?: number; orderFen?: number; active?: boolean };
    const ledger: Entry[] = [];
    const member = async (key: string, employer: string | null) => ({ key, employer, token: await fx.member(employer ? { platform: employer } : {}) });
    const m1 = await member('m1', '美团');
    const m2 = await member('m2', '美团');
    const m3 = await member('m3', '=饿了么');
    const m4 = await member('m4', null);
    const m5 = await member('m5', '顺丰');

    const take = async (m: { key: string; employer: string | null; token: string }, typeIndex: number) => {
      const v = await claim(m.token, c, typeIndex);
      const e: Entry = { employer: m.employer, memberKey: m.key, faceFen: c.types[typeIndex].faceValueFen };
      ledger.push(e);
      return { v, e, m };
    };
    const use = async (h: { v: { id: number }; e: Entry; m: { token: string } }, clerk: { token: string; merchant: { id: number } }, orderFen: number) => {
      const r = await redeem(h.m.token, clerk.token, h.v.id, orderFen);
      Object.assign(h.e, { merchantId: clerk.merchant.id, orderFen, active: true });
      return r;
    };
    await use(await take(m1, 0), x, 15_000);
    await use(await take(m1, 1), y, 3_000);
    await use(await take(m2, 0), y, 12_050);
    await use(await take(m3, 0), x, 20_000);
    const reversed = await take(m3, 1);
    const r = await use(reversed, x, 2_500);
    expect((await t.http().post(`/api/vouchers/redemptions/${r.id}/reverse`).set(auth(x.token))).status).toBe(200);
    reversed.e.active = false;
    await take(m4, 0);
    await use(await take(m5, 0), y, 10_000);
    // another campaign's voucher redeemed at the same merchant must not count
    const foreign = await claim(m2.token, other);
    await redeem(m2.token, x.token, foreign.id, 99_900);

    // expected, summed from the ledger
    const active = (e: Entry) => e.active === true;
    const employers = [...new Set(ledger.map((e) => e.employer))].map((employer) => {
      const es = ledger.filter((e) => e.employer === employer);
      return {
        employer, members: new Set(es.map((e) => e.memberKey)).size, claimed: es.length, claimedFen: es.reduce((s, e) => s + e.faceFen, 0),
        redeemed: es.filter(active).length, redeemedFen: es.filter(active).reduce((s, e) => s + e.faceFen, 0),
        drivenSpendingFen: es.filter(active).reduce((s, e) => s + e.orderFen!, 0),
      };
    }).sort((a, b) => b.drivenSpendingFen - a.drivenSpendingFen || b.redeemedFen - a.redeemedFen);
    const merchants = [x, y].map(({ merchant }) => {
      const es = ledger.filter((e) => active(e) && e.merchantId === merchant.id);
      return { merchantId: merchant.id, redeemed: es.length, redeemedFen: es.reduce((s, e) => s + e.faceFen, 0), drivenSpendingFen: es.reduce((s, e) => s + e.orderFen!, 0) };
    }).sort((a, b) => b.drivenSpendingFen - a.drivenSpendingFen);
    // the data is chosen so that no two rows tie on spending (their order is then fully determined)
    expect(new Set(employers.map((e) => e.drivenSpendingFen)).size).toBe(employers.length);

    const byEmployer = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/employers`).set(auth(staff));
    expect(byEmployer.status).toBe(200);
    expect(byEmployer.body.total).toBe(employers.length);
    expect(byEmployer.body.items).toEqual(employers);

    // paged: one row per page, in the same order
    for (let page = 1; page <= employers.length; page++) {
      const one = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/employers?page=${page}&pageSize=1`).set(auth(staff));
      expect(one.body).toEqual({ items: [employers[page - 1]], total: employers.length, page, pageSize: 1 });
    }

    const byMerchant = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/merchants?pageSize=10`).set(auth(staff));
    expect(byMerchant.status).toBe(200);
    expect(byMerchant.body.total).toBe(2);
    expect(byMerchant.body.items.map((m: any) => ({ merchantId: m.merchantId, redeemed: m.redeemed, redeemedFen: m.redeemedFen, drivenSpendingFen: m.drivenSpendingFen }))).toEqual(merchants);
    expect(byMerchant.body.items.find((m: any) => m.merchantId === y.merchant.id)).toMatchObject({ merchantName: y.merchant.name, category: 'supermarket', org: { code: 'HB-HS-HSG' } });

    // CSV exports: one row per employer/merchant plus 合计, amounts in yuan, formula cells neutralised
    const ecsv = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/employers.csv`).set(auth(staff));
    expect(ecsv.status).toBe(200);
    expect(ecsv.headers['content-type']).toMatch(/text\/csv/);
    expect(ecsv.text.startsWith('\uFEFF')).toBe(true);
    const erows = csvRows(ecsv.text);
    expect(erows[0]).toEqual(['工作单位/平台', '领券会员数', '领券张数', '领券面额(元)', '核销张数', '核销面额(元)', '带动消费(元)']);
    expect(erows.slice(1, -1)).toEqual(employers.map((e) => [
      e.employer === null ? '未填写' : e.employer.startsWith('=') ? `'${e.employer}` : e.employer,
      String(e.members), String(e.claimed), yuan(e.claimedFen), String(e.redeemed), yuan(e.redeemedFen), yuan(e.drivenSpendingFen),
    ]));
    const sum = (k: 'redeemedFen' | 'drivenSpendingFen' | 'claimedFen') => employers.reduce((s, e) => s + e[k], 0);
    expect(erows.at(-1)).toEqual(['合计', '5', String(ledger.length), yuan(sum('claimedFen')), String(ledger.filter(active).length), yuan(sum('redeemedFen')), yuan(sum('drivenSpendingFen'))]);

    const mcsv = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/merchants.csv`).set(auth(staff));
    expect(mcsv.status).toBe(200);
    const mrows = csvRows(mcsv.text);
    expect(mrows[0]).toEqual(['商户ID', '商户名称', '品类', '所属工会', '核销张数', '核销面额(元)', '带动消费(元)']);
    expect(mrows.slice(1, -1).map((row) => [row[0], row[4], row[5], row[6]])).toEqual(merchants.map((m) => [String(m.merchantId), String(m.redeemed), yuan(m.redeemedFen), yuan(m.drivenSpendingFen)]));
    expect(mrows.find((row) => row[0] === String(y.merchant.id))![1]).toBe(`'${y.merchant.name}`);
    expect(mrows.find((row) => row[0] === String(x.merchant.id))![2]).toBe('餐饮');
    expect(mrows.at(-1)).toEqual(['合计', '', '', '', String(ledger.filter(active).length), yuan(sum('redeemedFen')), yuan(sum('drivenSpendingFen'))]);

    const audit = await t.db.query(`SELECT entityType, entityId, fields FROM audit_logs WHERE action = 'export' AND entityType = 'voucher_campaign' ORDER BY id`);
    expect(audit.map((a: any) => [a.entityType, Number(a.entityId), a.fields])).toEqual([
      ['voucher_campaign', c.id, `spending_by_employer,rows:${employers.length}`],
      ['voucher_campaign', c.id, 'spending_by_merchant,rows:2'],
    ]);

    // the live page: the same figures in one answer
    const live = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/live`).set(auth(staff));
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({
      campaignId: c.id, status: 'published', phase: 'open', pausedAt: null, soldOutAt: null,
      claimedCount: ledger.length, claimedFen: sum('claimedFen'), redeemedCount: ledger.filter(active).length,
      redeemedFen: sum('redeemedFen'), drivenSpendingFen: sum('drivenSpendingFen'),
      redemptionRate: Math.round((ledger.filter(active).length / ledger.length) * 10_000) / 10_000,
      employerCount: employers.length, merchantCount: 2,
    });
    expect(live.body.topEmployers).toEqual(employers.slice(0, 5));
    expect(live.body.topMerchants.map((m: any) => m.merchantId)).toEqual(merchants.map((m) => m.merchantId));
    // every claim of this test happened within the last ten minutes, most of them within the last one
    expect(live.body.claimRate.perMinute).toHaveLength(10);
    expect(live.body.claimRate.perMinute.reduce((s: number, k: number) => s + k, 0)).toBe(ledger.length);
    expect(live.body.claimRate.lastMinute).toBe(live.body.claimRate.perMinute[9]);
    expect(live.body.types.map((ty: any) => [ty.id, ty.claimed, ty.remaining, ty.soldOutAt])).toEqual([
      [c.types[0].id, ledger.filter((e) => e.faceFen === 2000).length, 100 - ledger.filter((e) => e.faceFen === 2000).length, null],
      [c.types[1].id, ledger.filter((e) => e.faceFen === 500).length, 100 - ledger.filter((e) => e.faceFen === 500).length, null],
    ]);
  }, 180_000);

  it('the live page shows a sold-out time once every type is gone, and the pause', async () => {
    const c = (await fx.campaign({ types: [{ name: '限量券', faceValueFen: 1000, minSpendFen: 5000, quantity: 2, perMemberLimit: 1 }] })) as Campaign;
    const before = Date.now();
    await claim(await fx.member(), c);
    const lastOne = await fx.member();
    await claim(lastOne, c);
    const after = Date.now();
    expect((await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/pause`).set(auth(staff)).send({})).status).toBe(200);
    const live = (await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/live`).set(auth(staff))).body;
    expect(live.types[0]).toMatchObject({ quantity: 2, claimed: 2, remaining: 0 });
    const soldOut = Date.parse(live.soldOutAt);
    expect(soldOut).toBeGreaterThanOrEqual(before - 1000);
    expect(soldOut).toBeLessThanOrEqual(after + 1000);
    expect(live.types[0].soldOutAt).toBe(live.soldOutAt);
    expect(live.pausedAt).toEqual(expect.any(String));
    expect(live.redemptionRate).toBe(0);
    expect(live).toMatchObject({ topMerchants: [], merchantCount: 0, employerCount: 1, topEmployers: [{ employer: null, members: 2, claimed: 2, claimedFen: 2000, redeemed: 0, redeemedFen: 0, drivenSpendingFen: 0 }] });

    // the member's campaign list says it is paused
    const mine = await t.http().get('/api/vouchers/campaigns?pageSize=100').set(auth(lastOne));
    expect(mine.body.items.find((x: any) => x.id === c.id).paused).toBe(true);
  }, 120_000);

  it('is confined to staff of the campaign\'s subtree; a campaign with nothing yet answers zeros; malformed paging is 400', async () => {
    const c = (await fx.campaign()) as Campaign;
    const outside = await t.login('stats-staff-district', 'union_staff', 'HB-HS-HSG');
    for (const path of ['stats/employers', 'stats/employers.csv', 'stats/merchants', 'stats/merchants.csv', 'live']) {
      const res = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/${path}`).set(auth(outside));
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'CAMPAIGN_NOT_FOUND']);
    }
    const member = await fx.member();
    expect((await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/live`).set(auth(member))).status).toBe(403);

    expect((await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/employers`).set(auth(staff))).body).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    const empty = (await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/live`).set(auth(staff))).body;
    expect(empty).toMatchObject({ claimedCount: 0, redemptionRate: null, soldOutAt: null, topEmployers: [], topMerchants: [], claimRate: { lastMinute: 0 } });
    const csv = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/merchants.csv`).set(auth(staff));
    expect(csvRows(csv.text)).toEqual([['商户ID', '商户名称', '品类', '所属工会', '核销张数', '核销面额(元)', '带动消费(元)'], ['合计', '', '', '', '0', '0.00', '0.00']]);

    for (const q of ['page=0', 'pageSize=1000', 'page=x', 'sort=1']) {
      const bad = await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/stats/merchants?${q}`).set(auth(staff));
      expect([q, bad.status, bad.body.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    expect((await t.http().get('/api/vouchers/manage/campaigns/abc/live').set(auth(staff))).status).toBe(400);
  }, 120_000);
});
