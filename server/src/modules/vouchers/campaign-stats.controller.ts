import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth.decorators';
import { IdParamDto, PageQueryDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { CampaignStatsService } from './campaign-stats.service';

/** Staff statistics of one campaign beyond `…/stats`: spending by employer and merchant (with CSV), the live page. */
@ApiTags('vouchers: campaign statistics')
@ApiBearerAuth()
@Controller('vouchers/manage/campaigns/:id')
export class CampaignStatsController {
  constructor(private readonly stats: CampaignStatsService) {}

  @Get('stats/employers')
  @Roles('union_staff', 'admin')
  byEmployer(@CurrentUser() user: User, @Param() p: IdParamDto, @Query() q: PageQueryDto) {
    return this.stats.byEmployer(user, p.id, q);
  }

  @Get('stats/employers.csv')
  @Roles('union_staff', 'admin')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="spending-by-employer.csv"')
  exportByEmployer(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.stats.exportByEmployer(user, p.id);
  }

  @Get('stats/merchants')
  @Roles('union_staff', 'admin')
  byMerchant(@CurrentUser() user: User, @Param() p: IdParamDto, @Query() q: PageQueryDto) {
    return this.stats.byMerchant(user, p.id, q);
  }

  @Get('stats/merchants.csv')
  @Roles('union_staff', 'admin')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="spending-by-merchant.csv"')
  exportByMerchant(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.stats.exportByMerchant(user, p.id);
  }

  @Get('live')
  @Roles('union_staff', 'admin')
  live(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.stats.live(user, p.id);
  }
}
