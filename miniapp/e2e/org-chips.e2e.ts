/**
 * Choosing a union when the staff member's subtree holds more than a page of them (components/OrgChips), in the H5
 * build against the real server (SQLite, dev login). An admin adds 105 grassroots unions under 黄石 through the API;
 * on 入会二维码 a city staff member sees the first 30 as chips with 加载更多, finds one beyond them by name (the
 * search runs on the server), chooses it and creates a join code for it. Before, the form offered only the first
 * 100 unions of the subtree, and nothing past them could be chosen at all.
 * Screenshots: artifacts/e2e/org-chips/<nn>-<step>.png.
 */
import type { Browser, Page } from 'playwright-core';
import { VIEWPORT, apiCall, assertBuilt, devLogin, devLoginApi, fillInput, launchBrowser, screenshotter, startServer, type RunningServer } from './support';

const shot = screenshotter('org-chips');
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();
const EXTRA = 105;
const codeOf = (i: number) => `HB-HS-HSG-T${run}-${String(i).padStart(3, '0')}`;
const nameOf = (i: number) => `测试基层工会${String(i).padStart(3, '0')}号`;

describe('union chips at scale (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let staff: Page;

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'server-org-chips');
    const admin = await devLoginApi(server.baseUrl, `admin-${run}`, 'admin');
    for (let i = 1; i <= EXTRA; i++) {
      await apiCall(server.baseUrl, 'POST', '/orgs', admin.accessToken, { code: codeOf(i), name: nameOf(i), level: 'grassroots', parentCode: 'HB-HS-HSG', city: '黄石' });
    }
    browser = await launchBrowser();
    staff = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the first page of unions, 加载更多, a search past them, and a join code for the union found', async () => {
    await staff.goto(`${server.baseUrl}/`);
    await devLogin(staff, { userKey: `chips-staff-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staff.locator('#link-workbench').waitFor();
    await staff.goto(`${server.baseUrl}/#/pages/membership/join-codes`);
    const chips = staff.locator('#jc-org-chips [role="radio"]');
    await chips.first().waitFor();
    expect(await chips.count()).toBe(30);
    await expect(staff.locator('#jc-org-more').textContent()).resolves.toContain(`还有 ${EXTRA + 1 - 30} 个`);
    expect(await staff.locator(`#jc-org-${codeOf(EXTRA)}`).count()).toBe(0);
    await shot(staff, 'first-page');
    // the 105th union lies past the 100 the form used to offer: only the search reaches it

    await staff.click('#jc-org-more');
    await staff.waitForFunction(() => document.querySelectorAll('#jc-org-chips [role="radio"]').length === 60);
    await expect(staff.locator('#jc-org-more').textContent()).resolves.toContain(`还有 ${EXTRA + 1 - 60} 个`);

    await fillInput(staff, 'jc-org-search', nameOf(EXTRA));
    await staff.click('#jc-org-search-go');
    await staff.waitForFunction(() => document.querySelectorAll('#jc-org-chips [role="radio"]').length === 1);
    const found = staff.locator(`#jc-org-${codeOf(EXTRA)}`);
    expect(await found.textContent()).toBe(nameOf(EXTRA));
    await found.click();
    expect(await found.getAttribute('aria-checked')).toBe('true');
    await shot(staff, 'found');

    await fillInput(staff, 'jc-label', `chips ${run}`);
    await staff.click('#jc-create');
    await staff.locator('#jc-url').waitFor();
    const codes = await apiCall(server.baseUrl, 'GET', '/membership/join-codes?pageSize=5', (await devLoginApi(server.baseUrl, `chips-staff-${run}`, 'union_staff', 'HB-HS')).accessToken);
    expect(codes.items[0]).toMatchObject({ label: `chips ${run}`, orgCode: codeOf(EXTRA), orgName: nameOf(EXTRA) });
  });
});
