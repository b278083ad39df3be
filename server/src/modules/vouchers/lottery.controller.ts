import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../../common/auth.decorators';
import { IdParamDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { LotteryService } from './lottery.service';

/** The lottery (摇号) of voucher campaigns: member registration, the staff-run draw, the public proof. */
@ApiTags('vouchers: lottery')
@ApiBearerAuth()
@Controller('vouchers')
export class LotteryController {
  constructor(private readonly lottery: LotteryService) {}

  // --- staff
  @Get('manage/campaigns/:id/lottery')
  @Roles('union_staff', 'admin')
  manageView(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.lottery.manageView(user, p.id);
  }

  @Post('manage/campaigns/:id/lottery/draw')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  draw(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.lottery.draw(user, p.id);
  }

  // --- members
  @Get('campaigns/:id/lottery')
  memberView(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.lottery.memberView(user, p.id);
  }

  @Post('campaigns/:id/lottery/registrations')
  register(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.lottery.register(user, p.id);
  }

  // --- anyone
  @Get('campaigns/:id/lottery/proof')
  @Public()
  @UseGuards(ThrottlerGuard) // the global per-client limit, as the other public look-ups
  proof(@Param() p: IdParamDto) {
    return this.lottery.proof(p.id);
  }
}
