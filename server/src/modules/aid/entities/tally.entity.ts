import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AidType, PayoutStatus } from '@union/shared';

/** The columns of a household counter row (tallies and roll-ups have the same; each its own table). */
abstract class HouseholdCounter {
  @PrimaryColumn({ type: 'int' }) orgId: number;
  @PrimaryColumn({ type: 'varchar', length: 16 }) dim: string;
  @PrimaryColumn({ type: 'varchar', length: 200 }) val: string;
  @Column({ type: 'int', default: 0 }) n: number;
}

/** The columns of a payout counter row: `n` payouts summing `amountFen` fen. */
abstract class PayoutCounter {
  @PrimaryColumn({ type: 'int' }) orgId: number;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) aidType: AidType;
  @PrimaryColumn({ type: 'varchar', length: 16 }) status: PayoutStatus;
  @Column({ type: 'int', default: 0 }) n: number;
  @Column({ type: 'bigint', default: 0 }) amountFen: number;
}

/**
 * Pre-aggregated household counts per org (see aid-tallies.ts): `n` households of org `orgId` have value `val` along
 * dimension `dim` (`status`, `reg` = registration month, `exit` = exit month of exited files; for open files only:
 * `region` = JSON `[city, district]`, `level`, `employment`, `cause`, `need`, `band` = income band key). Changed in
 * the same transaction as the household row, by increments (an upsert), never by recounting. One row with `orgId` 0,
 * `dim` `_version` records which tally definition the rows were built with.
 */
@Entity('aid_household_tallies')
export class AidHouseholdTally extends HouseholdCounter {}

/** Pre-aggregated payouts per org, period, aid type and status: `n` payouts summing `amountFen` fen (see aid-tallies.ts). */
@Entity('aid_payout_tallies')
export class AidPayoutTally extends PayoutCounter {}

/**
 * {@link AidHouseholdTally} rolled up: `n` households in the subtree of org `orgId` (its own and every descendant's;
 * `orgId` 0: the whole tree) have value `val` along dimension `dim`. Written with the tallies (aid-tallies.ts), read for
 * a scope's figures.
 */
@Entity('aid_household_rollups')
export class AidHouseholdRollup extends HouseholdCounter {}

/** {@link AidPayoutTally} rolled up over the subtree of org `orgId` (0: the whole tree); `amountFen` in fen. */
@Entity('aid_payout_rollups')
export class AidPayoutRollup extends PayoutCounter {}
