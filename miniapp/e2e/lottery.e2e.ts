/**
 * Lottery (摇号) journey in the H5 build against the real server (SQLite, dev login), issue 15 item 4:
 * staff publish a lottery campaign (through the API) → the member sees 登记参加摇号 with the published commitment,
 * registers after a confirmation and sees 已登记 with their pseudonymous id → staff open 摇号开奖 from 活动管理, are
 * refused before the draw time, then draw → the member sees 中签 or 未中签 and the proof: commitment, seed and the list
 * with their own id highlighted; scripts/verify-lottery.mjs run on the public proof URL agrees → staff create a lottery
 * campaign through the 活动管理 form (发放方式 摇号).
 * Screenshots: artifacts/e2e/lottery/<nn>-<step>.png.
 */
import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { idNumberCheckChar } from '@union/shared';
import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, assertBuilt, confirmModal, devLogin, fillInput, horizontalOverflow, launchBrowser, startServer, type RunningServer } from './support';

const SHOTS = path.join(ARTIFACTS, 'lottery');
const SCRIPT = path.resolve(__dirname, '../../scripts/verify-lottery.mjs');
let shotNo = 0;
async function shot(page: Page, step: string): Promise<void> {
  shotNo += 1;
  expect(await horizontalOverflow(page)).toBe(0); // nothing overflows a 375 px screen
  await page.waitForTimeout(400); // let a closing modal finish fading out
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
}

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
/** Seconds between publishing and the end of registration (= the draw time): the member registers within it. */
const WINDOW_MS = 40_000;

