import 'reflect-metadata';
import type { IncomingMessage, Server, ServerResponse } from 'http';
import { Server as NetServer } from 'net';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/config';
import { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { exposeSqlCountsOnSignal } from './common/sql-statement-counter';

/** Longest wait for in-flight requests on shutdown, milliseconds. */
const DRAIN_TIMEOUT_MS = 20_000;

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await createApp(config);
  exposeSqlCountsOnSignal(app.get(DataSource), process.env.SQL_COUNT_FILE); // benches only: count SQL per claim
  await app.listen(config.port);
  const server: Server = app.getHttpServer();
  const logger = new Logger('Shutdown');
  process.stdout.write(`工会服务 listening on http://localhost:${config.port} (API /api, docs /api/docs, database ${config.database.type})\n`);

  // Graceful shutdown: stop listening at once, but serve every request already on an open connection
  // (answering with `Connection: close`), then close idle sockets, the database pool and Redis, then exit.
  let draining = false;
  const active = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    res.on('close', () => active.delete(res));
    if (draining) res.shouldKeepAlive = false;
  });
  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.log(`${signal}: draining ${active.size} in-flight requests`);
    for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
    // net.Server#close only stops accepting; http.Server#close would also drop sockets whose request is not yet read.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    let quietTicks = 0;
    while (Date.now() < deadline && quietTicks < 5) {
      await new Promise((r) => setTimeout(r, 50));
      quietTicks = active.size === 0 ? quietTicks + 1 : 0;
    }
    if (Date.now() >= deadline) server.closeAllConnections();
    else server.closeIdleConnections();
    await closed;
    await app.close();
    logger.log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void bootstrap();
