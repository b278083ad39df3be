import { ChildProcess, execFile, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import mysql from 'mysql2/promise';
import { freePort } from './process';

const run = promisify(execFile);

/**
 * A private MariaDB server for tests that stop and start the database on purpose (the machine's shared
 * MariaDB on 3306 is never touched). Data directory and socket under a temporary folder, root with an
 * empty password on 127.0.0.1:<free port>. `stop()` sends SIGTERM and waits for the process to end;
 * `start()` starts it again on the same data directory and port.
 * Needs `mariadb-install-db` and `mariadbd` (Debian's mariadb-server package).
 */
export interface PrivateMariaDb {
  port: number;
  /** mysql://root@127.0.0.1:<port> */
  baseUrl: string;
  /** Creates a utf8mb4 database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** A fresh connection (caller ends it). */
  connect(database?: string): Promise<mysql.Connection>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

export async function startPrivateMariaDb(name = 'private'): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), `mariadb-${name}-`));
  const datadir = join(dir, 'data');
  const user = process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root');
  await run('mariadb-install-db', [
    '--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', `--user=${user}`, '--skip-test-db',
  ], { timeout: 120_000 });
  const port = await freePort();
  let child: ChildProcess | null = null;

  const ping = async () => {
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await c.query('SELECT 1');
      await c.end();
      return true;
    } catch {
      return false;
    }
  };

  const start = async () => {
    if (child) return;
    const proc = spawn('mariadbd', [
      '--no-defaults', `--datadir=${datadir}`, `--port=${port}`, `--socket=${join(dir, 'sock')}`, `--pid-file=${join(dir, 'pid')}`,
      `--user=${user}`, '--bind-address=127.0.0.1', `--log-error=${join(dir, 'error.log')}`, '--skip-log-bin',
      '--innodb-buffer-pool-size=128M', '--innodb-log-file-size=64M', '--max-connections=400',
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', '--skip-name-resolve',
    ], { stdio: 'ignore' });
    child = proc;
    proc.on('exit', () => { if (child === proc) child = null; });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!child) throw new Error(`private MariaDB exited during start; see ${join(dir, 'error.log')}`);
      if (await ping()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private MariaDB did not answer within 60 s; see ${join(dir, 'error.log')}`);
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  const baseUrl = `mysql://root@127.0.0.1:${port}`;
  const connect = (database?: string) => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', ...(database ? { database } : {}), timezone: 'Z', supportBigNumbers: true });
  return {
    port,
    baseUrl,
    async createDatabase(db: string) {
      const c = await connect();
      await c.query(`CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await c.end();
      return `${baseUrl}/${db}`;
    },
    connect,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
