import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

/** scripts/build-if-changed.sh (used by `pnpm start` and the benches): a build runs only when its inputs changed. */
describe('build-if-changed', () => {
  const script = resolve(__dirname, '..', '..', 'scripts', 'build-if-changed.sh');
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bic-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const build = (extra = '') => execFileSync('bash', [script, join(dir, 'out', '.stamp'), `echo built >> ${join(dir, 'runs')}`, '--', join(dir, 'src')], { env: { ...process.env, BUILD_FINGERPRINT_EXTRA: extra } });
  const runs = () => readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n').length;

  it('builds once, skips an unchanged input, rebuilds after an edit, a new file, a changed variable or a lost stamp', () => {
    execFileSync('mkdir', ['-p', join(dir, 'src')]);
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    build();
    build();
    expect(runs()).toBe(1);
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 2;\n');
    build();
    expect(runs()).toBe(2);
    writeFileSync(join(dir, 'src', 'b.ts'), 'export const b = 1;\n');
    build();
    build();
    expect(runs()).toBe(3);
    build('TARO_APP_API_BASE=https://x');
    expect(runs()).toBe(4);
    rmSync(join(dir, 'out'), { recursive: true });
    build('TARO_APP_API_BASE=https://x');
    expect(runs()).toBe(5);
  });

  it('does not record a stamp when the build fails, so the next start builds again', () => {
    execFileSync('mkdir', ['-p', join(dir, 'src')]);
    writeFileSync(join(dir, 'src', 'a.ts'), 'x');
    expect(() => execFileSync('bash', [script, join(dir, 'out', '.stamp'), 'exit 3', '--', join(dir, 'src')], { stdio: 'ignore' })).toThrow();
    build();
    expect(runs()).toBe(1);
  });
});
