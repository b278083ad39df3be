/**
 * Dead ends that explain (issue 13, item 6), in the H5 build against the real server (SQLite, dev login): real
 * answers of 403, 404, 401 and 429 each show why in words, the next step that can work, and no 重试 that cannot:
 * - 403: 帮扶公示 opened by a member of no union (NOTICE_FORBIDDEN): reason, hotline 12351, 回到首页, no retry;
 * - 404: an unknown voucher id (my voucher detail) and an unknown household code (一户一码, anonymous): no retry,
 *   and the voucher page does not ask again by itself (api/client retryDelayMs);
 * - 401: a stale token on 帮扶公示: 需要先登录 with 去登录, which opens the login in place and then loads the page;
 * - 429: the household-code look-up with its per-client limit lowered (RATE_LIMIT=2 per 20 s): 请等 N 秒, a retry
 *   that stays disabled while the countdown runs and works once it is over.
 * Screenshots: artifacts/e2e/dead-ends/<nn>-<step>.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VIEWPORT, assertBuilt, devLogin, launchBrowser, startServer, type RunningServer, screenshotter } from './support';

const shot = screenshotter('dead-ends');

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
/** A household code that is well formed but belongs to no household. */
const UNKNOWN_CODE = `NOSUCHCODE${run}`.toUpperCase();

/** The ErrorState on screen (the last one, as Taro H5 keeps earlier pages in the DOM). */
const errorState = (page: Page) => page.locator('[data-testid="error"]').filter({ visible: true }).last();
const text = async (page: Page, id: string) => ((await errorState(page).locator(`#${id}`).textContent()) ?? '').trim();
const count = (page: Page, id: string) => errorState(page).locator(`#${id}`).count();

async function waitForKind(page: Page, kind: string, timeout = 20_000): Promise<void> {
  await page.locator(`[data-testid="error"][data-kind="${kind}"]`).filter({ visible: true }).first().waitFor({ timeout });
}

