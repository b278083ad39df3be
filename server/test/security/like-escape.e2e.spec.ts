import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { escapeLike, likeContains, likePrefix, sqlLike } from '../../src/database/dialect';
import { startApp, TestApp } from '../support/app';
import { auth, createStation } from '../support/stations';

/**
 * Issue 11 item 7: `%`, `_` and the escape character in a search term are matched literally on both
 * databases (SQLite has no default LIKE escape character).
 */
describe('security: LIKE search terms are literal', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('like-staff', 'union_staff', 'HB-HS');
    await createStation(t, staff, { name: '百分百%驿站' });
    await createStation(t, staff, { name: 'A_B驿站' });
    await createStation(t, staff, { name: '反斜杠\\驿站' });
    await createStation(t, staff, { name: '感叹号!驿站' });
    await createStation(t, staff, { name: '普通驿站' });
  });
  afterAll(() => t.close());

  const names = async (q: string) => {
    const res = await t.http().get('/api/stations').query({ q, pageSize: 100 }).set(auth(staff));
    expect(res.status).toBe(200);
    return res.body.items.map((s: any) => s.name).sort();
  };

  it('station search matches % and _ literally', async () => {
    expect(await names('%')).toEqual(['百分百%驿站']);
    expect(await names('_')).toEqual(['A_B驿站']);
    expect(await names('A_B')).toEqual(['A_B驿站']);
    expect(await names('%驿')).toEqual(['百分百%驿站']);
    expect(await names('\\')).toEqual(['反斜杠\\驿站']);
    expect(await names('!')).toEqual(['感叹号!驿站']);
    expect(await names('驿站')).toHaveLength(5);
  });

  it('the union search of aid applications matches % and _ literally', async () => {
    const worker = await t.login('like-worker');
    const all = await t.http().get('/api/aid/application-orgs').query({ q: '工会' }).set(auth(worker));
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThan(0);
    for (const q of ['%', '_', '%%']) {
      const res = await t.http().get('/api/aid/application-orgs').query({ q }).set(auth(worker));
      expect([q, res.status, res.body.total]).toEqual([q, 200, 0]);
    }
  });

  it('builds patterns with one escape character, and no query writes LIKE without it', () => {
    expect(escapeLike('a%b_c!d\\e')).toBe('a!%b!_c!!d\\e');
    expect(likeContains('50%')).toBe('%50!%%');
    expect(likePrefix('/HB/HB-HS/')).toBe('/HB/HB-HS/%');
    expect(sqlLike('o.path', ':p')).toBe("o.path LIKE :p ESCAPE '!'");
    const src = join(__dirname, '../../src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) { if (name !== 'migrations') walk(p); continue; }
        if (!name.endsWith('.ts') || p.endsWith(join('database', 'dialect.ts'))) continue;
        readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
          const code = line.trim();
          if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
          if (/\bLIKE\b|\bI?Like\(/.test(code)) offenders.push(`${relative(src, p)}:${i + 1}`);
        });
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