function idNumber(): string {
  const first17 = `42020219${80 + Math.floor(Math.random() * 19)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

describe('lottery journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let member: Page;
  let staffToken = '';
  let otherToken = '';
  let campaignId = 0;
  let drawAt = 0;
  let pid = '';

  const api = async (method: string, p: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}/api${p}`, {
      method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (userKey: string, role: string, orgCode?: string) => (await api('POST', '/auth/dev-login', undefined, { userKey, role, orgCode })).accessToken as string;
  const open = (page: Page, route: string) => page.goto(`${server.baseUrl}/#/pages/${route}`);

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'lottery-server');
    staffToken = await login(`lstaff-${run}`, 'union_staff', 'HB-HS');
    const jc = await api('POST', '/membership/join-codes', staffToken, { orgCode: 'HB-HS-HSG-WM' });
    const join = async (key: string, name: string) => {
      const token = await login(key, 'user');
      const app = await api('POST', '/membership/applications', token, {
        joinCode: jc.code, name, idNumber: idNumber(), mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, occupation: 'food_delivery', consent: true,
      });
      await api('POST', `/membership/applications/${app.id}/approve`, staffToken);
      return token;
    };
    await join(`lmember-${run}`, '王骑手');
    otherToken = await join(`lother-${run}`, '李骑手');

    browser = await launchBrowser();
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ viewport: VIEWPORT }));
    [staff, member] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const [page, key, role] of [[staff, `lstaff-${run}`, 'union_staff'], [member, `lmember-${run}`, 'user']] as const) {
      await page.goto(`${server.baseUrl}/`);
      await devLogin(page, { userKey: key, role, orgCode: 'HB-HS' });
      await page.locator('#session-card').waitFor();
    }

    // A lottery campaign: registration open now until the draw time, one voucher for two registrants.
    const now = Date.now();
    drawAt = now + WINDOW_MS;
    const created = await api('POST', '/vouchers/manage/campaigns', staffToken, {
      name: `职工消费券摇号${run.slice(-3)}`, description: '登记后统一摇号', budgetFen: 100_000,
      types: [{ name: '满100减50', faceValueFen: 5000, minSpendFen: 10000, quantity: 1, perMemberLimit: 1 }], perMemberLimit: 1,
      claimStartAt: new Date(now - 60_000).toISOString(), claimEndAt: new Date(now + 7 * 86_400_000).toISOString(),
      validityKind: 'relative', validDays: 30, merchantScope: 'all',
      allocation: 'lottery', lottery: { registrationEndAt: new Date(drawAt).toISOString(), drawAt: new Date(drawAt).toISOString(), hardshipWeight: 2 },
    });
    campaignId = created.id;
    await api('POST', `/vouchers/manage/campaigns/${campaignId}/publish`, staffToken);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('1. the member sees the lottery with its commitment and registers after a confirmation (登记参加摇号 → 已登记)', async () => {
    const commitment = (await api('GET', `/vouchers/manage/campaigns/${campaignId}/lottery`, staffToken)).commitment as string;
    await open(member, 'vouchers/index');
    const panel = member.locator(`#lottery-${campaignId}`);
    await panel.waitFor();
    expect(await member.locator(`[data-testid=campaign-${campaignId}] [id^=claim-]`).count()).toBe(0); // no claim button
    await expect(member.locator(`#lottery-state-${campaignId}`).textContent()).resolves.toBe('登记中');
    await expect(member.locator(`#lottery-commitment-${campaignId}`).textContent()).resolves.toBe(commitment);
    await shot(member, 'lottery-open');
    await member.click(`#lottery-register-${campaignId}`);
    await confirmModal(member);
    await member.locator(`#lottery-banner-${campaignId}`).filter({ hasText: '登记成功' }).waitFor();
    await expect(member.locator(`#lottery-status-${campaignId}`).textContent()).resolves.toBe('已登记');
    pid = (await member.locator(`#lottery-pid-${campaignId}`).textContent())!.trim();
    expect(pid).toMatch(/^[0-9a-f]{16}$/);
    expect(await member.locator(`#lottery-register-${campaignId}`).count()).toBe(0);
    await shot(member, 'lottery-registered');
    await api('POST', `/vouchers/campaigns/${campaignId}/lottery/registrations`, otherToken);
  });

  test('2. staff open 摇号开奖 from 活动管理: refused before the draw time, then drawn once', async () => {
    await open(staff, 'vouchers/campaigns');
    const entry = staff.locator(`[data-testid=cm-lottery-${campaignId}]`);
    await entry.waitFor();
    await entry.click();
    await staff.locator('#lt-page').waitFor();
    await expect(staff.locator('#lt-registrations').textContent()).resolves.toContain('已登记 2 人');
    await staff.click('#lt-draw');
    await confirmModal(staff);
    await staff.locator('#lt-banner').filter({ hasText: '未到开奖时间' }).waitFor();
    await shot(staff, 'draw-too-early');

    await new Promise((r) => setTimeout(r, Math.max(0, drawAt - Date.now() + 1500)));
    await staff.click('#lt-draw');
    await confirmModal(staff);
    await staff.locator('#lt-banner').filter({ hasText: '已开奖：1 人中签' }).waitFor();
    const seed = (await staff.locator('#lt-seed').textContent())!.trim();
    const commitment = (await staff.locator('#lt-commitment').textContent())!.trim();
    expect(createHash('sha256').update(seed, 'utf8').digest('hex')).toBe(commitment);
    expect(await staff.locator('#lt-draw').count()).toBe(0);
    await shot(staff, 'drawn');
  }, 90_000);

  test('3. the member sees 中签 or 未中签 and the proof with their id highlighted; the script agrees', async () => {
    const proof = await api('GET', `/vouchers/campaigns/${campaignId}/lottery/proof`);
    const won = proof.winners.some((w: { id: string }) => w.id === pid);
    await member.reload();
    const status = member.locator(`#lottery-status-${campaignId}`);
    await status.waitFor();
    await expect(status.textContent()).resolves.toBe(won ? '中签' : '未中签');
    if (won) await member.locator(`#lottery-voucher-${campaignId}`).waitFor();
    await member.click(`#lottery-proof-${campaignId}`);
    await member.locator(`#lottery-proof-view-${campaignId}`).waitFor();
    await expect(member.locator(`#lottery-seed-${campaignId}`).textContent()).resolves.toBe(proof.seed);
    await expect(member.locator(`#proof-mine-${campaignId}`).textContent()).resolves.toContain(pid);
    expect(await member.locator('[data-testid=proof-row]').count()).toBe(2);
    await member.locator(`#proof-mine-${campaignId}`).scrollIntoViewIfNeeded();
    await shot(member, won ? 'result-won-proof' : 'result-lost-proof');

    // anyone can recompute the winners from the public proof's address
    const out = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [SCRIPT, `${server.baseUrl}/api/vouchers/campaigns/${campaignId}/lottery/proof`, '--id', pid], (err, stdout) => resolve({ code: err ? Number((err as any).code ?? 1) : 0, stdout })));
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, you: { id: pid, won } });
  });

  test('4. staff create a lottery campaign through the 活动管理 form (发放方式 → 摇号)', async () => {
    await open(staff, 'vouchers/campaigns');
    await staff.click('#cm-new');
    await staff.locator('#cm-form').waitFor();
    await fillInput(staff, 'cm-name', `摇号表单${run.slice(-3)}`);
    await fillInput(staff, 'cm-budget', '2000');
    await fillInput(staff, 'cm-type-qty-0', '50');
    await staff.click('#cm-alloc-lottery');
    await staff.locator('#cm-lottery-end').waitFor();
    await fillInput(staff, 'cm-lottery-hardship', '2');
    await shot(staff, 'lottery-form');
    await staff.click('#cm-save');
    await staff.locator('#cm-banner').filter({ hasText: '已创建草稿' }).waitFor();
    const publish = staff.locator('[data-testid^=cm-publish-]').first();
    const id = Number((await publish.getAttribute('data-testid'))!.replace('cm-publish-', ''));
    const view = await api('GET', `/vouchers/manage/campaigns/${id}/lottery`, staffToken);
    expect(view).toMatchObject({ state: 'draft', commitment: null, rules: { hardshipWeight: 2 } });
    await publish.click();
    await confirmModal(staff);
    await staff.locator('#cm-banner').filter({ hasText: '已发布' }).waitFor();
    expect((await api('GET', `/vouchers/manage/campaigns/${id}/lottery`, staffToken)).commitment).toMatch(/^[0-9a-f]{64}$/);
    await staff.locator(`[data-testid=cm-lottery-${id}]`).waitFor();
  });
});
