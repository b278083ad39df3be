import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { DeliveryStatus, MessageKind, MessageTopic } from '@union/shared';

/**
 * One message of the message centre (消息), written in the same transaction as the event that causes it.
 * `dedupKey` (unique) names the event and recipient, e.g. `campaign_opening:12:u345`, so an event or a
 * scheduled reminder that runs twice writes one message.
 */
@Entity('messages')
@Index(['userId', 'id'])
@Index(['userId', 'readAt'])
export class Message {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) userId: number;
  @Column({ type: 'varchar', length: 40 }) kind: MessageKind;
  @Column({ type: 'varchar', length: 64 }) title: string;
  @Column({ type: 'varchar', length: 500 }) body: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) targetPage: string | null;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 160 }) dedupKey: string;
  @Column({ type: 'datetime', nullable: true }) readAt: Date | null;
  @Index() @Column({ type: 'datetime' }) createdAt: Date;
}

/**
 * The outbox: one row per message and channel (unique `messageId` + `channel`, the dedup key of a send).
 * `sending` rows carry a lease (`lockedUntil`); a row whose send was made but not recorded is never sent again
 * (see DispatcherService).
 */
@Entity('message_deliveries')
@Index(['messageId', 'channel'], { unique: true })
@Index(['status', 'nextAttemptAt'])
export class MessageDelivery {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) messageId: number;
  @Column({ type: 'varchar', length: 16 }) channel: 'wechat';
  @Index() @Column({ type: 'int' }) userId: number;
  @Column({ type: 'varchar', length: 24 }) topic: MessageTopic;
  @Column({ type: 'varchar', length: 16 }) status: DeliveryStatus;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ type: 'datetime' }) nextAttemptAt: Date;
  @Column({ type: 'datetime', nullable: true }) lockedUntil: Date | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) lockedBy: string | null;
  /** Whether this row already took one of the account's one-time grants (a retry does not take another). */
  @Column({ type: 'boolean', default: false }) grantUsed: boolean;
  /** Set just before the request to WeChat leaves; a row found `sending` with it set may have been delivered. */
  @Column({ type: 'datetime', nullable: true }) sendStartedAt: Date | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) lastError: string | null;
  @Column({ type: 'datetime', nullable: true }) sentAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) failedAt: Date | null;
  @Column({ type: 'datetime' }) createdAt: Date;
}

/** One-time subscribe-message grants (每次点击授权一次) an account holds per topic: each accept allows one send. */
@Entity('message_grants')
@Index(['userId', 'topic'], { unique: true })
export class MessageGrant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) userId: number;
  @Column({ type: 'varchar', length: 24 }) topic: MessageTopic;
  @Column({ type: 'int' }) remaining: number;
  @Column({ type: 'datetime' }) updatedAt: Date;
}

/** A member's 提醒我 on a campaign: reminded once when it opens within 10 minutes. */
@Entity('campaign_reminders')
@Index(['campaignId', 'userId'], { unique: true })
export class CampaignReminder {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) campaignId: number;
  @Index() @Column({ type: 'int' }) userId: number;
  @Column({ type: 'datetime' }) createdAt: Date;
  @Index() @Column({ type: 'datetime', nullable: true }) remindedAt: Date | null;
}

/** A named lease for scheduled jobs: only the holder runs the job until `leaseUntil` (several processes, one runner). */
@Entity('scheduler_leases')
export class SchedulerLease {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 64 }) holder: string;
  @Column({ type: 'datetime' }) leaseUntil: Date;
  /** How far the job got (its own meaning per job), so a run after downtime catches up from there. */
  @Column({ type: 'datetime', nullable: true }) cursor: Date | null;
}

export const MESSAGES_ENTITIES: Function[] = [Message, MessageDelivery, MessageGrant, CampaignReminder, SchedulerLease];
