import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EmploymentStatus, HardshipLevel, HouseholdStatus } from '@union/shared';

/**
 * A needy worker household's file (困难职工档案). ID and mobile numbers are encrypted with a keyed
 * look-up hash and a masked copy. `activeKey` equals `idNumberHash` while the household is not
 * exited and is null after exit: its unique index makes "one open file per ID number" hold under
 * concurrency (like membership's `pendingKey`).
 */
@Entity('aid_households')
// (orgId, status) for the staff lists; with lastReviewedAt, monitoring's overdue count is a range per org (AidRepository.overdueCount).
@Index(['orgId', 'status', 'lastReviewedAt'])
@Index(['status', 'lastReviewedAt'])
export class Household {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 16 }) status: HouseholdStatus;
  @Index() @Column({ type: 'int' }) orgId: number;
  @Index() @Column({ type: 'varchar', length: 64 }) headName: string;
  @Column({ type: 'varchar', length: 255 }) idNumberEnc: string;
  @Index() @Column({ type: 'varchar', length: 64 }) idNumberHash: string;
  @Column({ type: 'varchar', length: 32 }) idNumberMasked: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64, nullable: true }) activeKey: string | null;
  @Column({ type: 'varchar', length: 255 }) mobileEnc: string;
  @Index() @Column({ type: 'varchar', length: 64 }) mobileHash: string;
  @Column({ type: 'varchar', length: 16 }) mobileMasked: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) memberNo: string | null;
  @Column({ type: 'varchar', length: 32 }) province: string;
  @Column({ type: 'varchar', length: 32 }) city: string;
  @Column({ type: 'varchar', length: 32 }) district: string;
  @Column({ type: 'varchar', length: 64 }) street: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) addressDetail: string | null;
  @Column({ type: 'int' }) householdSize: number;
  @Column({ type: 'int' }) monthlyIncomeFen: number;
  /** monthlyIncomeFen / householdSize rounded down; stored so monitoring can band it in SQL. */
  @Column({ type: 'int' }) perCapitaIncomeFen: number;
  @Column({ type: 'varchar', length: 16 }) level: HardshipLevel;
  /** Causes as `|illness|disability|`: one column, countable per cause with LIKE on both databases. */
  @Column({ type: 'varchar', length: 120 }) causes: string;
  @Column({ type: 'varchar', length: 16 }) employmentStatus: EmploymentStatus;
  /** Need tags as `|training|job|` (may be empty `|`). */
  @Column({ type: 'varchar', length: 80 }) needs: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) needsNote: string | null;
  @Column({ type: 'int' }) registeredById: number;
  @Column({ type: 'datetime' }) registeredAt: Date;
  /** Asia/Shanghai month of registration, for monthly statistics without dialect SQL. */
  @Column({ type: 'varchar', length: 7 }) registeredPeriod: string;
  @Column({ type: 'int', nullable: true }) reviewedById: number | null;
  @Column({ type: 'datetime', nullable: true }) activatedAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) lastReviewedAt: Date | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) exitReason: string | null;
  /** Calendar date `YYYY-MM-DD`. */
  @Column({ type: 'varchar', length: 10, nullable: true }) exitDate: string | null;
  @Column({ type: 'int', nullable: true }) exitedById: number | null;
  /** Staff who last changed the file's registration fields (may not activate it: four-eyes). */
  @Column({ type: 'int', nullable: true }) lastEditedById: number | null;
  @Column({ type: 'datetime' }) updatedAt: Date;
}

/**
 * Every household code ever issued. `body` is the random part of the signed code; `activeKey`
 * equals the household id while the code is current (unique: one current code per household),
 * null once revoked, so a reissue stops the old code at once and the old code answers "revoked".
 */
@Entity('aid_household_codes')
@Index(['householdId', 'version'], { unique: true })
export class HouseholdCode {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) householdId: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 32 }) body: string;
  @Column({ type: 'varchar', length: 100 }) code: string;
  @Column({ type: 'int' }) version: number;
  @Index({ unique: true }) @Column({ type: 'int', nullable: true }) activeKey: number | null;
  @Column({ type: 'int' }) issuedById: number;
  @Column({ type: 'datetime' }) issuedAt: Date;
  @Column({ type: 'datetime', nullable: true }) revokedAt: Date | null;
}

/** An account bound to a household (the head proved name + last 6 ID characters). */
@Entity('aid_household_bindings')
@Index(['userId', 'householdId'], { unique: true })
export class HouseholdBinding {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) userId: number;
  @Index() @Column({ type: 'int' }) householdId: number;
  @Column({ type: 'datetime' }) boundAt: Date;
}

/**
 * One guard row per (account, household) that tries to bind. Each attempt first updates this row
 * inside its transaction, which serialises attempts of the same pair on both databases, so the
 * failure count read next cannot be raced past the limit.
 */
@Entity('aid_bind_guards')
@Index(['userId', 'householdId'], { unique: true })
export class BindGuard {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) userId: number;
  @Column({ type: 'int' }) householdId: number;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ type: 'datetime' }) lastAttemptAt: Date;
}

/** Every binding attempt; failures within the last hour count towards the lock. */
@Entity('aid_bind_attempts')
@Index(['userId', 'householdId', 'at'])
export class BindAttempt {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) userId: number;
  @Column({ type: 'int' }) householdId: number;
  @Column({ type: 'boolean' }) ok: boolean;
  @Column({ type: 'datetime' }) at: Date;
}
