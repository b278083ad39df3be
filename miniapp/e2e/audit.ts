/**
 * The accessibility audit the browser tests run on every page (issue 13): axe-core (WCAG 2.1 A/AA, serious and
 * critical violations only) plus the checks axe does not make — text size, tap-target size, sideways overflow,
 * content cut off by a container that hides overflow, a viewport that blocks zoom, and (elder mode) a page that did
 * not switch to 长辈模式.
 *
 * Limits (CSS px as Chromium computes them, COMMON13.md item 2): standard mode text ≥ 16 px and tap targets
 * ≥ 44×44 px; elder mode text ≥ 20 px and tap targets ≥ 60×60 px. Sub-pixel results of Taro's rem sizes are
 * allowed a small tolerance (0.25 px for text, 0.5 px for targets) so 43.98 px counts as 44.
 *
 * How a tap target is found (Taro H5 renders custom elements and attaches React handlers without DOM attributes):
 * - native controls: a[href], button, input (not hidden), select, textarea, summary, and elements with
 *   role button/link/checkbox/radio/switch/tab/menuitem/option or a tabindex ≥ 0;
 * - Taro's components: taro-button-core, taro-input-core, taro-textarea-core, taro-checkbox-core, taro-radio-core,
 *   taro-switch-core, taro-picker-core, taro-navigator-core, taro-label-core, taro-slider-core;
 * - any element with a tap handler of its own: Taro H5's React wrappers of its components (taro-view-core,
 *   taro-text-core, taro-button-core…) keep the handlers they attach in the element's `__events` object
 *   (`{ click: fn }`), and React 18 keeps the props of a plain DOM node under `__reactProps$<random>` (onClick, onTap,
 *   onLongPress); so a clickable taro-view-core is found whether or not its CSS says cursor:pointer;
 * - the element where `cursor: pointer` starts (its parent's cursor is not pointer), for handlers attached otherwise.
 * A native control inside a Taro component (the <input> inside taro-input-core) is measured as that component.
 * A control without a handler of its own inside a larger clickable row or label (a checkbox in a tappable row) is
 * measured as that row. Hidden elements (display/visibility/opacity 0, zero size) are skipped.
 *
 * Text: every visible text node is measured by its parent's computed font size, and so is the text of inputs,
 * textareas and selects. Visually-hidden text (a 1×1 px clipped box) is skipped.
 *
 * Cut-off content: a visible element whose overflow-x is hidden or clip and whose content is wider than its box;
 * the outermost descendants that stick out are named (the element itself when its own text is cut). Inputs, textareas,
 * selects and swipers (which clip by design) are skipped.
 *
 * Use {@link auditPage} on a loaded page, {@link formatFindings} for a readable list.
 */
import { readFileSync } from 'fs';
import type { Page } from 'playwright-core';

export type AuditMode = 'standard' | 'elder';

/** Minimum text size and tap-target side, CSS px. */
export const LIMITS: Record<AuditMode, { text: number; target: number }> = {
  standard: { text: 16, target: 44 },
  elder: { text: 20, target: 60 },
};

/** axe-core tags run: WCAG 2.0 and 2.1, levels A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Rule ids of a finding: `axe:<axe rule id>` (e.g. `axe:color-contrast`, `axe:label`), `text-size`, `tap-target`,
 * `page-overflow` (the page scrolls sideways), `clipped` (content cut off by a container that hides overflow),
 * `zoom-blocked` (viewport meta), `elder-mode-off` (elder mode asked for, no `.elder` root).
 */
export type AuditRule = `axe:${string}` | 'text-size' | 'tap-target' | 'page-overflow' | 'clipped' | 'zoom-blocked' | 'elder-mode-off';

/** One problem on one element. */
export interface Finding {
  rule: AuditRule;
  /** A CSS selector for the element (ids and data-testids preferred), '' for page-wide findings. */
  selector: string;
  /** The element's visible text (or value, placeholder, aria-label), up to 40 characters. */
  text: string;
  /** What is wrong, with the measured numbers (e.g. `13.0px < 16px`, `120×29px < 44×44px`). */
  detail: string;
  /** axe's impact ('serious' | 'critical') for axe findings. */
  impact?: string;
}

export interface AuditResult {
  /** A name for the page (e.g. `aid-code`). */
  name: string;
  url: string;
  mode: AuditMode;
  /** Viewport width, CSS px. */
  width: number;
  findings: Finding[];
  /** Number of findings per rule. */
  counts: Record<string, number>;
}

