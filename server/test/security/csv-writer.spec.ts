import { parse } from 'csv-parse/sync';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { fenColumn, neutraliseCell, restoreCell, writeCsv } from '../../src/common/csv';

/** The one CSV writer (issue 11 item 2): formula cells neutralised, numbers left numbers. */
describe('CSV writer', () => {
  const read = (csv: string) => parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];

  it('prefixes a quote to text starting with = + - @ tab CR (and NUL), and to nothing else', () => {
    for (const s of ['=1+2', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '\0x', "=cmd|' /C calc'!A0", '-12.50', '+8613800000000']) {
      expect(neutraliseCell(s)).toBe(`'${s}`);
    }
    for (const s of ['', 'abc', '张三', ' =1', "'=1", '1=1', '12.50', 'a-b', '＝1']) expect(neutraliseCell(s)).toBe(s);
  });

  it('writes a BOM, the header and rows; numbers bare, text neutralised, amounts from fen', () => {
    const csv = writeCsv(['名称', '数量', fenColumn('金额(元)'), '备注'], [
      ['=HYPERLINK("http://x")', 3, -1250, '-12.50'],
      ['普通', -5, 0, null],
      ['@a', 2.5, 123456, undefined],
      ['合计', 0, null, ''],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.replace(/^\uFEFF/, '').split('\n');
    expect(lines[0]).toBe('名称,数量,金额(元),备注');
    // a negative amount and a negative count are plain numbers; the same text typed by a user is neutralised
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"")",3,-12.50,'-12.50`);
    expect(lines[2]).toBe('普通,-5,0.00,');
    expect(lines[3]).toBe("'@a,2.5,1234.56,");
    expect(lines[4]).toBe('合计,0,,');
    expect(read(csv)[1]).toEqual([`'=HYPERLINK("http://x")`, '3', '-12.50', "'-12.50"]);
  });

  it('quotes text holding a semicolon, so a ;-separated spreadsheet cannot split a formula out of it', () => {
    const csv = writeCsv(['a'], [['x;=1+2']]);
    expect(csv.replace(/^\uFEFF/, '').split('\n')[1]).toBe('"x;=1+2"');
  });

  it('refuses an amount that is not integer fen, and a row of the wrong width', () => {
    expect(() => writeCsv([fenColumn('金额')], [['12.50']])).toThrow(TypeError);
    expect(() => writeCsv([fenColumn('金额')], [[12.5]])).toThrow(TypeError);
    expect(() => writeCsv(['a', 'b'], [['x']])).toThrow(TypeError);
  });

  it('restores a neutralised cell read back from an export, and only such a cell', () => {
    for (const s of ['=1+2', '+86 714', '-x', '@y', 'plain', "'quoted", '']) expect(restoreCell(neutraliseCell(s))).toBe(s);
    expect(restoreCell("'abc")).toBe("'abc");
  });

  it('is the only CSV writer: no other server file imports csv-stringify', () => {
    const root = join(__dirname, '../..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name === 'dist') continue;
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|js|mjs|cjs)$/.test(name) && /csv-stringify/.test(readFileSync(p, 'utf8'))) offenders.push(relative(root, p));
      }
    };
    for (const dir of ['src', 'scripts', 'bench', 'test']) walk(join(root, dir));
    expect(offenders.filter((f) => f !== join('src', 'common', 'csv.ts') && f !== join('test', 'security', 'csv-writer.spec.ts'))).toEqual([]);
  });
});
