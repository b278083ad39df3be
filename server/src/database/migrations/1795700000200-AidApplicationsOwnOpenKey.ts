import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data only (no schema change), issue 11 item 5: an aid application no longer blocks, links to or is routed by
 * someone else's ID number.
 * - `openKey` of open applications becomes SHA-256 of `aid-open:<userId>:<idNumberHash>` (one open application
 *   per account and ID number), as `applicationOpenKey()` computes it.
 * - Undecided applications that were linked to a household file automatically at submission lose the link: a
 *   file is written only after staff explicitly choose to merge (they re-decide; the file is shown as a match).
 */
export class AidApplicationsOwnOpenKey1795700000200 implements MigrationInterface {
  name = 'AidApplicationsOwnOpenKey1795700000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "UPDATE `aid_applications` SET `openKey` = SHA2(CONCAT('aid-open:', `userId`, ':', `idNumberHash`), 256) WHERE `openKey` IS NOT NULL",
    );
    await queryRunner.query(
      "UPDATE `aid_applications` SET `householdId` = NULL, `linkedToHousehold` = 0 WHERE `status` IN ('submitted', 'accepted', 'info_requested', 'visiting', 'proposed')",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the per-account key cannot be turned back into one key per ID number when two accounts hold open applications
    await queryRunner.query("UPDATE `aid_applications` SET `openKey` = `idNumberHash` WHERE `openKey` IS NOT NULL AND `id` IN (SELECT `id` FROM (SELECT MIN(`id`) AS `id` FROM `aid_applications` WHERE `openKey` IS NOT NULL GROUP BY `idNumberHash`) AS `firsts`)");
  }
}
