/**
 * Scanning with the camera in the H5 build, for real: Chromium's fake camera films a Y4M video of a QR code that the
 * real server produced (rendered here with the `qrcode` package, written as raw YUV 4:2:0 frames), and the page decodes
 * it from getUserMedia frames with jsQR.
 * 1. 一户一码: staff register and activate a household through the API; its card's QR is filmed; on the aid entry page
 *    扫码查询 opens the household-code page, which shows the household (masked name) and its code.
 * 2. 驿站打卡: a member opens a station's page (not from the door QR), presses 扫驿站门口的二维码打卡 with the door QR
 *    filmed, and is checked in.
 * 3. No camera (a browser without the fake device, no permission): pressing 扫码查询 says in plain Chinese why it
 *    cannot scan and points to the input, and typing the code there still opens the household.
 * 4. 扫码入会: the join QR a staff member made is filmed on the join page, which then shows the union's name.
 * Screenshots: artifacts/e2e/scan/<nn>-<step>.png; server output: artifacts/e2e/scan-server.log.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import QRCode from 'qrcode';
import { idNumberCheckChar, type HouseholdCardView, type StationAdminView } from '@union/shared';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, assertBuilt, devLogin, fakeCameraArgs, fillInput, horizontalOverflow, launchBrowser, startServer, type RunningServer, apiCall, devLoginApi } from './support';

const SHOTS = path.join(ARTIFACTS, 'scan');
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let shotNo = 0;
async function shot(page: Page, step: string) {
  shotNo += 1;
  await horizontalOverflow(page);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
}

/**
 * A Y4M video (YUV4MPEG2, 4:2:0, 640×480, a few identical frames) of `text` as a QR code: black modules on white,
 * with the 4-module quiet zone, centred. Chromium's fake camera loops it.
 */
function writeQrVideo(file: string, text: string): void {
  const W = 640;
  const H = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const px = Math.floor(440 / (n + 8));
  const side = px * (n + 8);
  const x0 = Math.floor((W - side) / 2);
  const y0 = Math.floor((H - side) / 2);
  const y = Buffer.alloc(W * H, 235); // light grey-white background
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < px; dy++) {
        const row = y0 + (r + 4) * px + dy;
        y.fill(16, row * W + x0 + (c + 4) * px, row * W + x0 + (c + 5) * px);
      }
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128); // U and V: no colour
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, frame, frame, frame]));
}

