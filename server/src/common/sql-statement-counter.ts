import { writeFileSync } from 'fs';
import type { DataSource } from 'typeorm';

/**
 * SQL statements one process has sent: data statements sent for requests, transaction control (START TRANSACTION,
 * BEGIN, COMMIT, ROLLBACK, SAVEPOINT), and background polls that run on a timer whatever the traffic (the
 * token-claims watch: one SELECT twice a second per process), counted apart so that they are not charged to requests.
 */
export interface SqlStatementCounts {
  statements: number;
  transactionControl: number;
  background: number;
}

/** The token-claims watch's poll (modules/auth/token-claims.watch.ts). */
const BACKGROUND = /^\s*SELECT\b[\s\S]*claimsChangedAt/i;

const TX_CONTROL = /^\s*(START\s+TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT)\b/i;

/**
 * Counts every statement the data source sends (through TypeORM's logger hook, which every query
 * runner calls once per statement, logging on or off). Used by benches and tests to count the SQL of a
 * hot path for real; nothing in the application reads it.
 */
export function countSqlStatements(db: DataSource): SqlStatementCounts {
  const counts: SqlStatementCounts = { statements: 0, transactionControl: 0, background: 0 };
  const logger = db.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    if (TX_CONTROL.test(query)) counts.transactionControl++;
    else if (BACKGROUND.test(query)) counts.background++;
    else counts.statements++;
    return original(query, parameters, runner);
  };
  return counts;
}

/**
 * Bench mode only (env SQL_COUNT_FILE set): counts the process's statements and writes them, with the
 * process's CPU time, as JSON to that file on SIGUSR2, so a bench can read them before and after a storm.
 */
export function exposeSqlCountsOnSignal(db: DataSource, file: string | undefined): void {
  if (!file) return;
  const counts = countSqlStatements(db);
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ ...counts, cpuMicros: cpu.user + cpu.system, at: Date.now() }));
  });
}
