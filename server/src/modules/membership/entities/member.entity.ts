import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Occupation } from '@union/shared';

/** An active union member (实名制会员). Personal data encrypted; `idNumberHash` unique: one membership per person. */
@Entity('members')
export class Member {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 20, nullable: true }) memberNo: string | null;
  @Index({ unique: true }) @Column({ type: 'int' }) userId: number;
  @Index() @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 255 }) idNumberEnc: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) idNumberHash: string;
  @Column({ type: 'varchar', length: 32 }) idNumberMasked: string;
  @Column({ type: 'varchar', length: 255 }) mobileEnc: string;
  @Index() @Column({ type: 'varchar', length: 64 }) mobileHash: string;
  @Column({ type: 'varchar', length: 16 }) mobileMasked: string;
  @Column({ type: 'varchar', length: 32 }) occupation: Occupation;
  @Column({ type: 'varchar', length: 50, nullable: true }) platform: string | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) workCity: string | null;
  @Column({ type: 'varchar', length: 16 }) status: 'active';
  @Column({ type: 'datetime' }) joinedAt: Date;
}

/** Every org a member has belonged to, in order. */
@Entity('membership_history')
export class MembershipHistory {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) memberId: number;
  @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 16 }) event: 'joined' | 'transferred_in';
  @Column({ type: 'int', nullable: true }) applicationId: number | null;
  @Column({ type: 'datetime' }) at: Date;
}
