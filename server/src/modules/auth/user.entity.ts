import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@union/shared';

/** An account. Logged in through WeChat (`openid`) or, in demos and tests, dev login (`devKey`). */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64, nullable: true }) openid: string | null;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 128, nullable: true }) devKey: string | null;
  @Column({ type: 'varchar', length: 64 }) displayName: string;
  @Column({ type: 'varchar', length: 32 }) role: Role;
  /** The org a staff account (or keeper, clerk) belongs to; its whole subtree is in scope. */
  @Column({ type: 'int', nullable: true }) orgId: number | null;
  @Column({ type: 'datetime' }) createdAt: Date;
  /**
   * When `role` or `orgId` last changed (null: never since creation). Every write of either sets it, so access
   * tokens signed before it stop being trusted for their claims (see TokenClaimsWatch).
   */
  @Index() @Column({ type: 'datetime', nullable: true }) claimsChangedAt: Date | null;
}
