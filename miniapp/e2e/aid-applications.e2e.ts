/**
 * Online aid application journey in the H5 build against the real server (SQLite, dev login):
 * a worker fills in 申请帮扶 step by step (the draft and the step survive a reload) with two documents and submits → staff A sees it
 * on 工作台 and in 帮扶待办 and accepts it → asks for more information → the worker answers in 我的申请 →
 * A records the home visit and proposes approval with a one-off medical payout → A cannot confirm
 * (four-eyes), staff B confirms → the household file is active and the one-off medical payout is pending
 * approval → 公示 shows the masked name → the worker's timeline shows every step → someone else applies with the
 * worker's ID number: the answer says nothing, staff see 匹配到已有困难职工档案 and must merge or reject → the worker
 * deletes a document and withdraws a new application (each confirmed in a dialog).
 * Screenshots: artifacts/e2e/aid-applications/<nn>-<step>.png; server output: artifacts/e2e/aid-applications-server.log.
 */
import { idNumberCheckChar } from '@union/shared';
import type { Browser, Page } from 'playwright-core';
import { VIEWPORT, assertBuilt, confirmModal, devLogin, fillInput, launchBrowser, startServer, type RunningServer, screenshotter } from './support';

const shot = screenshotter('aid-applications', 400);

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const first17 = `42020219880${Math.floor(Math.random() * 9) + 1}1${Math.floor(Math.random() * 9)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
const ID_NUMBER = first17 + idNumberCheckChar(first17);
const MOBILE = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const NAME = '汪秀兰';
/** A real 48×32 PNG (so the inline preview draws), and a minimal PDF. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAAOUlEQVR42u3OMQ0AMAgAMFTsm38ryMDE7uGCcDSpgEaeu0oICQkJCQkJCQ2H/qtVhISEhISEhISGNQD7baaoKOLzAAAAAElFTkSuQmCC', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('帮扶申请 journey (H5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let worker: Page;
  let staffA: Page;
  let staffB: Page;
  let appId = 0;
  let householdId = 0;
  let batchId = 0;

  const newPage = async () => (await browser.newContext({ viewport: VIEWPORT })).newPage();
  const appUrl = () => `${server.baseUrl}/#/pages/aid/application?id=${appId}`;
  const open = async (page: Page, hash: string) => {
    await page.goto(`${server.baseUrl}/#${hash}`);
    await page.reload();
  };

  beforeAll(async () => {
    assertBuilt();
    server = await startServer({}, 'aid-applications-server');
    browser = await launchBrowser();
    worker = await newPage();
    staffA = await newPage();
    staffB = await newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('1. the worker fills in 申请帮扶 step by step (the draft survives a reload), adds two documents and submits', async () => {
    await worker.goto(`${server.baseUrl}/#/pages/aid/index`);
    await devLogin(worker, { userKey: `aidapp-worker-${run}`, role: 'user' });
    await worker.locator('#aid-link-apply').waitFor();
    await worker.click('#aid-link-apply');
    await worker.locator('#apply-org-search').waitFor();
    await fillInput(worker, 'apply-org-search', '网约');
    await worker.click('#apply-org-search-go');
    await worker.locator('#apply-org-HB-HS-HSG-WM').waitFor();
    await worker.click('#apply-org-HB-HS-HSG-WM');
    expect(await worker.locator('#apply-org-name').textContent()).toBe('黄石市网约配送员工会联合会');
    await worker.click('#apply-next'); // 第2步，共5步: the applicant
    await fillInput(worker, 'apply-name', NAME);
    await fillInput(worker, 'apply-idNumber', ID_NUMBER);
    await fillInput(worker, 'apply-mobile', MOBILE);
    await fillInput(worker, 'apply-employer', '美团黄石港站点');

    // a weak network or a closed page loses nothing: the draft (and the step) is kept on the device
    await worker.waitForTimeout(500);
    await worker.reload();
    await worker.locator('#apply-name').waitFor({ timeout: 20_000 });
    expect(await worker.locator('#apply-progress').textContent()).toContain('第2步，共5步');
    expect(await worker.locator('#apply-name input').inputValue()).toBe(NAME);
    await worker.click('#apply-prev');
    expect(await worker.locator('#apply-org-name').textContent()).toBe('黄石市网约配送员工会联合会');
    await worker.click('#apply-next');
    await worker.click('#apply-next'); // 第3步: the address

    await fillInput(worker, 'apply-province', '湖北省');
    await fillInput(worker, 'apply-city', '黄石市');
    await fillInput(worker, 'apply-district', '黄石港区');
    await fillInput(worker, 'apply-street', '胜阳港街道');
    await worker.click('#apply-next'); // 第4步: the household
    await fillInput(worker, 'apply-householdSize', '3');
    await fillInput(worker, 'apply-income', '1500');
    await fillInput(worker, 'apply-illMembers', '1');
    await worker.click('#apply-cause-illness');
    await worker.click('#apply-next'); // 第5步: help wanted, account, documents, consent
    await worker.click('#apply-help-medical');
    await worker.fill('#apply-account textarea', '丈夫突发脑梗住院，自付医疗费3万余元，我一人送外卖养家，孩子在读初中。');
    const [chooser] = await Promise.all([worker.waitForEvent('filechooser'), worker.click('#apply-pick')]);
    await chooser.setFiles([
      { name: '住院费用清单.png', mimeType: 'image/png', buffer: PNG },
      { name: '收入证明.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await worker.locator('[data-testid="apply-file-1"]').waitFor();
    await worker.click('#apply-submit');
    expect(await worker.locator('#err-consent').textContent()).toContain('同意');
    await worker.click('#apply-consent');
    await shot(worker, 'worker-form-filled');
    await worker.click('#apply-submit');
    await confirmModal(worker);
    const card = worker.locator('[data-testid^="my-app-"][id^="my-app-"]').first();
    await card.waitFor({ timeout: 20_000 });
    appId = Number((await card.getAttribute('id'))!.replace('my-app-', ''));
    expect(appId).toBeGreaterThan(0);
    expect(await worker.locator(`#my-app-${appId}-status`).textContent()).toBe('待受理');
    await worker.locator(`[data-testid^="my-app-${appId}-doc-"]`).nth(1).waitFor();
    expect(await worker.locator(`#my-app-${appId}-documents`).textContent()).toContain('住院费用清单.png');
    expect(await worker.locator(`#my-app-${appId}-documents`).textContent()).toContain('收入证明.pdf');
    await shot(worker, 'worker-submitted');
  });

  test('2. staff A sees it on 工作台 and in 帮扶待办, and accepts it', async () => {
    await staffA.goto(`${server.baseUrl}/#/pages/workbench/index`);
    await devLogin(staffA, { userKey: `aidapp-a-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    const badge = staffA.locator('#wb-aid-todo-count');
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.textContent()).toContain('待受理 1');
    await shot(staffA, 'staff-a-workbench-count');
    await staffA.click('#wb-aid-todo');
    const item = staffA.locator(`[data-testid="todo-${appId}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain(NAME);
    expect(await staffA.locator(`[data-testid="todo-age-${appId}"]`).textContent()).toContain('不到1小时');
    expect(await staffA.locator(`[data-testid="todo-overdue-${appId}"]`).count()).toBe(0);
    expect(await staffA.locator('#todo-count-submitted').textContent()).toContain('1');
    await shot(staffA, 'staff-a-todo');
    await staffA.click(`[data-testid="todo-accept-${appId}"]`);
    await confirmModal(staffA);
    await staffA.locator('#app-status').filter({ hasText: '已受理' }).waitFor();
    expect(await staffA.locator('#app-documents').textContent()).toContain('住院费用清单.png');
    await staffA.locator('[id^="app-doc-open-"]').first().click(); // fetched with the bearer token, shown inline
    await staffA.locator('[data-testid^="app-doc-image-"]').first().waitFor();
    await shot(staffA, 'staff-a-accepted-with-document');
  });

  test('3. staff A asks for more information; the worker answers in 我的申请', async () => {
    await staffA.click('#app-panel-info');
    await staffA.fill('#app-question textarea', '请补充医院出具的诊断证明');
    await staffA.click('#app-info-submit');
    await confirmModal(staffA);
    await staffA.locator('#app-status').filter({ hasText: '待补充材料' }).waitFor();
    await shot(staffA, 'staff-a-asked-for-information');

    await open(worker, '/pages/aid/my-applications');
    const question = worker.locator(`#my-app-${appId}-question`);
    await question.waitFor();
    expect(await question.textContent()).toContain('请补充医院出具的诊断证明');
    await worker.fill(`#my-app-${appId}-answer textarea`, '诊断证明明天到医院开具后补传，丈夫诊断为脑梗死。');
    await shot(worker, 'worker-answering');
    await worker.click(`#my-app-${appId}-answer-submit`);
    await confirmModal(worker);
    await worker.locator(`#my-app-${appId}-status`).filter({ hasText: '已受理' }).waitFor();
    await shot(worker, 'worker-answered');
  });

  test('4. staff A records the home visit and proposes approval with a one-off medical payout; A cannot confirm it', async () => {
    await open(staffA, `/pages/aid/application?id=${appId}`);
    await staffA.locator('#app-panel-visit').waitFor();
    expect(await staffA.locator('#app-timeline').textContent()).toContain('诊断证明明天到医院开具后补传');
    await staffA.click('#app-panel-visit');
    await fillInput(staffA, 'app-visitors', '张明、李华');
    await fillInput(staffA, 'app-verifiedMonthlyIncomeFen', '1400');
    await staffA.fill('#app-findings textarea', '入户查看住院票据与病历，家中仅申请人一人有收入，情况属实。');
    await staffA.click('#app-visit-submit');
    await confirmModal(staffA);
    await staffA.locator('#app-visit-findings').waitFor();
    await shot(staffA, 'staff-a-visit-recorded');

    await staffA.click('#app-panel-decision');
    await staffA.click('#app-level-severe');
    expect(await staffA.locator('#app-payout-toggle').getAttribute('class')).toContain('checkbox-on'); // asked for medical aid
    await staffA.click('#app-payout-type-medical');
    await fillInput(staffA, 'app-payout-amountFen', '3000');
    await staffA.click('#app-decision-submit');
    await confirmModal(staffA);
    await staffA.locator('#app-status').filter({ hasText: '待复核' }).waitFor();
    await staffA.locator('#app-four-eyes').waitFor();
    expect(await staffA.locator('#app-confirm').count()).toBe(0);
    await shot(staffA, 'staff-a-proposed-four-eyes');
  });

  test('5. staff B confirms: the household file is active and a one-off medical payout waits for approval', async () => {
    await staffB.goto(`${server.baseUrl}/#/pages/workbench/index`);
    await devLogin(staffB, { userKey: `aidapp-b-${run}`, role: 'union_staff', orgCode: 'HB-HS' });
    await staffB.locator('#wb-aid-todo-count').filter({ hasText: '待复核 1' }).waitFor({ timeout: 20_000 });
    await open(staffB, `/pages/aid/application?id=${appId}`);
    await staffB.locator('#app-confirm').waitFor();
    await shot(staffB, 'staff-b-to-confirm');
    await staffB.click('#app-confirm');
    await confirmModal(staffB);
    await staffB.locator('#app-status').filter({ hasText: '已批准' }).waitFor();
    await staffB.locator('#app-open-household').waitFor();
    await shot(staffB, 'staff-b-confirmed');

    await staffB.click('#app-open-household');
    await staffB.locator('#hh-status').filter({ hasText: '在档' }).waitFor();
    householdId = Number(new URL(staffB.url().replace('#/', '')).searchParams.get('id'));
    expect(await staffB.locator('#hh-name').textContent()).toBe(NAME);
    const page = (await staffB.locator('body').textContent()) ?? '';
    expect(page).toContain('深度困难');
    expect(page).toContain('医疗救助');
    expect(page).toContain('3,000.00元');
    expect(page).toContain('待审批');
    expect(page).not.toContain(ID_NUMBER);
    await shot(staffB, 'staff-b-household-file');

    await open(staffB, `/pages/aid/application?id=${appId}`);
    await staffB.locator('#app-open-batch').waitFor();
    await staffB.click('#app-open-batch');
    await staffB.locator('#batch-status').filter({ hasText: '待审批' }).waitFor();
    batchId = Number(new URL(staffB.url().replace('#/', '')).searchParams.get('id'));
    expect(batchId).toBeGreaterThan(0);
    expect(householdId).toBeGreaterThan(0);
    await shot(staffB, 'staff-b-one-off-payout-batch');
  });

  test('6. the notice page shows the masked name, the cause, the category and the supervision phone', async () => {
    await open(worker, '/pages/aid/my-applications');
    await worker.locator(`#my-app-${appId}-notice`).waitFor();
    expect(await worker.locator(`#my-app-${appId}-result`).textContent()).toContain('深度困难');
    await worker.click(`#my-app-${appId}-notice`);
    const name = worker.locator(`[data-testid="notice-name-${appId}"]`);
    await name.waitFor();
    expect(await name.textContent()).toBe('汪**');
    const text = (await worker.locator('body').textContent()) ?? '';
    expect(text).not.toContain(NAME);
    expect(text).toContain('因病');
    expect(text).toContain('深度困难');
    expect(await worker.locator('#notice-phone').textContent()).toBe('12351');
    await shot(worker, 'worker-notice');
  });

  test("7. the worker's timeline shows every step with its time", async () => {
    await open(worker, '/pages/aid/my-applications');
    await worker.locator(`#my-app-${appId}-timeline`).waitFor();
    for (const step of ['submitted', 'document_added', 'accepted', 'info_requested', 'info_answered', 'visit_recorded', 'decision_proposed', 'approved']) {
      expect(await worker.locator(`[data-testid="my-app-${appId}-step-${step}"]`).count()).toBeGreaterThan(0);
    }
    const timeline = (await worker.locator(`#my-app-${appId}-timeline`).textContent()) ?? '';
    expect(timeline).toContain('请补充医院出具的诊断证明');
    expect(timeline).toMatch(/(今天|昨天|\d{1,2}月\d{1,2}日) \d{2}:\d{2}/); // times in words (DateText), Asia/Shanghai
    expect(timeline).not.toContain('情况属实'); // the visit findings stay with staff
    await worker.locator(`#my-app-${appId}-timeline`).scrollIntoViewIfNeeded();
    await shot(worker, 'worker-timeline');
  });

  /** The JSON API as a given dev-login account (setup the UI does not need to show). */
  async function api(userKey: string, method: string, apiPath: string, body?: unknown, role = 'user', orgCode?: string) {
    const login = await fetch(`${server.baseUrl}/api/auth/dev-login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userKey, role, ...(orgCode ? { orgCode } : {}) }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const isForm = body instanceof FormData;
    const res = await fetch(`${server.baseUrl}/api${apiPath}`, {
      method, headers: { Authorization: `Bearer ${accessToken}`, ...(isForm || body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: isForm ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }
  const applicationBody = (over: Record<string, unknown>) => ({
    orgCode: 'HB-HS-HSG-WM', name: '李明华', idNumber: ID_NUMBER, mobile: `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, employer: '某快递网点',
    province: '湖北省', city: '黄石市', district: '黄石港区', street: '胜阳港街道', employmentStatus: 'flexible', householdSize: 2, monthlyIncomeFen: 100_000,
    illMembers: 0, disabledMembers: 0, causes: ['unemployment'], helpKinds: ['living'], account: '失业在家，收入微薄。', consent: true, ...over,
  });

  test('8. someone else applies with the worker\'s ID number: told only 待受理; staff see the match and must merge or reject', async () => {
    const stranger = await api(`aidapp-stranger-${run}`, 'POST', '/aid/applications', applicationBody({ orgCode: 'HB-HS-HSG' }));
    expect(stranger.status).toBe(201);
    expect(stranger.body).toMatchObject({ status: 'submitted', linkedToHousehold: false, org: { code: 'HB-HS-HSG' } });
    expect(JSON.stringify(stranger.body)).not.toContain('黄石市网约配送员工会联合会');
    const strangerId = stranger.body.id as number;

    await open(staffA, '/pages/aid/todo');
    await staffA.locator(`[data-testid="todo-${strangerId}"]`).filter({ hasText: '匹配到已有困难职工档案' }).waitFor({ timeout: 20_000 });
    await open(staffA, `/pages/aid/application?id=${strangerId}`);
    const match = staffA.locator('#app-household-match');
    await match.waitFor();
    expect(await match.textContent()).toContain('黄石市网约配送员工会联合会');
    await staffA.locator('#app-match-open').waitFor();
    await shot(staffA, 'staff-a-household-match-flag');
    await staffA.click('#app-accept');
    await confirmModal(staffA);
    await staffA.locator('#app-panel-visit').waitFor();
    await staffA.click('#app-panel-visit');
    await fillInput(staffA, 'app-visitors', '张明');
    await staffA.fill('#app-findings textarea', '入户核实，申请人并非档案户主本人。');
    await staffA.click('#app-visit-submit');
    await confirmModal(staffA);
    await staffA.locator('#app-visit-findings').waitFor();
    await staffA.click('#app-panel-decision');
    await staffA.locator('#app-merge-toggle').waitFor();
    await staffA.click('#app-decision-submit'); // approve without the explicit choice: refused on the page
    expect(await staffA.locator('#err-mergeIntoHousehold').textContent()).toContain('并入');
    await shot(staffA, 'staff-a-merge-or-reject');
    await staffA.click('#app-decision-kind-reject');
    await fillInput(staffA, 'app-reason', '身份信息与已有档案不符');
    await staffA.click('#app-decision-submit');
    await confirmModal(staffA);
    await staffA.locator('#app-status').filter({ hasText: '未批准' }).waitFor();
    await shot(staffA, 'staff-a-rejected-impostor');
  });

  test('9. the worker deletes a document and withdraws a new application, each after a confirmation', async () => {
    const workerKey = `aidapp-worker-${run}`;
    const created = await api(workerKey, 'POST', '/aid/applications', applicationBody({ name: NAME, helpKinds: ['emergency'], causes: ['accident'] }));
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    for (const [name, type, buf] of [['病历.pdf', 'application/pdf', PDF], ['票据.png', 'image/png', PNG]] as const) {
      const form = new FormData();
      form.append('file', new Blob([buf], { type }), name);
      expect((await api(workerKey, 'POST', `/aid/applications/${id}/documents`, form)).status).toBe(201);
    }
    await open(worker, '/pages/aid/my-applications');
    const docs = worker.locator(`#my-app-${id}-documents`);
    await docs.waitFor();
    expect(await docs.textContent()).toContain('病历.pdf');
    const del = worker.locator(`[id^="my-app-${id}-doc-delete-"]`).first();
    await del.click();
    await confirmModal(worker);
    await worker.locator(`#my-app-${id}-banner`).filter({ hasText: '已删除' }).waitFor();
    expect(await worker.locator(`#my-app-${id}-documents`).textContent()).not.toContain('病历.pdf');
    expect(await worker.locator(`[data-testid="my-app-${id}-step-document_deleted"]`).count()).toBe(1);
    await shot(worker, 'worker-document-deleted');

    await worker.click(`#my-app-${id}-withdraw`);
    await confirmModal(worker);
    await worker.locator(`#my-app-${id}-status`).filter({ hasText: '已撤回' }).waitFor();
    await worker.locator(`#my-app-${id}-withdrawn`).waitFor();
    expect(await worker.locator(`#my-app-${id}-withdraw`).count()).toBe(0);
    expect(await worker.locator(`[data-testid^="my-app-${id}-doc-"]`).count()).toBe(0);
    // the approved application keeps its documents: no delete button there
    expect(await worker.locator(`[id^="my-app-${appId}-doc-delete-"]`).count()).toBe(0);
    await worker.locator(`#my-app-${id}-withdrawn`).scrollIntoViewIfNeeded();
    await shot(worker, 'worker-withdrawn');
  });
});
