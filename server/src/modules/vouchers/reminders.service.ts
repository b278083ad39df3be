import { Injectable } from '@nestjs/common';
import type { CampaignReminderResult } from '@union/shared';
import type { User } from '../auth/user.entity';
import { MessagesService } from '../messages/messages.service';
import { CAMPAIGN_REMINDER_LEAD_MS } from '../messages/reminders.service';
import { CampaignsService } from './campaigns.service';
import { VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

/** 提醒我: a member asks to be told when a campaign opens (the message is written 10 minutes before). */
@Injectable()
export class CampaignRemindersService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly campaigns: CampaignsService,
    private readonly messages: MessagesService,
  ) {}

  /**
   * Records the caller's reminder for a published campaign not yet open (idempotent: a second tap changes nothing).
   * @throws 403 NOT_MEMBER; 404 CAMPAIGN_NOT_FOUND (draft, or outside the member's org lineage); 409 CAMPAIGN_ALREADY_OPEN.
   */
  async remindMe(user: User, campaignId: number): Promise<CampaignReminderResult> {
    const c = await this.repo.findCampaign(campaignId);
    if (!c || c.status === 'draft') throw E.campaignNotFound();
    const member = await this.campaigns.requireMember(user);
    if (!(await this.campaigns.orgLineage(member)).includes(c.orgId)) throw E.campaignNotFound();
    if (c.status !== 'published' || c.claimStartAt.getTime() <= Date.now()) throw E.reminderTooLate();
    await this.messages.addCampaignReminder(c.id, user.id);
    return { campaignId: c.id, remindAt: new Date(Math.max(Date.now(), c.claimStartAt.getTime() - CAMPAIGN_REMINDER_LEAD_MS)).toISOString() };
  }
}