export interface AuditOptions {
  name: string;
  mode: AuditMode;
  /** Skip axe-core (the self-test of the geometry checks uses it; the tour never does). */
  skipAxe?: boolean;
}

let axeSource: string | null = null;
function axeScript(): string {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs every check on the page as it is now (it must be loaded and settled). Never throws for findings. */
export async function auditPage(page: Page, opts: AuditOptions): Promise<AuditResult> {
  const limits = LIMITS[opts.mode];
  const findings: Finding[] = [];
  const axe = opts.skipAxe ? [] : await runAxe(page);
  // the page's own findings, and for each axe finding the same kind of selector (ids and data-testids first)
  const own = await page.evaluate(collectInPage, { ...limits, elder: opts.mode === 'elder', axeTargets: axe.map((f) => f.selector) });
  axe.forEach((f, i) => {
    if (own.axeSelectors[i]) f.selector = own.axeSelectors[i];
  });
  findings.push(...axe, ...own.findings);
  const width = page.viewportSize()?.width ?? (await page.evaluate(() => window.innerWidth));
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return { name: opts.name, url: page.url(), mode: opts.mode, width, findings, counts };
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations, one finding per element. */
async function runAxe(page: Page): Promise<Finding[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.addScriptTag({ content: axeScript() });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; html: string; failureSummary?: string; impact?: string | null }> }> }> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => {
        const sel = n.target.map(String).join(' ');
        let text = '';
        try {
          const el = document.querySelector(n.target.length === 1 ? String(n.target[0]) : '') as HTMLElement | null;
          text = (el?.innerText || (el as HTMLInputElement | null)?.value || el?.getAttribute('placeholder') || '').replace(/\s+/g, ' ').trim().slice(0, 40);
        } catch {
          // a selector into a shadow root: no text
        }
        return { sel, impact: n.impact ?? v.impact, text, summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() };
      }),
    }));
  }, AXE_TAGS);
  const out: Finding[] = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      if (n.impact !== 'serious' && n.impact !== 'critical') continue;
      out.push({ rule: `axe:${v.id}`, impact: n.impact, selector: n.sel, text: n.text, detail: `${v.help}. ${n.summary}`.slice(0, 300) });
    }
  }
  return out;
}

/**
 * Runs inside the page (serialised by playwright: self-contained, no imports). Returns plain findings.
 * Kept as a function declaration so TypeScript checks it against the DOM types.
 */
