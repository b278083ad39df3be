/**
 * Stations journey in the H5 build against the real server (SQLite, demo stations seeded, dev login):
 * a rider whose browser grants geolocation (a WGS-84 point in 黄石) sees the nearby list with open stations first,
 * each group sorted by true distance, closed ones saying so in words, and 导航 on every card opening Amap's marker
 * page for that station in a new tab; 充电 and 营业中 narrow it exactly; the rider (a member, made through the API) opens a
 * station, checks in from the door QR in one tap, rates it and reports a problem; the keeper sees the
 * visit and the report on 我的驿站 and marks it handled; staff open 驿站管理 and 驿站数据; staff create a one-time
 * keeper invite on 编辑驿站 and a plain user accepts it on 我的驿站 (a second user cannot use it again); staff move a
 * station with the location picker (按地名找 another station, then 用我现在的位置) without a coordinate on screen.
 * Screenshots: artifacts/e2e/stations/<nn>-<step>.png; server output: artifacts/e2e/stations-server.log.
 */
import { mkdirSync } from 'fs';
import path from 'path';
import gcoord from 'gcoord';
import { haversineMeters, idNumberCheckChar, shanghaiClock, type StationAdminView } from '@union/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, assertBuilt, confirmModal, devLogin, fillInput, horizontalOverflow, launchBrowser, startServer, type RunningServer, apiCall, devLoginApi } from './support';

const SHOTS = path.join(ARTIFACTS, 'stations');
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let shotNo = 0;
async function shot(page: Page, step: string) {
  shotNo += 1;
  await horizontalOverflow(page);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
}

interface Item { id: number; distance: number; lat: number; lng: number; open: boolean; amenities: string[] }
async function listItems(page: Page): Promise<Item[]> {
  return page.locator('[data-testid^="station-item-"]').evaluateAll((els) => els.map((el) => ({
    id: Number(el.getAttribute('data-id')), distance: Number(el.getAttribute('data-distance')), lat: Number(el.getAttribute('data-lat')),
    lng: Number(el.getAttribute('data-lng')), open: el.getAttribute('data-open') === 'true', amenities: (el.getAttribute('data-amenities') ?? '').split(',').filter(Boolean),
  })));
}
/** Waits until the list shows exactly `ids` (in order) after a filter change. */
async function expectListIds(page: Page, ids: number[]) {
  const deadline = Date.now() + 15_000;
  let got: number[] = [];
  while (Date.now() < deadline) {
    if (ids.length === 0 && (await page.locator('[data-testid="empty"]').count())) return;
    got = (await listItems(page)).map((i) => i.id);
    if (JSON.stringify(got) === JSON.stringify(ids) && !(await page.locator('[data-testid="loading"]').count())) return;
    await page.waitForTimeout(200);
  }
  expect(got).toEqual(ids);
}

const api = apiCall;
const login = async (base: string, userKey: string, role: string, orgCode?: string) => (await devLoginApi(base, userKey, role, orgCode)).accessToken;

