import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { MembershipModule } from '../membership/membership.module';
import { OrgsModule } from '../orgs/orgs.module';
import { AidController } from './aid.controller';
import { AidApplicationDocumentsService } from './applications/aid-application-documents.service';
import { AidApplicationsController } from './applications/aid-applications.controller';
import { AidApplicationsRepository } from './applications/aid-applications.repository';
import { AidApplicationsService } from './applications/aid-applications.service';
import { Clock } from './applications/clock';
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
  imports: [OrgsModule, MembershipModule, MessagesModule],
  controllers: [AidController, AidApplicationsController],
  providers: [
    AidRepository, HouseholdsService, PayoutsService, HouseholdCodesService, MonitoringService,
    AidApplicationsRepository, AidApplicationsService, AidApplicationDocumentsService, Clock,
  ],
  exports: [AidRepository, HouseholdsService, PayoutsService, HouseholdCodesService],
})
export class AidModule {}
