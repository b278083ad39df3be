import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, mkdirSync, mkdtempSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

/** The compiled server the process tests start (`pnpm --filter @union/server build`); override with SERVER_MAIN. */
export const SERVER_MAIN = process.env.SERVER_MAIN ?? resolve(__dirname, '..', '..', 'dist', 'main.js');
const LOG_DIR = resolve(__dirname, '..', '..', '..', 'artifacts', 'process-logs');

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/main.js` as a real OS process on a free port and waits for /api/health = 200.
 * Secrets come from `keyFile` so several processes share them (as a deployment shares its env).
 */
export async function startServerProcess(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  mkdirSync(LOG_DIR, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'union-proc-'));
  const log = createWriteStream(join(LOG_DIR, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      PATH: process.env.PATH ?? '', ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}), NODE_ENV: 'test', LOG_LEVEL: 'warn', AUTH_DEV_LOGIN: 'true', SEED_DEMO: 'false',
      RATE_LIMIT: '100000', SUBMISSION_RATE_LIMITS: 'false', H5_DIR: join(dir, 'no-h5'), UPLOAD_DIR: join(dir, 'uploads'), ...env, PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<number | string>((ok) => child.on('exit', (code, signal) => ok(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let alive = true;
  void exited.then(() => (alive = false));
  while (Date.now() < deadline && alive) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!alive) throw new Error(`server ${name} exited during start; see ${LOG_DIR}/${name}.log`);
  return {
    url,
    child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
