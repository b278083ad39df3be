import { Agent, get } from 'http';
import { startApp, TestApp } from './support/app';

/**
 * Keep-alive (issue 12): Node's default keepAliveTimeout (5 s) closed idle sockets that a client or a proxy was
 * about to reuse ("other side closed" in bench:claim). The server keeps idle connections for
 * HTTP_KEEP_ALIVE_SECONDS (default 65 s, longer than a load balancer's 60 s idle timeout).
 */
describe('HTTP keep-alive', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startApp(); });
  afterAll(() => t.close());

  const health = (agent: Agent) => new Promise<{ status: number; localPort: number; reused: boolean }>((resolve, reject) => {
    const req = get(`${t.url}/api/health`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, localPort: req.socket!.localPort!, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });

  it('sets keepAliveTimeout and headersTimeout from the config (65 s / 66 s by default)', () => {
    expect(t.config.httpKeepAliveSeconds).toBe(65);
    const server = t.app.getHttpServer();
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.headersTimeout).toBe(66_000);
  });

  it('reuses an idle connection after the old 5 s timeout has passed', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await health(agent);
      expect(first.status).toBe(200);
      await new Promise((r) => setTimeout(r, 6_000));
      const second = await health(agent);
      expect(second).toEqual({ status: 200, localPort: first.localPort, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
