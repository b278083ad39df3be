import { BindAttempt, BindGuard, Household, HouseholdBinding, HouseholdCode } from './household.entity';
import { BankRecord, Payout, PayoutBatch } from './payout.entity';
import { AidHouseholdRollup, AidHouseholdTally, AidPayoutRollup, AidPayoutTally } from './tally.entity';
import { AidApplication, AidApplicationDocument, AidApplicationEvent } from '../applications/entities/aid-application.entity';

export { BindAttempt, BindGuard, Household, HouseholdBinding, HouseholdCode } from './household.entity';
export { BankRecord, Payout, PayoutBatch } from './payout.entity';
export { AidHouseholdRollup, AidHouseholdTally, AidPayoutRollup, AidPayoutTally } from './tally.entity';

/** Every TypeORM entity of the aid module (referenced by id only from other modules, never by relation). */
export const AID_ENTITIES: Function[] = [Household, HouseholdCode, HouseholdBinding, BindGuard, BindAttempt, PayoutBatch, Payout, BankRecord, AidApplication, AidApplicationDocument, AidApplicationEvent, AidHouseholdTally, AidPayoutTally, AidHouseholdRollup, AidPayoutRollup];
