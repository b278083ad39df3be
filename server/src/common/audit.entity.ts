import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One staff read (or change) of personal data: who, when, which record, which fields. */
@Entity('audit_logs')
@Index(['entityType', 'entityId'])
export class AuditLog {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) actorUserId: number;
  /** `read`, `export`, `verify`… */
  @Column({ type: 'varchar', length: 32 }) action: string;
  @Column({ type: 'varchar', length: 64 }) entityType: string;
  @Column({ type: 'int', nullable: true }) entityId: number | null;
  /** Comma-separated field names that were read. */
  @Column({ type: 'varchar', length: 255 }) fields: string;
  @Column({ type: 'datetime' }) at: Date;
}
