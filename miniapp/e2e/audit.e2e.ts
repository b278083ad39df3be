/**
 * Self-test of the accessibility audit (e2e/audit.ts) in real headless Chromium, so the every-page tour cannot pass
 * vacuously: a static page with one known problem per check must be reported element by element, and a clean page
 * must yield nothing, in standard and elder mode. No server needed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { auditPage, formatFindings, type AuditResult, type Finding } from './audit';
import { launchBrowser } from './support';

const CLEAN_STYLE = `
  body { margin: 0; font: 16px/1.5 sans-serif; color: #222; background: #fff; }
  main { padding: 8px; }
  button, input { font-size: 16px; min-height: 48px; min-width: 48px; }
  label.row { display: flex; align-items: center; min-height: 48px; }
`;
const ELDER_STYLE = `
  body { margin: 0; font: 20px/1.5 sans-serif; color: #222; background: #fff; }
  main { padding: 8px; }
  button, input { font-size: 20px; min-height: 64px; min-width: 64px; }
  label.row { display: flex; align-items: center; min-height: 64px; }
`;

function doc(opts: { viewport?: string; style: string; body: string; rootClass?: string }): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
    <meta name="viewport" content="${opts.viewport ?? 'width=device-width,initial-scale=1'}">
    <title>自测</title><style>${opts.style}</style></head>
    <body><main class="${opts.rootClass ?? ''}">${opts.body}</main></body></html>`;
}

/** A clean page: labelled input, big button, dark text, a checkbox inside a big tappable label row. */
const CLEAN_BODY = `
  <h1>工会服务</h1>
  <p id="ok-text">正文文字足够大，颜色足够深。</p>
  <label for="ok-input">姓名</label>
  <input id="ok-input" type="text" value="王建国">
  <button id="ok-button" type="button">提交</button>
  <label class="row"><input type="checkbox" id="ok-check" style="min-height:0;min-width:0;width:16px;height:16px"> 我已阅读并同意</label>
  <div style="overflow:hidden;width:200px"><span>不超出</span></div>
`;

/** One known problem per check, each on its own element. */
const BAD_BODY = `
  <h1>工会服务</h1>
  <p id="small-text" style="font-size:12px">十二像素小字</p>
  <button id="tiny-button" type="button" style="width:30px;height:30px;min-height:0;min-width:0;padding:0">加</button>
  <p id="faint-text" style="color:#c8c8c8">浅灰色的说明文字</p>
  <input id="unlabelled" type="text">
  <div id="too-wide" style="width:400px;height:20px;background:#eee">宽块</div>
  <div id="clip-box" style="overflow:hidden;width:150px"><div id="clipped-child" style="width:260px">这一段被藏起来的内容</div></div>
  <div id="cursor-link" style="cursor:pointer;width:120px;height:24px">查看详情</div>
  <div id="react-tap" style="width:100px;height:28px">点我</div>
  <taro-view-core id="taro-chip" style="display:inline-block;width:70px;height:35px">外卖配送员</taro-view-core>
  <taro-button-core id="taro-small" style="display:inline-block;width:80px;height:32px">领取</taro-button-core>
  <script>
    // what React 18 leaves on a DOM node with an onClick prop (Taro H5 adds no attribute for it)
    document.getElementById('react-tap')['__reactProps$selftest'] = { onClick: function () {}, children: '点我' };
    // what Taro H5's React wrapper leaves on a component with onClick
    document.getElementById('taro-chip').__events = { click: function () {} };
  </script>
`;