const api = apiCall;
const login = async (base: string, userKey: string, role: string, orgCode?: string) => (await devLoginApi(base, userKey, role, orgCode)).accessToken;
const idNumber = () => {
  const first17 = `42020219850${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('scanning with the camera (H5)', () => {
  let server: RunningServer;
  let dir: string;
  let card: HouseholdCardView;
  let station: StationAdminView;
  let joinCode: { code: string; url: string; orgName: string };
  const memberKey = `scan-member-${run}`;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({ RATE_LIMIT: '100000' }, 'scan-server');
    dir = mkdtempSync(path.join(tmpdir(), 'union-scan-'));
    const staffA = await login(server.baseUrl, `scan-staff-a-${run}`, 'union_staff', 'HB-HS');
    const staffB = await login(server.baseUrl, `scan-staff-b-${run}`, 'union_staff', 'HB-HS');
    // a household registered by one staff member and activated by another, as the rules require
    const h = await api<{ id: number }>(server.baseUrl, 'POST', '/aid/households', staffA, {
      headName: '汪明华', idNumber: idNumber(), mobile: mobile(), province: '湖北省', city: '黄石市', district: '黄石港区', street: '花湖街道',
      householdSize: 3, monthlyIncomeFen: 150_000, level: 'relative', causes: ['illness'], employmentStatus: 'flexible', orgCode: 'HB-HS',
    });
    await api(server.baseUrl, 'POST', `/aid/households/${h.id}/activate`, staffB);
    card = await api<HouseholdCardView>(server.baseUrl, 'GET', `/aid/households/${h.id}/card`, staffA);
    expect(card.url).toContain('/pages/aid/code?c=');
    writeQrVideo(path.join(dir, 'household.y4m'), card.url);

    // a member for the station check-in, made through the membership API
    station = (await api<{ items: StationAdminView[] }>(server.baseUrl, 'GET', '/stations?pageSize=5', staffA)).items[0];
    writeQrVideo(path.join(dir, 'station.y4m'), station.url);
    const memberToken = await login(server.baseUrl, memberKey, 'user');
    const jc = await api<{ code: string; url: string; orgName: string }>(server.baseUrl, 'POST', '/membership/join-codes', staffA, { orgCode: 'HB-HS-HSG-WM', label: 'e2e scan' });
    joinCode = jc;
    writeQrVideo(path.join(dir, 'join.y4m'), jc.url);
    const app = await api<{ id: number }>(server.baseUrl, 'POST', '/membership/applications', memberToken, {
      joinCode: jc.code, name: '骑手张伟', idNumber: idNumber(), mobile: mobile(), occupation: 'food_delivery', platform: '美团', workCity: '黄石', consent: true,
    });
    await api(server.baseUrl, 'POST', `/membership/applications/${app.id}/approve`, staffA);
  }, 120_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('1. 扫码查询 films the household card and opens the household', async () => {
    const browser = await launchBrowser(fakeCameraArgs(path.join(dir, 'household.y4m')));
    browsers.push(browser);
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    await ctx.grantPermissions(['camera'], { origin: server.baseUrl });
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/#/pages/aid/index`);
    await page.locator('#aid-scan').waitFor({ timeout: 30_000 });
    expect(await page.locator('#aid-code-input input').inputValue()).toBe(''); // nothing typed: the camera does it
    await shot(page, 'aid-before-scan');
    await page.click('#aid-scan');
    await page.locator('#code-name').waitFor({ timeout: 30_000 });
    expect(await page.locator('#code-name').textContent()).toContain(card.headNameMasked);
    expect(decodeURIComponent(page.url())).toContain(`/pages/aid/code?c=${card.code}`);
    expect(await page.locator('#scan-camera').count()).toBe(0); // the camera view closed itself
    expect(await page.evaluate(() => Array.from(document.querySelectorAll("video")).some((v) => (v.srcObject as MediaStream | null)?.active))).toBe(false);
    await shot(page, 'aid-household-after-scan');
    await ctx.close();
  });

  test('2. 扫码打卡 on a station page films the door QR and checks the member in', async () => {
    const browser = await launchBrowser(fakeCameraArgs(path.join(dir, 'station.y4m')));
    browsers.push(browser);
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    await ctx.grantPermissions(['camera'], { origin: server.baseUrl });
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/#/pages/stations/detail?id=${station.id}`);
    await page.locator('#detail-name').waitFor({ timeout: 30_000 });
    await devLogin(page, { userKey: memberKey, role: 'user' });
    const scan = page.locator('#detail-scan-checkin');
    await scan.waitFor({ timeout: 20_000 });
    // the paste-and-打卡 fallback is there too, disabled until something is pasted, and says why
    expect(await page.locator('#detail-code-checkin').getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator('#detail-code-why').textContent()).toContain('先在上面粘贴');
    await shot(page, 'station-before-scan');
    await scan.click();
    const banner = page.locator('#detail-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('打卡成功');
    await page.locator('#detail-checked-in').waitFor();
    // checked in: both ways to 打卡 are now disabled, and say why
    expect(await page.locator('#detail-code-why').textContent()).toContain('30分钟内已经打过卡');
    await shot(page, 'station-checked-in-by-scan');
    const my = await api<{ checkedInRecently: boolean }>(server.baseUrl, 'GET', `/stations/${station.id}/my-status`, await login(server.baseUrl, memberKey, 'user'));
    expect(my.checkedInRecently).toBe(true);
    await ctx.close();
  });

  test('3. without a camera the button says why in words and the typed code still works', async () => {
    const browser = await launchBrowser(); // no fake device, no permission granted
    browsers.push(browser);
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/#/pages/aid/index`);
    await page.locator('#aid-scan').waitFor({ timeout: 30_000 });
    await page.click('#aid-scan');
    const note = page.locator('#aid-scan-note');
    await note.waitFor({ timeout: 20_000 });
    const text = (await note.textContent()) ?? '';
    expect(text).toMatch(/摄像头/);
    expect(text).toContain('输入框');
    expect(await note.getAttribute('role')).toBe('alert');
    await shot(page, 'aid-no-camera');
    await fillInput(page, 'aid-code-input', card.url);
    await page.click('#aid-code-submit');
    await page.locator('#code-name').waitFor({ timeout: 20_000 });
    expect(await page.locator('#code-name').textContent()).toContain(card.headNameMasked);
    await ctx.close();
  });
  test('4. 扫码入会 films the join QR and shows the union to join', async () => {
    const browser = await launchBrowser(fakeCameraArgs(path.join(dir, 'join.y4m')));
    browsers.push(browser);
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    await ctx.grantPermissions(['camera'], { origin: server.baseUrl });
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/#/pages/join/index`);
    await page.locator('#join-scan').waitFor({ timeout: 30_000 });
    await page.click('#join-scan');
    await page.locator('#join-org-name').waitFor({ timeout: 30_000 });
    expect((await page.locator('#join-org-name').textContent())?.trim()).toBe(joinCode.orgName);
    await shot(page, 'join-after-scan');
    await ctx.close();
  });
});
