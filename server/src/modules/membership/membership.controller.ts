import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentUser, Public, Roles } from '../../common/auth.decorators';
import { RateLimited } from '../../common/rate-limit.guard';
import { IdParamDto, PageQueryDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { ApplicationsService } from './applications.service';
import {
  ApplicationListQueryDto, CreateApplicationDto, CreateJoinCodeDto, CreateTransferDto, JoinCodeParam, MemberListQueryDto,
  RejectApplicationDto, VerifyCardDto,
} from './dto/membership.dto';
import { JoinCodesService } from './join-codes.service';
import { MembersService } from './members.service';

@ApiTags('membership')
@ApiBearerAuth()
@Controller('membership')
export class MembershipController {
  constructor(
    private readonly joinCodes: JoinCodesService,
    private readonly applications: ApplicationsService,
    private readonly members: MembersService,
  ) {}

  // --- join codes
  @Post('join-codes')
  @Roles('union_staff', 'admin')
  createJoinCode(@CurrentUser() user: User, @Body() dto: CreateJoinCodeDto) {
    return this.joinCodes.create(user, dto);
  }

  @Get('join-codes')
  @Roles('union_staff', 'admin')
  listJoinCodes(@CurrentUser() user: User, @Query() q: PageQueryDto) {
    return this.joinCodes.list(user, q);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Get('join-codes/:code')
  lookupJoinCode(@Param() p: JoinCodeParam) {
    return this.joinCodes.lookup(p.code);
  }

  @Get('join-codes/:code/qr')
  @Roles('union_staff', 'admin')
  @ApiProduces('image/png')
  @Header('Content-Type', 'image/png')
  async joinCodeQr(@CurrentUser() user: User, @Param() p: JoinCodeParam) {
    return new StreamableFile(await this.joinCodes.qrPng(user, p.code));
  }

  @Post('join-codes/:code/revoke')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  revokeJoinCode(@CurrentUser() user: User, @Param() p: JoinCodeParam) {
    return this.joinCodes.revoke(user, p.code);
  }

  // --- applications
  @Post('applications')
  @RateLimited('membershipApplication')
  apply(@CurrentUser() user: User, @Body() dto: CreateApplicationDto) {
    return this.applications.apply(user, dto);
  }

  @Get('applications/mine')
  myApplications(@CurrentUser() user: User, @Query() q: PageQueryDto) {
    return this.applications.mine(user, q);
  }

  @Get('applications')
  @Roles('union_staff', 'admin')
  listApplications(@CurrentUser() user: User, @Query() q: ApplicationListQueryDto) {
    return this.applications.list(user, q);
  }

  @Get('applications/:id')
  @Roles('union_staff', 'admin')
  getApplication(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.applications.get(user, p.id);
  }

  @Post('applications/:id/approve')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  approve(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.applications.approve(user, p.id);
  }

  @Post('applications/:id/reject')
  @Roles('union_staff', 'admin')
  @HttpCode(200)
  reject(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: RejectApplicationDto) {
    return this.applications.reject(user, p.id, dto.reason);
  }

  @Post('transfers')
  @RateLimited('membershipTransfer')
  transfer(@CurrentUser() user: User, @Body() dto: CreateTransferDto) {
    return this.applications.requestTransfer(user, dto.joinCode);
  }

  // --- card, members, statistics
  @Get('card')
  card(@CurrentUser() user: User) {
    return this.members.card(user);
  }

  @Post('card/verify')
  @Roles('union_staff', 'station_keeper', 'merchant_clerk', 'admin')
  @HttpCode(200)
  verifyCard(@CurrentUser() user: User, @Body() dto: VerifyCardDto) {
    return this.members.verifyCard(user, dto.cardCode);
  }

  @Get('members')
  @Roles('union_staff', 'admin')
  listMembers(@CurrentUser() user: User, @Query() q: MemberListQueryDto) {
    return this.members.list(user, q);
  }

  @Get('members/export.csv')
  @Roles('union_staff', 'admin')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="members.csv"')
  exportMembers(@CurrentUser() user: User, @Query() q: MemberListQueryDto) {
    return this.members.exportCsv(user, q);
  }

  @Get('stats')
  @Roles('union_staff', 'admin')
  stats(@CurrentUser() user: User) {
    return this.members.stats(user);
  }
}