describe('accessibility audit self-test', () => {
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
    page = await ctx.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const has = (r: AuditResult, rule: string, selector: string): Finding | undefined =>
    r.findings.find((f) => f.rule === rule && f.selector.includes(selector));

  test('a clean page yields no finding, in standard mode at 320 and 375 px', async () => {
    for (const width of [320, 375]) {
      await page.setViewportSize({ width, height: 640 });
      await page.setContent(doc({ style: CLEAN_STYLE, body: CLEAN_BODY }));
      const r = await auditPage(page, { name: 'clean', mode: 'standard' });
      expect(formatFindings(r)).toBe(`clean [standard, ${width}px] about:blank: 0 finding(s)`);
    }
  });

  test('every known problem is reported on its element', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.setContent(doc({ viewport: 'width=device-width,initial-scale=1,user-scalable=no', style: CLEAN_STYLE, body: BAD_BODY }));
    const r = await auditPage(page, { name: 'bad', mode: 'standard' });
    const text = formatFindings(r);
    expect(has(r, 'text-size', '#small-text')?.detail).toBe('font-size 12px < 16px');
    expect(has(r, 'tap-target', '#tiny-button')?.detail).toBe('30×30px < 44×44px');
    expect(has(r, 'tap-target', '#cursor-link')?.detail).toBe('120×24px < 44×44px'); // found by cursor:pointer
    expect(has(r, 'tap-target', '#react-tap')?.detail).toBe('100×28px < 44×44px'); // found by its React onClick
    expect(has(r, 'tap-target', '#taro-small')?.text).toBe('领取'); // a Taro component
    expect(has(r, 'tap-target', '#taro-chip')?.detail).toBe('70×35px < 44×44px'); // a taro-view-core with onClick
    expect(has(r, 'axe:color-contrast', '#faint-text')?.impact).toBe('serious');
    expect(has(r, 'axe:label', '#unlabelled')?.impact).toBe('critical');
    expect(has(r, 'zoom-blocked', 'meta')?.detail).toContain('user-scalable=no');
    expect(has(r, 'page-overflow', '#too-wide')?.detail).toMatch(/^page is \d+px wide in a 320px viewport; too wide: #too-wide/);
    expect(has(r, 'clipped', '#clipped-child')?.detail).toContain('sticks out of #clip-box');
    // nothing else: every finding names one of the planted problems
    const planted = ['#small-text', '#tiny-button', '#cursor-link', '#react-tap', '#taro-small', '#taro-chip', '#faint-text', '#unlabelled', 'meta', '#too-wide', '#clipped-child'];
    for (const f of r.findings) expect([f.selector, planted.some((p) => f.selector.includes(p))]).toEqual([f.selector, true]);
    expect(text).toContain('[tap-target] #tiny-button "加" — 30×30px < 44×44px');
  });

  test('maximum-scale below 2 blocks zoom', async () => {
    await page.setContent(doc({ viewport: 'width=device-width,initial-scale=1,maximum-scale=1', style: CLEAN_STYLE, body: CLEAN_BODY }));
    const r = await auditPage(page, { name: 'max-scale', mode: 'standard' });
    expect(r.findings.map((f) => f.rule)).toEqual(['zoom-blocked']);
    expect(r.findings[0].detail).toContain('maximum-scale=1 < 2');
  });

  test('elder mode asks for 20 px text, 60 px targets and an .elder root', async () => {
    await page.setViewportSize({ width: 375, height: 640 });
    await page.setContent(doc({ style: CLEAN_STYLE, body: CLEAN_BODY }));
    const standardSized = await auditPage(page, { name: 'standard-in-elder', mode: 'elder' });
    expect(has(standardSized, 'elder-mode-off', '')).toBeTruthy();
    expect(has(standardSized, 'text-size', '#ok-text')?.detail).toBe('font-size 16px < 20px');
    expect(has(standardSized, 'tap-target', '#ok-button')?.detail).toMatch(/×48px < 60×60px$/);

    await page.setContent(doc({ style: ELDER_STYLE, body: CLEAN_BODY, rootClass: 'elder' }));
    const elder = await auditPage(page, { name: 'elder', mode: 'elder' });
    expect(formatFindings(elder)).toBe('elder [elder, 375px] about:blank: 0 finding(s)');
  });
});
