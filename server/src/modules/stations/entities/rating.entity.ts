import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ReportKind, ReportStatus } from '@union/shared';

/** A member's 1–5 star rating; one per member, station and Asia/Shanghai day (unique key). */
@Entity('station_ratings')
@Index(['memberId', 'stationId', 'day'], { unique: true })
export class StationRating {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) stationId: number;
  @Column({ type: 'int' }) memberId: number;
  @Column({ type: 'int' }) stars: number;
  @Column({ type: 'varchar', length: 200, nullable: true }) comment: string | null;
  @Column({ type: 'varchar', length: 10 }) day: string;
  @Column({ type: 'datetime' }) at: Date;
}

/** A problem report (反馈问题) on a station, handled by its keeper or staff. */
@Entity('station_reports')
@Index(['stationId', 'status'])
export class StationReport {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) stationId: number;
  @Column({ type: 'int' }) reporterUserId: number;
  @Column({ type: 'varchar', length: 32 }) kind: ReportKind;
  @Column({ type: 'varchar', length: 200, nullable: true }) note: string | null;
  @Column({ type: 'varchar', length: 16 }) status: ReportStatus;
  @Column({ type: 'int', nullable: true }) handledById: number | null;
  @Column({ type: 'datetime', nullable: true }) handledAt: Date | null;
  @Column({ type: 'datetime' }) createdAt: Date;
}
