/**
 * Membership journey in the H5 build, against the real server (SQLite, dev login, 6 s card codes):
 * staff creates a join code → a rider opens its URL, fixes an invalid ID number, applies →
 * staff approves → the rider's card shows a member number and a QR that rotates.
 * Screenshots: artifacts/e2e/<nn>-<step>.png; server output: artifacts/e2e/server.log.
 */
import { idNumberCheckChar, validateIdNumber } from '@union/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  VIEWPORT,
  assertBuilt,
  confirmModal,
  devLogin,
  fillInput,
  horizontalOverflow,
  launchBrowser,
  shot,
  startServer,
  type RunningServer,
} from './support';

const ORG_CODE = 'HB-HS-HSG-WM';
const ORG_NAME = '黄石市网约配送员工会联合会';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const NAME_CHARS = '明华强丽军芳伟娜敏静磊洋艳勇杰涛超霞平刚';

function randomName(): string {
  let s = '骑手';
  for (let i = 0; i < 2; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

/** A valid, run-unique 18-character ID number for an adult born 1970–1999 (Huangshi area code). */
function validIdNumber(): string {
  const y = 1970 + Math.floor(Math.random() * 30);
  const m = 1 + Math.floor(Math.random() * 12);
  const d = 1 + Math.floor(Math.random() * 28);
  const seq = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const first17 = `420202${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`;
  return first17 + idNumberCheckChar(first17);
}

describe('membership journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let staffCtx: BrowserContext;
  let riderCtx: BrowserContext;
  let staff: Page;
  let rider: Page;
  let joinUrl = '';
  const riderName = randomName();

  beforeAll(async () => {
    assertBuilt();
    server = await startServer();
    browser = await launchBrowser();
    staffCtx = await browser.newContext({ viewport: VIEWPORT });
    riderCtx = await browser.newContext({ viewport: VIEWPORT });
    staff = await staffCtx.newPage();
    rider = await riderCtx.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a. staff logs in and creates a join code for a grassroots org', async () => {
    await staff.goto(`${server.baseUrl}/`);
    await devLogin(staff, { userKey: `staff-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staff.locator('#link-workbench').waitFor();
    await shot(staff, 'staff-home');

    await staff.click('#link-workbench');
    await staff.locator('#wb-join-codes').waitFor();
    await shot(staff, 'staff-workbench');
    await staff.click('#wb-join-codes');

    const orgChip = staff.locator(`#jc-org-${ORG_CODE}`);
    await orgChip.waitFor();
    await expect(orgChip.textContent()).resolves.toContain(ORG_NAME);
    await orgChip.click();
    await fillInput(staff, 'jc-label', `e2e ${run}`);
    await staff.click('#jc-create');
    const urlEl = staff.locator('#jc-url');
    await urlEl.waitFor();
    joinUrl = ((await urlEl.textContent()) ?? '').trim();
    expect(joinUrl).toMatch(/#\/pages\/join\/index\?code=/);
    expect(joinUrl.startsWith(server.baseUrl)).toBe(true);
    await expect(staff.locator('#jc-created [data-testid="qr"]').getAttribute('data-code')).resolves.toBe(joinUrl);
    expect(await horizontalOverflow(staff)).toBeLessThanOrEqual(0);
    await shot(staff, 'staff-join-code');
  });

  test('b. a rider opens the join URL, fixes an invalid ID number and applies', async () => {
    expect(joinUrl).not.toBe('');
    await rider.goto(joinUrl);
    await rider.locator('#join-org-name').waitFor();
    expect(await rider.locator('#join-org-name').textContent()).toContain(ORG_NAME);
    await shot(rider, 'rider-join-login');

    if (await rider.locator('#login-userkey').count()) {
      await devLogin(rider, { userKey: `rider-${run}`, role: 'user' });
    }
    await rider.locator('#join-name').waitFor();

    const invalidId = '110105194912310021';
    expect(validateIdNumber(invalidId)).toContain('校验位');
    await fillInput(rider, 'join-name', riderName);
    await fillInput(rider, 'join-id-number', invalidId);
    await fillInput(rider, 'join-mobile', `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
    await rider.click('#join-occupation-food_delivery');
    await fillInput(rider, 'join-platform', '美团');
    await fillInput(rider, 'join-work-city', '黄石市');
    await rider.click('#join-consent');
    await rider.click('#join-submit');

    const idError = rider.locator('#err-idNumber');
    await idError.waitFor();
    expect(await idError.textContent()).toContain('校验位');
    expect(await horizontalOverflow(rider)).toBeLessThanOrEqual(0);
    await shot(rider, 'rider-invalid-id');

    await fillInput(rider, 'join-id-number', validIdNumber());
    await idError.waitFor({ state: 'detached' });
    await rider.click('#join-submit');
    await confirmModal(rider);

    const status = rider.locator('#progress-status');
    await status.waitFor({ timeout: 20_000 });
    expect(await status.textContent()).toContain('审核中');
    await shot(rider, 'rider-progress-pending');
  });

  test('c. staff approves the application in 工作台 → 入会审核', async () => {
    await staff.goto(`${server.baseUrl}/#/pages/workbench/index`);
    await staff.locator('#wb-pending').waitFor();
    await staff.click('#wb-review');

    const card = staff.locator('[data-testid^="application-"]').filter({ hasText: riderName });
    // Our application may be beyond the first page.
    for (let i = 0; i < 20; i++) {
      await staff.locator('[data-testid^="application-"], [data-testid="empty"]').first().waitFor();
      if (await card.count()) break;
      const more = staff.locator('#review-more');
      if (!(await more.count())) break;
      await more.click();
      await staff.waitForTimeout(300);
    }
    await card.waitFor();
    await shot(staff, 'staff-review');
    await card.locator('[data-testid^="approve-"]').click();
    await confirmModal(staff);
    const banner = staff.locator('#review-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('已通过');
    await card.waitFor({ state: 'detached' });
    await shot(staff, 'staff-approved');
  });

  test('d. the rider sees the card with a member number and a rotating QR', async () => {
    await rider.reload();
    const status = rider.locator('#progress-status');
    await status.waitFor();
    expect(await status.textContent()).toContain('已通过');
    await rider.click('#progress-card-link');

    const memberNo = rider.locator('#card-member-no');
    await memberNo.waitFor();
    expect(((await memberNo.textContent()) ?? '').trim()).not.toBe('');
    const qr = rider.locator('[data-testid="qr"]');
    await qr.waitFor();
    const first = await qr.getAttribute('data-code');
    expect(first).toBeTruthy();
    expect(await horizontalOverflow(rider)).toBeLessThanOrEqual(0);
    await shot(rider, 'rider-card');

    // TTL is 6 s: the page refetches at ~80% of it, so the code changes within ~5 s.
    let next = first;
    const deadline = Date.now() + 20_000;
    while (next === first && Date.now() < deadline) {
      await rider.waitForTimeout(500);
      next = await qr.getAttribute('data-code');
    }
    expect(next).toBeTruthy();
    expect(next).not.toBe(first);
    await shot(rider, 'rider-card-rotated');
  });
});
