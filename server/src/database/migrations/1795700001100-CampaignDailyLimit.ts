import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-member daily cap of a campaign (每人每日限领, issue 15 item 3); null = no daily cap. */
export class CampaignDailyLimit1795700001100 implements MigrationInterface {
  name = 'CampaignDailyLimit1795700001100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` ADD \`perMemberDailyLimit\` int NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`voucher_campaigns\` DROP COLUMN \`perMemberDailyLimit\``);
  }
}
