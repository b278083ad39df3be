import { newIdNumber, newMobile, startApp } from '../support/app';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { startFakeWechat } from '../support/fake-wechat';
import { startServerProcess, ServerProcess } from '../support/process';

/**
 * Issue 14: the dispatcher process is SIGKILLed in the middle of a batch (WeChat answers slowly, so sends are
 * in flight), and a new process is started on the same MariaDB database. Afterwards every message has been
 * delivered to (the fake) WeChat exactly once: the rows that were claimed but not started are sent by the new
 * process; those whose send had started are recorded as sent ("unconfirmed") and not repeated.
 */
describe('dispatcher killed mid-batch', () => {
  it('SIGKILL during sends, restart: every message delivered once, none lost, none doubled', async () => {
    const name = `union_msgkill_${process.pid}`;
    const databaseUrl = await createMysqlDatabase(name);
    const keyFile = `/tmp/${name}-keys.json`;
    const wechat = await startFakeWechat();
    const wechatEnv = { WECHAT_API_BASE: wechat.base, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret', WECHAT_TEMPLATES: 'membership=tpl-membership' };
    // the in-process app sets up the world and does not dispatch (NODE_ENV=test)
    const t = await startApp(wechatEnv, { databaseUrl, keyFile });
    const procs: ServerProcess[] = [];
    try {
      const staff = await t.login('kill-staff', 'union_staff', 'HB-HS');
      const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
      const joinCode = (await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: 'HB-HS-HSG-WM' })).body.code;
      const riders: Array<{ openid: string; userId: number }> = [];
      for (let i = 0; i < 40; i++) {
        const openid = `kill-${process.pid}-${i}`;
        const login = (await t.http().post('/api/auth/wechat').send({ code: `ok:${openid}` })).body;
        await t.http().post('/api/messages/subscriptions').set(auth(login.accessToken)).send({ answers: { membership: 'accept' } }).expect(200);
        const app = await t.http().post('/api/membership/applications').set(auth(login.accessToken)).send({
          joinCode, name: '骑手小郑', idNumber: newIdNumber(), mobile: newMobile(), occupation: 'food_delivery', consent: true,
        }).expect(201);
        await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(staff)).expect(200);
        riders.push({ openid, userId: login.user.id });
      }
      expect(Number((await t.db.query("SELECT COUNT(*) AS n FROM message_deliveries WHERE status = 'pending'"))[0].n)).toBe(40);

      wechat.delayMs = 400; // sends stay in flight long enough for the kill to land among them
      const env = { DATABASE_URL: databaseUrl, KEY_FILE: keyFile, ...wechatEnv, NOTIFY_DISPATCH: 'true', NOTIFY_POLL_MS: '100', NOTIFY_BATCH: '10', NOTIFY_LEASE_SECONDS: '3', NOTIFY_RETRY_BASE_SECONDS: '1' };
      const victim = await startServerProcess('msg-kill-victim', env);
      procs.push(victim);
      const until = Date.now() + 20_000;
      while (wechat.sendAttempts.length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      victim.child.kill('SIGKILL');
      await victim.exited;
      const atKill = wechat.sendAttempts.length;
      expect(atKill).toBeGreaterThanOrEqual(5);
      expect(atKill).toBeLessThan(40);
      const inFlight = Number((await t.db.query("SELECT COUNT(*) AS n FROM message_deliveries WHERE status = 'sending'"))[0].n);
      process.stdout.write(`dispatcher killed after ${atKill} send requests; ${inFlight} rows left 'sending'\n`);

      wechat.delayMs = 0;
      const revived = await startServerProcess('msg-kill-revived', env);
      procs.push(revived);
      const deadline = Date.now() + 60_000;
      let rows: Array<{ status: string; lastError: string | null }> = [];
      while (Date.now() < deadline) {
        rows = await t.db.query('SELECT status, lastError FROM message_deliveries');
        if (rows.every((r) => r.status === 'sent')) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(rows.map((r) => r.status)).toEqual(riders.map(() => 'sent'));
      const perOpenid = new Map<string, number>();
      for (const s of wechat.sends) perOpenid.set(s.touser, (perOpenid.get(s.touser) ?? 0) + 1);
      const wrong = riders.filter((r) => perOpenid.get(r.openid) !== 1).map((r) => `${r.openid}: ${perOpenid.get(r.openid) ?? 0}`);
      expect(wrong).toEqual([]);
      process.stdout.write(`after restart: 40 messages, each delivered once; ${rows.filter((r) => r.lastError?.startsWith('unconfirmed')).length} recorded as unconfirmed sends\n`);
    } finally {
      for (const p of procs) await p.stop().catch(() => undefined);
      await t.close();
      await wechat.close();
      await dropMysqlDatabase(databaseUrl);
    }
  }, 240_000);
});
