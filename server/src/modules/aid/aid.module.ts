import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { AidController } from './aid.controller';
import { AidRepository } from './aid.repository';
import { HouseholdCodesService } from './household-codes.service';
import { HouseholdsService } from './households.service';
import { MonitoringService } from './monitoring.service';
import { PayoutsService } from './payouts.service';

/**
 * 一户一码 aid: household files, the household code, payouts, monitoring.
 * Exports HouseholdsService (register/update/activate) and PayoutsService (createOneOff) for modules
 * built on it, e.g. online aid applications.
 */
@Module({
  imports: [OrgsModule],
  controllers: [AidController],
  providers: [AidRepository, HouseholdsService, PayoutsService, HouseholdCodesService, MonitoringService],
  exports: [AidRepository, HouseholdsService, PayoutsService, HouseholdCodesService],
})
export class AidModule {}
