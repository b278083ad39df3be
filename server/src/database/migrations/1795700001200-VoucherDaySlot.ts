import { MigrationInterface, QueryRunner } from 'typeorm';

/** The daily-cap slot of a voucher (issue 15 item 3): claimDay (Asia/Shanghai) and daySlot, unique per campaign and member. */
export class VoucherDaySlot1795700001200 implements MigrationInterface {
  name = 'VoucherDaySlot1795700001200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`vouchers\` ADD \`claimDay\` varchar(10) NULL, ADD \`daySlot\` int NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`UQ_vouchers_day_slot\` ON \`vouchers\` (\`campaignId\`, \`memberId\`, \`claimDay\`, \`daySlot\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`UQ_vouchers_day_slot\` ON \`vouchers\``);
    await queryRunner.query(`ALTER TABLE \`vouchers\` DROP COLUMN \`daySlot\`, DROP COLUMN \`claimDay\``);
  }
}
