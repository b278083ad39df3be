import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A join code naming the grassroots org that receives applicants (扫码入会). */
@Entity('join_codes')
export class JoinCode {
  @PrimaryGeneratedColumn() id: number;
  /** The random part of the signed code; the full code is re-signed from it. */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 32 }) body: string;
  @Column({ type: 'varchar', length: 100 }) code: string;
  @Index() @Column({ type: 'int' }) orgId: number;
  @Column({ type: 'varchar', length: 100, nullable: true }) label: string | null;
  @Column({ type: 'datetime', nullable: true }) expiresAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'int' }) createdById: number;
  @Column({ type: 'datetime' }) createdAt: Date;
}
