import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentUser, IdentityFromToken, Roles } from '../../common/auth.decorators';
import { FastRoute } from '../../common/fast-routes';
import { IdParamDto, PageQueryDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { CampaignsService } from './campaigns.service';
import { ClaimsService } from './claims.service';
import { CampaignRemindersService } from './reminders.service';
import { IdempotencyKeyHeader } from '../../common/idempotency';
import {
  AddStockDto, CampaignListQueryDto, CampaignMerchantQueryDto, ClaimVoucherDto, CreateCampaignDto, PauseCampaignDto, TypeParamDto, UpdateCampaignDto, VoucherListQueryDto,
} from './dto/vouchers.dto';

@ApiTags('vouchers: campaigns and claims')
@ApiBearerAuth()
@Controller('vouchers')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService, private readonly claims: ClaimsService, private readonly reminders: CampaignRemindersService) {}

  // --- staff
  @Post('manage/campaigns')
  @Roles('union_staff', 'admin')
  create(@CurrentUser() user: User, @Body() dto: CreateCampaignDto) {
    return this.campaigns.create(user, dto);
  }

  @Get('manage/campaigns')
  @Roles('union_staff', 'admin')
  list(@CurrentUser() user: User, @Query() q: CampaignListQueryDto) {
    return this.campaigns.list(user, q);
  }

  @Get('manage/campaigns/:id')
  @Roles('union_staff', 'admin')
  get(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.campaigns.get(user, p.id);
  }

  @Patch('manage/campaigns/:id')
  @Roles('union_staff', 'admin')
  update(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: UpdateCampaignDto) {
    return this.campaigns.update(user, p.id, dto);
  }

  @Post('manage/campaigns/:id/publish')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  publish(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.campaigns.publish(user, p.id);
  }

  @Post('manage/campaigns/:id/close')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  close(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.campaigns.close(user, p.id);
  }

  @Post('manage/campaigns/:id/pause')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  pause(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: PauseCampaignDto) {
    return this.campaigns.pause(user, p.id, dto.freezeRedemption ?? false);
  }

  @Post('manage/campaigns/:id/resume')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  resume(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.campaigns.resume(user, p.id);
  }

  @Post('manage/campaigns/:id/types/:typeId/stock')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  addStock(@CurrentUser() user: User, @Param() p: TypeParamDto, @Body() dto: AddStockDto) {
    return this.campaigns.addStock(user, p.id, p.typeId, dto.quantity);
  }

  @Get('manage/campaigns/:id/stats')
  @Roles('union_staff', 'admin')
  stats(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.campaigns.stats(user, p.id);
  }

  // --- members
  @Get('campaigns')
  memberCampaigns(@CurrentUser() user: User, @Query() q: PageQueryDto) {
    return this.campaigns.memberCampaigns(user, q);
  }

  @Post('campaigns/:id/claims')
  @FastRoute()
  @IdentityFromToken()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8–64 characters [A-Za-z0-9_-]; a retry with the same key returns the same voucher' })
  claim(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: ClaimVoucherDto, @IdempotencyKeyHeader() key: string) {
    return this.claims.claim(user, p.id, dto.voucherTypeId, key);
  }

  /** 提醒我: the member is told (message centre, and WeChat with a grant) 10 minutes before the campaign opens. */
  @Post('campaigns/:id/reminders')
  @HttpCode(200)
  remindMe(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.reminders.remindMe(user, p.id);
  }

  @Get('campaigns/:id/merchants')
  campaignMerchants(@CurrentUser() user: User, @Param() p: IdParamDto, @Query() q: CampaignMerchantQueryDto) {
    return this.campaigns.campaignMerchants(user, p.id, q);
  }

  @Get('my/vouchers')
  myVouchers(@CurrentUser() user: User, @Query() q: VoucherListQueryDto) {
    return this.claims.myVouchers(user, q);
  }

  @Get('my/vouchers/:id')
  myVoucher(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.claims.myVoucher(user, p.id);
  }

  @Get('my/vouchers/:id/code')
  redemptionCode(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.claims.redemptionCode(user, p.id);
  }
}
