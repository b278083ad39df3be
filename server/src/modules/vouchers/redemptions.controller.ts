import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, IdentityFromToken, Roles } from '../../common/auth.decorators';
import { IdParamDto, PageQueryDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { IdempotencyKeyHeader } from '../../common/idempotency';
import { RedeemDto, SettlementQueryDto } from './dto/vouchers.dto';
import { RedemptionsService } from './redemptions.service';
import { SettlementService } from './settlement.service';

@ApiTags('vouchers: redemption and settlement')
@ApiBearerAuth()
@Controller('vouchers')
export class RedemptionsController {
  constructor(private readonly redemptions: RedemptionsService, private readonly settlement: SettlementService) {}

  @Post('redemptions')
  @Roles('merchant_clerk')
  @IdentityFromToken()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8–64 characters [A-Za-z0-9_-]; a retry with the same key returns the same redemption' })
  redeem(@CurrentUser() user: User, @Body() dto: RedeemDto, @IdempotencyKeyHeader() key: string) {
    return this.redemptions.redeem(user, dto, key);
  }

  @Get('redemptions/today')
  @Roles('merchant_clerk')
  today(@CurrentUser() user: User, @Query() q: PageQueryDto) {
    return this.redemptions.today(user, q);
  }

  @Post('redemptions/:id/reverse')
  @Roles('merchant_clerk')
  @HttpCode(200)
  reverse(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.redemptions.reverse(user, p.id);
  }

  @Get('settlements')
  @Roles('union_staff', 'admin', 'merchant_clerk')
  settlements(@CurrentUser() user: User, @Query() q: SettlementQueryDto) {
    return this.settlement.settlement(user, q);
  }

  @Get('settlements/export.csv')
  @Roles('union_staff', 'admin', 'merchant_clerk')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="settlement.csv"')
  exportSettlements(@CurrentUser() user: User, @Query() q: SettlementQueryDto) {
    return this.settlement.exportCsv(user, q);
  }

  @Get('reconciliation')
  @Roles('union_staff', 'admin')
  reconciliation(@CurrentUser() user: User) {
    return this.settlement.reconcileFor(user);
  }
}