describe('dead ends explain (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(ctx);
    return ctx.newPage();
  };

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'server-dead-ends');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  test('403: a member of no union opening 帮扶公示 is told why, given the hotline and home, and no retry', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/#/pages/aid/notice`);
    await devLogin(page, { userKey: `nobody-${run}`, role: 'user' });
    await waitForKind(page, 'forbidden');
    expect(await text(page, 'error-title')).toBe('没有权限查看');
    expect(await text(page, 'error-reason')).toContain('仅该工会的会员');
    expect(await text(page, 'error-next')).toContain('联系您所在的工会');
    expect(await text(page, 'error-hotline')).toContain('12351');
    expect(await count(page, 'error-retry')).toBe(0);
    expect(await count(page, 'error-login')).toBe(0);
    await shot(page, 'notice-403');

    await errorState(page).locator('#error-home').click();
    await page.waitForURL(/pages\/index\/index/, { timeout: 20_000 });
  });

  test('404: an unknown voucher id says it was not found, offers home, no retry, and does not ask again on its own', async () => {
    const page = await newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/vouchers\/my\/vouchers\/987654/.test(r.url())) asked.push(r.url());
    });
    await page.goto(`${server.baseUrl}/#/pages/vouchers/detail?id=987654`);
    await devLogin(page, { userKey: `voucherless-${run}`, role: 'user' });
    await waitForKind(page, 'not-found');
    expect(await text(page, 'error-title')).toBe('没有找到');
    expect(await text(page, 'error-next')).toContain('重试也找不到');
    expect(await count(page, 'error-home')).toBe(1);
    expect(await count(page, 'error-retry')).toBe(0);
    await shot(page, 'voucher-404');
    // the page kept polling a 404 every 5 s (a page left open asked forever); an answer that cannot change is not retried
    const before = asked.length;
    await page.waitForTimeout(11_000);
    expect(asked.length).toBe(before);
    expect(before).toBe(1);
  });

  test('404: an unknown household code (anonymous) says the code is invalid, gives the hotline, no retry', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/#/pages/aid/code?c=${UNKNOWN_CODE}`);
    await waitForKind(page, 'not-found');
    expect(await page.locator('#code-error').textContent()).toContain('无法查询');
    expect(await text(page, 'error-reason')).toContain('帮扶码无效');
    expect(await text(page, 'error-hotline')).toContain('12351');
    expect(await count(page, 'error-retry')).toBe(0);
    await shot(page, 'household-code-404');
  });

  test('401: a stale login on 帮扶公示 says to log in, logs in in place, then loads (here: the 403 answer)', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/#/pages/aid/notice`);
    await devLogin(page, { userKey: `stale-${run}`, role: 'user' });
    await waitForKind(page, 'forbidden');
    // The token expires (or is revoked) while the user is still remembered on the device.
    await page.evaluate(() => localStorage.setItem('union.accessToken', JSON.stringify({ data: 'expired.token.value' })));
    await page.reload();
    await waitForKind(page, 'login');
    expect(await text(page, 'error-title')).toBe('需要先登录');
    expect(await text(page, 'error-next')).toContain('去登录');
    expect(await count(page, 'error-retry')).toBe(0);
    expect(await count(page, 'error-hotline')).toBe(0);
    await shot(page, 'notice-401');

    await errorState(page).locator('#error-login').click();
    await devLogin(page, { userKey: `stale-${run}`, role: 'user' });
    // Logged in again, the page loads its data at once: for this user that is the 403 with its own way out.
    await waitForKind(page, 'forbidden');
    expect(await page.evaluate(() => localStorage.getItem('union.accessToken'))).not.toContain('expired.token.value');
  });

  test('429: too many household-code look-ups says wait N seconds; retry stays disabled until the countdown ends', async () => {
    // Its own server with the per-client limit lowered, so the other tests are not throttled.
    const limited = await startServer({ RATE_LIMIT: '2', RATE_LIMIT_WINDOW_SECONDS: '20' }, 'server-dead-ends-429');
    try {
      const page = await newPage();
      const url = `${limited.baseUrl}/#/pages/aid/code?c=${UNKNOWN_CODE}`;
      await page.goto(url);
      await waitForKind(page, 'not-found');
      let throttled = false;
      for (let i = 0; i < 4 && !throttled; i++) {
        await page.reload();
        await page.locator('[data-testid="error"]').filter({ visible: true }).first().waitFor({ timeout: 20_000 });
        throttled = (await errorState(page).getAttribute('data-kind')) === 'wait';
      }
      expect(throttled).toBe(true);
      expect(await text(page, 'error-title')).toBe('操作太频繁');
      const wait = await text(page, 'error-wait');
      expect(wait).toMatch(/^请等 \d+ 秒后再试$/);
      const seconds = Number(/(\d+)/.exec(wait)![1]);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(20);
      const retry = errorState(page).locator('#error-retry');
      expect(await retry.textContent()).toMatch(/\d+ 秒后可重试/);
      const isDisabled = () => retry.evaluate((el) => !!(el as HTMLElement & { disabled?: boolean }).disabled);
      expect(await isDisabled()).toBe(true);
      await shot(page, 'household-code-429');

      // A click while disabled sends nothing: still the wait screen.
      await retry.click({ force: true });
      expect(await errorState(page).getAttribute('data-kind')).toBe('wait');

      // Once the countdown is over the retry works and reaches the server again (answer: the code is unknown).
      await page.locator('#error-wait').filter({ hasText: '现在可以再试了' }).waitFor({ timeout: 30_000 });
      expect(await isDisabled()).toBe(false);
      expect((await retry.textContent())?.trim()).toBe('重试');
      await retry.click();
      await waitForKind(page, 'not-found');
      expect(await count(page, 'error-retry')).toBe(0);
    } finally {
      await limited.stop();
    }
  });
});
