import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: every table and the database default in utf8mb4 (utf8mb4_unicode_ci), whatever character
 * set the operator created the database with. The earlier migrations create tables with the database's
 * default; under latin1 or utf8mb3 a name with a character outside the Basic Multilingual Plane
 * (CJK Extension B `𠀀` U+20000 and later, which real Chinese names use) cannot be stored.
 * A no-op on a database created as the README says (utf8mb4).
 */
export class Utf8mb4Everywhere1795700000400 implements MigrationInterface {
  name = 'Utf8mb4Everywhere1795700000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [db] = await queryRunner.query(`SELECT DEFAULT_CHARACTER_SET_NAME AS charset FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()`);
    if (db && db.charset !== 'utf8mb4') await queryRunner.query(`ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const tables: Array<{ name: string }> = await queryRunner.query(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_COLLATION NOT LIKE 'utf8mb4%'`,
    );
    for (const t of tables) await queryRunner.query(`ALTER TABLE \`${t.name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }

  public async down(): Promise<void> {
    // converting back to a narrower character set would destroy the characters this migration makes storable
  }
}
