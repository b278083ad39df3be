/**
 * 长辈模式 and the theme's sizes in the H5 build against the real server, at 320 px: standard mode has text ≥ 16 px and
 * the switch ≥ 44 px high; turning the home page's switch (#elder-switch) on puts `elder` on the page root and on
 * <html>, makes text ≥ 20 px and the switch ≥ 60 px, stores `elderMode` (Taro storage, `{"data":true}` in
 * localStorage), survives a reload, and carries over to another page; turning it off goes back. Also checks that
 * text grows with the browser's font size (the root is 125% of it, not a width-based size) and that a logged-in
 * staff member's review times read in words (今天 HH:MM), not as a raw timestamp.
 * Screenshots: artifacts/e2e/elder/<nn>-<step>.png.
 */
import type { Browser, Page } from 'playwright-core';
import { assertBuilt, devLogin, launchBrowser, startServer, type RunningServer, screenshotter } from './support';

const shot = screenshotter('elder');

/** The smallest computed font size of any visible text on the page, in CSS px. */
const smallestText = (page: Page) =>
  page.evaluate(() => {
    let min = Infinity;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue;
      const el = n.parentElement!;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
    }
    return min;
  });

const heightOf = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().height);
const isElder = (page: Page) => page.evaluate(() => ({ page: !!document.querySelector('.page.elder'), html: document.documentElement.classList.contains('elder') }));

describe('长辈模式 (H5, 320 px)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'elder-server');
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 320, height: 700 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('standard mode: text ≥ 16 px, the switch ≥ 44 px, no elder class', async () => {
    await page.goto(`${server.baseUrl}/#/pages/index/index`);
    await page.locator('#elder-switch').waitFor();
    await page.locator('#login-userkey').waitFor();
    expect(await isElder(page)).toEqual({ page: false, html: false });
    expect(await smallestText(page)).toBeGreaterThanOrEqual(16);
    expect(await heightOf(page, '#elder-switch')).toBeGreaterThanOrEqual(44);
    expect(await page.locator('#elder-switch').getAttribute('aria-checked')).toBe('false');
    await shot(page, 'home-standard');
  });

  it('the switch turns it on: elder class, text ≥ 20 px, targets ≥ 60 px, stored on the device', async () => {
    await page.click('#elder-switch');
    await expect(page.locator('#elder-switch').getAttribute('aria-checked')).resolves.toBe('true');
    expect(await isElder(page)).toEqual({ page: true, html: true });
    expect(await smallestText(page)).toBeGreaterThanOrEqual(20);
    expect(await heightOf(page, '#elder-switch')).toBeGreaterThanOrEqual(60);
    expect(await heightOf(page, '#login-submit')).toBeGreaterThanOrEqual(60);
    expect(await heightOf(page, '#login-userkey')).toBeGreaterThanOrEqual(60);
    expect(await page.evaluate(() => localStorage.getItem('elderMode'))).toBe('{"data":true}');
    await shot(page, 'home-elder');
  });

  it('survives a reload and carries over to the next page; a staff review time reads in words', async () => {
    await page.reload();
    await page.locator('#elder-switch').waitFor();
    expect(await isElder(page)).toEqual({ page: true, html: true });
    await devLogin(page, { userKey: `elder-staff-${Date.now()}`, role: 'union_staff', orgCode: 'HB-HS' });
    await page.locator('#link-workbench').waitFor();
    await page.click('#link-workbench');
    await page.locator('#wb-review').waitFor();
    await page.click('#wb-review');
    const card = page.locator('[data-testid^="application-"], [data-testid="empty"]').first();
    await card.waitFor();
    expect(await isElder(page)).toEqual({ page: true, html: true });
    expect(await smallestText(page)).toBeGreaterThanOrEqual(20);
    const times = await page.locator('[data-testid^="application-"] [data-value]').allTextContents();
    expect(times.length).toBeGreaterThan(0); // the demo seed has pending applications
    for (const t of times) expect(t).toMatch(/^(今天|昨天) \d{2}:\d{2}$|^\d{1,2}月\d{1,2}日 \d{2}:\d{2}$|^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    for (const b of await page.locator('[data-testid^="approve-"]').all()) expect((await b.boundingBox())!.height).toBeGreaterThanOrEqual(60);
    await shot(page, 'review-elder');
  });

  it('turning it off goes back to standard sizes, also after a reload', async () => {
    await page.goto(`${server.baseUrl}/#/pages/index/index`);
    await page.locator('#elder-switch').waitFor();
    await page.click('#elder-switch');
    await expect(page.locator('#elder-switch').getAttribute('aria-checked')).resolves.toBe('false');
    expect(await isElder(page)).toEqual({ page: false, html: false });
    expect(await page.evaluate(() => localStorage.getItem('elderMode'))).toBe('{"data":false}');
    await page.reload();
    await page.locator('#elder-switch').waitFor();
    expect(await isElder(page)).toEqual({ page: false, html: false });
    const logout = await heightOf(page, '#logout'); // a standard button: a 44 px target, not an elder one
    expect(logout).toBeGreaterThanOrEqual(44);
    expect(logout).toBeLessThan(60);
    expect(await smallestText(page)).toBeGreaterThanOrEqual(16);
  });

  it('text follows the browser font size, not the screen width', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 700 } });
    const p = await ctx.newPage();
    await p.goto(`${server.baseUrl}/#/pages/index/index`);
    await p.locator('#elder-switch').waitFor();
    const at375 = await p.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    expect(at375).toBe('20px'); // 125% of the default 16 px, as at 320 px
    // the user sets the browser's default font to 20 px (Chromium's font settings, through the DevTools protocol)
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Page.enable');
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 20 } });
    await p.reload();
    await p.locator('#elder-switch').waitFor();
    expect(await p.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('25px');
    expect(await smallestText(p)).toBeGreaterThanOrEqual(20); // 16 px text grew by 25 %
    await ctx.close();
  });
});
