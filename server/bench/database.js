'use strict';
/**
 * The benches' own database, on the MySQL/MariaDB server at `base` (`mysql://user:password@host:port`, no database
 * part): made afresh before a run (utf8mb4, as the application's databases are) and dropped after it unless
 * BENCH_KEEP_DB is set.
 */
const mysql = require('mysql2/promise');

function adminConnection(base) {
  const u = new URL(base);
  return mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
}

/** Drops `db` if it exists and creates it empty (utf8mb4_unicode_ci); answers the server's version string. */
async function recreateDatabase(base, db) {
  const admin = await adminConnection(base);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [[{ v }]] = await admin.query('SELECT VERSION() AS v');
    return v;
  } finally {
    await admin.end();
  }
}

/** Drops `db` after a run, unless BENCH_KEEP_DB is set (to look at the data afterwards). */
async function dropDatabaseUnlessKept(base, db) {
  if (process.env.BENCH_KEEP_DB) return;
  const admin = await adminConnection(base);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
  } finally {
    await admin.end();
  }
}

module.exports = { recreateDatabase, dropDatabaseUnlessKept };
