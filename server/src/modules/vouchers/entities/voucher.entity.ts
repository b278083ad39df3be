import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RedemptionStatus, VoucherStatus } from '@union/shared';

/**
 * An issued voucher. The per-member limits hold by two unique indexes: a member's n-th voucher of
 * a type takes `typeSlot` n and its m-th of the campaign `campaignSlot` m, both at most the limit,
 * so no interleaving of claims can give anyone more. A campaign with a daily cap adds a third: the member's k-th
 * voucher of the campaign on `claimDay` (Asia/Shanghai date) takes `daySlot` k; both are null without a daily
 * cap, and nulls never collide in a unique index.
 */
@Entity('vouchers')
@Index('UQ_vouchers_type_slot', ['voucherTypeId', 'memberId', 'typeSlot'], { unique: true })
@Index('UQ_vouchers_campaign_slot', ['campaignId', 'memberId', 'campaignSlot'], { unique: true })
@Index('UQ_vouchers_day_slot', ['campaignId', 'memberId', 'claimDay', 'daySlot'], { unique: true })
@Index(['status', 'validUntil'])
export class Voucher {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) campaignId: number;
  @Column({ type: 'int' }) voucherTypeId: number;
  @Index() @Column({ type: 'int' }) memberId: number;
  @Index() @Column({ type: 'int' }) userId: number;
  /** The member's org when claiming (for statistics by org). */
  @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'int' }) typeSlot: number;
  @Column({ type: 'int' }) campaignSlot: number;
  /** `YYYY-MM-DD` in Asia/Shanghai when the campaign has a daily cap, else null. */
  @Column({ type: 'varchar', length: 10, nullable: true }) claimDay: string | null;
  @Column({ type: 'int', nullable: true }) daySlot: number | null;
  @Column({ type: 'int' }) faceValueFen: number;
  @Column({ type: 'int' }) minSpendFen: number;
  @Column({ type: 'varchar', length: 16 }) status: VoucherStatus;
  @Column({ type: 'datetime' }) claimedAt: Date;
  @Column({ type: 'datetime' }) validFrom: Date;
  @Column({ type: 'datetime' }) validUntil: Date;
  @Column({ type: 'datetime', nullable: true }) redeemedAt: Date | null;
}

/**
 * A redemption (核销) and, when reversed (撤销核销), its reversal; history keeps both.
 * `activeKey` = voucherId while active, null once reversed: one active redemption per voucher.
 */
@Entity('voucher_redemptions')
@Index(['merchantId', 'serviceDate'])
export class Redemption {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) voucherId: number;
  @Index({ unique: true }) @Column({ type: 'int', nullable: true }) activeKey: number | null;
  @Index() @Column({ type: 'int' }) campaignId: number;
  @Column({ type: 'int' }) merchantId: number;
  @Column({ type: 'int' }) clerkUserId: number;
  @Column({ type: 'int' }) orderAmountFen: number;
  @Column({ type: 'int' }) faceValueFen: number;
  @Column({ type: 'varchar', length: 16 }) status: RedemptionStatus;
  @Column({ type: 'datetime' }) redeemedAt: Date;
  /** Asia/Shanghai calendar day of `redeemedAt` (YYYY-MM-DD): the settlement day. */
  @Column({ type: 'varchar', length: 10 }) serviceDate: string;
  @Column({ type: 'datetime', nullable: true }) reversedAt: Date | null;
  @Column({ type: 'int', nullable: true }) reversedById: number | null;
}
