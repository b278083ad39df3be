import { connect, Socket } from 'net';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { startServerProcess } from '../support/process';

/**
 * SIGTERM stops accepting, finishes every in-flight request, closes the pool and exits 0.
 * "In flight" is made certain: each request has its headers and half its body on the wire when the
 * signal arrives, and the rest is sent afterwards; the server must still answer every one in full.
 */
describe('graceful shutdown', () => {
  it('cuts no request', async () => {
    const name = `union_shutdown_${process.pid}`;
    const databaseUrl = await createMysqlDatabase(name);
    const server = await startServerProcess('shutdown', { DATABASE_URL: databaseUrl, KEY_FILE: `/tmp/${name}-keys.json` });
    const port = Number(new URL(server.url).port);
    try {
      const N = 40;
      const sockets: Socket[] = [];
      const answers: Array<Promise<string>> = [];
      for (let i = 0; i < N; i++) {
        const body = JSON.stringify({ userKey: `shutdown-${i}`, role: 'user' });
        const sock = connect(port, '127.0.0.1');
        await new Promise<void>((ok) => sock.once('connect', () => ok()));
        sockets.push(sock);
        answers.push(new Promise((ok) => {
          let data = '';
          sock.on('data', (d) => (data += d.toString()));
          sock.on('close', () => ok(data));
          sock.on('error', (e) => ok(`error: ${e.message}`));
        }));
        sock.write(`POST /api/auth/dev-login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body.slice(0, 10)}`);
        (sock as Socket & { rest?: string }).rest = body.slice(10);
      }
      await new Promise((r) => setTimeout(r, 300)); // the server has read the headers: the requests are in flight
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const refusedWhileDraining = await new Promise<boolean>((ok) => {
        const probe = connect(port, '127.0.0.1');
        probe.once('connect', () => { probe.destroy(); ok(false); });
        probe.once('error', () => ok(true));
      });
      for (const sock of sockets) sock.write((sock as Socket & { rest?: string }).rest!);
      const responses = await Promise.all(answers);
      const code = await server.exited;
      const statuses = responses.map((r) => r.split('\r\n')[0]);
      const closed = responses.filter((r) => /\r\nconnection: close\r\n/i.test(r)).length;
      process.stdout.write(
        `graceful shutdown: ${N} requests in flight at SIGTERM → ${statuses.filter((s) => s === 'HTTP/1.1 200 OK').length} answered 200 ` +
        `(${closed} with Connection: close); new connections refused while draining: ${refusedWhileDraining}; exit code ${code}\n`,
      );
      expect(statuses).toEqual(Array(N).fill('HTTP/1.1 200 OK'));
      expect(responses.every((r) => r.includes('"accessToken"'))).toBe(true);
      expect(closed).toBe(N);
      expect(refusedWhileDraining).toBe(true);
      expect(code).toBe(0);
    } finally {
      await server.stop();
      await dropMysqlDatabase(databaseUrl);
    }
  });
});
