/**
 * Forms that lose nothing (issue 13), in the H5 build against the real server (SQLite, dev login):
 * (a) a worker fills 申请帮扶 halfway (three of five steps), reloads the page: the step and every field are back;
 *     another person who logs in on the same browser sees an empty form, and the worker's draft is still there after;
 * (b) the worker submits while the API is down (server process killed): a clear error, the draft kept; again while
 *     the server takes the application but the answer is lost on the way back; again when all is well: exactly one
 *     application (counted through the API), and the draft is gone from the device.
 * (c) staff fill 困难职工建档 halfway, reload: restored; finish and submit: one file, the draft gone;
 * (d) a shop owner fills 商户入驻 (location from the device, union chosen by name), reloads mid-way, submits while the
 *     API is down (draft kept), then again: one merchant application.
 * Screenshots: artifacts/e2e/drafts/<nn>-<step>.png; server output: artifacts/e2e/drafts-server.log.
 */
import { creditCodeCheckChar, idNumberCheckChar } from '@union/shared';
import type { Browser, Page } from 'playwright-core';
import { VIEWPORT, assertBuilt, confirmModal, devLogin, fillInput, launchBrowser, startServer, type RunningServer, screenshotter } from './support';

const shot = screenshotter('drafts', 400);

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const first17 = `42020219900${Math.floor(Math.random() * 9) + 1}1${Math.floor(Math.random() * 9)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
const ID_NUMBER = first17 + idNumberCheckChar(first17);
const MOBILE = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const NAME = '李桂兰';
const WORKER = `drafts-worker-${run}`;

/** Resolves once `ok()` answers true (checked every 200 ms); fails after `ms`. */
async function waitUntil(what: string, ok: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('drafts of the step forms (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const progress = () => page.locator('#apply-progress').textContent();
  const value = (id: string) => page.locator(`#${id} input`).inputValue();
  /** The stored draft (Taro keeps `{ data }` JSON in localStorage): its storage key, values, step and idempotency `key`; or null. */
  const storedDraft = () => page.evaluate(() => {
    const k = Object.keys(localStorage).find((key) => key.startsWith('union.draft.aid-apply.'));
    return k ? { storageKey: k, ...JSON.parse(localStorage.getItem(k)!).data } : null;
  });
  const token = () => page.evaluate(() => JSON.parse(localStorage.getItem('union.accessToken') ?? '{"data":""}').data as string);
  /** The worker's applications, counted through the API. */
  const myApplications = async (bearer: string) => {
    const res = await fetch(`${server.baseUrl}/api/aid/applications/mine?page=1&pageSize=50`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { total: number; items: Array<{ id: number; name: string }> };
  };
  const logOutOnDevice = () => page.evaluate(() => {
    localStorage.removeItem('union.accessToken');
    localStorage.removeItem('union.user');
  });

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'drafts-server');
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a. fill the aid application halfway, reload: the step and every field come back; another user sees none of it', async () => {
    await page.goto(`${server.baseUrl}/#/pages/aid/apply`);
    await devLogin(page, { userKey: WORKER, role: 'user' });
    await page.locator('#apply-progress').waitFor({ timeout: 20_000 });
    expect(await progress()).toContain('第1步，共5步');

    // step 1: the union, chosen by name; 下一步 refuses without one and says so at the field
    await page.locator('#apply-org-search').waitFor();
    await page.click('#apply-next');
    expect(await page.locator('#err-orgCode').textContent()).toContain('请选择受理工会');
    expect(await progress()).toContain('第1步');
    await fillInput(page, 'apply-org-search', '网约');
    await page.click('#apply-org-search-go');
    await page.locator('#apply-org-HB-HS-HSG-WM').waitFor();
    await page.click('#apply-org-HB-HS-HSG-WM');
    await page.locator('#apply-org-name').waitFor();
    await page.click('#apply-next');

    // step 2: the applicant; a wrong ID number is refused at its field, tied to the input
    expect(await progress()).toContain('第2步，共5步');
    await fillInput(page, 'apply-name', NAME);
    await fillInput(page, 'apply-idNumber', '420202199001011234');
    await fillInput(page, 'apply-mobile', MOBILE);
    await fillInput(page, 'apply-employer', '美团黄石港站点');
    await page.click('#apply-employment-unemployed');
    await page.click('#apply-next');
    await page.locator('#err-idNumber').waitFor();
    expect(await page.locator('#apply-idNumber input').getAttribute('aria-describedby')).toContain('err-idNumber');
    expect(await progress()).toContain('第2步');
    await shot(page, 'step-2-error-at-the-field');
    await fillInput(page, 'apply-idNumber', ID_NUMBER);
    await page.click('#apply-next');

    // step 3: half of the address
    expect(await progress()).toContain('第3步，共5步');
    await fillInput(page, 'apply-province', '湖北省');
    await fillInput(page, 'apply-city', '黄石市');
    // every input has a visible label (and the same name for screen readers)
    expect(await page.locator('#apply-province-label').textContent()).toContain('省');
    expect(await page.locator('#apply-province input').getAttribute('aria-label')).toBe('省（必填）');
    await shot(page, 'step-3-half-filled');

    await page.waitForTimeout(500); // (the draft is saved 300 ms after the last change, and again when the page goes)
    await page.reload();
    await page.locator('#apply-progress').waitFor({ timeout: 20_000 });
    expect(await progress()).toContain('第3步，共5步');
    expect(await page.locator('#apply-draft-note').textContent()).toContain('已恢复');
    expect(await value('apply-province')).toBe('湖北省');
    expect(await value('apply-city')).toBe('黄石市');
    expect(await value('apply-district')).toBe('');
    await shot(page, 'restored-after-reload');
    await page.click('#apply-prev');
    expect(await progress()).toContain('第2步');
    expect(await value('apply-name')).toBe(NAME);
    expect(await value('apply-idNumber')).toBe(ID_NUMBER);
    expect(await value('apply-mobile')).toBe(MOBILE);
    expect(await value('apply-employer')).toBe('美团黄石港站点');
    expect(await page.locator('#apply-employment-unemployed').getAttribute('class')).toContain('chip-on');
    await page.click('#apply-prev');
    expect(await page.locator('#apply-org-name').textContent()).toBe('黄石市网约配送员工会联合会');

    // the draft is the worker's: someone else logging in on this browser starts from an empty form
    const draft = await storedDraft();
    expect(draft?.storageKey).toMatch(/^union\.draft\.aid-apply\.u\d+$/);
    expect(draft?.value.name).toBe(NAME);
    await logOutOnDevice();
    await page.reload();
    await devLogin(page, { userKey: `drafts-other-${run}`, role: 'user' });
    await page.locator('#apply-progress').waitFor({ timeout: 20_000 });
    expect(await progress()).toContain('第1步');
    await page.locator('#apply-org-search').waitFor();
    expect(await page.locator('#apply-org-name').count()).toBe(0);
    expect(await page.locator('#apply-draft-note').textContent()).not.toContain('已恢复');
    await shot(page, 'another-user-empty-form');

    // and the worker, back, finds the draft again
    await logOutOnDevice();
    await page.reload();
    await devLogin(page, { userKey: WORKER, role: 'user' });
    await page.locator('#apply-progress').waitFor({ timeout: 20_000 });
    expect(await progress()).toContain('第1步'); // the step where the worker left it
    expect(await page.locator('#apply-org-name').textContent()).toBe('黄石市网约配送员工会联合会');
  });

  test('b. submit while the API is down, then with the answer lost, then again: one application, the draft kept until it succeeds', async () => {
    await page.click('#apply-next');
    await page.click('#apply-next');
    expect(await progress()).toContain('第3步');
    await fillInput(page, 'apply-district', '黄石港区');
    await fillInput(page, 'apply-street', '胜阳港街道');
    await page.click('#apply-next');
    expect(await progress()).toContain('第4步，共5步');
    await fillInput(page, 'apply-householdSize', '3');
    await fillInput(page, 'apply-income', '1500.5');
    expect(await page.locator('#apply-income-label').textContent()).toContain('家庭月收入（元）');
    await fillInput(page, 'apply-illMembers', '1');
    await page.click('#apply-cause-illness');
    await page.click('#apply-next');
    expect(await progress()).toContain('第5步，共5步');
    await page.click('#apply-help-medical');
    await page.fill('#apply-account textarea', '丈夫住院，自付医疗费较多，我一人送外卖养家。');
    await page.click('#apply-submit'); // consent missing: refused at its field, nothing sent
    expect(await page.locator('#err-consent').textContent()).toContain('同意');
    await page.click('#apply-consent');
    await page.waitForTimeout(500);
    const bearer = await token();
    expect((await myApplications(bearer)).total).toBe(0);
    const draftKey = (await storedDraft())!.key as string; // the idempotency key, created with the draft

    // 1. the API is down: the server process is killed
    await server.kill();
    await page.click('#apply-submit');
    await confirmModal(page);
    const banner = page.locator('#apply-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('网络不通');
    expect(await banner.textContent()).toContain('已保存在本机');
    expect(await progress()).toContain('第5步');
    const kept = await storedDraft();
    expect(kept?.value.account).toContain('丈夫住院');
    expect(kept?.value.income).toBe('1500.5');
    expect(kept?.key).toBe(draftKey);
    await shot(page, 'submit-while-api-down');

    // 2. the API is back, takes the application, but the answer never reaches the phone
    await server.restart();
    let sent = 0;
    const keys: string[] = [];
    await page.route('**/api/aid/applications', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent += 1;
      keys.push(route.request().headers()['idempotency-key']);
      if (sent === 1) {
        const res = await route.fetch(); // reaches the server, which creates the application
        expect(res.status()).toBe(201);
        return route.abort('connectionreset'); // … and the answer is lost
      }
      return route.continue();
    });
    await page.click('#apply-submit');
    await confirmModal(page);
    await waitUntil('the lost answer', () => sent === 1);
    await page.locator('#apply-busy').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await banner.textContent()).toContain('网络不通');
    expect((await myApplications(bearer)).total).toBe(1);
    expect((await storedDraft())?.value.name).toBe(NAME); // the phone does not know it went through: the draft stays

    // 3. submit again: the same idempotency key, so the server answers the application it already has
    await page.click('#apply-submit');
    await confirmModal(page);
    const card = page.locator('[data-testid^="my-app-"][id^="my-app-"]').first();
    await card.waitFor({ timeout: 30_000 });
    await page.unroute('**/api/aid/applications');
    expect(sent).toBe(2);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(keys[0]).toBe(draftKey);
    expect(keys[1]).toBe(draftKey);
    const mine = await myApplications(bearer);
    expect(mine.total).toBe(1);
    expect(mine.items[0].name).toBe(NAME);
    expect(await card.getAttribute('id')).toBe(`my-app-${mine.items[0].id}`);
    expect(await storedDraft()).toBeNull(); // submitted: the draft and its personal data are gone from the device
    await shot(page, 'one-application-after-retries');

    // a new application starts from an empty form (and a new key)
    await page.goto(`${server.baseUrl}/#/pages/aid/apply`);
    await page.locator('#apply-progress').waitFor({ timeout: 20_000 });
    expect(await progress()).toContain('第1步');
    expect(await page.locator('#apply-org-name').count()).toBe(0);
  });

  test('c. 困难职工建档 (staff): halfway and reload restores it; submitted once, the draft is gone', async () => {
    const staff = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await staff.goto(`${server.baseUrl}/#/pages/workbench/index`); // the form itself has no login panel (staff only)
    await devLogin(staff, { userKey: `drafts-staff-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await waitUntil('the login', () => staff.evaluate(() => !!localStorage.getItem('union.user')));
    await staff.goto(`${server.baseUrl}/#/pages/aid/household-form`);
    await staff.reload();
    await staff.locator('#hf-progress').waitFor({ timeout: 20_000 });
    expect(await staff.locator('#hf-progress').textContent()).toContain('第1步，共4步');
    const idNumber = (() => { const f = `42020219750${Math.floor(Math.random() * 9) + 1}2${Math.floor(Math.random() * 9)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`; return f + idNumberCheckChar(f); })();
    await fillInput(staff, 'hf-headName', '周海燕');
    await fillInput(staff, 'hf-idNumber', idNumber);
    await fillInput(staff, 'hf-mobile', `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
    await staff.locator('#hf-org-HB-HS-HSG-WM').waitFor();
    expect(await staff.locator('#hf-org-HB-HS-HSG-WM').textContent()).toBe('黄石市网约配送员工会联合会'); // names, not codes
    await staff.click('#hf-org-HB-HS-HSG-WM');
    await staff.click('#hf-next');
    await fillInput(staff, 'hf-province', '湖北省');
    await staff.waitForTimeout(500);
    await staff.reload();
    await staff.locator('#hf-progress').waitFor({ timeout: 20_000 });
    expect(await staff.locator('#hf-progress').textContent()).toContain('第2步');
    expect(await staff.locator('#hf-province input').inputValue()).toBe('湖北省');
    await staff.click('#hf-prev');
    expect(await staff.locator('#hf-headName input').inputValue()).toBe('周海燕');
    expect(await staff.locator('#hf-idNumber input').inputValue()).toBe(idNumber);
    expect(await staff.locator('#hf-org-HB-HS-HSG-WM').getAttribute('class')).toContain('chip-on');
    await staff.click('#hf-next');
    await fillInput(staff, 'hf-city', '黄石市');
    await fillInput(staff, 'hf-district', '黄石港区');
    await fillInput(staff, 'hf-street', '胜阳港街道');
    await staff.click('#hf-next');
    await fillInput(staff, 'hf-householdSize', '2');
    await fillInput(staff, 'hf-income', '1800.50');
    expect(await staff.locator('#hf-per-capita').textContent()).toContain('900.25');
    await staff.click('#hf-cause-illness');
    await staff.click('#hf-next');
    expect(await staff.locator('#hf-progress').textContent()).toContain('第4步，共4步');
    await shot(staff, 'household-form-last-step');
    await staff.click('#hf-submit');
    await confirmModal(staff);
    await staff.waitForURL(/pages\/aid\/household\?id=\d+/, { timeout: 30_000 });
    const id = Number(/id=(\d+)/.exec(staff.url())![1]);
    const bearer = await staff.evaluate(() => JSON.parse(localStorage.getItem('union.accessToken')!).data as string);
    const file = await (await fetch(`${server.baseUrl}/api/aid/households/${id}`, { headers: { Authorization: `Bearer ${bearer}` } })).json();
    expect(file).toMatchObject({ headName: '周海燕', monthlyIncomeFen: 180_050, householdSize: 2, org: { code: 'HB-HS-HSG-WM' } });
    expect(await staff.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('union.draft.household-new.')))).toEqual([]);
    await staff.context().close();
  });

  test('d. 商户入驻: location from the device, union by name, reload mid-way, API down then back: one merchant application', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, geolocation: { latitude: 30.2130, longitude: 115.0580 }, permissions: ['geolocation'] });
    const owner = await context.newPage();
    await owner.goto(`${server.baseUrl}/#/pages/vouchers/apply`);
    await devLogin(owner, { userKey: `drafts-shop-${run}`, role: 'user' });
    await owner.locator('#ma-progress').waitFor({ timeout: 20_000 });
    await fillInput(owner, 'ma-name', '黄石老街面馆');
    await owner.click('#ma-cat-catering');
    await owner.click('#ma-next');
    await fillInput(owner, 'ma-address', '黄石港区天虹路8号');
    await owner.click('#ma-next'); // no location yet: refused at the field
    expect(await owner.locator('#err-ma-lat').textContent()).toContain('请选择店铺位置');
    await owner.click('#ma-locate');
    await owner.locator('#ma-location-set').waitFor({ timeout: 15_000 });
    expect(await owner.locator('#ma-location').textContent()).not.toMatch(/\d+\.\d{3}/); // no coordinates on screen
    await owner.waitForTimeout(500);
    await owner.reload();
    await owner.locator('#ma-progress').waitFor({ timeout: 20_000 });
    expect(await owner.locator('#ma-progress').textContent()).toContain('第2步，共3步');
    expect(await owner.locator('#ma-address input').inputValue()).toBe('黄石港区天虹路8号');
    await owner.locator('#ma-location-set').waitFor();
    await owner.click('#ma-next');
    const body17 = `91420200${Math.random().toString(36).slice(2, 11).toUpperCase().replace(/[IOSVZ]/g, '1').padEnd(9, '1')}`;
    const licence = body17 + creditCodeCheckChar(body17)!;
    await fillInput(owner, 'ma-licenceNo', body17 + (creditCodeCheckChar(body17) === '0' ? '1' : '0'));
    await owner.click('#ma-submit');
    await owner.locator('#err-ma-licenceNo').waitFor(); // a wrong check character, refused before sending
    await fillInput(owner, 'ma-licenceNo', licence);
    await fillInput(owner, 'ma-contactName', '王师傅');
    await fillInput(owner, 'ma-contactMobile', `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
    await fillInput(owner, 'ma-org-search', '黄石港');
    await owner.click('#ma-org-search-go');
    await owner.locator('#ma-org-HB-HS-HSG').waitFor();
    await owner.click('#ma-org-HB-HS-HSG');
    expect(await owner.locator('#ma-org-name').textContent()).toBe('黄石港区总工会');
    await owner.waitForTimeout(400);

    await server.kill();
    await owner.click('#ma-submit');
    await owner.locator('#ma-banner').filter({ hasText: '网络' }).waitFor({ timeout: 30_000 });
    expect(await owner.locator('#ma-banner').textContent()).toContain('已保存在本机');
    await shot(owner, 'merchant-submit-while-api-down');
    await server.restart();
    await owner.click('#ma-submit');
    await owner.locator('#ma-mine').filter({ hasText: '黄石老街面馆' }).waitFor({ timeout: 30_000 });
    const bearer = await owner.evaluate(() => JSON.parse(localStorage.getItem('union.accessToken')!).data as string);
    const mine = (await (await fetch(`${server.baseUrl}/api/vouchers/merchants/mine`, { headers: { Authorization: `Bearer ${bearer}` } })).json()) as Array<{ name: string; lat: number; org: { code: string } }>;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ name: '黄石老街面馆', org: { code: 'HB-HS-HSG' } });
    expect(mine[0].lat).toBeGreaterThan(30);
    expect(await owner.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('union.draft.merchant-apply.')))).toEqual([]);
    await shot(owner, 'merchant-submitted');
    await context.close();
  });
});
