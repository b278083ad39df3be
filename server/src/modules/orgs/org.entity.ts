import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { OrgLevel } from '@union/shared';

/** A union organisation in the federation tree. */
@Entity('union_orgs')
export class UnionOrg {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) code: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 16 }) level: OrgLevel;
  @Column({ type: 'int', nullable: true }) parentId: number | null;
  /** Materialised path of org codes from the root, `/ACFTU/HB/HB-HS/`: a subtree is a path prefix. */
  @Index() @Column({ type: 'varchar', length: 512 }) path: string;
  @Column({ type: 'varchar', length: 50, nullable: true }) city: string | null;
  /** GCJ-02 degrees. */
  @Column({ type: 'double', nullable: true }) lat: number | null;
  @Column({ type: 'double', nullable: true }) lng: number | null;
  @Column({ type: 'boolean', default: false }) autoApprove: boolean;
  @Column({ type: 'datetime' }) createdAt: Date;
}