function collectInPage(limits: { text: number; target: number; elder: boolean; axeTargets: string[] }): { findings: Finding[]; axeSelectors: string[] } {
  const out: Finding[] = [];
  const docEl = document.documentElement;
  const vw = docEl.clientWidth;

  const cssEscape = (s: string) => (window.CSS && CSS.escape ? CSS.escape(s) : s);
  const selectorOf = (el: Element): string => {
    const parts: string[] = [];
    let cur: Element | null = el;
    while (cur && cur !== document.body && cur !== docEl && parts.length < 6) {
      if (cur.id && /^[A-Za-z][\w-]*$/.test(cur.id)) { // not Taro's page ids such as "/pages/x/y?stamp=1"
        parts.unshift(`#${cssEscape(cur.id)}`);
        break;
      }
      const testId = cur.getAttribute('data-testid');
      if (testId) {
        parts.unshift(`[data-testid="${testId}"]`);
        break;
      }
      const tag = cur.tagName.toLowerCase();
      const cls = Array.from(cur.classList).filter((c) => !/^(taro|hover|elder$)/.test(c)).slice(0, 2);
      let part = tag + cls.map((c) => `.${cssEscape(c)}`).join('');
      const parent: Element | null = cur.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.tagName === cur!.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(cur) + 1})`;
      }
      parts.unshift(part);
      cur = parent;
    }
    return parts.join(' > ');
  };
  const textOf = (el: Element): string => {
    const h = el as HTMLElement & { value?: string; placeholder?: string };
    const raw = h.innerText || (typeof h.value === 'string' ? h.value : '') || h.getAttribute('aria-label') || h.getAttribute('placeholder') || '';
    return raw.replace(/\s+/g, ' ').trim().slice(0, 40);
  };
  const isShown = (el: Element): boolean => {
    const anyEl = el as Element & { checkVisibility?: (o: unknown) => boolean };
    if (anyEl.checkVisibility && !anyEl.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const srOnly = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    return r.width <= 1 || r.height <= 1;
  };
  const px = (n: number) => `${Math.round(n * 10) / 10}px`;

  // --- zoom ---
  const meta = document.querySelector('meta[name="viewport"]');
  const content = (meta?.getAttribute('content') ?? '').toLowerCase();
  const kv: Record<string, string> = {};
  for (const part of content.split(/[,;]/)) {
    const [k, v] = part.split('=').map((s) => s?.trim());
    if (k) kv[k] = v ?? '';
  }
  if (kv['user-scalable'] === 'no' || kv['user-scalable'] === '0') {
    out.push({ rule: 'zoom-blocked', selector: 'meta[name="viewport"]', text: content, detail: 'user-scalable=no: nobody can zoom the page' });
  } else if (kv['maximum-scale'] !== undefined && Number(kv['maximum-scale']) < 2) {
    out.push({ rule: 'zoom-blocked', selector: 'meta[name="viewport"]', text: content, detail: `maximum-scale=${kv['maximum-scale']} < 2: the page cannot be zoomed to 200%` });
  }

  // --- elder mode switched on ---
  if (limits.elder && !document.querySelector('.elder')) {
    out.push({ rule: 'elder-mode-off', selector: '', text: '', detail: 'elder mode asked for (storage elderMode=true) but no element carries class "elder"' });
  }

  // --- text size ---
  const SKIP_TEXT = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'HEAD']);
  const textEls = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue || !n.nodeValue.trim()) continue;
    const el = n.parentElement;
    if (!el || textEls.has(el) || SKIP_TEXT.has(el.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rr = range.getBoundingClientRect();
    if (rr.width === 0 || rr.height === 0) continue;
    if (!isShown(el) || srOnly(el)) continue;
    textEls.add(el);
  }
  for (const el of Array.from(document.querySelectorAll('input, textarea, select'))) {
    const type = (el as HTMLInputElement).type;
    if (['hidden', 'checkbox', 'radio', 'file', 'range', 'color', 'image', 'submit', 'button', 'reset'].includes(type)) continue;
    if (isShown(el) && !srOnly(el)) textEls.add(el);
  }
  for (const el of textEls) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < limits.text - 0.25) {
      out.push({ rule: 'text-size', selector: selectorOf(el), text: textOf(el), detail: `font-size ${px(size)} < ${limits.text}px` });
    }
  }

  // --- tap targets ---
  const TARO_CONTROLS = 'taro-button-core, taro-input-core, taro-textarea-core, taro-checkbox-core, taro-radio-core, taro-switch-core, taro-picker-core, taro-navigator-core, taro-label-core, taro-slider-core';
  const NATIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="switch"], [role="tab"], [role="menuitem"], [role="option"], [tabindex]:not([tabindex^="-"])';
  const HANDLERS = ['onClick', 'onTap', 'onLongPress', 'onLongTap'];
  const TARO_EVENTS = ['click', 'tap', 'longpress', 'longtap'];
  const ownHandler = (el: Element): boolean => {
    const events = (el as unknown as { __events?: Record<string, unknown> | null }).__events;
    if (events && typeof events === 'object' && TARO_EVENTS.some((e) => events[e])) return true;
    for (const key of Object.keys(el)) {
      if (key.startsWith('__reactProps$')) {
        const props = (el as unknown as Record<string, Record<string, unknown> | null>)[key];
        if (props && HANDLERS.some((h) => typeof props[h] === 'function')) return true;
      }
    }
    return false;
  };
  const pointerStart = (el: Element): boolean => {
    if (getComputedStyle(el).cursor !== 'pointer') return false;
    const p = el.parentElement;
    return !p || getComputedStyle(p).cursor !== 'pointer';
  };
  const candidates = new Set<Element>();
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (el.matches(NATIVE) || el.matches(TARO_CONTROLS) || ownHandler(el) || pointerStart(el)) candidates.add(el);
  }
  const targets = new Set<Element>();
  for (const el of candidates) {
    // a native control inside a Taro component is that component's target
    const wrapper = el.parentElement?.closest(TARO_CONTROLS);
    if (wrapper && !el.matches(TARO_CONTROLS) && !ownHandler(el)) {
      targets.add(wrapper);
      continue;
    }
    targets.add(el);
  }
  const big = (r: DOMRect) => r.width >= limits.target - 0.5 && r.height >= limits.target - 0.5;
  for (const el of targets) {
    if (!isShown(el) || srOnly(el)) continue;
    if (getComputedStyle(el).pointerEvents === 'none') continue;
    const r = el.getBoundingClientRect();
    if (big(r)) continue;
    // a control with no handler of its own inside a larger tappable row or label: the row is the target
    if (!ownHandler(el)) {
      let covered = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (targets.has(a) || a.matches('label, taro-label-core')) {
          covered = big(a.getBoundingClientRect());
          break;
        }
      }
      if (covered) continue;
    }
    out.push({
      rule: 'tap-target', selector: selectorOf(el), text: textOf(el),
      detail: `${Math.round(r.width * 10) / 10}×${Math.round(r.height * 10) / 10}px < ${limits.target}×${limits.target}px`,
    });
  }

  // --- the page scrolls sideways ---
  const scroller = document.scrollingElement ?? docEl;
  if (scroller.scrollWidth > scroller.clientWidth + 1) {
    // name the outermost visible elements that reach past the right edge
    const culprits: Element[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (culprits.some((c) => c.contains(el))) continue;
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0 && isShown(el)) culprits.push(el);
      if (culprits.length >= 5) break;
    }
    const where = culprits.map((c) => {
      const r = c.getBoundingClientRect();
      return `${selectorOf(c)} (${px(r.left)}–${px(r.right)})`;
    }).join('; ');
    out.push({
      rule: 'page-overflow', selector: culprits[0] ? selectorOf(culprits[0]) : '', text: culprits[0] ? textOf(culprits[0]) : '',
      detail: `page is ${scroller.scrollWidth}px wide in a ${scroller.clientWidth}px viewport${where ? `; too wide: ${where}` : ''}`,
    });
  }

  // --- content cut off by a container that hides overflow ---
  const NO_CLIP_CHECK = 'input, textarea, select, taro-input-core, taro-textarea-core, taro-swiper-core, taro-swiper-core *';
  const clippedReported = new Set<Element>();
  for (const box of Array.from(document.body.querySelectorAll('*'))) {
    if (box.matches(NO_CLIP_CHECK)) continue;
    const st = getComputedStyle(box);
    if (st.overflowX !== 'hidden' && st.overflowX !== 'clip') continue;
    if (box.scrollWidth <= box.clientWidth + 1 || box.clientWidth === 0) continue;
    if (!isShown(box) || srOnly(box)) continue;
    const br = box.getBoundingClientRect();
    const bl = br.left + box.clientLeft;
    const bRight = bl + box.clientWidth;
    const out1: Element[] = [];
    for (const d of Array.from(box.querySelectorAll('*'))) {
      if (out1.some((o) => o.contains(d)) || clippedReported.has(d)) continue;
      const r = d.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      if ((r.right > bRight + 1 || r.left < bl - 1) && isShown(d)) out1.push(d);
    }
    if (out1.length === 0) {
      // the box's own text is wider than the box
      out.push({ rule: 'clipped', selector: selectorOf(box), text: textOf(box), detail: `content ${box.scrollWidth}px wide is cut to ${box.clientWidth}px (overflow-x: ${st.overflowX}${st.textOverflow === 'ellipsis' ? ', ellipsis' : ''})` });
      clippedReported.add(box);
    }
    for (const d of out1.slice(0, 5)) {
      const r = d.getBoundingClientRect();
      clippedReported.add(d);
      out.push({
        rule: 'clipped', selector: selectorOf(d), text: textOf(d),
        detail: `${px(r.left)}–${px(r.right)} sticks out of ${selectorOf(box)} (${px(bl)}–${px(bRight)}, overflow-x: ${st.overflowX})`,
      });
    }
  }

  // axe names elements by its own selectors (often `input[maxlength="11"]`): name them like the other findings
  const axeSelectors = limits.axeTargets.map((t) => {
    try {
      const el = document.querySelector(t);
      return el ? selectorOf(el) : '';
    } catch {
      return '';
    }
  });
  return { findings: out, axeSelectors };
}

/** A readable list: one line per finding, `[rule] selector "text" — detail`, under a header naming page, mode and width. */
export function formatFindings(result: AuditResult): string {
  const head = `${result.name} [${result.mode}, ${result.width}px] ${result.url}: ${result.findings.length} finding(s)`;
  if (result.findings.length === 0) return head;
  const lines = result.findings.map((f) => `  [${f.rule}${f.impact ? `/${f.impact}` : ''}] ${f.selector || '(page)'}${f.text ? ` "${f.text}"` : ''} — ${f.detail}`);
  return [head, ...lines].join('\n');
}
