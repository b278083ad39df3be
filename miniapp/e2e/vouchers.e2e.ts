/**
 * Vouchers journey in the H5 build against the real server (SQLite, dev login):
 * staff approves a merchant and creates + publishes a campaign → a member claims a voucher → staff pause the
 * campaign and the member sees 活动已暂停 on a disabled button, then resume it →
 * the clerk redeems it with the code read from the member's QR and an order amount → the clerk's
 * 今日核销 and the staff's 结算对账 show it → a second redemption of the same voucher is refused
 * with the Chinese message → 活动实况 shows the figures and refreshes itself while visible. Screenshots: artifacts/e2e/vouchers/<nn>-<step>.png.
 */
import { creditCodeCheckChar, formatShanghai, idNumberCheckChar } from '@union/shared';
import { mkdirSync, readFileSync } from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, assertBuilt, confirmModal, devLogin, fillInput, horizontalOverflow, launchBrowser, startServer, type RunningServer } from './support';

const SHOTS = path.join(ARTIFACTS, 'vouchers');
let shotNo = 0;
async function shot(page: Page, step: string): Promise<void> {
  shotNo += 1;
  expect(await horizontalOverflow(page)).toBe(0); // nothing overflows a 375 px screen
  await page.waitForTimeout(400); // let a closing modal finish fading out
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
}

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const MERCHANT_NAME = `好味餐馆${run.slice(-4)}`;

