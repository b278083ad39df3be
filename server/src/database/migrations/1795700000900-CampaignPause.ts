import { MigrationInterface, QueryRunner } from 'typeorm';

/** Campaign pause and redemption freeze (issue 15). */
export class CampaignPause1795700000900 implements MigrationInterface {
  name = 'CampaignPause1795700000900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` ADD \`pausedAt\` datetime NULL`);
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` ADD \`redemptionFrozen\` tinyint NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` DROP COLUMN \`redemptionFrozen\``);
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` DROP COLUMN \`pausedAt\``);
  }
}
