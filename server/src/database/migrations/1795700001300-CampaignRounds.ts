import { MigrationInterface, QueryRunner } from 'typeorm';

/** Release rounds of a campaign (分轮发放, issue 15 item 2): schedule on the campaign, per-round stock and counter on each type. */
export class CampaignRounds1795700001300 implements MigrationInterface {
  name = 'CampaignRounds1795700001300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` ADD \`roundCount\` int NULL, ADD \`roundIntervalMinutes\` int NULL, ADD \`roundRollover\` tinyint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE \`voucher_types\` ADD \`roundQuantity\` int NULL, ADD \`roundNo\` int NOT NULL DEFAULT 0, ADD \`roundClaimed\` int NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`voucher_types\` DROP COLUMN \`roundClaimed\`, DROP COLUMN \`roundNo\`, DROP COLUMN \`roundQuantity\``);
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` DROP COLUMN \`roundRollover\`, DROP COLUMN \`roundIntervalMinutes\`, DROP COLUMN \`roundCount\``);
  }
}
