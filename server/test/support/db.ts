import mysql from 'mysql2/promise';

/** Which database this test run uses: `TEST_DB=mysql` → the local MariaDB/MySQL, otherwise embedded SQLite. */
export function testDatabaseKind(): 'mysql' | 'sqlite' {
  return process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
}

/** Base URL of the test MySQL server (root, empty password on 127.0.0.1:3306 unless TEST_MYSQL_URL says otherwise). */
export const MYSQL_BASE = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** Drops and creates a utf8mb4 database and returns its URL. */
export async function createMysqlDatabase(name: string): Promise<string> {
  const u = new URL(MYSQL_BASE);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  return `${MYSQL_BASE}/${name}`;
}

export async function dropMysqlDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${u.pathname.slice(1)}\``);
  await conn.end();
}
