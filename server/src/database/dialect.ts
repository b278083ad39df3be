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
  /**
   * Suffix of a locking read: ` FOR UPDATE` on MySQL (locks the rows and reads their latest committed version, not the
   * transaction's snapshot); empty on SQLite, where one writer at a time holds the database.
   */
  forUpdate: string;
  /**
   * `INSERT INTO table (keys…, adds…) VALUES (?…), … ` that adds `addColumns` to the row already holding the same key
   * instead of failing (an upsert with increments: `n = n + ?`), one statement for `rows` rows; the parameters are the
   * rows' values in column order. Atomic per row on both databases, so concurrent writers never lose an increment.
   */
  upsertAdd(table: string, keyColumns: string[], addColumns: string[], rows: number): string;
}

const valuesOf = (table: string, columns: string[], rows: number) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;

const mysql: Dialect = {
  shanghaiDate: (c) => `DATE_FORMAT(DATE_ADD(${c}, INTERVAL 8 HOUR), '%Y-%m-%d')`,
  secondsBetween: (a, b) => `TIMESTAMPDIFF(SECOND, ${a}, ${b})`,
  forUpdate: ' FOR UPDATE',
  upsertAdd: (table, keys, adds, rows) =>
    `${valuesOf(table, [...keys, ...adds], rows)} ON DUPLICATE KEY UPDATE ${adds.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`,
};

const sqlite: Dialect = {
  shanghaiDate: (c) => `strftime('%Y-%m-%d', ${c}, '+8 hours')`,
  secondsBetween: (a, b) => `((julianday(${b}) - julianday(${a})) * 86400.0)`,
  forUpdate: '',
  upsertAdd: (table, keys, adds, rows) =>
    `${valuesOf(table, [...keys, ...adds], rows)} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${adds.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
};

export function dialectOf(db: DataSource): Dialect {
  return db.options.type === 'mysql' || db.options.type === 'mariadb' ? mysql : sqlite;
}

/**
 * LIKE patterns, the same on both databases. SQLite has no default escape character and MySQL's is
 * the backslash, so a pattern built without an explicit ESCAPE clause lets `%` and `_` in a user's
 * term (or in an org path) match anything on SQLite. Every LIKE of the server is written with
 * {@link sqlLike} and its pattern built with {@link likeContains} / {@link likePrefix}: `!` is the
 * escape character on both (a plain character in SQL string literals of both dialects, unlike `\`).
 */
export const LIKE_ESCAPE = '!';

/** `text` with `%`, `_` and the escape character escaped, to be matched literally inside a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
}

/** Pattern matching values that contain `text` literally. */
export const likeContains = (text: string): string => `%${escapeLike(text)}%`;

/** Pattern matching values that start with `text` literally (an org path prefix: the subtree). */
export const likePrefix = (text: string): string => `${escapeLike(text)}%`;

/** SQL `column LIKE param ESCAPE '!'`; `param` is a placeholder (`:name` or `?`) bound to a pattern built above. */
export function sqlLike(column: string, param: string): string {
  return `${column} LIKE ${param} ESCAPE '${LIKE_ESCAPE}'`;
}
