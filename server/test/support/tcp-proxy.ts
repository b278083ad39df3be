import { createConnection, createServer, Server, Socket } from 'net';
import { AddressInfo } from 'net';

/**
 * A TCP relay in front of the real database server, so a test can cut the database off
 * (every connection dropped, new ones refused) and bring it back, like a database restart.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = createConnection(targetPort, targetHost);
      sockets.add(client).add(upstream);
      const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    port = (server!.address() as AddressInfo).port;
  };
  await listen();
  return {
    get port() { return port; },
    /** Drops every connection and refuses new ones. */
    async down() {
      const s = server!;
      server = null;
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      await new Promise<void>((r) => s.close(() => r()));
    },
    /** Accepts connections again on the same port. */
    up: listen,
    async close() { if (server) await this.down(); },
  };
}