describe('stations journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let riderCtx: BrowserContext;
  let rider: Page;
  let keeperStation: StationAdminView;
  let all: StationAdminView[];
  let here: { lat: number; lng: number }; // GCJ-02 of the browser's WGS-84 position
  let unfiltered: Item[] = [];
  const riderKey = `rider-st-${run}`;

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({ RATE_LIMIT: '100000' }, 'stations-server');
    browser = await launchBrowser();
    const staff = await login(server.baseUrl, `staff-st-${run}`, 'union_staff', 'HB-HS');
    all = (await api<{ items: StationAdminView[] }>(server.baseUrl, 'GET', '/stations?pageSize=100', staff)).items;
    keeperStation = all.find((s) => s.keeper)!;
    expect(keeperStation).toBeTruthy();
    // the rider becomes a member through the membership API
    const riderToken = await login(server.baseUrl, riderKey, 'user');
    const jc = await api<{ code: string }>(server.baseUrl, 'POST', '/membership/join-codes', staff, { orgCode: 'HB-HS-HSG-WM', label: 'e2e stations' });
    const first17 = `42020219900101${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
    const app = await api<{ id: number }>(server.baseUrl, 'POST', '/membership/applications', riderToken, {
      joinCode: jc.code, name: '骑手李明', idNumber: first17 + idNumberCheckChar(first17), mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      occupation: 'food_delivery', platform: '美团', workCity: '黄石', consent: true,
    });
    await api(server.baseUrl, 'POST', `/membership/applications/${app.id}/approve`, staff);
    // the browser stands ~300 m south-west of the keeper's station; geolocation speaks WGS-84
    here = { lat: keeperStation.lat - 0.002, lng: keeperStation.lng - 0.002 };
    const [wgsLng, wgsLat] = gcoord.transform([here.lng, here.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    const [backLng, backLat] = gcoord.transform([wgsLng, wgsLat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    here = { lat: backLat, lng: backLng }; // exactly what the app computes from the browser's position
    riderCtx = await browser.newContext({ viewport: VIEWPORT, geolocation: { latitude: wgsLat, longitude: wgsLng, accuracy: 20 }, permissions: ['geolocation'] });
    rider = await riderCtx.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a. the nearby list: open stations first, each group by true distance; closed ones say so in words', async () => {
    await rider.goto(`${server.baseUrl}/#/pages/stations/index`);
    await rider.locator('[data-testid^="station-item-"]').first().waitFor({ timeout: 30_000 });
    expect(await rider.locator('#stations-where').textContent()).toContain('我的位置');
    unfiltered = await listItems(rider);
    // brute force over every station (from the staff list): within 10 km of the GCJ-02 point, open first, then nearest
    const closed = (id: number) => (all.find((s) => s.id === id)!.openState.open ? 0 : 1);
    const expected = all.map((s) => ({ id: s.id, d: haversineMeters(here.lat, here.lng, s.lat, s.lng), c: closed(s.id) }))
      .filter((x) => x.d <= 10_000).sort((a, b) => a.c - b.c || a.d - b.d || a.id - b.id);
    expect(unfiltered.map((i) => i.id)).toEqual(expected.slice(0, 20).map((x) => x.id));
    unfiltered.forEach((it, k) => expect(Math.abs(it.distance - expected[k].d)).toBeLessThanOrEqual(1));
    const firstClosed = unfiltered.findIndex((i) => !i.open);
    expect(firstClosed).toBeGreaterThan(0); // the demo data has a closed station near here, and it is not on top
    expect(unfiltered.slice(firstClosed).every((i) => !i.open)).toBe(true);
    for (const group of [unfiltered.slice(0, firstClosed), unfiltered.slice(firstClosed)]) {
      for (let k = 1; k < group.length; k++) expect(group[k].distance).toBeGreaterThanOrEqual(group[k - 1].distance);
    }
    // the keeper's station is the nearest one (on top when it is open now, first of the closed ones otherwise)
    expect([...unfiltered].sort((a, b) => a.distance - b.distance)[0].id).toBe(keeperStation.id);
    expect(unfiltered.length).toBeGreaterThan(5);
    // closed ones say why in words; open ones say until when
    for (const it of unfiltered) {
      const tag = (await rider.locator(`[data-testid="station-item-${it.id}"] [data-testid="open-tag"]`).textContent()) ?? '';
      if (it.open) expect(tag).toMatch(/^营业中，/);
      else expect(tag).toMatch(/^(休息中，今天|今天休息|暂停营业)/);
    }
    expect(await rider.locator('#stations-total').textContent()).toContain('营业中的在前');
    // no coordinates on screen
    expect(await rider.locator('#stations-list').textContent()).not.toMatch(/\d+\.\d{3,}/);
    expect(await horizontalOverflow(rider)).toBeLessThanOrEqual(0);
    await shot(rider, 'nearby-list');
  });

  test('a2. 导航 on every card opens Amap at that station in a new tab', async () => {
    expect(await rider.locator('[id^="station-nav-"]').count()).toBe(unfiltered.length);
    // Amap is not reachable from the test machine: answer its page locally, the URL is what matters
    await riderCtx.route('https://uri.amap.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>amap</title>' }));
    const target = all.find((s) => s.id === unfiltered[1].id)!;
    const [popup] = await Promise.all([riderCtx.waitForEvent('page'), rider.click(`#station-nav-${target.id}`)]);
    await popup.waitForLoadState('domcontentloaded');
    const url = new URL(popup.url());
    expect(url.origin + url.pathname).toBe('https://uri.amap.com/marker');
    expect(url.searchParams.get('position')).toBe(`${target.lng},${target.lat}`);
    expect(url.searchParams.get('name')).toBe(target.name);
    expect(url.searchParams.get('coordinate')).toBe('gaode'); // stations are stored in GCJ-02
    await popup.close();
    expect(rider.url()).toContain('/pages/stations/index'); // the tap did not open the card behind the button
  });

  test('b. 充电 and 营业中 narrow the list exactly', async () => {
    const withCharging = unfiltered.filter((i) => i.amenities.includes('charging'));
    expect(withCharging.length).toBeLessThan(unfiltered.length);
    await rider.click('#filter-charging');
    await expectListIds(rider, withCharging.map((i) => i.id));
    for (const it of await listItems(rider)) expect(it.amenities).toContain('charging');
    await shot(rider, 'filter-charging');

    await rider.click('#filter-charging');
    await expectListIds(rider, unfiltered.map((i) => i.id));
    const open = unfiltered.filter((i) => i.open);
    expect(open.length).toBeLessThan(unfiltered.length); // the demo data has a temporarily closed station here
    await rider.click('#filter-open');
    await expectListIds(rider, open.map((i) => i.id));
    await shot(rider, 'filter-open-now');

    await rider.click('#filter-charging');
    await expectListIds(rider, open.filter((i) => i.amenities.includes('charging')).map((i) => i.id));
    await shot(rider, 'filter-open-and-charging');
    await rider.click('#filter-charging');
    await rider.click('#filter-open');
    await expectListIds(rider, unfiltered.map((i) => i.id));
  });

  test('c. the rider opens a station, checks in from the door QR in one tap and rates it', async () => {
    await rider.click(`[data-testid="station-item-${keeperStation.id}"]`);
    await rider.locator('#detail-name').waitFor();
    expect(await rider.locator('#detail-name').textContent()).toBe(keeperStation.name);
    await rider.locator('#detail-hours').waitFor();
    await rider.locator('#detail-navigate').waitFor();
    expect(await rider.locator('#detail-open').textContent()).toMatch(/^(营业中，|休息中，|今天休息|暂停营业)/);
    await shot(rider, 'station-detail');

    // scanning the door QR opens its URL
    await rider.goto(keeperStation.url);
    await rider.locator('#detail-name').waitFor();
    await devLogin(rider, { userKey: riderKey, role: 'user' });
    await rider.locator('#detail-checkin').waitFor({ timeout: 20_000 });
    await rider.click('#checkin-amenity-charging');
    await shot(rider, 'door-qr-before-checkin');
    await rider.click('#detail-checkin');
    const banner = rider.locator('#detail-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('打卡成功');
    await rider.locator('#detail-checked-in').waitFor();
    await shot(rider, 'checked-in');

    await rider.locator('#rate-star-4').waitFor();
    await rider.click('#rate-star-4');
    await rider.fill('#rate-comment textarea', '热水和充电都很方便，谢谢站长');
    await rider.click('#rate-submit');
    await rider.locator('#detail-rated').waitFor({ timeout: 20_000 });
    expect(await rider.locator('#detail-rating').textContent()).toContain('★ 4');
    expect(await rider.locator('#detail-rating').textContent()).toContain('1条评价');
    await shot(rider, 'rated');

    await rider.click('#report-kind-amenity_broken');
    await rider.fill('#report-note textarea', '二号充电口不通电');
    await rider.click('#report-submit');
    await confirmModal(rider);
    await rider.locator('#detail-report-sent').waitFor();
    expect(await horizontalOverflow(rider)).toBeLessThanOrEqual(0);
    await shot(rider, 'reported');
  });

  test('d. the keeper sees the visit and the report on 我的驿站', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    const keeper = await ctx.newPage();
    await keeper.goto(`${server.baseUrl}/#/pages/stations/keeper`);
    await devLogin(keeper, { userKey: 'demo-keeper', role: 'station_keeper', orgCode: 'HB-HS' });
    const visit = keeper.locator(`#keeper-visits-${keeperStation.id} [data-testid^="keeper-visit-"]`).first();
    await visit.waitFor({ timeout: 20_000 });
    expect(await visit.textContent()).toContain('骑**');
    expect(await visit.textContent()).toContain('外卖配送员');
    const report = keeper.locator(`#keeper-reports-${keeperStation.id} [data-testid^="keeper-report-"]`).filter({ hasText: '二号充电口不通电' });
    await report.waitFor();
    expect(await report.textContent()).toContain('设施损坏');
    expect(await horizontalOverflow(keeper)).toBeLessThanOrEqual(0);
    await shot(keeper, 'keeper-visit-and-report');
    await report.locator('[data-testid^="keeper-handle-"]').click();
    await confirmModal(keeper);
    await report.waitFor({ state: 'detached', timeout: 20_000 });
    await shot(keeper, 'keeper-report-handled');

    // a closed day is picked on a calendar and shown as 12月3日, never typed as YYYY-MM-DD
    const today = shanghaiClock(Date.now()).date;
    await keeper.click(`#keeper-edit-${keeperStation.id}`);
    await keeper.locator('#keeper-closed-dates-add').waitFor();
    await keeper.click('#keeper-closed-dates-add');
    await keeper.locator('.weui-picker__action').filter({ hasText: '确定' }).filter({ visible: true }).click();
    const chip = keeper.locator(`#keeper-closed-dates-day-${today}`);
    await chip.waitFor();
    expect(await chip.textContent()).toContain(`${Number(today.slice(5, 7))}月${Number(today.slice(8))}日`);
    expect(await keeper.locator(`[data-testid="keeper-station-${keeperStation.id}"]`).textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}|YYYY/);
    await shot(keeper, 'keeper-closed-day-picked');
    await keeper.click(`#keeper-save-${keeperStation.id}`);
    await keeper.locator('#keeper-banner').filter({ hasText: '已保存' }).waitFor({ timeout: 20_000 });
    const token = await login(server.baseUrl, 'demo-keeper', 'station_keeper', 'HB-HS');
    const saved = await api<{ stations: Array<{ id: number; closedDates: string[]; openState: { open: boolean; label: string } }> }>(server.baseUrl, 'GET', '/stations/mine', token);
    const mine = saved.stations.find((x) => x.id === keeperStation.id)!;
    expect(mine.closedDates).toContain(today);
    expect(mine.openState.open).toBe(false);
    await ctx.close();
  });

  test('e. staff find 驿站管理 and 驿站数据 on 工作台', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    const staff = await ctx.newPage();
    await staff.goto(`${server.baseUrl}/#/pages/workbench/index`);
    await devLogin(staff, { userKey: `staff-ui-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staff.locator('#wb-stations-manage').waitFor({ timeout: 20_000 });
    await staff.click('#wb-stations-manage');
    await staff.locator('[data-testid^="manage-station-"]').first().waitFor({ timeout: 20_000 });
    expect(await horizontalOverflow(staff)).toBeLessThanOrEqual(0);
    await shot(staff, 'staff-manage');
    await staff.click('#manage-stats');
    await staff.locator('#stats-visits').waitFor();
    expect(Number(await staff.locator('#stats-visits').textContent())).toBeGreaterThanOrEqual(1);
    await shot(staff, 'staff-stats');
    await ctx.close();
  });

  test('f. staff invite a keeper on 编辑驿站; the invited user accepts it once on 我的驿站', async () => {
    const station = all.find((x) => !x.keeper && x.org.code.startsWith('HB-HS'))!;
    expect(station).toBeTruthy();
    const staffCtx = await browser.newContext({ viewport: VIEWPORT });
    const staff = await staffCtx.newPage();
    await staff.goto(`${server.baseUrl}/#/pages/workbench/index`);
    await devLogin(staff, { userKey: `staff-inv-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staff.locator('#wb-stations-manage').waitFor({ timeout: 20_000 });
    await staff.goto(`${server.baseUrl}/#/pages/stations/edit?id=${station.id}`);
    await staff.locator('#edit-invite-create').waitFor({ timeout: 20_000 });
    await staff.click('#edit-invite-create');
    await staff.locator('#edit-invite-code').waitFor();
    const code = (await staff.locator('#edit-invite-code').textContent())!.trim();
    expect(code.split('.')).toHaveLength(3);
    await shot(staff, 'staff-keeper-invite');
    await staffCtx.close();

    const accept = async (userKey: string) => {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      const page = await ctx.newPage();
      await page.goto(`${server.baseUrl}/#/pages/stations/keeper`);
      await devLogin(page, { userKey, role: 'user' });
      await page.locator('#keeper-invite').waitFor({ timeout: 20_000 });
      await fillInput(page, 'keeper-invite-code', code);
      await page.click('#keeper-invite-accept');
      return { ctx, page };
    };
    const first = await accept(`keeper-inv-${run}`);
    await first.page.locator(`#keeper-visits-${station.id}`).waitFor({ timeout: 20_000 });
    expect(await horizontalOverflow(first.page)).toBeLessThanOrEqual(0);
    await shot(first.page, 'keeper-invite-accepted');
    await first.ctx.close();

    const second = await accept(`keeper-inv2-${run}`);
    await second.page.locator('#keeper-banner').filter({ hasText: '已被使用' }).waitFor({ timeout: 20_000 });
    await shot(second.page, 'keeper-invite-used');
    await second.ctx.close();
  });
  test('g. staff move a station with the location picker: by name, then by the device position; no coordinate on screen', async () => {
    const station = all.find((x) => x.id !== keeperStation.id && x.org.code.startsWith('HB-HS'))!;
    const ctx = await browser.newContext({ viewport: VIEWPORT, geolocation: { latitude: 30.2, longitude: 115.04, accuracy: 20 }, permissions: ['geolocation'] });
    await ctx.route('https://uri.amap.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>amap</title>' }));
    const staff = await ctx.newPage();
    await staff.goto(`${server.baseUrl}/#/pages/workbench/index`);
    await devLogin(staff, { userKey: `staff-loc-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staff.locator('#wb-stations-manage').waitFor({ timeout: 20_000 });
    await staff.goto(`${server.baseUrl}/#/pages/stations/edit?id=${station.id}`);
    await staff.locator('#edit-place-chosen').waitFor({ timeout: 20_000 });
    expect(await staff.locator('#edit-place-chosen').textContent()).toContain('已保存的位置');
    const body = async () => (await staff.locator('.page').first().textContent()) ?? '';
    const noCodes = async () => {
      const t = await body();
      expect(t).not.toMatch(/GCJ|纬度|经度|组织代码|HB-HS/);
      expect(t).not.toMatch(/\d{2,3}\.\d{3,}/);
    };
    await noCodes();
    expect(await staff.locator(`#edit-org-${station.org.code}`).textContent()).toBe(station.org.name); // the org by its name
    // 按地名找: the keeper's station, by name
    await fillInput(staff, 'edit-place-search', keeperStation.name);
    await staff.click('#edit-place-search-go');
    await staff.locator('#edit-place-result-0').waitFor();
    await staff.click('#edit-place-result-0');
    expect(await staff.locator('#edit-place-chosen').textContent()).toContain(`${keeperStation.name}附近`);
    const href = (await staff.locator('#edit-place-map').getAttribute('href'))!;
    expect(new URL(href).searchParams.get('position')).toBe(`${keeperStation.lng},${keeperStation.lat}`);
    await noCodes();
    await shot(staff, 'edit-location-by-name');
    await staff.click('#edit-save');
    await staff.locator('#edit-banner').filter({ hasText: '已保存' }).waitFor({ timeout: 20_000 });
    const token = await login(server.baseUrl, `staff-loc-${run}`, 'union_staff', 'HB-HS');
    let saved = await api<StationAdminView>(server.baseUrl, 'GET', `/stations/${station.id}/admin`, token);
    expect([saved.lat, saved.lng]).toEqual([keeperStation.lat, keeperStation.lng]);
    // 用我现在的位置: the browser's WGS-84 position, stored as GCJ-02
    await staff.click('#edit-place-here');
    await staff.locator('#edit-place-chosen').filter({ hasText: '我现在的位置' }).waitFor();
    await staff.click('#edit-save');
    await staff.locator('#edit-banner').filter({ hasText: '已保存' }).waitFor({ timeout: 20_000 });
    saved = await api<StationAdminView>(server.baseUrl, 'GET', `/stations/${station.id}/admin`, token);
    const [gLng, gLat] = gcoord.transform([115.04, 30.2], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    expect(Math.abs(saved.lat - gLat)).toBeLessThan(1e-6);
    expect(Math.abs(saved.lng - gLng)).toBeLessThan(1e-6);
    await noCodes();
    expect(await horizontalOverflow(staff)).toBeLessThanOrEqual(0);
    await shot(staff, 'edit-location-here');
    await ctx.close();
  });
});
