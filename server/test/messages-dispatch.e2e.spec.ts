import { newIdNumber, newMobile, startApp, TestApp } from './support/app';
import { auth, WM } from './support/aid';
import { testDatabaseKind } from './support/db';
import { FakeWechat, startFakeWechat } from './support/fake-wechat';

/**
 * Issue 14: the outbox dispatcher delivers WeChat subscribe messages through the API base URL in config, to a
 * fake WeChat server reached over real HTTP: the access token is fetched once and cached, refreshed on 40001;
 * an account without a grant, or refused (43101), gets the in-app message only and no retry loop; WeChat down
 * for 10 s and then back → every message delivered exactly once; on MySQL two processes dispatch the same outbox
 * (SELECT … FOR UPDATE SKIP LOCKED) without a double send; a message failing for 24 hours is marked failed and
 * listed to staff of the recipient's subtree only.
 */
describe('message dispatch to WeChat (fake WeChat over HTTP)', () => {
  let wechat: FakeWechat;
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let staff: string;
  let joinCode: string;
  let seq = 0;
  const http = () => t.http();
  const env = () => ({
    WECHAT_API_BASE: wechat.base, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret',
    WECHAT_TEMPLATES: 'membership=tpl-membership,voucher=tpl-voucher', NOTIFY_DISPATCH: 'true', NOTIFY_POLL_MS: '100', NOTIFY_RETRY_BASE_SECONDS: '1',
  });
  const ok = (res: { status: number; body: any }) => {
    if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  /** A rider logged in through WeChat (openid) who applied to join; `grant` records an accepted requestSubscribeMessage. */
  const rider = async (prefix = 'openid', grant = true) => {
    const openid = `${prefix}-${process.pid}-${++seq}`;
    const login = ok(await http().post('/api/auth/wechat').send({ code: `ok:${openid}` }));
    const token = login.accessToken as string;
    if (grant) expect(ok(await http().post('/api/messages/subscriptions').set(auth(token)).send({ answers: { membership: 'accept', aid_payout: 'reject' } })).granted).toEqual(['membership']);
    const app = ok(await http().post('/api/membership/applications').set(auth(token)).send({
      joinCode, name: '骑手小吴', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true,
    }));
    return { openid, token, appId: app.id as number, userId: login.user.id as number };
  };
  const approve = async (appId: number) => ok(await http().post(`/api/membership/applications/${appId}/approve`).set(auth(staff)));
  const deliveriesOf = async (userIds: number[]): Promise<Array<{ userId: number; status: string; attempts: number; lastError: string | null }>> =>
    (await t.db.query(`SELECT userId, status, attempts, lastError FROM message_deliveries WHERE userId IN (${userIds.join(',')}) ORDER BY userId`))
      .map((d: any) => ({ userId: Number(d.userId), status: d.status, attempts: Number(d.attempts), lastError: d.lastError }));
  /** Waits until no delivery of these accounts is pending or sending. */
  const settled = async (userIds: number[], timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const rows = await deliveriesOf(userIds);
      if (rows.length === userIds.length && rows.every((r) => r.status !== 'pending' && r.status !== 'sending')) return rows;
      if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const sendsTo = (openid: string) => wechat.sends.filter((s) => s.touser === openid);
  const attemptsTo = (openid: string) => wechat.sendAttempts.filter((s) => s.touser === openid);

  beforeAll(async () => {
    wechat = await startFakeWechat();
    t = await startApp(env());
    staff = await t.login('disp-staff', 'union_staff', 'HB-HS');
    joinCode = ok(await http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: WM })).code;
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  it('sends one subscribe message per message with a cached token, carrying no personal data', async () => {
    const riders = [await rider(), await rider(), await rider()];
    for (const r of riders) await approve(r.appId);
    const rows = await settled(riders.map((r) => r.userId));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    for (const r of riders) {
      const sent = sendsTo(r.openid);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ template_id: 'tpl-membership', page: 'pages/membership/card', miniprogram_state: 'developer' });
      const text = JSON.stringify(sent[0].data);
      expect(text).toContain('入会申请已通过');
      expect(text).not.toMatch(/GH\d+|骑手|\d{17}[\dX]|1\d{10}/); // no member number, name, ID or mobile number
    }
    expect(wechat.tokensIssued).toHaveLength(1);
    expect(wechat.requests.filter((u) => u.pathname === '/cgi-bin/token').every((u) => u.searchParams.get('grant_type') === 'client_credential' && u.searchParams.get('appid') === 'wx-test-app')).toBe(true);
  }, 60_000);

  it('no grant → in-app only without a request; refused (43101) → in-app only after one request, never retried', async () => {
    const noGrant = await rider('openid', false);
    const refused = await rider('refused');
    await approve(noGrant.appId);
    await approve(refused.appId);
    const rows = await settled([noGrant.userId, refused.userId]);
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([['in_app_only', 'no subscription grant'], ['in_app_only', 'errcode 43101']]);
    expect(attemptsTo(noGrant.openid)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1500)); // several dispatcher polls later
    expect(attemptsTo(refused.openid)).toEqual([{ touser: refused.openid, errcode: 43101 }]);
    expect(Number((await t.db.query(`SELECT remaining FROM message_grants WHERE userId = ${refused.userId}`))[0].remaining)).toBe(0);
    // the message centre has both messages all the same
    for (const r of [noGrant, refused]) expect(ok(await http().get('/api/messages/unread-count').set(auth(r.token))).unread).toBe(1);
  }, 60_000);

  it('grants: each accept adds one (at most 20 held), a ban clears them; unconfigured topics grant nothing', async () => {
    const login = ok(await http().post('/api/auth/wechat').send({ code: `ok:grants-${process.pid}` }));
    const remaining = async () => Number((await t.db.query(`SELECT remaining FROM message_grants WHERE userId = ${login.user.id} AND topic = 'voucher'`))[0]?.remaining ?? 0);
    for (let i = 0; i < 22; i++) ok(await http().post('/api/messages/subscriptions').set(auth(login.accessToken)).send({ answers: { voucher: 'accept', station_report: 'accept' } }));
    expect(await remaining()).toBe(20);
    expect(Number((await t.db.query(`SELECT COUNT(*) AS n FROM message_grants WHERE userId = ${login.user.id} AND topic = 'station_report'`))[0].n)).toBe(0);
    expect(ok(await http().post('/api/messages/subscriptions').set(auth(login.accessToken)).send({ answers: { voucher: 'ban' } })).granted).toEqual([]);
    expect(await remaining()).toBe(0);
    expect(ok(await http().get('/api/messages/subscribe-templates').set(auth(login.accessToken))).templates).toEqual({ membership: 'tpl-membership', voucher: 'tpl-voucher' });
  });

  it('a token WeChat no longer accepts (40001) is refreshed and the message sent once', async () => {
    const r = await rider();
    const tokensBefore = wechat.tokensIssued.length;
    wechat.invalidateToken();
    await approve(r.appId);
    expect((await settled([r.userId]))[0].status).toBe('sent');
    expect(attemptsTo(r.openid).map((a) => a.errcode)).toEqual([40001, 0]);
    expect(sendsTo(r.openid)).toHaveLength(1);
    expect(wechat.tokensIssued.length).toBe(tokensBefore + 1);
  }, 60_000);

  it('WeChat down for 10 s and then back: every message delivered exactly once', async () => {
    const riders: Array<Awaited<ReturnType<typeof rider>>> = [];
    for (let i = 0; i < 12; i++) riders.push(await rider());
    await wechat.down();
    const downAt = Date.now();
    for (const r of riders) await approve(r.appId);
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
    const during = await deliveriesOf(riders.map((r) => r.userId));
    expect(during.every((d) => d.status === 'pending' || d.status === 'sending')).toBe(true);
    expect(Math.max(...during.map((d) => d.attempts))).toBeGreaterThan(1); // retried with back-off meanwhile
    await wechat.up();
    const rows = await settled(riders.map((r) => r.userId), 40_000);
    expect(rows.map((r) => [r.status, r.lastError])).toEqual(riders.map(() => ['sent', null]));
    for (const r of riders) expect(sendsTo(r.openid)).toHaveLength(1);
  }, 90_000);

  (testDatabaseKind() === 'mysql' ? it : it.skip)('two dispatcher processes on MySQL (SKIP LOCKED): each message sent once', async () => {
    const second = await startApp(env(), { databaseUrl: t.databaseUrl, keyFile: t.keyFile });
    try {
      const riders: Array<Awaited<ReturnType<typeof rider>>> = [];
      for (let i = 0; i < 30; i++) riders.push(await rider());
      for (const r of riders) await approve(r.appId);
      const rows = await settled(riders.map((r) => r.userId), 40_000);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      for (const r of riders) expect(sendsTo(r.openid)).toHaveLength(1);
    } finally {
      await second.close();
    }
  }, 90_000);

  it('a message failing for 24 hours is marked failed and listed to staff of the recipient\'s subtree only', async () => {
    const r = await rider('busy');
    await approve(r.appId);
    const until = Date.now() + 10_000;
    while (attemptsTo(r.openid).length < 1 && Date.now() < until) await new Promise((x) => setTimeout(x, 100));
    expect(attemptsTo(r.openid).length).toBeGreaterThanOrEqual(1);
    // a day passes: the row is as old as the fail-after limit
    await t.db.query(`UPDATE message_deliveries SET createdAt = ?, nextAttemptAt = ? WHERE userId = ?`, [new Date(Date.now() - 25 * 3600_000), new Date(Date.now() - 1000), r.userId]
      .map((v) => (v instanceof Date && testDatabaseKind() === 'sqlite' ? v.toISOString().replace('T', ' ').replace('Z', '') : v)));
    const rows = await settled([r.userId]);
    expect(rows[0].status).toBe('failed');
    const listed = ok(await http().get('/api/messages/failed-deliveries').set(auth(staff)));
    expect(listed.items.map((d: any) => d.kind)).toContain('membership_approved');
    const jx = await t.login('disp-staff-jx', 'union_staff', 'JX');
    expect(ok(await http().get('/api/messages/failed-deliveries').set(auth(jx))).total).toBe(0);
    const attempts = attemptsTo(r.openid).length;
    await new Promise((x) => setTimeout(x, 1500));
    expect(attemptsTo(r.openid).length).toBe(attempts); // no more tries
  }, 60_000);
});
