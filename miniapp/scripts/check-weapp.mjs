#!/usr/bin/env node
/**
 * Checks the weapp build (`pnpm build:weapp`, dist/weapp) with WeChat's own tools, offline:
 *
 *  1. miniprogram-ci compiles the whole package the way an upload would, with its minifiers on (JS, WXML, WXSS).
 *     The project is `new ci.Project({ appid: 'touristappid', privateKey: <any string>, attr: async () =>
 *     ci.DefaultProjectAttr })`: with `attr` given, CIProject.attr() never asks WeChat's servers for the account's
 *     limits. The one other request (the list of allowed file types) is sent to a closed loopback port through
 *     `ci.proxy`, fails at once, and miniprogram-ci falls back to the list it ships.
 *  2. miniprogram-ci's checkCodeQuality (the devtools' "代码质量" panel): every item must be met (JS/WXML/WXSS
 *     minified, lazy code loading, main package ≤ 1.5 MB, no JS in the main package used only by subpackages,
 *     no unused components or files...). On top of that our own budget: main package ≤ 512 KiB
 *     (WEAPP_MAIN_BUDGET_KIB overrides).
 *  3. wcc and wcsc, WeChat's WXML and WXSS compilers (npm package miniprogram-compiler), over every .wxml/.wxs and
 *     every .wxss file of the build.
 *
 * Prints the size of the main package and of each subpackage in KiB (as built, and as compiled for upload), one
 * line per check, and exits 1 on any failure or unmet item.
 *
 * Usage: node scripts/check-weapp.mjs [distDir]   (default: $TARO_OUTPUT_ROOT or dist/weapp)
 *
 * NB: miniprogram-ci 2.1.42 is patched (patches/miniprogram-ci@2.1.42.patch): its worker threads got
 * `isDevtools: String(false)` — a truthy "false" — and so installed the devtools' module resolver, which does not
 * follow symlinks and, under pnpm, loads csso 5 (ESM) where svgo 2 wants csso 4 ("css-tree does not provide an
 * export named 'parse'").
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(here, '..');
const dist = path.resolve(appRoot, process.argv[2] || process.env.TARO_OUTPUT_ROOT || 'dist/weapp');
const MAIN_BUDGET_KIB = Number(process.env.WEAPP_MAIN_BUDGET_KIB || 512);
const MAIN = '__APP__';

const failures = [];
const kib = (bytes) => (bytes / 1024).toFixed(1);
const fail = (msg) => { failures.push(msg); console.log(`  FAIL ${msg}`); };
const ok = (msg) => console.log(`  ok   ${msg}`);

function walk(dir, base = dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, base, out);
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

if (!fs.existsSync(path.join(dist, 'app.json'))) {
  console.error(`check-weapp: ${dist}/app.json not found; run \`pnpm build:weapp\` first.`);
  process.exit(1);
}
const appJson = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'));
const roots = (appJson.subPackages || appJson.subpackages || []).map((s) => s.root.replace(/\/$/, ''));
/** The package a file belongs to: the subpackage whose root folder holds it, else the main package. */
const packageOf = (file) => roots.find((r) => file.startsWith(`${r}/`)) || MAIN;
/** Sums sizes per package; `files` maps path → byte size. */
function sizesByPackage(files) {
  const sizes = Object.fromEntries([MAIN, ...roots].map((r) => [r, 0]));
  for (const [f, n] of Object.entries(files)) sizes[packageOf(f)] += n;
  return sizes;
}

const started = Date.now();
const step = (name) => { console.log(`\n${name}`); return Date.now(); };
const took = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

// --- 1. miniprogram-ci compile, minifiers on --------------------------------------------------------------
const ci = require('miniprogram-ci');
// The only request miniprogram-ci still makes is for its list of allowed file types (getwhiteextlist), without a
// timeout; on failure it uses the list it ships. Point it at a closed loopback port so it fails at once and nothing
// leaves the machine, whatever the network or proxy settings.
ci.proxy('http://127.0.0.1:9');
const project = new ci.Project({
  appid: 'touristappid',
  type: 'miniProgram',
  projectPath: dist,
  privateKey: 'offline-check-no-upload',
  ignores: ['project.private.config.json'],
  attr: async () => ci.DefaultProjectAttr,
});

let t = step('1. miniprogram-ci compile (minify JS, WXML, WXSS)');
let compiled = {};
try {
  compiled = await ci.getCompiledResult({
    project,
    setting: { es6: false, minify: true, minifyJS: true, minifyWXML: true, minifyWXSS: true, autoPrefixWXSS: false },
    onProgressUpdate: () => {},
  });
  ok(`compiled ${Object.keys(compiled).length} files in ${took(t)}`);
} catch (e) {
  fail(`compile: ${e && (e.message || e)}${e && e.path ? ` (${e.path})` : ''}`);
}

