import { existsSync, readFileSync } from 'fs';
import { idNumberCheckChar } from '@union/shared';

/**
 * Scans the log files a whole test run wrote (TEST_LOG_FILE of the earlier runs, listed in LOG_SCAN_FILES)
 * for personal data: an 18-character ID number with a valid GB 11643 check character, or a mainland
 * mobile number. scripts/test.sh runs this after the server suites.
 */
const files = (process.env.LOG_SCAN_FILES ?? '').split(',').filter(Boolean);
const run = files.length ? describe : describe.skip;

export function findPersonalData(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])/g)) {
    if (idNumberCheckChar(m[1].slice(0, 17)) === m[1][17].toUpperCase()) found.push(`ID ${m[1]}`);
  }
  for (const m of text.matchAll(/(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])/g)) found.push(`mobile ${m[1]}`);
  return found;
}

describe('findPersonalData', () => {
  it('finds valid ID numbers and mobiles, not random digits or masked forms', () => {
    expect(findPersonalData('{"x":"11010519491231002X"}')).toEqual(['ID 11010519491231002X']);
    expect(findPersonalData('tel 13812345678.')).toEqual(['mobile 13812345678']);
    expect(findPersonalData('110105********002X 138****5678 110105194912310021 1795679601631')).toEqual([]);
  });
});

run('log output of the whole test run', () => {
  it.each(files)('%s holds no plaintext ID or mobile number', (file) => {
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter(Boolean).length;
    process.stdout.write(`scanned ${lines} log lines in ${file}\n`);
    expect(lines).toBeGreaterThan(100);
    expect(findPersonalData(text)).toEqual([]);
  });
});
