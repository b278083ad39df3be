import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ApplicationKind, ApplicationStatus, Occupation } from '@union/shared';

/** A membership application (入会申请) or transfer request (转会). Personal data encrypted. */
@Entity('membership_applications')
@Index(['orgId', 'status'])
export class MembershipApplication {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 16 }) kind: ApplicationKind;
  @Index() @Column({ type: 'varchar', length: 16 }) status: ApplicationStatus;
  @Index() @Column({ type: 'int' }) userId: number;
  @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'int', nullable: true }) fromOrgId: number | null;
  @Column({ type: 'int', nullable: true }) joinCodeId: number | null;
  @Column({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 255 }) idNumberEnc: string;
  @Index() @Column({ type: 'varchar', length: 64 }) idNumberHash: string;
  @Column({ type: 'varchar', length: 32 }) idNumberMasked: string;
  @Column({ type: 'varchar', length: 255 }) mobileEnc: string;
  @Column({ type: 'varchar', length: 16 }) mobileMasked: string;
  @Column({ type: 'varchar', length: 32 }) occupation: Occupation;
  @Column({ type: 'varchar', length: 50, nullable: true }) platform: string | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) workCity: string | null;
  /**
   * Equals `idNumberHash` while the application is pending, null otherwise:
   * the unique index makes "one pending application per ID number" hold under concurrency.
   */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64, nullable: true }) pendingKey: string | null;
  @Column({ type: 'datetime' }) consentAt: Date;
  @Column({ type: 'varchar', length: 200, nullable: true }) rejectReason: string | null;
  @Column({ type: 'int', nullable: true }) reviewedById: number | null;
  @Column({ type: 'datetime', nullable: true }) reviewedAt: Date | null;
  @Column({ type: 'int', nullable: true }) memberId: number | null;
  @Index() @Column({ type: 'datetime' }) createdAt: Date;
}
