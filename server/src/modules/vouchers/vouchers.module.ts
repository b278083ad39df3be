import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { MembershipModule } from '../membership/membership.module';
import { OrgsModule } from '../orgs/orgs.module';
import { CampaignStatsController } from './campaign-stats.controller';
import { CampaignStatsRepository } from './campaign-stats.repository';
import { CampaignStatsService } from './campaign-stats.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { ClaimRulesCache } from './claim-rules.cache';
import { ClaimsService } from './claims.service';
import { LotteryController } from './lottery.controller';
import { LotteryRepository } from './lottery.repository';
import { LotterySetupService } from './lottery-setup.service';
import { LotteryService } from './lottery.service';
import { VoucherExpiryJob } from './jobs/voucher-expiry.job';
import { LotteryDrawJob } from './jobs/lottery-draw.job';
import { MerchantsController } from './merchants.controller';
import { MerchantsService } from './merchants.service';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsService } from './redemptions.service';
import { CampaignRemindersService } from './reminders.service';
import { SettlementService } from './settlement.service';
import { VouchersRepository } from './vouchers.repository';

/** Consumption vouchers (消费券): merchants, campaigns, the claim rush, redemption, settlement. */
@Module({
  imports: [OrgsModule, MembershipModule, MessagesModule],
  controllers: [MerchantsController, CampaignsController, CampaignStatsController, RedemptionsController, LotteryController],
  providers: [
    VouchersRepository, ClaimRulesCache, MerchantsService, CampaignsService, ClaimsService, RedemptionsService, SettlementService, VoucherExpiryJob, CampaignRemindersService,
    CampaignStatsRepository, CampaignStatsService,
    LotteryRepository, LotterySetupService, LotteryService, LotteryDrawJob,
  ],
  exports: [SettlementService, VouchersRepository],
})
export class VouchersModule {}