// --- 2. checkCodeQuality ---------------------------------------------------------------------------------
t = step('2. miniprogram-ci checkCodeQuality');
let qualitySizes = null;
try {
  const items = await ci.checkCodeQuality(project);
  if (!items.length) fail('checkCodeQuality returned no items');
  for (const item of items) {
    const detail = item.detail && (Array.isArray(item.detail) ? item.detail.length : item.detail.files?.length) ? ` ${JSON.stringify(item.detail)}` : '';
    // item.text is WeChat's English wording of the problem ("JS compression is not turned on"): shown on failure only.
    if (item.success) ok(item.name);
    else fail(`${item.name}: ${item.text}${detail}`);
    if (item.name === 'PACKAGE_SIZE_LIMIT' && item.detail) qualitySizes = item.detail;
  }
  console.log(`  (${took(t)})`);
} catch (e) {
  fail(`checkCodeQuality: ${e && (e.message || e)}`);
}

// --- sizes ---------------------------------------------------------------------------------------------
const built = sizesByPackage(Object.fromEntries(walk(dist).map((f) => [f, fs.statSync(path.join(dist, f)).size])));
const upload = sizesByPackage(Object.fromEntries(Object.entries(compiled).map(([f, c]) => [f, Buffer.byteLength(c)])));
console.log('\nPackage sizes (KiB)            built   compiled for upload');
for (const r of [MAIN, ...roots]) {
  const label = r === MAIN ? 'main package' : r;
  console.log(`  ${label.padEnd(28)} ${kib(built[r]).padStart(7)}   ${Object.keys(compiled).length ? kib(upload[r]).padStart(7) : '      -'}`);
}
console.log(`  ${'total'.padEnd(28)} ${kib(Object.values(built).reduce((a, b) => a + b, 0)).padStart(7)}`
  + `   ${Object.keys(compiled).length ? kib(Object.values(upload).reduce((a, b) => a + b, 0)).padStart(7) : '      -'}`);
const mainBytes = Math.max(built[MAIN], qualitySizes?.[MAIN] ?? 0);
if (mainBytes / 1024 > MAIN_BUDGET_KIB) fail(`main package ${kib(mainBytes)} KiB > budget ${MAIN_BUDGET_KIB} KiB`);
else ok(`main package ${kib(mainBytes)} KiB ≤ budget ${MAIN_BUDGET_KIB} KiB`);

// --- 3. wcc / wcsc ---------------------------------------------------------------------------------------
t = step('3. wcc / wcsc (miniprogram-compiler)');
const wcc = require('miniprogram-compiler/src/wcc');
const wcsc = require('miniprogram-compiler/src/wcsc');
const all = walk(dist);
const noExt = (f, ext) => f.slice(0, -ext.length);
const wxml = all.filter((f) => f.endsWith('.wxml')).map((f) => noExt(f, '.wxml'));
const wxs = all.filter((f) => f.endsWith('.wxs'));
const wxss = all.filter((f) => f.endsWith('.wxss')).map((f) => noExt(f, '.wxss'));
const maxBuffer = 256 * 1024 * 1024;
try {
  const out = wcc(dist, [...wxml], wxs, { maxBuffer });
  // The output is the JS the WeChat client runs; it must at least parse.
  new Function('global', `${out}; return $gwx;`); // eslint-disable-line no-new-func
  ok(`wcc compiled ${wxml.length} .wxml and ${wxs.length} .wxs files`);
} catch (e) {
  fail(`wcc: ${String(e.message || e).slice(0, 2000)}`);
}
// wcsc's wrapper returns (not throws) an Error; compile all at once, then file by file to name a broken one.
const cssResult = wcsc(dist, [...wxss], { maxBuffer });
if (cssResult instanceof Error) {
  const broken = wxss.filter((f) => wcsc(dist, [f], { maxBuffer }) instanceof Error);
  fail(`wcsc: ${cssResult.message.slice(0, 1000)}${broken.length ? ` — in ${broken.map((f) => `${f}.wxss`).join(', ')}` : ''}`);
} else if (typeof cssResult.comm !== 'string') {
  fail('wcsc answered without the common style sheet');
} else {
  ok(`wcsc compiled ${wxss.length} .wxss files (${took(t)})`);
}

console.log(`\ncheck-weapp: ${failures.length ? `${failures.length} failed` : 'all checks passed'} in ${took(started)}`);
// miniprogram-ci leaves worker threads and a child process behind: exit explicitly.
process.exit(failures.length ? 1 : 0);
