import { Agent, createServer, request, Server } from 'http';
import { AddressInfo } from 'net';

/**
 * A small HTTP load balancer for tests: every request goes to the next upstream in turn (round-robin per
 * request, not per connection, so keep-alive clients are spread too). An upstream that cannot be reached
 * answers 502 `{code: 'BAD_GATEWAY'}`, like nginx would. `hits` counts requests per upstream.
 */
export async function startRoundRobinProxy(upstreams: string[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const targets = upstreams.map((u) => new URL(u));
  const hits = targets.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const i = next++ % targets.length;
    const target = targets[i];
    hits[i]++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // A keep-alive socket the upstream closed just as it was reused fails with ECONNRESET before the request
      // reached the application; Node's documented answer is to send it again on a new socket (once).
      const send = (retry: boolean) => {
        const up = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
          },
        );
        up.on('error', (e: NodeJS.ErrnoException) => {
          if (retry && up.reusedSocket && e.code === 'ECONNRESET') return send(false);
          if (res.headersSent) return res.destroy();
          res.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ code: 'BAD_GATEWAY', message: '上游服务不可用', details: { error: e.code ?? e.message } }));
        });
        up.end(body);
      };
      send(true);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      agent.destroy();
    },
  };
}
