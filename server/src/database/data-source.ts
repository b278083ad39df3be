import { mkdirSync } from 'fs';
import { dirname, join } from 'path';
import { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';

/**
 * The only place where the two databases differ in set-up.
 * - SQLite (embedded default): better-sqlite3 file in WAL mode; schema kept in step with the
 *   entities by TypeORM's synchronize (single-process demo database).
 * - MySQL / MariaDB: mysql2 pool, utf8mb4, UTC; schema only from the checked-in migrations.
 */
export function dataSourceOptions(config: Pick<AppConfig, 'database'>): DataSourceOptions {
  if (config.database.type === 'sqlite') {
    mkdirSync(dirname(config.database.path), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: config.database.path,
      entities: ENTITIES,
      synchronize: true,
      prepareDatabase: (db: any) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  return {
    type: 'mysql',
    url: config.database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities: ENTITIES,
    synchronize: false,
    migrations: [join(__dirname, 'migrations', '*.{js,ts}')],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    extra: { connectionLimit: 20, connectTimeout: 5000, enableKeepAlive: true },
  };
}
