import { MESSAGE_RETENTION_DAYS } from '@union/shared';
import { RemindersJob } from '../src/modules/messages/jobs/reminders.job';
import { MessagesRepository } from '../src/modules/messages/messages.repository';
import { MessagesService } from '../src/modules/messages/messages.service';
import { RemindersService } from '../src/modules/messages/reminders.service';
import { newIdNumber, newMobile, startApp, TestApp } from './support/app';
import { activeHousehold, auth, csvOf, thisPeriod, WM } from './support/aid';
import { proposedApplication, VISIT_BODY, applicationBody } from './support/aid-applications';
import { createStation } from './support/stations';
import { idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Issue 14: every event writes exactly one message, in the transaction of the event, to exactly the right
 * accounts — checked by listing EVERY message written during the event (so none for another union's member,
 * another household or staff of another subtree) — and each message has exactly one WeChat outbox row.
 * Then the message centre over HTTP: own messages only, paging, unread count, read, read all.
 */
describe('messages (消息): producers and the message centre', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  const http = () => t.http();
  let staffA: string; // 黄石市总工会 (HB-HS): covers WM
  let staffB: string; // HB-HS too (four-eyes partner)
  let staffJX: string; // another subtree
  const ids = new Map<string, number>();
  const idOf = async (token: string) => {
    if (!ids.has(token)) ids.set(token, (await http().get('/api/me').set(auth(token))).body.id);
    return ids.get(token)!;
  };
  const lastId = async () => Number((await t.db.query('SELECT COALESCE(MAX(id), 0) AS n FROM messages'))[0].n);
  /** Runs `work` and answers every message written meanwhile, as `kind → sorted recipient ids` plus the rows. */
  const during = async (work: () => Promise<unknown>) => {
    const before = await lastId();
    await work();
    const rows: Array<{ id: number; userId: number; kind: string; title: string; body: string; targetPage: string | null }> =
      await t.db.query(`SELECT id, userId, kind, title, body, targetPage FROM messages WHERE id > ${before} ORDER BY id`);
    const byKind: Record<string, number[]> = {};
    for (const r of rows) (byKind[r.kind] ??= []).push(Number(r.userId));
    for (const k of Object.keys(byKind)) byKind[k].sort((a, b) => a - b);
    const deliveries = await t.db.query(`SELECT messageId FROM message_deliveries WHERE messageId > ${before}`);
    expect(deliveries.length).toBe(rows.length); // one outbox row per message and channel
    return { byKind, rows };
  };
  const sorted = (...xs: number[]) => [...xs].sort((a, b) => a - b);
  const ok = (res: { status: number; body: any }, ...codes: number[]) => {
    if (!(codes.length ? codes : [200, 201]).includes(res.status)) throw new Error(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('msg-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('msg-staff-b', 'union_staff', 'HB-HS');
    staffJX = await t.login('msg-staff-jx', 'union_staff', 'JX');
    // a JX member, to be left alone by every event below
    await voucherFixtures(t, staffJX).member({ orgCode: 'JX-YT-GX-ZG' });
  }, 60_000);
  afterAll(() => t.close());

  describe('membership', () => {
    let joinCode: string;
    const apply = async (token: string) => ok(await http().post('/api/membership/applications').set(auth(token)).send({
      joinCode, name: '骑手小李', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true,
    }));
    beforeAll(async () => {
      joinCode = ok(await http().post('/api/membership/join-codes').set(auth(staffA)).send({ orgCode: WM })).code;
    });

    it('approval: one message to the applicant with the member number, none to anyone else', async () => {
      const rider = await t.login('msg-rider-1');
      const app = await apply(rider);
      const { byKind, rows } = await during(async () => ok(await http().post(`/api/membership/applications/${app.id}/approve`).set(auth(staffA))));
      expect(byKind).toEqual({ membership_approved: [await idOf(rider)] });
      const memberNo = (await http().get('/api/membership/card').set(auth(rider))).body.memberNo;
      expect(rows[0].body).toContain(memberNo);
      expect(rows[0].targetPage).toBe('pages/membership/card');
    });

    it('return with reason: one message with the reason; a second reject changes nothing', async () => {
      const rider = await t.login('msg-rider-2');
      const app = await apply(rider);
      const { byKind, rows } = await during(async () => ok(await http().post(`/api/membership/applications/${app.id}/reject`).set(auth(staffA)).send({ reason: '请上传清晰的工作证明' })));
      expect(byKind).toEqual({ membership_returned: [await idOf(rider)] });
      expect(rows[0].body).toContain('请上传清晰的工作证明');
      const again = await during(async () => ok(await http().post(`/api/membership/applications/${app.id}/reject`).set(auth(staffA)).send({ reason: '再次' }), 409));
      expect(again.rows).toEqual([]);
    });

    it('transfer completed: one message to the member', async () => {
      const rider = await t.login('msg-rider-3');
      ok(await http().post(`/api/membership/applications/${(await apply(rider)).id}/approve`).set(auth(staffA)));
      const target = ok(await http().post('/api/membership/join-codes').set(auth(staffJX)).send({ orgCode: 'JX-YT-GX-ZG' })).code;
      const tr = ok(await http().post('/api/membership/transfers').set(auth(rider)).send({ joinCode: target }));
      const { byKind, rows } = await during(async () => ok(await http().post(`/api/membership/applications/${tr.id}/approve`).set(auth(staffJX))));
      expect(byKind).toEqual({ membership_transferred: [await idOf(rider)] });
      expect(rows[0].body).not.toMatch(/\d{17}[\dX]|1\d{10}/); // no ID or mobile number
    });
  });

  describe('aid applications', () => {
    it('submission: received to the applicant, queued to staff covering the org (not JX staff); then info, visit, rejection', async () => {
      const worker = await t.login('msg-worker-1');
      let appId = 0;
      const sub = await during(async () => { appId = ok(await http().post('/api/aid/applications').set(auth(worker)).send(applicationBody())).id; });
      expect(sub.byKind).toEqual({ aid_application_received: [await idOf(worker)], aid_application_queued: sorted(await idOf(staffA), await idOf(staffB)) });
      expect(sub.rows.find((r) => r.kind === 'aid_application_queued')!.body).toMatch(/\*/); // masked name only
      ok(await http().post(`/api/aid/applications/${appId}/accept`).set(auth(staffA)));
      const info = await during(async () => ok(await http().post(`/api/aid/applications/${appId}/request-info`).set(auth(staffA)).send({ question: '请补充医院诊断证明' })));
      expect(info.byKind).toEqual({ aid_application_info_requested: [await idOf(worker)] });
      expect(info.rows[0].body).toContain('医院诊断证明');
      ok(await http().post(`/api/aid/applications/${appId}/answer`).set(auth(worker)).send({ answer: '已上传' }));
      const visit = await during(async () => ok(await http().post(`/api/aid/applications/${appId}/visit-schedule`).set(auth(staffA)).send({ date: '2026-12-20' })));
      expect(visit.byKind).toEqual({ aid_application_visit_scheduled: [await idOf(worker)] });
      expect(visit.rows[0].body).toContain('2026年12月20日');
      ok(await http().post(`/api/aid/applications/${appId}/visit`).set(auth(staffA)).send(VISIT_BODY));
      const rej = await during(async () => ok(await http().post(`/api/aid/applications/${appId}/decision`).set(auth(staffA)).send({ decision: 'reject', reason: '家庭人均收入高于标准' })));
      expect(rej.byKind).toEqual({ aid_application_rejected: [await idOf(worker)] });
      expect(rej.rows[0].body).toContain('家庭人均收入高于标准');
    });

    it('approval: one message to the applicant; a rolled-back approval leaves no message', async () => {
      const worker = await t.login('msg-worker-2');
      const handler = await t.login('msg-handler', 'union_staff', 'HB-HS');
      const { id } = await proposedApplication(t, worker, handler, {}, { decision: 'approve', level: 'relative', payout: { aidType: 'medical', amountFen: 50_000 } });
      await t.login('msg-handler', 'union_staff', 'JX'); // the handler moves away: the payout step fails inside the confirmation
      const failed = await during(async () => {
        const res = await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      });
      expect(failed.rows).toEqual([]);
      await t.login('msg-handler', 'union_staff', 'HB-HS');
      const done = await during(async () => ok(await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB))));
      expect(done.byKind).toEqual({ aid_application_approved: [await idOf(worker)] });
      await t.login('msg-handler', 'union_staff', 'JX'); // out of the way of the staff lists below
    });
  });

  describe('aid overdue digest', () => {
    it('once a day from 09:00, to staff whose subtree holds an application not accepted within 24 hours', async () => {
      const worker = await t.login('msg-worker-late');
      const app = ok(await http().post('/api/aid/applications').set(auth(worker)).send(applicationBody()));
      const reminders = t.app.get(RemindersService);
      const base = Date.now() + 25 * 3600_000;
      const d = new Date(base);
      let tenAm = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 2); // 10:00 Asia/Shanghai
      if (tenAm < base) tenAm += 86_400_000;
      const early = await during(() => reminders.aidOverdueDigest(new Date(tenAm - 3 * 3600_000))); // 07:00: not yet
      expect(early.rows).toEqual([]);
      const digest = await during(() => reminders.aidOverdueDigest(new Date(tenAm)));
      expect(digest.byKind).toEqual({ aid_application_overdue_digest: sorted(await idOf(staffA), await idOf(staffB)) });
      expect(digest.rows[0].body).toContain('1件');
      const again = await during(() => reminders.aidOverdueDigest(new Date(tenAm + 3600_000)));
      expect(again.rows).toEqual([]);
      ok(await http().post(`/api/aid/applications/${app.id}/accept`).set(auth(staffA)));
    });
  });

  describe('aid payouts', () => {
    it('paid: the amount only to accounts bound to that household; returned by the bank: to staff of the subtree only', async () => {
      const h1 = await activeHousehold(t, staffA, staffB, { level: 'severe' });
      const h2 = await activeHousehold(t, staffA, staffB, { level: 'severe' });
      const bound1 = await t.login('msg-bound-1');
      const bound1b = await t.login('msg-bound-1b');
      const bound2 = await t.login('msg-bound-2');
      for (const [token, h] of [[bound1, h1], [bound1b, h1], [bound2, h2]] as const) {
        ok(await http().post('/api/aid/bindings').set(auth(token)).send({ code: h.code, name: h.body.headName, idLast6: h.body.idNumber.slice(-6) }));
      }
      const batch = ok(await http().post('/api/aid/payout-batches').set(auth(staffA)).send({ period: thisPeriod(), aidType: 'living', amountsByLevel: { severe: 61_050, relative: 30_000, sudden: 20_000 }, orgCode: WM }));
      ok(await http().post(`/api/aid/payout-batches/${batch.id}/approve`).set(auth(staffB)));
      const file = csvOf([['household', 'amount', 'status', 'bankRef', 'date', 'reason'], [h1.id, '610.50', 'success', `MSG${batch.id}A`, '2026-11-26', ''], [h2.id, '610.50', 'failed', `MSG${batch.id}B`, '2026-11-26', '账户已销户']]);
      const { byKind, rows } = await during(async () => {
        const report = ok(await http().post(`/api/aid/payout-batches/${batch.id}/bank-results`).set(auth(staffA)).send({ csv: file }));
        expect([report.paid, report.failed]).toEqual([1, 1]);
      });
      expect(byKind).toEqual({ aid_payout_paid: sorted(await idOf(bound1), await idOf(bound1b)), aid_payout_returned: sorted(await idOf(staffA), await idOf(staffB)) });
      for (const r of rows.filter((x) => x.kind === 'aid_payout_paid')) expect(r.body).toContain('610.50');
      for (const r of rows.filter((x) => x.kind === 'aid_payout_returned')) {
        expect(r.body).toContain('账户已销户');
        expect(r.body).not.toContain('610.50');
      }
      const again = await during(async () => ok(await http().post(`/api/aid/payout-batches/${batch.id}/bank-results`).set(auth(staffA)).send({ csv: file })));
      expect(again.rows).toEqual([]);
    });
  });

  describe('vouchers and stations', () => {
    it('redemption: a receipt to the voucher holder only (merchant and amount)', async () => {
      const fx = voucherFixtures(t, staffA);
      const member = await fx.member();
      const { token: clerk, merchant } = await fx.merchant();
      const campaign = await fx.campaign();
      const voucher = ok(await http().post(`/api/vouchers/campaigns/${campaign.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: campaign.types[0].id }));
      const code = ok(await http().get(`/api/vouchers/my/vouchers/${voucher.id}/code`).set(auth(member))).code;
      const key = idemKey();
      const { byKind, rows } = await during(async () => {
        ok(await http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', key).send({ redemptionCode: code, orderAmountFen: 12_345 }));
        ok(await http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', key).send({ redemptionCode: code, orderAmountFen: 12_345 })); // a retry
      });
      expect(byKind).toEqual({ voucher_redeemed: [await idOf(member)] });
      expect(rows[0].body).toContain(merchant.name);
      expect(rows[0].body).toContain('123.45');
    });

    it('settlement ready: the next day, to the clerks of each merchant with redemptions, once', async () => {
      const reminders = t.app.get(RemindersService);
      const tomorrow = new Date(Date.now() + 86_400_000);
      const first = await during(() => reminders.settlementsReady(null, tomorrow));
      expect(Object.keys(first.byKind)).toEqual(['settlement_ready']);
      const clerks: Array<{ userId: number }> = await t.db.query("SELECT DISTINCT c.userId FROM merchant_clerks c JOIN voucher_redemptions r ON r.merchantId = c.merchantId AND r.status = 'active'");
      expect(first.byKind.settlement_ready).toEqual(sorted(...clerks.map((c) => Number(c.userId))));
      const again = await during(() => reminders.settlementsReady(null, tomorrow));
      expect(again.rows).toEqual([]);
    });

    it('a station report answered: one message to the reporter', async () => {
      const keeperToken = await t.login('msg-keeper', 'station_keeper', 'HB-HS-HSG');
      const station = await createStation(t, staffA, { keeperUserId: await idOf(keeperToken) });
      const reporter = await t.login('msg-reporter');
      const report = ok(await http().post(`/api/stations/${station.id}/reports`).set(auth(reporter)).send({ kind: 'other', note: '饮水机坏了' }));
      const { byKind, rows } = await during(async () => ok(await http().post(`/api/stations/reports/${report.id}/handle`).set(auth(keeperToken))));
      expect(byKind).toEqual({ station_report_answered: [await idOf(reporter)] });
      expect(rows[0].targetPage).toBe(`pages/stations/detail?id=${station.id}`);
      const again = await during(async () => ok(await http().post(`/api/stations/reports/${report.id}/handle`).set(auth(keeperToken)), 409));
      expect(again.rows).toEqual([]);
    });
  });

  describe('reminders', () => {
    it('提醒我: members of the lineage only; the opening reminder once however often the job runs', async () => {
      const fx = voucherFixtures(t, staffA);
      const member = await fx.member();
      const other = await fx.member();
      const jxMember = await voucherFixtures(t, staffJX).member({ orgCode: 'JX-YT-GX-ZG' });
      const start = Date.now() + 30 * 60_000;
      const campaign = await fx.campaign({ claimStartAt: new Date(start).toISOString(), validFrom: new Date(start).toISOString() });
      expect(ok(await http().post(`/api/vouchers/campaigns/${campaign.id}/reminders`).set(auth(member))).campaignId).toBe(campaign.id);
      ok(await http().post(`/api/vouchers/campaigns/${campaign.id}/reminders`).set(auth(member))); // a second tap
      const listed = async (token: string) => ok(await http().get('/api/vouchers/campaigns?pageSize=100').set(auth(token))).items.find((c: any) => c.id === campaign.id);
      expect((await listed(member)).reminded).toBe(true);
      expect((await listed(other)).reminded).toBe(false);
      expect((await http().post(`/api/vouchers/campaigns/${campaign.id}/reminders`).set(auth(jxMember))).status).toBe(404);
      expect([403, 404]).toContain((await http().post(`/api/vouchers/campaigns/${campaign.id}/reminders`).set(auth(staffA))).status); // not a member
      const job = t.app.get(RemindersJob);
      const early = await during(() => job.runOnce(new Date(start - 15 * 60_000)));
      expect(early.byKind.campaign_opening).toBeUndefined();
      const due = await during(() => job.runOnce(new Date(start - 9 * 60_000)));
      expect(due.byKind.campaign_opening).toEqual([await idOf(member)]);
      expect(due.rows.find((r) => r.kind === 'campaign_opening')!.targetPage).toBe(`pages/vouchers/index?campaignId=${campaign.id}`);
      await t.app.get(MessagesService).releaseLease('reminders:campaign-opening');
      const twice = await during(() => job.runOnce(new Date(start - 8 * 60_000)));
      expect(twice.byKind.campaign_opening).toBeUndefined();
      expect(await idOf(other)).toBeGreaterThan(0);
      // an opened campaign cannot be asked for any more
      const open = await fx.campaign();
      expect((await http().post(`/api/vouchers/campaigns/${open.id}/reminders`).set(auth(member))).body.code).toBe('CAMPAIGN_ALREADY_OPEN');
    });

    it('two processes run the schedule at once: each reminder written once; a reminder due in quiet hours waits for 08:00 on WeChat', async () => {
      const second = await startApp({}, { databaseUrl: t.databaseUrl, keyFile: t.keyFile });
      try {
        const fx = voucherFixtures(t, staffA);
        const members = [await fx.member(), await fx.member(), await fx.member()];
        // the next 23:00 Asia/Shanghai (15:00 UTC) at least an hour away
        const day = new Date(Date.now() + 3600_000);
        let start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 15, 0, 0);
        if (start < Date.now() + 3600_000) start += 86_400_000;
        const campaign = await fx.campaign({
          claimStartAt: new Date(start).toISOString(), claimEndAt: new Date(start + 86_400_000).toISOString(),
          validFrom: new Date(start).toISOString(), validUntil: new Date(start + 30 * 86_400_000).toISOString(),
        });
        for (const m of members) ok(await http().post(`/api/vouchers/campaigns/${campaign.id}/reminders`).set(auth(m)));
        const at = new Date(start - 9 * 60_000); // 22:51 Shanghai
        const both = await during(() => Promise.all([t.app.get(RemindersJob).runOnce(at), second.app.get(RemindersJob).runOnce(at)]));
        expect(both.byKind.campaign_opening).toEqual(sorted(...(await Promise.all(members.map(idOf)))));
        const held: Array<{ nextAttemptAt: string | Date }> = await t.db.query(`SELECT nextAttemptAt FROM message_deliveries WHERE messageId IN (${both.rows.map((r) => r.id).join(',')})`);
        const morning = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), new Date(start).getUTCDate() + 1);
        for (const h of held) expect(new Date(typeof h.nextAttemptAt === 'string' ? h.nextAttemptAt.replace(' ', 'T') + 'Z' : h.nextAttemptAt).getTime()).toBe(morning);
      } finally {
        await second.close();
      }
    }, 60_000);

    it('voucher expiring in 3 days: one message per voucher to its holder, caught up after downtime, never twice', async () => {
      const fx = voucherFixtures(t, staffA);
      const member = await fx.member();
      const now = Date.now();
      const campaign = await fx.campaign({
        validUntil: new Date(now + 5 * 86_400_000).toISOString(), perMemberLimit: 3,
        types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 3 }],
      });
      const claim = async () => ok(await http().post(`/api/vouchers/campaigns/${campaign.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: campaign.types[0].id }));
      const v = await claim();
      await claim();
      await claim();
      const job = t.app.get(RemindersJob);
      const svc = t.app.get(MessagesService);
      await svc.releaseLease('reminders:voucher-expiry');
      await job.runOnce(new Date(now));
      const before = (await during(async () => undefined)).rows; // nothing pending
      expect(before).toEqual([]);
      // the servers were down for a day and a half: the next run, 2.5 days before expiry, catches up
      await svc.releaseLease('reminders:voucher-expiry');
      const late = await during(() => job.runOnce(new Date(now + 2.5 * 86_400_000)));
      const mine = late.rows.filter((r) => r.kind === 'voucher_expiring' && r.targetPage === `pages/vouchers/detail?id=${v.id}`);
      expect(mine.map((r) => Number(r.userId))).toEqual([await idOf(member)]);
      await svc.releaseLease('reminders:voucher-expiry');
      const again = await during(() => job.runOnce(new Date(now + 2.6 * 86_400_000)));
      expect(again.rows.filter((r) => r.targetPage === `pages/vouchers/detail?id=${v.id}`)).toEqual([]);
      // the job reads the window page by page in (validUntil, id) order
      const repo = t.app.get(MessagesRepository);
      const window: [Date, Date] = [new Date(now), new Date(now + 40 * 86_400_000)];
      const all = await repo.expiringVouchers(...window, null, 1000);
      expect(all.length).toBeGreaterThan(2);
      const paged: number[] = [];
      for (let from: { validUntil: Date; id: number } | null = null; ;) {
        const page = await repo.expiringVouchers(...window, from, 2);
        if (!page.length) break;
        paged.push(...page.map((x) => x.id));
        from = page[page.length - 1];
      }
      expect(paged).toEqual(all.map((x) => x.id));
    });
  });

  describe('the message centre', () => {
    let rider: string;
    beforeAll(async () => {
      rider = await t.login('msg-centre');
      const jc = ok(await http().post('/api/membership/join-codes').set(auth(staffA)).send({ orgCode: WM })).code;
      const app = ok(await http().post('/api/membership/applications').set(auth(rider)).send({ joinCode: jc, name: '骑手小周', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true }));
      ok(await http().post(`/api/membership/applications/${app.id}/approve`).set(auth(staffA)));
      const fx = voucherFixtures(t, staffA);
      const campaign = await fx.campaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 2 }] });
      const { token: clerk } = await fx.merchant();
      for (let i = 0; i < 2; i++) {
        const v = ok(await http().post(`/api/vouchers/campaigns/${campaign.id}/claims`).set(auth(rider)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: campaign.types[0].id }));
        const code = ok(await http().get(`/api/vouchers/my/vouchers/${v.id}/code`).set(auth(rider))).code;
        ok(await http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen: 10_000 + i }));
      }
    }, 60_000);

    it('lists only the caller\'s messages, newest first, paged; unread count; read; read all', async () => {
      const page1 = ok(await http().get('/api/messages?pageSize=2').set(auth(rider)));
      expect(page1.total).toBe(3);
      expect(page1.items.map((m: any) => m.kind)).toEqual(['voucher_redeemed', 'voucher_redeemed']);
      const page2 = ok(await http().get('/api/messages?pageSize=2&page=2').set(auth(rider)));
      expect(page2.items.map((m: any) => m.kind)).toEqual(['membership_approved']);
      expect(ok(await http().get('/api/messages/unread-count').set(auth(rider))).unread).toBe(3);
      const read = ok(await http().post(`/api/messages/${page2.items[0].id}/read`).set(auth(rider)));
      expect(read.readAt).toEqual(expect.any(String));
      expect(ok(await http().get('/api/messages/unread-count').set(auth(rider))).unread).toBe(2);
      expect(ok(await http().get('/api/messages?unread=true').set(auth(rider))).total).toBe(2);
      // another account's message: 404, and its unread state untouched
      const stranger = await t.login('msg-stranger');
      expect(ok(await http().get('/api/messages').set(auth(stranger))).total).toBe(0);
      const refused = await http().post(`/api/messages/${page1.items[0].id}/read`).set(auth(stranger));
      expect([refused.status, refused.body.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
      expect(ok(await http().post('/api/messages/read-all').set(auth(stranger))).marked).toBe(0);
      expect(ok(await http().get('/api/messages/unread-count').set(auth(rider))).unread).toBe(2);
      expect(ok(await http().post('/api/messages/read-all').set(auth(rider))).marked).toBe(2);
      expect(ok(await http().get('/api/messages/unread-count').set(auth(rider))).unread).toBe(0);
    });

    it('refuses malformed input with a 400 and a code', async () => {
      for (const [method, path, body] of [['get', '/api/messages?pageSize=1000'], ['get', '/api/messages?unread=maybe'], ['post', '/api/messages/abc/read'],
        ['post', '/api/messages/subscriptions', { answers: { membership: 'yes' } }], ['post', '/api/messages/subscriptions', { answers: { nosuch: 'accept' } }],
        ['post', '/api/messages/subscriptions', {}]] as Array<[string, string, object?]>) {
        let req = (http() as any)[method](path).set(auth(rider));
        if (body) req = req.send(body);
        const res = await req;
        expect([path, res.status, typeof res.body.code]).toEqual([path, 400, 'string']);
      }
    });

    it('records subscribe grants: only accepted answers of configured topics count', async () => {
      const res = ok(await http().post('/api/messages/subscriptions').set(auth(rider)).send({ answers: { membership: 'accept', voucher: 'reject' } }));
      expect(res.granted).toEqual([]); // no templates configured in this app
      expect(ok(await http().get('/api/messages/subscribe-templates').set(auth(rider))).templates).toEqual({});
    });

    it('keeps messages 180 days', async () => {
      const svc = t.app.get(MessagesService);
      const total = Number((await t.db.query('SELECT COUNT(*) AS n FROM messages'))[0].n);
      expect(await svc.purgeExpired(new Date(Date.now() + (MESSAGE_RETENTION_DAYS - 1) * 86_400_000))).toBe(0);
      expect(await svc.purgeExpired(new Date(Date.now() + (MESSAGE_RETENTION_DAYS + 10) * 86_400_000))).toBe(total);
      expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM message_deliveries'))[0].n)).toBe(0);
      expect(ok(await http().get('/api/messages').set(auth(rider))).total).toBe(0);
    });
  });
});
