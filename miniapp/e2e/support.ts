import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const MINIAPP_ROOT = path.resolve(__dirname, '..');
export const H5_DIR = process.env.E2E_H5_DIR ?? path.join(MINIAPP_ROOT, 'dist', 'h5');
export const SERVER_MAIN = process.env.E2E_SERVER_MAIN ?? path.resolve(__dirname, '../../server/dist/main.js');
export const ARTIFACTS = path.resolve(__dirname, '../../artifacts/e2e');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails with a clear message when a build the journey needs is missing. */
export function assertBuilt(): void {
  if (!existsSync(path.join(H5_DIR, 'index.html'))) {
    throw new Error(`H5 build missing at ${H5_DIR}: run \`pnpm --filter @union/miniapp build:h5\` first`);
  }
  if (!existsSync(SERVER_MAIN)) {
    throw new Error(`server build missing at ${SERVER_MAIN}: run \`pnpm --filter @union/server build\` first`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  /** Stops the server for good and deletes its database. */
  stop(): Promise<void>;
  /**
   * Makes the API unreachable: the server process is killed (SIGKILL, like a crash or a pulled cable), its port
   * refuses connections; the database file stays. Undo with {@link RunningServer.restart}.
   */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same SQLite file and keys; resolves once /api/health is 200. */
  restart(): Promise<void>;
}

/** Starts the compiled server on a free port with a fresh SQLite file; resolves once /api/health is 200. */
export async function startServer(extraEnv: Record<string, string> = {}, logName = 'server'): Promise<RunningServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'union-e2e-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = createWriteStream(path.join(ARTIFACTS, `${logName}.log`));
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: 'sqlite:' + path.join(dir, 'union.sqlite'),
    AUTH_DEV_LOGIN: 'true',
    H5_DIR,
    CARD_CODE_TTL_SECONDS: '6',
    NODE_ENV: 'test',
    KEY_FILE: path.join(dir, 'keys.json'),
    SEED_DEMO: 'true',
    ...extraEnv,
  };
  let child: ChildProcess;
  let exited: number | null = null;
  const spawnServer = () => {
    exited = null;
    child = spawn(process.execPath, [SERVER_MAIN], { cwd: path.dirname(path.dirname(SERVER_MAIN)), env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.on('exit', (code) => {
      exited = code ?? -1;
    });
  };
  const killServer = async (signal: NodeJS.Signals) => {
    if (exited !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };

  const baseUrl = `http://localhost:${port}`;
  const stop = async () => {
    await killServer('SIGTERM');
    log.end();
    rmSync(dir, { recursive: true, force: true });
  };
  const healthy = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (exited !== null) {
        await stop();
        throw new Error(`server exited with code ${exited} before becoming healthy; see ${ARTIFACTS}/${logName}.log`);
      }
      try {
        const res = await fetch(`${baseUrl}/api/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    await stop();
    throw new Error(`server did not answer 200 on /api/health within 60 s; see ${ARTIFACTS}/${logName}.log`);
  };

  spawnServer();
  await healthy();
  return {
    baseUrl,
    stop,
    kill: () => killServer('SIGKILL'),
    restart: async () => {
      await killServer('SIGTERM');
      spawnServer();
      await healthy();
    },
  };
}

/**
 * A fresh headless Chromium (playwright's launch() uses a new temporary profile). `extraArgs` are added to the
 * defaults, e.g. {@link fakeCameraArgs} for a camera that films a file.
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Chromium flags for a fake camera that plays `videoFile` (.y4m or .mjpeg, absolute path) and is granted without a prompt. */
export function fakeCameraArgs(videoFile: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${videoFile}`];
}

export const VIEWPORT = { width: 375, height: 812 };

let shotNo = 0;
/** Screenshots the page to artifacts/e2e/<nn>-<step>.png. */
export async function shot(page: Page, step: string): Promise<void> {
  shotNo += 1;
  await horizontalOverflow(page); // let a page transition finish
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${String(shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
}

/**
 * Numbered full-page screenshots of one journey into artifacts/e2e/<module>/<nn>-<step>.png. Before each it waits
 * `settleMs` (a closing modal or toast fading out) and asserts that nothing overflows the screen sideways.
 */
export function screenshotter(module: string, settleMs = 0): (page: Page, step: string) => Promise<void> {
  const dir = path.join(ARTIFACTS, module);
  let n = 0;
  return async (page, step) => {
    n += 1;
    if (settleMs) await page.waitForTimeout(settleMs);
    expect(await horizontalOverflow(page)).toBe(0);
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`), fullPage: true });
  };
}

/** Types into a Taro <Input id=…> (the real <input> sits inside the custom element). */
export async function fillInput(page: Page, id: string, value: string): Promise<void> {
  await page.fill(`#${id} input`, value);
}

/** Accepts the open Taro.showModal dialog. */
export async function confirmModal(page: Page): Promise<void> {
  const btn = page.locator('.taro-model__confirm').filter({ visible: true });
  await btn.waitFor({ state: 'visible', timeout: 10_000 });
  await btn.click();
  await page.locator('.taro__modal').filter({ visible: true }).waitFor({ state: 'detached', timeout: 10_000 });
}

/** Logs in through the H5 dev-login role picker, which must be on screen. */
export async function devLogin(page: Page, opts: { userKey: string; role: 'user' | 'union_staff' | 'merchant_clerk' | 'station_keeper' | 'admin'; orgCode?: string }) {
  await page.locator('#login-userkey').waitFor({ timeout: 20_000 });
  await fillInput(page, 'login-userkey', opts.userKey);
  const roleChip = page.locator(`#login-role-${opts.role}`);
  if (await roleChip.count()) await roleChip.click();
  if (opts.role !== 'user' && opts.role !== 'admin') await fillInput(page, 'login-orgcode', opts.orgCode ?? 'HB-HS');
  await page.click('#login-submit');
}

/**
 * How far the page scrolls sideways on a 375 px screen (0 = none). Taro H5 slides a new page in
 * from the right, so this waits up to 3 s for the transition to end before answering.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  const measure = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  let overflow = await measure();
  const deadline = Date.now() + 3000;
  while (overflow > 0 && Date.now() < deadline) {
    await page.waitForTimeout(200);
    overflow = await measure();
  }
  return overflow;
}

/** JSON call to the real API (`/api` + p) with an optional bearer token; throws with status and body on ≥ 300. */
export async function apiCall<T = any>(baseUrl: string, method: string, p: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${baseUrl}/api${p}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return json as T;
}

/** A dev-login session made through the API: the token and the user view the H5 app keeps in storage. */
export interface ApiSession {
  accessToken: string;
  user: unknown;
}

/** `POST /api/auth/dev-login` (AUTH_DEV_LOGIN=true). */
export function devLoginApi(baseUrl: string, userKey: string, role: string, orgCode?: string): Promise<ApiSession> {
  return apiCall<ApiSession>(baseUrl, 'POST', '/auth/dev-login', undefined, { userKey, role, orgCode });
}

/**
 * Makes every page of the context start logged in as `session` (null: logged out) and with 长辈模式 on or off,
 * by writing Taro's H5 storage (localStorage, each value as JSON `{"data": value}`) before any script of the page
 * runs: `union.accessToken`, `union.user` and `elderMode` (COMMON13.md contract 1).
 */
export async function presetStorage(context: import('playwright-core').BrowserContext, session: ApiSession | null, elder: boolean): Promise<void> {
  await context.addInitScript(({ token, user, elderMode }) => {
    if (!location.protocol.startsWith('http')) return; // about:blank and the like have no storage
    const put = (k: string, v: unknown) => localStorage.setItem(k, JSON.stringify({ data: v }));
    if (token) {
      put('union.accessToken', token);
      put('union.user', user);
    }
    if (elderMode) put('elderMode', true);
    else localStorage.removeItem('elderMode');
  }, { token: session?.accessToken ?? null, user: session?.user ?? null, elderMode: elder });
}
