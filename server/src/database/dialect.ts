import { DataSource } from 'typeorm';

/**
 * SQL fragments that must differ between MySQL/MariaDB and SQLite. Services never write
 * dialect SQL; repositories take these fragments from here.
 */
export interface Dialect {
  /** Expression giving the Asia/Shanghai calendar date (YYYY-MM-DD) of a UTC datetime column. */
  shanghaiDate(column: string): string;
  /** Expression giving seconds between two datetime columns (`to - from`). */
  secondsBetween(from: string, to: string): string;
}

const mysql: Dialect = {
  shanghaiDate: (c) => `DATE_FORMAT(DATE_ADD(${c}, INTERVAL 8 HOUR), '%Y-%m-%d')`,
  secondsBetween: (a, b) => `TIMESTAMPDIFF(SECOND, ${a}, ${b})`,
};

const sqlite: Dialect = {
  shanghaiDate: (c) => `strftime('%Y-%m-%d', ${c}, '+8 hours')`,
  secondsBetween: (a, b) => `((julianday(${b}) - julianday(${a})) * 86400.0)`,
};

export function dialectOf(db: DataSource): Dialect {
  return db.options.type === 'mysql' || db.options.type === 'mariadb' ? mysql : sqlite;
}
