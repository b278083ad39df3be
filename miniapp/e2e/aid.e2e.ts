/**
 * 一户一码 journey in the H5 build against the real server (SQLite, dev login):
 * staff A imports a CSV of households (one bad row reported) → staff B activates them → A creates this
 * month's living-aid batch → B approves → A imports the bank file → the household opens its card's URL
 * and sees 已发放 without amounts → binds with name + last 6 ID characters → sees the amount →
 * after A reissues the code the old URL says the code is no longer valid.
 * Screenshots: artifacts/e2e/aid/<nn>-<step>.png; server output: artifacts/e2e/aid-server.log.
 */
import { idNumberCheckChar, shanghaiPeriod } from '@union/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VIEWPORT, assertBuilt, confirmModal, devLogin, fillInput, launchBrowser, startServer, type RunningServer, screenshotter } from './support';

const shot = screenshotter('aid', 400);

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
function idNumber(seq: number): string {
  const first17 = `4202021985${String(1 + (seq % 12)).padStart(2, '0')}1${seq % 10}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const PERIOD = shanghaiPeriod(); // this Asia/Shanghai month (the journey was written for November)
const MONTH_LABEL = `${Number(PERIOD.slice(5))}月`;
const HEAD = { name: '汪明华', id: idNumber(1) };
const OTHER = { name: '李秀英', id: idNumber(2) };

async function pickFile(page: Page, button: string, name: string, text: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(button)]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
}

describe('一户一码 journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let staffA: Page;
  let staffB: Page;
  let household: Page;
  let batchUrl = '';
  let headId = 0;
  let cardUrl = '';

  const newPage = async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(ctx);
    return ctx.newPage();
  };

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'aid-server');
    browser = await launchBrowser();
    staffA = await newPage();
    staffB = await newPage();
    household = await newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('1. staff A imports a CSV of households; the bad row is reported', async () => {
    await staffA.goto(`${server.baseUrl}/`);
    await devLogin(staffA, { userKey: `aid-a-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staffA.click('#link-workbench');
    await staffA.locator('#wb-aid-import').waitFor();
    await shot(staffA, 'staff-a-workbench');
    await staffA.click('#wb-aid-import');
    await staffA.locator('#import-pick').waitFor();
    const csv = [
      '户主姓名,身份证号,手机号,省,市,区县,街道,家庭人口,家庭月收入(元),困难类别,致困原因,就业状况,帮扶需求,组织代码',
      `${HEAD.name},${HEAD.id},${mobile()},湖北省,黄石市,黄石港区,胜阳港街道,3,1800,深度困难,因病|失业,灵活就业,就业岗位,HB-HS-HSG-WM`,
      `王五,110105194912310021,${mobile()},湖北省,黄石市,黄石港区,花湖街道,2,1500,相对困难,因残,失业,,HB-HS-HSG-WM`,
      `${OTHER.name},${OTHER.id},${mobile()},湖北省,黄石市,黄石港区,花湖街道,2,2600.50,相对困难,子女教育,在岗,技能培训,HB-HS-HSG-WM`,
    ].join('\n');
    await pickFile(staffA, '#import-pick', '困难职工档案.csv', csv);
    await staffA.locator('#import-report').waitFor();
    expect(await staffA.locator('#import-imported').textContent()).toBe('2');
    const bad = staffA.locator('[data-testid="import-error-2-idNumber"]');
    await bad.waitFor();
    expect(await bad.textContent()).toContain('校验位');
    await shot(staffA, 'staff-a-import-report');
  });

  test('2. staff B (a second person) activates both households', async () => {
    await staffB.goto(`${server.baseUrl}/`);
    await devLogin(staffB, { userKey: `aid-b-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staffB.locator('#link-workbench').waitFor();
    for (const person of [HEAD, OTHER]) {
      await staffB.goto(`${server.baseUrl}/#/pages/aid/households`);
      await staffB.reload();
      const card = staffB.locator(`[data-name="${person.name}"]`);
      await card.waitFor();
      if (person === HEAD) await shot(staffB, 'staff-b-pending-files');
      await card.click();
      await staffB.locator('#hh-activate').waitFor();
      await staffB.click('#hh-activate');
      await confirmModal(staffB);
      await staffB.locator('#hh-banner').waitFor();
      await staffB.locator('#hh-status').filter({ hasText: '在档' }).waitFor();
      if (person === HEAD) await shot(staffB, 'staff-b-activated');
    }
  });

  test(`3. staff A creates the ${MONTH_LABEL} living-aid batch; staff B approves it`, async () => {
    await staffA.goto(`${server.baseUrl}/#/pages/aid/batches`);
    await staffA.reload();
    await staffA.locator('#batch-period').waitFor();
    expect(await staffA.locator('#batch-period input').inputValue()).toBe(PERIOD);
    await fillInput(staffA, 'batch-amount-severe', '800');
    await staffA.click('#batch-type-living');
    await staffA.click('#batch-create');
    await confirmModal(staffA);
    await staffA.locator('#batch-status').waitFor();
    expect(await staffA.locator('#batch-status').textContent()).toContain('待审批');
    expect(await staffA.locator('#batch-count').textContent()).toBe('2');
    batchUrl = staffA.url();
    await shot(staffA, 'staff-a-batch-created');

    await staffB.goto(batchUrl);
    await staffB.reload();
    await staffB.locator('#batch-approve').waitFor();
    await staffB.click('#batch-approve');
    await confirmModal(staffB);
    await staffB.locator('#batch-banner').waitFor();
    await staffB.locator('#batch-status').filter({ hasText: '已审批' }).waitFor();
    await shot(staffB, 'staff-b-batch-approved');
  });

  test('4. staff A imports the bank result file', async () => {
    await staffA.reload();
    await staffA.locator('#batch-bank-import').waitFor();
    const rows = staffA.locator('[data-testid^="payout-"][data-household-id]');
    await rows.nth(1).waitFor(); // the payouts are a paged list of their own, loaded beside the batch
    expect(await rows.count()).toBe(2);
    const lines = ['家庭编号,金额,状态,银行流水号,日期'];
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      const hid = Number(await row.getAttribute('data-household-id'));
      const fen = Number(await row.getAttribute('data-amount-fen'));
      if ((await row.textContent())?.includes(HEAD.name)) headId = hid;
      lines.push(`${hid},${(fen / 100).toFixed(2)},成功,E2E${run}${i},${PERIOD}-25`);
    }
    expect(headId).toBeGreaterThan(0);
    await pickFile(staffA, '#batch-bank-import', '银行回单.csv', lines.join('\n'));
    await confirmModal(staffA);
    const summary = staffA.locator('#bank-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('发放成功 2');
    await staffA.locator('#batch-paid').filter({ hasText: '2户' }).waitFor();
    await shot(staffA, 'staff-a-bank-imported');

    await staffA.goto(`${server.baseUrl}/#/pages/aid/card?id=${headId}`);
    await staffA.reload();
    const qr = staffA.locator('#aid-card [data-testid="qr"]');
    await qr.waitFor();
    cardUrl = (await qr.getAttribute('data-code')) ?? '';
    expect(cardUrl.startsWith(`${server.baseUrl}/#/pages/aid/code?c=`)).toBe(true);
    expect(await staffA.locator('#aid-card').textContent()).toContain('12351');
    await shot(staffA, 'staff-a-card');
  });

  test(`5. the household opens its code URL: ${MONTH_LABEL} 已发放, no amounts`, async () => {
    await household.goto(cardUrl);
    const month = household.locator(`#code-month-${PERIOD}`);
    await month.waitFor();
    expect(await month.textContent()).toContain(MONTH_LABEL);
    expect(await month.textContent()).toContain('已发放');
    expect(await household.locator('#code-name').textContent()).toContain('汪**');
    const text = (await household.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/¥|800|元/);
    expect(text).not.toContain(HEAD.name);
    await shot(household, 'household-code-page');
  });

  test('6. the household binds with name and the last 6 ID characters, then sees the amount', async () => {
    await household.click('#code-bind-start');
    await devLogin(household, { userKey: `aid-household-${run}`, role: 'user' });
    await household.locator('#code-bind-name').waitFor();
    await fillInput(household, 'code-bind-name', HEAD.name);
    await fillInput(household, 'code-bind-id', '000000' === HEAD.id.slice(-6) ? '111111' : '000000');
    await household.click('#code-bind-submit');
    const banner = household.locator('#code-bind-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('还可尝试4次');
    await shot(household, 'household-bind-wrong');
    await fillInput(household, 'code-bind-id', HEAD.id.slice(-6));
    await household.click('#code-bind-submit');
    const payout = household.locator(`[data-testid="my-payout-${PERIOD}-living"]`);
    await payout.waitFor({ timeout: 20_000 });
    expect(await payout.textContent()).toContain('800.00元');
    expect(await payout.textContent()).toContain('已发放');
    await shot(household, 'household-my-aid');
  });

  test('7. after the code is reissued the old URL says the code is no longer valid', async () => {
    await staffA.goto(`${server.baseUrl}/#/pages/aid/household?id=${headId}`);
    await staffA.reload();
    await staffA.locator('#hh-reissue').waitFor();
    await staffA.click('#hh-reissue');
    await confirmModal(staffA);
    await staffA.locator('#hh-banner').filter({ hasText: '已补发' }).waitFor();
    await shot(staffA, 'staff-a-reissued');

    await household.goto(cardUrl);
    await household.reload();
    const err = household.locator('#code-error');
    await err.waitFor();
    expect(await err.textContent()).toContain('已失效');
    await shot(household, 'household-old-code-invalid');
  });
});
