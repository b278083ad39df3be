import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth.decorators';
import { IdParamDto, PageQueryDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { MessageListQueryDto, RecordSubscriptionsDto } from './dto/messages.dto';
import { MessagesService } from './messages.service';

/** The message centre (消息): the caller's own messages; subscribe grants; staff view of failed deliveries. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  list(@CurrentUser() user: User, @Query() q: MessageListQueryDto) {
    return this.messages.list(user, q);
  }

  @Get('unread-count')
  unreadCount(@CurrentUser() user: User) {
    return this.messages.unreadCount(user);
  }

  @Post('read-all')
  @HttpCode(200)
  markAllRead(@CurrentUser() user: User) {
    return this.messages.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  markRead(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.messages.markRead(user, p.id);
  }

  @Get('subscribe-templates')
  subscribeTemplates() {
    return this.messages.subscribeTemplates();
  }

  @Post('subscriptions')
  @HttpCode(200)
  recordSubscriptions(@CurrentUser() user: User, @Body() dto: RecordSubscriptionsDto) {
    return this.messages.recordSubscriptions(user, dto);
  }

  @Get('failed-deliveries')
  @Roles('union_staff', 'admin')
  failed(@CurrentUser() user: User, @Query() q: PageQueryDto) {
    return this.messages.failed(user, q);
  }
}
