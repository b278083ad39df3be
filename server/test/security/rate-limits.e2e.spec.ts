import { JwtService } from '@nestjs/jwt';
import { UsersRepository } from '../../src/modules/auth/users.repository';
import { startApp, TestApp } from '../support/app';

/**
 * Rate limits (OWASP API4) on the public code look-ups and household binding, per client (X-Forwarded-For,
 * the app trusts loopback proxies): with RATE_LIMIT=3 per 2 s window the 4th request of a client is 429 with
 * the error envelope, another client is unaffected, and the client recovers after the window.
 * (Join-code look-up and login: platform.e2e.spec.ts.)
 */
describe('rate limits per client on code look-ups and binding', () => {
  let t: TestApp;
  let token: string;
  let clientSeq = 0;
  const client = () => `198.51.100.${++clientSeq}`;

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT: '3', RATE_LIMIT_WINDOW_SECONDS: '2' });
    // a token without going through the (also limited) login route
    const user = await t.app.get(UsersRepository).findOrCreate({ devKey: 'rl-binder' }, { displayName: '绑定者', role: 'user', orgId: null });
    token = await t.app.get(JwtService).signAsync({ sub: user.id });
  });
  afterAll(() => t.close());

  const cases: Array<[string, (ip: string) => Promise<{ status: number; body: any }>, number]> = [
    ['GET /api/aid/household-codes/{code}', (ip) => t.http().get('/api/aid/household-codes/abc.0.xyz').set('X-Forwarded-For', ip), 404],
    ['GET /api/stations/by-code/{code}', (ip) => t.http().get('/api/stations/by-code/abc.0.xyz').set('X-Forwarded-For', ip), 404],
    ['POST /api/aid/bindings', (ip) => t.http().post('/api/aid/bindings').set('X-Forwarded-For', ip).set('Authorization', `Bearer ${token}`).send({ code: 'abc.0.xyz', name: '张三', idLast6: '12345X' }), 404],
  ];

  it.each(cases)('%s: 429 after 3 requests of one client, others unaffected, recovery after the window', async (route, hit, normal) => {
    const ip = client();
    const statuses: number[] = [];
    let limited: { status: number; body: any } | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await hit(ip);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    process.stdout.write(`rate limit ${route}: ${statuses.join(' ')}\n`);
    expect(statuses).toEqual([normal, normal, normal, 429, 429]);
    expect(limited!.body).toEqual({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    expect((await hit(client())).status).toBe(normal); // another client is not limited
    await new Promise((r) => setTimeout(r, 2300));
    expect((await hit(ip)).status).toBe(normal); // the window passed: recovered
  });
});