function licenceNo(): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '91420200';
  for (let i = 0; i < 9; i++) body += chars[Math.floor(Math.random() * chars.length)];
  return body + creditCodeCheckChar(body);
}
function idNumber(): string {
  const first17 = `42020219${80 + Math.floor(Math.random() * 19)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

describe('vouchers journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let member: Page;
  let clerk: Page;
  let merchantId = 0;
  let campaignId = 0;
  let typeId = 0;
  let code = '';
  let staffToken = '';

  const api = async (method: string, p: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}/api${p}`, {
      method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (userKey: string, role: string, orgCode?: string) => (await api('POST', '/auth/dev-login', undefined, { userKey, role, orgCode })).accessToken as string;
  const open = async (page: Page, route: string) => {
    await page.goto(`${server.baseUrl}/#/pages/${route}`);
  };

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'vouchers-server');
    // The setup that is not under test goes through the API: a member, and a pending merchant application.
    staffToken = await login(`vstaff-${run}`, 'union_staff', 'HB-HS');
    const jc = await api('POST', '/membership/join-codes', staffToken, { orgCode: 'HB-HS-HSG-WM' });
    const memberToken = await login(`vmember-${run}`, 'user');
    const app = await api('POST', '/membership/applications', memberToken, {
      joinCode: jc.code, name: '王骑手', idNumber: idNumber(), mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, occupation: 'food_delivery', consent: true,
    });
    await api('POST', `/membership/applications/${app.id}/approve`, staffToken);
    const clerkToken = await login(`vclerk-${run}`, 'merchant_clerk', 'HB-HS');
    const merchant = await api('POST', '/vouchers/merchants', clerkToken, {
      name: MERCHANT_NAME, category: 'catering', address: '黄石港区天虹路8号', lat: 30.2152, lng: 115.0601, licenceNo: licenceNo(),
      contactName: '李老板', contactMobile: '13907140001', orgCode: 'HB-HS-HSG', discountNote: '会员加送饮料',
    });
    merchantId = merchant.id;

    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ viewport: VIEWPORT }));
    [staff, member, clerk] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const [page, key, role] of [[staff, `vstaff-${run}`, 'union_staff'], [member, `vmember-${run}`, 'user'], [clerk, `vclerk-${run}`, 'merchant_clerk']] as const) {
      await page.goto(`${server.baseUrl}/`);
      await devLogin(page, { userKey: key, role, orgCode: 'HB-HS' });
      await page.locator('#session-card').waitFor();
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('1. staff approves the merchant (商户审核)', async () => {
    await open(staff, 'workbench/index');
    await staff.locator('#wb-vouchers-review').waitFor();
    await shot(staff, 'staff-workbench');
    await staff.click('#wb-vouchers-review');
    const approve = staff.locator(`[data-testid=mr-approve-${merchantId}]`);
    await approve.waitFor();
    await shot(staff, 'merchant-review');
    await approve.click();
    await confirmModal(staff);
    await expect(staff.locator('#mr-banner').textContent()).resolves.toContain(`已通过「${MERCHANT_NAME}」`);
    await shot(staff, 'merchant-approved');
  });

  test('2. staff creates and publishes a campaign (活动管理)', async () => {
    await open(staff, 'vouchers/campaigns');
    await staff.click('#cm-new');
    await staff.locator('#cm-form').waitFor();
    await fillInput(staff, 'cm-name', `黄石职工消费季${run.slice(-3)}`);
    await fillInput(staff, 'cm-budget', '2000');
    await fillInput(staff, 'cm-type-qty-0', '50');
    await fillInput(staff, 'cm-start', formatShanghai(new Date(Date.now() - 120_000)));
    await staff.click('#cm-scope-categories');
    await staff.click('#cm-cat-catering');
    await shot(staff, 'campaign-form');
    await staff.click('#cm-save');
    await staff.locator('#cm-banner').filter({ hasText: '已创建草稿' }).waitFor();
    const publish = staff.locator('[data-testid^=cm-publish-]').first();
    campaignId = Number((await publish.getAttribute('data-testid'))!.replace('cm-publish-', ''));
    await publish.click();
    await confirmModal(staff);
    await staff.locator('#cm-banner').filter({ hasText: '已发布' }).waitFor();
    await shot(staff, 'campaign-published');
  });

  test('3. the member claims a voucher (消费券 → 立即领取)', async () => {
    await open(member, 'vouchers/index');
    const card = member.locator(`[data-testid=campaign-${campaignId}]`);
    await card.waitFor();
    const button = card.locator('[id^=claim-]').first();
    typeId = Number((await button.getAttribute('id'))!.replace('claim-', ''));
    expect(await card.locator(`[data-testid=claim-type-${typeId}]`).getAttribute('data-state')).toBe('claimable');
    await expect(button.textContent()).resolves.toContain('立即领取');
    await shot(member, 'campaigns');
    await button.click();
    await member.locator('#vc-banner').filter({ hasText: '领取成功' }).waitFor();
    await member.locator(`[data-testid=claim-type-${typeId}][data-state=limit_reached]`).waitFor();
    await expect(member.locator(`#claim-${typeId}`).textContent()).resolves.toContain('已达上限');
    await shot(member, 'claimed');
  });

  test('3b. while staff pause the campaign the member sees 活动已暂停 on a disabled button; after resume it is back', async () => {
    await api('POST', `/vouchers/manage/campaigns/${campaignId}/pause`, staffToken, {});
    await member.reload();
    const button = member.locator(`#claim-${typeId}`);
    await member.locator(`[data-testid=claim-type-${typeId}][data-state=paused]`).waitFor();
    await expect(button.textContent()).resolves.toContain('活动已暂停');
    expect(await button.evaluate((el) => (el as { disabled?: boolean }).disabled === true || el.hasAttribute('disabled'))).toBe(true);
    await member.locator(`#paused-${campaignId}`).waitFor();
    await shot(member, 'campaign-paused');
    await api('POST', `/vouchers/manage/campaigns/${campaignId}/resume`, staffToken);
    await member.reload();
    await member.locator(`[data-testid=claim-type-${typeId}][data-state=limit_reached]`).waitFor();
    expect(await member.locator(`#paused-${campaignId}`).count()).toBe(0);
  });

  test('4. the member opens 我的券 → 券详情 with its rotating QR', async () => {
    await member.click('#vc-mine');
    const ticket = member.locator('[data-testid^=voucher-]').first();
    await ticket.waitFor();
    await shot(member, 'my-vouchers');
    await ticket.click();
    const qr = member.locator('#voucher-qr [data-testid=qr]');
    await qr.waitFor();
    code = (await qr.getAttribute('data-code'))!;
    expect(code.split('.')).toHaveLength(3);
    await shot(member, 'voucher-qr');
  });

  test('5. the clerk redeems it with the order amount (扫码核销)', async () => {
    await open(clerk, 'vouchers/index');
    await clerk.locator('#vc-redeem').waitFor();
    await shot(clerk, 'clerk-home');
    await clerk.click('#vc-redeem');
    await clerk.locator('#redeem-code').waitFor();
    await fillInput(clerk, 'redeem-code', code);
    await fillInput(clerk, 'redeem-amount', '128.50');
    await clerk.click('#redeem-submit');
    await confirmModal(clerk);
    const result = clerk.locator('#redeem-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('订单金额 ¥128.50');
    await shot(clerk, 'redeemed');
  });

  test('6. 今日核销 shows it with totals', async () => {
    await clerk.click('#redeem-go-today');
    await clerk.locator('#today-count').waitFor();
    expect(await clerk.locator('#today-count').textContent()).toBe('1');
    expect(await clerk.locator('#today-face').textContent()).toBe('20.00元');
    expect(await clerk.locator('#today-order').textContent()).toBe('128.50元');
    await shot(clerk, 'today');
  });

  test('7. the staff settlement shows it (结算对账) and reconciles', async () => {
    await open(staff, 'vouchers/settlement');
    const line = staff.locator(`[data-testid^=st-line-${merchantId}-]`);
    await line.waitFor();
    await expect(line.textContent()).resolves.toContain(MERCHANT_NAME);
    await expect(line.textContent()).resolves.toContain('券面金额20.00元');
    await staff.click('#st-reconcile');
    await staff.locator('#st-report').filter({ hasText: '对账无差异' }).waitFor();
    await shot(staff, 'settlement');
    // the CSV keeps the byte-order mark Excel needs to read Chinese (decoding the answer as text drops it)
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.click('#st-export')]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(MERCHANT_NAME);
    await staff.locator('#st-banner').filter({ hasText: '已下载' }).waitFor();
  });

  test('8. a second redemption of the same voucher is refused in Chinese', async () => {
    await open(clerk, 'vouchers/redeem');
    await clerk.locator('#redeem-code').waitFor();
    await fillInput(clerk, 'redeem-code', code);
    await fillInput(clerk, 'redeem-amount', '200');
    await clerk.click('#redeem-submit');
    await confirmModal(clerk);
    const err = clerk.locator('#redeem-error');
    await err.waitFor();
    await expect(err.textContent()).resolves.toContain('该券已核销，不能重复使用');
    await shot(clerk, 'second-redemption-refused');
    // and the member's voucher now shows as used
    await member.reload();
    await member.locator('#voucher-status').filter({ hasText: '已使用' }).waitFor();
    await shot(member, 'voucher-used');
  });

  test('8b. 活动实况: staff open the campaign page, see its figures, and it refreshes by itself only while visible', async () => {
    await open(staff, 'vouchers/campaigns');
    await staff.locator(`[data-testid=cm-live-${campaignId}]`).click();
    await staff.locator('#live-page').waitFor();
    expect(await staff.locator('#live-claimed').textContent()).toBe('1');
    expect(await staff.locator('#live-redemption-rate').textContent()).toBe('100%');
    expect(await staff.locator('#live-driven').textContent()).toBe('128.50元');
    await expect(staff.locator('#live-state').textContent()).resolves.toBe('进行中');
    await expect(staff.locator(`[data-testid=live-merchants-${merchantId}]`).textContent()).resolves.toContain(MERCHANT_NAME);
    await expect(staff.locator(`[data-testid=live-merchants-${merchantId}]`).textContent()).resolves.toContain('128.50');
    await expect(staff.locator('#live-employers').textContent()).resolves.toContain('未填写（1人）');
    await expect(staff.locator(`[data-testid=live-type-${typeId}]`).textContent()).resolves.toContain('剩 49/50');
    await shot(staff, 'campaign-live');

    // pause and resume from this screen
    await staff.click('#live-toggle-pause');
    await confirmModal(staff);
    await staff.locator('#live-state').filter({ hasText: '已暂停领取' }).waitFor();
    await expect(staff.locator('#live-toggle-pause').textContent()).resolves.toBe('恢复领取');
    await shot(staff, 'campaign-live-paused');
    await staff.click('#live-toggle-pause');
    await confirmModal(staff);
    await staff.locator('#live-state').filter({ hasText: '进行中' }).waitFor();

    // a second member claims through the API: the open page shows it without a reload
    const jc = await api('POST', '/membership/join-codes', staffToken, { orgCode: 'HB-HS-HSG-WM' });
    const second = await login(`vmember2-${run}`, 'user');
    const app = await api('POST', '/membership/applications', second, {
      joinCode: jc.code, name: '李骑手', idNumber: idNumber(), mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, occupation: 'food_delivery', platform: '美团', consent: true,
    });
    await api('POST', `/membership/applications/${app.id}/approve`, staffToken);
    await fetch(`${server.baseUrl}/api/vouchers/campaigns/${campaignId}/claims`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${second}`, 'Idempotency-Key': `e2e-live-${run}` }, body: JSON.stringify({ voucherTypeId: typeId }),
    });
    await staff.locator('#live-claimed').filter({ hasText: /^2$/ }).waitFor({ timeout: 15_000 });
    expect(await staff.locator('#live-redemption-rate').textContent()).toBe('50%');
    await expect(staff.locator('#live-employers').textContent()).resolves.toContain('美团（1人）');

    // hidden (the tab in the background): no more requests; visible again: it reloads at once
    let requests = 0;
    staff.on('request', (r) => {
      if (r.url().includes(`/manage/campaigns/${campaignId}/live`)) requests += 1;
    });
    const setVisibility = (state: 'hidden' | 'visible') => staff.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
    await setVisibility('hidden');
    await staff.waitForTimeout(500); // a request already under way may still finish
    requests = 0;
    await staff.waitForTimeout(7_000);
    expect(requests).toBe(0);
    await setVisibility('visible');
    await staff.waitForTimeout(1_000);
    expect(requests).toBeGreaterThanOrEqual(1);

    // another page on top (in-app navigation: the page is hidden, not closed): no more requests either
    await staff.evaluate((id) => { window.location.hash = `#/pages/vouchers/stats?id=${id}`; }, campaignId);
    await staff.locator('#st-claimed').waitFor();
    await staff.waitForTimeout(500);
    requests = 0;
    await staff.waitForTimeout(7_000);
    expect(requests).toBe(0);
  }, 60_000);

  test('8c. 活动数据 shows spending by employer and by merchant, and exports them as CSV', async () => {
    await open(staff, `vouchers/stats?id=${campaignId}`);
    const merchants = staff.locator(`[data-testid=st-merchants-${merchantId}]`);
    await merchants.waitFor();
    await expect(merchants.textContent()).resolves.toContain('128.50');
    await expect(staff.locator('#st-employers').textContent()).resolves.toMatch(/未填写（1人）.*128\.50/);
    await expect(staff.locator('#st-employers').textContent()).resolves.toContain('美团（1人）');
    await shot(staff, 'campaign-stats-spending');
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.click('#st-export-employers')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)).toEqual(expect.arrayContaining(['\uFEFF工作单位/平台,领券会员数,领券张数,领券面额(元),核销张数,核销面额(元),带动消费(元)', '未填写,1,1,20.00,1,20.00,128.50', '美团,1,1,20.00,0,0.00,0.00']));
    await staff.locator('#st-banner').filter({ hasText: '已下载' }).waitFor();
  });

  test('9. 可用商户 lists the merchant by distance from the (WGS-84) browser location', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, geolocation: { latitude: 30.2175, longitude: 115.0545 }, permissions: ['geolocation'] });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/`);
    await devLogin(page, { userKey: `vmember-${run}`, role: 'user' });
    await page.locator('#session-card').waitFor();
    await open(page, `vouchers/merchants?campaignId=${campaignId}`);
    const m = page.locator(`[data-testid=merchant-${merchantId}]`);
    await m.waitFor();
    await expect(m.locator('[data-testid=distance]').textContent()).resolves.toMatch(/^\d+米$/);
    await page.click('#cat-supermarket');
    await page.locator('[data-testid=empty]').waitFor();
    await shot(page, 'merchants-filtered');
  });

  test('10. the clerk reverses it on 今日核销 after confirming: the row says 已撤销 in place and the totals drop to 0', async () => {
    await open(clerk, 'vouchers/today');
    const row = clerk.locator('[data-testid^="redemption-"]').filter({ visible: true }).first();
    await row.waitFor();
    expect(await clerk.locator('#today-count').filter({ visible: true }).last().textContent()).toBe('1');
    await row.locator('[data-testid^="reverse-"]').click();
    await confirmModal(clerk);
    await row.filter({ hasText: '已撤销' }).waitFor();
    await clerk.locator('#today-count').filter({ visible: true, hasText: '0' }).last().waitFor();
    expect(await clerk.locator('#today-face').filter({ visible: true }).last().textContent()).toBe('0.00元');
    expect(await row.locator('[data-testid^="reverse-"]').count()).toBe(0);
    await shot(clerk, 'today-reversed');
  });
});
