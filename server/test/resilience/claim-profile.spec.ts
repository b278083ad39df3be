import { startApp, TestApp } from '../support/app';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { call, idemKey } from '../support/resilience';
import { createMembers } from '../support/vouchers-factory';
import { voucherFixtures } from '../support/vouchers-fixtures';

/**
 * Profile of one claim on MariaDB: every SQL statement the API sends for a single successful claim (and for a
 * replay with the same Idempotency-Key), counted through TypeORM's logger. Prints the list, so a change in the
 * hot path shows up; asserts only an upper bound that keeps the claim path lean.
 */
describe('claim hot path', () => {
  let t: TestApp & { databaseUrl: string };
  beforeAll(async () => {
    t = await startApp({}, { databaseUrl: await createMysqlDatabase(`union_profile_${process.pid}`), keyFile: `/tmp/union_profile_${process.pid}-keys.json` });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await dropMysqlDatabase(t.databaseUrl);
  });

  it('counts the SQL statements of one claim', async () => {
    const staff = await t.login('prof-staff', 'union_staff', 'HB-HS');
    const c = await voucherFixtures(t, staff).campaign();
    const [m] = await createMembers(t, 1, { orgCode: 'HB-HS-HSG-WM', prefix: `prof-${process.pid}` });
    const seen: string[] = [];
    const logger = t.db.logger as any;
    const original = logger.logQuery;
    logger.logQuery = (q: string) => { seen.push(q.replace(/\s+/g, ' ').slice(0, 140)); };
    try {
      const key = idemKey();
      const first = await call(t.url, 'POST', `/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: c.types[0].id }, key);
      const claimSql = seen.splice(0);
      const replay = await call(t.url, 'POST', `/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: c.types[0].id }, key);
      const replaySql = seen.splice(0);
      process.stdout.write(`claim hot path: ${claimSql.length} SQL statements for one claim (HTTP ${first.status}), ${replaySql.length} for its replay (HTTP ${replay.status})\n${claimSql.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
      expect(first.status).toBe(201);
      expect(replay.body.id).toBe(first.body.id);
      expect(claimSql.length).toBeLessThanOrEqual(16);
    } finally {
      logger.logQuery = original;
    }
  });
});
