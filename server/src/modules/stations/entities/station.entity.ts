import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { OpeningHours, StationStatus } from '@union/shared';

/**
 * A station (户外劳动者服务站 / 爱心驿站). Coordinates GCJ-02 degrees. The nearby search runs on an in-memory k-d tree
 * (StationGeoIndex); the (lat, lng, amenityMask) index serves ad-hoc box queries in SQL. Amenities are a bit mask (see `amenityMask` in @union/shared) so
 * "has all of these" is one `&` in SQL. Photos and ratings live in their own tables.
 */
@Entity('stations')
@Index(['lat', 'lng', 'amenityMask'])
export class Station {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) orgId: number;
  @Index() @Column({ type: 'int', nullable: true }) keeperUserId: number | null;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 200 }) address: string;
  @Column({ type: 'double' }) lat: number;
  @Column({ type: 'double' }) lng: number;
  @Column({ type: 'int', default: 0 }) amenityMask: number;
  @Column({ type: 'simple-json' }) hours: OpeningHours;
  /** Closed calendar dates `YYYY-MM-DD` (Asia/Shanghai). */
  @Column({ type: 'simple-json' }) closedDates: string[];
  @Column({ type: 'varchar', length: 24 }) status: StationStatus;
  @Column({ type: 'varchar', length: 200, nullable: true }) closedNote: string | null;
  /** Last closed date (inclusive) while temporarily closed; null = until further notice. */
  @Column({ type: 'varchar', length: 10, nullable: true }) closedUntil: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) phone: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  /** Random part of the signed station code printed on the door. */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 32 }) codeBody: string;
  @Column({ type: 'datetime' }) createdAt: Date;
  /** Set on every edit; indexed: the nearby index's version is its maximum, and its catch-up a range on it. */
  @Index() @Column({ type: 'datetime' }) updatedAt: Date;
}

/** A station photo in one of 3 slots (MAX_STATION_PHOTOS): the unique (station, slot) key caps the count under concurrency. */
@Entity('station_photos')
@Index(['stationId', 'slot'], { unique: true })
export class StationPhoto {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) stationId: number;
  /** 0 … MAX_STATION_PHOTOS − 1. */
  @Column({ type: 'int' }) slot: number;
  /** File name under `<uploadDir>/stations/`. */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) fileName: string;
  @Column({ type: 'varchar', length: 32 }) contentType: string;
  @Column({ type: 'int' }) bytes: number;
  @Column({ type: 'datetime' }) createdAt: Date;
}

/**
 * One row (id 1): a counter every station insert or edit of the application raises in the same transaction. With the
 * highest id and latest `updatedAt` it makes the version the nearby index compares before answering (StationGeoIndex):
 * the counter catches two edits within one `updatedAt` tick (MySQL keeps whole seconds), across processes.
 */
@Entity('stations_version')
export class StationsVersion {
  @PrimaryColumn({ type: 'int' }) id: number;
  @Column({ type: 'int', default: 0 }) seq: number;
}
