/**
 * Message centre journey in the H5 build against the real server (SQLite, dev login, the reminder schedule on):
 * a member taps 提醒我 on an upcoming campaign → the scheduled job writes the reminder and the campaign opens →
 * the home page shows the unread badge → 消息 lists the reminder → tapping it marks it read and opens the
 * campaign, now claimable. Screenshots: artifacts/e2e/messages/<nn>-<step>.png.
 */
import { idNumberCheckChar } from '@union/shared';
import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, assertBuilt, devLogin, horizontalOverflow, launchBrowser, startServer, type RunningServer } from './support';

const SHOTS = path.join(ARTIFACTS, 'messages');
let shotNo = 0;
async function shot(page: Page, step: string): Promise<void> {
  shotNo += 1;
  expect(await horizontalOverflow(page)).toBe(0);
  await page.waitForTimeout(300);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
}

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
function idNumber(): string {
  const first17 = `42020219${80 + Math.floor(Math.random() * 19)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

describe('message centre journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let member: Page;
  let memberToken = '';
  let campaignId = 0;
  const CAMPAIGN = `提醒测试消费季${run.slice(-3)}`;

  const api = async (method: string, p: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}/api${p}`, {
      method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (userKey: string, role: string, orgCode?: string) => (await api('POST', '/auth/dev-login', undefined, { userKey, role, orgCode })).accessToken as string;

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({ NOTIFY_SCHEDULE: 'true' }, 'messages-server');
    const staffToken = await login(`mstaff-${run}`, 'union_staff', 'HB-HS');
    const jc = await api('POST', '/membership/join-codes', staffToken, { orgCode: 'HB-HS-HSG-WM' });
    memberToken = await login(`mmember-${run}`, 'user');
    const app = await api('POST', '/membership/applications', memberToken, {
      joinCode: jc.code, name: '周骑手', idNumber: idNumber(), mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, occupation: 'food_delivery', consent: true,
    });
    await api('POST', `/membership/applications/${app.id}/approve`, staffToken); // message 1: 入会申请已通过
    await api('POST', '/messages/read-all', memberToken);
    const start = Date.now() + 45_000;
    const campaign = await api('POST', '/vouchers/manage/campaigns', staffToken, {
      name: CAMPAIGN, description: '会员专享', budgetFen: 200_000,
      types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 100, perMemberLimit: 1 }],
      perMemberLimit: 1, claimStartAt: new Date(start).toISOString(), claimEndAt: new Date(start + 86_400_000).toISOString(),
      validityKind: 'fixed', validFrom: new Date(start).toISOString(), validUntil: new Date(start + 30 * 86_400_000).toISOString(), merchantScope: 'all',
    });
    await api('POST', `/vouchers/manage/campaigns/${campaign.id}/publish`, staffToken);
    campaignId = campaign.id;

    browser = await launchBrowser();
    member = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await member.goto(`${server.baseUrl}/`);
    await devLogin(member, { userKey: `mmember-${run}`, role: 'user' });
    await member.locator('#session-card').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('1. the member taps 提醒我 on the upcoming campaign', async () => {
    await member.goto(`${server.baseUrl}/#/pages/vouchers/index`);
    const remind = member.locator(`#remind-${campaignId}`);
    await remind.waitFor();
    await shot(member, 'campaign-upcoming');
    await remind.click();
    await member.locator('#vc-banner').filter({ hasText: '已设置提醒' }).waitFor();
    await expect(remind.textContent()).resolves.toContain('已设提醒');
    await shot(member, 'reminder-set');
    await member.reload(); // the campaign list remembers the reminder
    await member.locator(`#remind-${campaignId}`).filter({ hasText: '已设提醒' }).waitFor();
  });

  test('2. the schedule writes the reminder; the campaign opens; the home page shows the unread badge', async () => {
    const deadline = Date.now() + 100_000;
    let unread = 0;
    while (Date.now() < deadline) {
      unread = (await api('GET', '/messages/unread-count', memberToken)).unread;
      if (unread >= 1) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect(unread).toBe(1);
    await member.goto(`${server.baseUrl}/#/pages/index/index`);
    await member.locator('#messages-badge').filter({ hasText: '1' }).waitFor();
    await shot(member, 'home-badge');
  }, 120_000);

  test('3. 消息 lists the reminder; tapping it marks it read and opens the campaign', async () => {
    await member.click('#link-messages');
    const item = member.locator('[data-kind=campaign_opening]');
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain(CAMPAIGN);
    await expect(member.locator('.msg-unread').count()).resolves.toBe(1);
    await shot(member, 'message-centre');
    // wait for the campaign to have opened before following the link
    const opensIn = (await api('GET', '/vouchers/campaigns', memberToken)).items.find((c: any) => c.id === campaignId);
    await member.waitForTimeout(Math.max(0, new Date(opensIn.claimStartAt).getTime() - Date.now() + 1000));
    await item.click();
    const card = member.locator(`[data-testid=campaign-${campaignId}]`);
    await card.waitFor();
    await card.locator('[data-state=claimable]').first().waitFor({ timeout: 20_000 });
    await shot(member, 'campaign-open');
    expect((await api('GET', '/messages/unread-count', memberToken)).unread).toBe(0);
    await member.goto(`${server.baseUrl}/#/pages/index/index`);
    await member.locator('#link-messages').waitFor();
    await expect(member.locator('#messages-badge').count()).resolves.toBe(0);
  }, 60_000);
});
