import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth.decorators';
import type { User } from '../auth/user.entity';
import { CreateOrgDto, OrgListQueryDto, UpdateOrgDto } from './orgs.dto';
import { OrgsService } from './orgs.service';

@ApiTags('orgs')
@ApiBearerAuth()
@Controller('orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Get()
  @Roles('union_staff', 'admin')
  list(@CurrentUser() user: User, @Query() q: OrgListQueryDto) {
    return this.orgs.list(user, q);
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateOrgDto) {
    return this.orgs.create(dto);
  }

  @Patch(':code')
  @Roles('union_staff', 'admin')
  update(@CurrentUser() user: User, @Param('code') code: string, @Body() dto: UpdateOrgDto) {
    return this.orgs.update(user, code, dto);
  }
}
