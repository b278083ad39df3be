import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CampaignAllocation, CampaignStatus, MerchantScopeKind, ValidityKind } from '@union/shared';

/** bigint columns come back from mysql2 as strings: read them as numbers (fen totals stay below 2^53). */
export const bigintAsNumber = { to: (v: number | null) => v, from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)) };

/** A voucher campaign (活动): one issuance with its budget, rules and claim window, for an org's subtree. */
@Entity('voucher_campaigns')
export class Campaign {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'bigint', transformer: bigintAsNumber }) budgetFen: number;
  @Index() @Column({ type: 'varchar', length: 16 }) status: CampaignStatus;
  @Column({ type: 'int' }) perMemberLimit: number;
  /** Vouchers of the campaign one member may claim per Asia/Shanghai calendar day; null = no daily cap (issue 15). */
  @Column({ type: 'int', nullable: true }) perMemberDailyLimit: number | null;
  /** Release rounds (分轮发放, issue 15): 2–31, null = one round; round k opens at claimStartAt + k × roundIntervalMinutes. */
  @Column({ type: 'int', nullable: true }) roundCount: number | null;
  @Column({ type: 'int', nullable: true }) roundIntervalMinutes: number | null;
  /** Whether what a round leaves unclaimed rolls over to the next rounds (true) or lapses (false). */
  @Column({ type: 'boolean', default: true }) roundRollover: boolean;
  /** Comma-separated occupations allowed to claim; empty = all. */
  @Column({ type: 'varchar', length: 200, default: '' }) occupations: string;
  @Column({ type: 'datetime' }) claimStartAt: Date;
  @Column({ type: 'datetime' }) claimEndAt: Date;
  @Column({ type: 'varchar', length: 16 }) validityKind: ValidityKind;
  @Column({ type: 'datetime', nullable: true }) validFrom: Date | null;
  @Column({ type: 'datetime', nullable: true }) validUntil: Date | null;
  @Column({ type: 'int', nullable: true }) validDays: number | null;
  @Column({ type: 'varchar', length: 16 }) merchantScope: MerchantScopeKind;
  /** Comma-separated merchant categories when `merchantScope` is `categories`. */
  @Column({ type: 'varchar', length: 200, default: '' }) categories: string;
  @Column({ type: 'int' }) createdById: number;
  @Column({ type: 'datetime' }) createdAt: Date;
  @Column({ type: 'datetime', nullable: true }) publishedAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) closedAt: Date | null;
  /** Set while staff have paused claiming (暂停领取): claims answer 409 CAMPAIGN_PAUSED; null = running. */
  @Column({ type: 'datetime', nullable: true }) pausedAt: Date | null;
  /** While true (only together with a pause), redemptions of vouchers already held are refused too (409 REDEMPTION_FROZEN). */
  @Column({ type: 'boolean', default: false }) redemptionFrozen: boolean;
  /** first_come (claims) or lottery (registration and draw, `voucher_lotteries`; claims answer 409 LOTTERY_CAMPAIGN). */
  @Column({ type: 'varchar', length: 16, default: 'first_come' }) allocation: CampaignAllocation;
}

/** The merchants chosen for a campaign whose `merchantScope` is `merchants`. */
@Entity('voucher_campaign_merchants')
@Index(['campaignId', 'merchantId'], { unique: true })
export class CampaignMerchant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) campaignId: number;
  @Index() @Column({ type: 'int' }) merchantId: number;
}

/**
 * One kind of voucher in a campaign (面额, 满减门槛, 库存). `claimed` only moves through the
 * conditional `UPDATE … SET claimed = claimed + 1 WHERE claimed < quantity …`, so it never passes `quantity`.
 * With release rounds the same statement also keeps `roundNo` (the latest round anyone claimed in, 0-based) and
 * `roundClaimed` (claims in that round) and refuses past the round's release (VouchersRepository.takeStock).
 */
@Entity('voucher_types')
export class VoucherType {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) campaignId: number;
  @Column({ type: 'varchar', length: 50 }) name: string;
  @Column({ type: 'int' }) faceValueFen: number;
  @Column({ type: 'int' }) minSpendFen: number;
  @Column({ type: 'int' }) quantity: number;
  @Column({ type: 'int', default: 0 }) claimed: number;
  @Column({ type: 'int' }) perMemberLimit: number;
  /** With release rounds: the stock each round releases (quantity = roundQuantity × roundCount); null without rounds. */
  @Column({ type: 'int', nullable: true }) roundQuantity: number | null;
  @Column({ type: 'int', default: 0 }) roundNo: number;
  @Column({ type: 'int', default: 0 }) roundClaimed: number;
}
