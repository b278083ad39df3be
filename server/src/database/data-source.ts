import { mkdirSync } from 'fs';
import { dirname, join } from 'path';
import mysql from 'mysql2/promise';
import { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';

/**
 * The only place where the two databases differ in set-up.
 * - SQLite (embedded default): better-sqlite3 file in WAL mode; schema kept in step with the
 *   entities by TypeORM's synchronize (single-process demo database).
 * - MySQL / MariaDB: mysql2 pool, utf8mb4, UTC; schema only from the checked-in migrations.
 */
export function dataSourceOptions(config: Pick<AppConfig, 'database'>, flavour: 'mysql' | 'mariadb' = 'mysql', entities: Function[] = ENTITIES): DataSourceOptions {
  if (config.database.type === 'sqlite') {
    mkdirSync(dirname(config.database.path), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: config.database.path,
      entities,
      synchronize: true,
      prepareDatabase: (db: any) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  return {
    type: flavour,
    url: config.database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities,
    synchronize: false,
    migrations: [join(__dirname, 'migrations', '*.{js,ts}')],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    extra: { connectionLimit: 20, connectTimeout: 5000, enableKeepAlive: true },
  };
}

/**
 * MySQL and MariaDB speak the same protocol but report column defaults differently; TypeORM
 * compares schemas correctly only when told which one it talks to. Asks the server; if it
 * cannot be reached yet, assumes MySQL (only schema comparison depends on it).
 */
export async function detectMysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  try {
    const conn = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
    const [rows] = await conn.query('SELECT VERSION() AS v');
    await conn.end();
    return /mariadb/i.test(String((rows as Array<{ v: string }>)[0]?.v)) ? 'mariadb' : 'mysql';
  } catch {
    return 'mysql';
  }
}

/** {@link dataSourceOptions} with the MySQL flavour detected. */
export async function resolveDataSourceOptions(config: Pick<AppConfig, 'database'>, entities: Function[] = ENTITIES): Promise<DataSourceOptions> {
  const flavour = config.database.type === 'mysql' ? await detectMysqlFlavour(config.database.url) : 'mysql';
  return dataSourceOptions(config, flavour, entities);
}
