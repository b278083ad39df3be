import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AidType, HardshipLevel, PayoutBatchKind, PayoutBatchStatus, PayoutStatus } from '@union/shared';

/** A payout batch (发放批次): monthly over a subtree's active households, or one-off for one household. */
@Entity('aid_payout_batches')
@Index(['orgId', 'period'])
export class PayoutBatch {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 16 }) kind: PayoutBatchKind;
  /** The org whose subtree the batch covers (one-off: the household's org). */
  @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 7 }) period: string;
  @Column({ type: 'varchar', length: 16 }) aidType: AidType;
  @Column({ type: 'int', nullable: true }) amountSevereFen: number | null;
  @Column({ type: 'int', nullable: true }) amountRelativeFen: number | null;
  @Column({ type: 'int', nullable: true }) amountSuddenFen: number | null;
  @Column({ type: 'varchar', length: 16 }) status: PayoutBatchStatus;
  @Column({ type: 'varchar', length: 200, nullable: true }) note: string | null;
  @Column({ type: 'int' }) createdById: number;
  @Column({ type: 'datetime' }) createdAt: Date;
  @Column({ type: 'int', nullable: true }) approvedById: number | null;
  @Column({ type: 'datetime', nullable: true }) approvedAt: Date | null;
  /** Bumped in the same transaction as every change of the batch or of one of its payouts. */
  @Column({ type: 'int', default: 1 }) version: number;
  /** Who last changed the batch or one of its payouts, and when (null: nobody since creation). */
  @Column({ type: 'int', nullable: true }) lastEditedById: number | null;
  @Column({ type: 'datetime', nullable: true }) lastEditedAt: Date | null;
  /** The version approved, and the SHA-256 (hex) of its payouts (common/four-eyes.ts contentHash). */
  @Column({ type: 'int', nullable: true }) approvedVersion: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) approvedHash: string | null;
}

/**
 * One payout to one household for one aid type and period. The unique index on
 * (householdId, aidType, period) is what makes a second batch for the same period unable to pay twice.
 * `orgId` is the household's org at creation (it never changes): monitoring's payout tallies are kept per this org.
 */
@Entity('aid_payouts')
@Index(['householdId', 'aidType', 'period'], { unique: true })
@Index(['batchId', 'status'])
// The public scan's 12 months of statuses: a range of this index alone (no row reads).
@Index(['householdId', 'period', 'status'])
export class Payout {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) batchId: number;
  @Column({ type: 'int' }) householdId: number;
  @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 16 }) aidType: AidType;
  @Column({ type: 'varchar', length: 7 }) period: string;
  @Column({ type: 'varchar', length: 16 }) level: HardshipLevel;
  @Column({ type: 'int' }) amountFen: number;
  @Column({ type: 'varchar', length: 16 }) status: PayoutStatus;
  @Column({ type: 'varchar', length: 64, nullable: true }) bankRef: string | null;
  /** Bank value date `YYYY-MM-DD`. */
  @Column({ type: 'varchar', length: 10, nullable: true }) bankDate: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) failReason: string | null;
  /** Who last changed the amount (or moved the payout into its batch); null: the batch's creator made it. */
  @Column({ type: 'int', nullable: true }) lastEditedById: number | null;
  @Column({ type: 'datetime' }) createdAt: Date;
  @Column({ type: 'datetime' }) updatedAt: Date;
}

/**
 * Each line of a bank result file ever applied. `bankRef` is unique: importing the same file again
 * inserts nothing and changes nothing.
 */
@Entity('aid_bank_records')
export class BankRecord {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) bankRef: string;
  @Index() @Column({ type: 'int' }) payoutId: number;
  @Column({ type: 'int' }) batchId: number;
  @Column({ type: 'varchar', length: 16 }) result: 'success' | 'failed';
  @Column({ type: 'int' }) amountFen: number;
  @Column({ type: 'varchar', length: 10 }) bankDate: string;
  @Column({ type: 'int' }) importedById: number;
  @Column({ type: 'datetime' }) importedAt: Date;
}
