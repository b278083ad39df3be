import { Agent, request } from 'http';
import mysql from 'mysql2/promise';
import { householdBody } from '../support/aid';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { startServerProcess } from '../support/process';

/**
 * Public household-code scans are audited by group commit (AuditService.recordGrouped): a burst of
 * scans cut by SIGTERM must leave exactly one audit row per scan that was answered 200, none missing
 * (the answer waits for its row) and none left in a buffer when the process exits.
 */
describe('audit of public scans across a graceful shutdown', () => {
  it('has one committed audit row per answered scan', async () => {
    const name = `union_audit_shutdown_${process.pid}`;
    const databaseUrl = await createMysqlDatabase(name);
    const server = await startServerProcess('audit-shutdown', { DATABASE_URL: databaseUrl, KEY_FILE: `/tmp/${name}-keys.json` });
    try {
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body ?? {}),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const login = async (userKey: string) => (await post('/api/auth/dev-login', { userKey, role: 'union_staff', orgCode: 'HB-HS' })).body.accessToken as string;
      const a = await login('audit-shutdown-a');
      const b = await login('audit-shutdown-b');
      const codes: Array<{ id: number; code: string }> = [];
      for (let i = 0; i < 4; i++) {
        const reg = await post('/api/aid/households', householdBody(), a);
        expect(reg.status).toBe(201);
        const act = await post(`/api/aid/households/${reg.body.id}/activate`, {}, b);
        expect(act.status).toBe(200);
        codes.push({ id: reg.body.id, code: act.body.code });
      }

      const port = Number(new URL(server.url).port);
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      const scan = (code: string) => new Promise<number>((ok) => {
        const req = request({ host: '127.0.0.1', port, path: `/api/aid/household-codes/${encodeURIComponent(code)}`, agent }, (res) => {
          res.resume();
          res.on('end', () => ok(res.statusCode ?? 0));
          res.on('error', () => ok(0));
        });
        req.on('error', () => ok(0));
        req.end();
      });
      const answered = new Map<number, number>();
      let stop = false;
      const lanes = Array.from({ length: 64 }, async (_, lane) => {
        for (let i = 0; !stop && i < 10_000; i++) {
          const h = codes[(lane + i) % codes.length];
          const status = await scan(h.code);
          if (status === 200) answered.set(h.id, (answered.get(h.id) ?? 0) + 1);
          if (status === 0) return; // refused or reset once the server stopped accepting
        }
      });
      await new Promise((r) => setTimeout(r, 1500));
      server.child.kill('SIGTERM');
      const code = await server.exited;
      stop = true;
      await Promise.all(lanes);
      agent.destroy();

      const db = await mysql.createConnection(databaseUrl);
      const [rows] = await db.query(
        "SELECT entityId, COUNT(*) AS n FROM audit_logs WHERE entityType = 'household_code_lookup' AND actorUserId = 0 GROUP BY entityId",
      );
      await db.end();
      const audited = new Map((rows as Array<{ entityId: number; n: number }>).map((r) => [Number(r.entityId), Number(r.n)]));
      const total = [...answered.values()].reduce((s, n) => s + n, 0);
      process.stdout.write(`audit across shutdown: ${total} scans answered 200 before exit (code ${code}); audit rows ${[...audited.values()].reduce((s, n) => s + n, 0)}\n`);
      expect(code).toBe(0);
      expect(total).toBeGreaterThan(100);
      expect(Object.fromEntries(audited)).toEqual(Object.fromEntries(answered));
    } finally {
      await server.stop();
      await dropMysqlDatabase(databaseUrl);
    }
  });
});
