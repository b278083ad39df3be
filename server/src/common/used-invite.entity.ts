import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The used-marker of a one-time invite (OneTimeInviteService): one row per invite that has been accepted.
 * The unique (kind, nonce) index is what makes an invite one-time, even under concurrent accepts.
 */
@Entity('used_invites')
@Index(['kind', 'nonce'], { unique: true })
export class UsedInvite {
  @PrimaryGeneratedColumn() id: number;
  /** The signed-code kind: `clerk_invite`, `keeper_invite`. */
  @Column({ type: 'varchar', length: 32 }) kind: string;
  /** The invite's random nonce (part of its signed body). */
  @Column({ type: 'varchar', length: 32 }) nonce: string;
  @Column({ type: 'int' }) usedByUserId: number;
  @Column({ type: 'datetime' }) usedAt: Date;
}
