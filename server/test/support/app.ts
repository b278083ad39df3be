import { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'fs';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { idNumberCheckChar, Role } from '@union/shared';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';
import { createMysqlDatabase, dropMysqlDatabase, testDatabaseKind } from './db';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  config: AppConfig;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  /** Dev-logs in and returns the bearer token. */
  login: (userKey: string, role?: Role, orgCode?: string) => Promise<string>;
  close: () => Promise<void>;
}

let dbCounter = 0;

/**
 * Starts the real application on a real database (fresh SQLite file, or a fresh MySQL database
 * when TEST_DB=mysql), listening on a random port, with the union tree loaded.
 */
export async function startApp(env: Record<string, string> = {}, reuse?: { databaseUrl: string; keyFile: string }): Promise<TestApp & { databaseUrl: string; keyFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'union-test-'));
  let databaseUrl = reuse?.databaseUrl;
  const ownsMysql = !databaseUrl && testDatabaseKind() === 'mysql';
  if (!databaseUrl) {
    databaseUrl = testDatabaseKind() === 'mysql'
      ? await createMysqlDatabase(`union_t${process.pid}_${++dbCounter}`)
      : `sqlite:${join(dir, 'test.sqlite')}`;
  }
  const keyFile = reuse?.keyFile ?? join(dir, 'keys.json');
  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', DATABASE_URL: databaseUrl, KEY_FILE: keyFile, AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...(process.env.TEST_LOG_FILE ? { LOG_FILE: process.env.TEST_LOG_FILE } : {}), H5_DIR: join(dir, 'no-h5'), UPLOAD_DIR: join(dir, 'uploads'), RATE_LIMIT: '10000', SUBMISSION_RATE_LIMITS: 'false', ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const http = () => request(url);
  const login = async (userKey: string, role: Role = 'user', orgCode?: string) => {
    const res = await http().post('/api/auth/dev-login').send({ userKey, role, ...(orgCode ? { orgCode } : {}) });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  return { app, url, config, db: app.get(DataSource), http, login, close: async () => { await app.close(); if (ownsMysql && !env.KEEP_DB) await dropMysqlDatabase(databaseUrl!); }, databaseUrl, keyFile };
}

let idSeq = Math.floor(Math.random() * 900) + 100;
/** A valid, unique-per-run ID number (GB 11643 check character), born 1990. */
export function newIdNumber(): string {
  const first17 = `420202199001${String(10 + (idSeq % 18)).padStart(2, '0')}${String(++idSeq % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
let mobileSeq = Math.floor(Math.random() * 1e6);
export function newMobile(): string {
  return `139${String(++mobileSeq % 1e8).padStart(8, '0')}`;
}
