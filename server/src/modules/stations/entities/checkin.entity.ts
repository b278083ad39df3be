import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Occupation } from '@union/shared';

/** A member's visit to a station (打卡). `day` is the Asia/Shanghai date; `occupation` is a snapshot for statistics (the member's name is read from `members`). */
@Entity('station_checkins')
@Index(['stationId', 'day'])
@Index(['memberId', 'stationId'])
export class StationCheckIn {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) stationId: number;
  @Column({ type: 'int' }) memberId: number;
  @Column({ type: 'varchar', length: 32 }) occupation: Occupation;
  @Column({ type: 'int', default: 0 }) amenityMask: number;
  @Column({ type: 'varchar', length: 10 }) day: string;
  @Index() @Column({ type: 'datetime' }) at: Date;
}

/**
 * One row per (member, station): the time of the last counted check-in. A check-in counts only
 * through `UPDATE … WHERE lastAt <= now − 30 min`, so concurrent requests in any number of
 * processes produce exactly one check-in per window (the row lock serialises them).
 */
@Entity('station_checkin_guards')
@Index(['memberId', 'stationId'], { unique: true })
export class StationCheckInGuard {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) memberId: number;
  @Column({ type: 'int' }) stationId: number;
  @Column({ type: 'int', nullable: true }) lastCheckInId: number | null;
  @Column({ type: 'datetime' }) lastAt: Date;
}
