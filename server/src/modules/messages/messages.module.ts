import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { OrgsModule } from '../orgs/orgs.module';
import { DispatcherService } from './dispatcher.service';
import { MessagesPurgeJob } from './jobs/messages-purge.job';
import { RemindersJob } from './jobs/reminders.job';
import { RemindersService } from './reminders.service';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { WechatSubscribeClient } from './wechat-subscribe.client';

/**
 * Messages (消息): the message centre, the transactional outbox and its WeChat dispatcher, subscribe grants.
 * Other modules import it and call MessagesService.enqueue(em, …) inside the transaction of their event.
 */
@Module({
  imports: [ScheduleModule.forRoot(), OrgsModule],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService, WechatSubscribeClient, DispatcherService, MessagesPurgeJob, RemindersService, RemindersJob],
  exports: [MessagesService],
})
export class MessagesModule {}
