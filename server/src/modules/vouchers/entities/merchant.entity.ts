import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MerchantCategory, MerchantStatus } from '@union/shared';

/** A merchant (商户) that accepts vouchers once staff of the org where it trades approve it. */
@Entity('merchants')
@Index(['orgId', 'status'])
export class Merchant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 16 }) category: MerchantCategory;
  @Column({ type: 'varchar', length: 200 }) address: string;
  /** GCJ-02 degrees. */
  @Column({ type: 'double' }) lat: number;
  @Column({ type: 'double' }) lng: number;
  /** 统一社会信用代码 (GB 32100), upper case. */
  @Index() @Column({ type: 'varchar', length: 18 }) licenceNo: string;
  /**
   * Equals `licenceNo` while the merchant is pending or approved, null once rejected:
   * the unique index keeps one live merchant per licence under concurrent applications.
   */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 18, nullable: true }) licenceKey: string | null;
  @Column({ type: 'varchar', length: 64 }) contactName: string;
  @Column({ type: 'varchar', length: 255 }) contactMobileEnc: string;
  @Column({ type: 'varchar', length: 16 }) contactMobileMasked: string;
  /** The org where it trades: staff of that org's ancestors (and of it) review it. */
  @Column({ type: 'int' }) orgId: number;
  @Index() @Column({ type: 'varchar', length: 16 }) status: MerchantStatus;
  @Column({ type: 'varchar', length: 200, nullable: true }) discountNote: string | null;
  @Index() @Column({ type: 'int' }) applicantUserId: number;
  @Column({ type: 'varchar', length: 200, nullable: true }) rejectReason: string | null;
  @Column({ type: 'int', nullable: true }) reviewedById: number | null;
  @Column({ type: 'datetime', nullable: true }) reviewedAt: Date | null;
  @Column({ type: 'datetime' }) createdAt: Date;
}

/** An account that redeems vouchers for one merchant (店员). `userId` unique: one merchant per account. */
@Entity('merchant_clerks')
export class MerchantClerk {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) merchantId: number;
  @Index({ unique: true }) @Column({ type: 'int' }) userId: number;
  /** `owner`: the applicant, who may invite clerks. */
  @Column({ type: 'varchar', length: 16 }) role: 'owner' | 'clerk';
  @Column({ type: 'datetime' }) createdAt: Date;
}
