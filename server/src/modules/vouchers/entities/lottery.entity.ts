import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The lottery (摇号) of a campaign whose `allocation` is `lottery`: its published rules, the commitment to its seed
 * and, once drawn, the draw record. `seedEnc` is the seed encrypted with the data key (PersonalDataCipher), shown to
 * nobody before the draw; `commitment` = SHA-256 hex of the seed text. `drawnAt` is set once, by a conditional
 * update in the draw's transaction: a second draw changes nothing.
 */
@Entity('voucher_lotteries')
export class Lottery {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true }) @Column({ type: 'int' }) campaignId: number;
  @Column({ type: 'datetime' }) registrationEndAt: Date;
  @Column({ type: 'datetime' }) drawAt: Date;
  @Column({ type: 'varchar', length: 32 }) algorithm: string;
  @Column({ type: 'int', default: 1 }) hardshipWeight: number;
  @Column({ type: 'int', nullable: true }) previousCampaignId: number | null;
  @Column({ type: 'int', default: 1 }) previousLoserWeight: number;
  @Column({ type: 'varchar', length: 255, nullable: true }) seedEnc: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) commitment: string | null;
  @Column({ type: 'datetime', nullable: true }) committedAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) drawnAt: Date | null;
  @Column({ type: 'int', nullable: true }) drawnById: number | null;
  @Column({ type: 'int', nullable: true }) winners: number | null;
  /** The stock the draw allocated, as JSON `[{voucherTypeId, quantity}]` (part of the proof). */
  @Column({ type: 'text', nullable: true }) stockJson: string | null;
}

/**
 * A member's registration for a lottery. Unique (`campaignId`, `memberId`): one per member, whatever the interleaving;
 * unique (`campaignId`, `pseudonymousId`): the published list names each registration once. `weight` is fixed at
 * registration from the published rules. After the draw `outcome` is `won` (with `drawRank`, 1 = drawn first, and the
 * `voucherTypeId` won) or `lost`.
 */
@Entity('voucher_lottery_registrations')
@Index('UQ_lottery_registration_member', ['campaignId', 'memberId'], { unique: true })
@Index('UQ_lottery_registration_pseudonym', ['campaignId', 'pseudonymousId'], { unique: true })
export class LotteryRegistration {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) campaignId: number;
  @Index() @Column({ type: 'int' }) memberId: number;
  @Column({ type: 'int' }) userId: number;
  @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 16 }) pseudonymousId: string;
  @Column({ type: 'int' }) weight: number;
  @Column({ type: 'datetime' }) registeredAt: Date;
  /** `registered`, then `won` or `lost` after the draw. */
  @Column({ type: 'varchar', length: 16, default: 'registered' }) outcome: string;
  @Column({ type: 'int', nullable: true }) drawRank: number | null;
  @Column({ type: 'int', nullable: true }) voucherTypeId: number | null;
}
