import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { OrgsModule } from '../orgs/orgs.module';
import { ApplicationsService } from './applications.service';
import { JoinCodesService } from './join-codes.service';
import { MembersService } from './members.service';
import { MembershipController } from './membership.controller';
import { MembershipRepository } from './membership.repository';

@Module({
  imports: [OrgsModule, MessagesModule],
  controllers: [MembershipController],
  providers: [MembershipRepository, JoinCodesService, ApplicationsService, MembersService],
  exports: [MembershipRepository],
})
export class MembershipModule {}
