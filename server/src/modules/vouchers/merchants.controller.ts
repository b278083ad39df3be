import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth.decorators';
import { OptionalIdempotencyKeyHeader } from '../../common/idempotency';
import { IdParamDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { AcceptClerkInviteDto, CreateMerchantDto, MerchantListQueryDto, RejectMerchantDto } from './dto/vouchers.dto';
import { MerchantsService } from './merchants.service';

@ApiTags('vouchers: merchants')
@ApiBearerAuth()
@Controller('vouchers')
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  /** Any logged-in user applies; the account becomes the merchant's owner clerk. */
  @Post('merchants')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8–64 characters [A-Za-z0-9_-]; a retry with the same key and body returns the same merchant, another body is refused (422)' })
  apply(@CurrentUser() user: User, @Body() dto: CreateMerchantDto, @OptionalIdempotencyKeyHeader() key?: string) {
    return this.merchants.apply(user, dto, key);
  }

  @Get('merchants/mine')
  mine(@CurrentUser() user: User) {
    return this.merchants.mine(user);
  }

  @Get('merchants')
  @Roles('union_staff', 'admin')
  list(@CurrentUser() user: User, @Query() q: MerchantListQueryDto) {
    return this.merchants.list(user, q);
  }

  @Post('merchants/:id/approve')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  approve(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.merchants.approve(user, p.id);
  }

  @Post('merchants/:id/reject')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  reject(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: RejectMerchantDto) {
    return this.merchants.reject(user, p.id, dto.reason);
  }

  @Post('merchants/clerk-invites')
  @Roles('merchant_clerk')
  createInvite(@CurrentUser() user: User) {
    return this.merchants.createInvite(user);
  }

  @Post('merchants/clerks')
  acceptInvite(@CurrentUser() user: User, @Body() dto: AcceptClerkInviteDto) {
    return this.merchants.acceptInvite(user, dto.inviteCode);
  }

  @Get('clerk/me')
  @Roles('merchant_clerk')
  clerkMe(@CurrentUser() user: User) {
    return this.merchants.clerkMe(user);
  }
}
