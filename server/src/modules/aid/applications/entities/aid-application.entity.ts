import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AidApplicationEventType, AidApplicationStatus, AidDocumentKind, AidType, EmploymentStatus, HardshipLevel } from '@union/shared';

/**
 * An online aid application (帮扶申请). ID and mobile numbers are encrypted with a keyed look-up hash
 * and a masked copy. `openKey` equals `idNumberHash` while the application is open and is null once
 * approved or rejected: its unique index makes "one open application per ID number" hold under
 * concurrency (like membership's `pendingKey`). Lists are stored as `|a|b|` like the household file.
 */
@Entity('aid_applications')
@Index(['orgId', 'status', 'createdAt'])
@Index(['status', 'noticeUntil'])
export class AidApplication {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 16 }) status: AidApplicationStatus;
  @Index() @Column({ type: 'int' }) userId: number;
  @Index() @Column({ type: 'int' }) orgId: number;
  /** The household file on record for this ID number when applying, or the one created on approval. */
  @Index() @Column({ type: 'int', nullable: true }) householdId: number | null;
  @Column({ type: 'boolean', default: false }) linkedToHousehold: boolean;
  @Column({ type: 'varchar', length: 64 }) applicantName: string;
  @Column({ type: 'varchar', length: 255 }) idNumberEnc: string;
  @Index() @Column({ type: 'varchar', length: 64 }) idNumberHash: string;
  @Column({ type: 'varchar', length: 32 }) idNumberMasked: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64, nullable: true }) openKey: string | null;
  @Column({ type: 'varchar', length: 255 }) mobileEnc: string;
  @Column({ type: 'varchar', length: 64 }) mobileHash: string;
  @Column({ type: 'varchar', length: 16 }) mobileMasked: string;
  @Column({ type: 'varchar', length: 100 }) employer: string;
  @Column({ type: 'varchar', length: 32 }) province: string;
  @Column({ type: 'varchar', length: 32 }) city: string;
  @Column({ type: 'varchar', length: 32 }) district: string;
  @Column({ type: 'varchar', length: 64 }) street: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) addressDetail: string | null;
  @Column({ type: 'varchar', length: 16 }) employmentStatus: EmploymentStatus;
  @Column({ type: 'int' }) householdSize: number;
  @Column({ type: 'int' }) monthlyIncomeFen: number;
  @Column({ type: 'int' }) illMembers: number;
  @Column({ type: 'int' }) disabledMembers: number;
  @Column({ type: 'varchar', length: 120 }) causes: string;
  @Column({ type: 'varchar', length: 80 }) helpKinds: string;
  @Column({ type: 'varchar', length: 80 }) needs: string;
  @Column({ type: 'text' }) account: string;
  @Column({ type: 'datetime' }) consentAt: Date;
  @Column({ type: 'datetime' }) createdAt: Date;
  @Column({ type: 'datetime' }) updatedAt: Date;
  // --- handling
  @Index() @Column({ type: 'int', nullable: true }) handlerId: number | null;
  @Column({ type: 'datetime', nullable: true }) acceptedAt: Date | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) question: string | null;
  // --- home visit
  @Column({ type: 'varchar', length: 10, nullable: true }) visitScheduledDate: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) visitScheduleNote: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true }) visitDate: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) visitors: string | null;
  @Column({ type: 'text', nullable: true }) visitFindings: string | null;
  @Column({ type: 'int', nullable: true }) verifiedHouseholdSize: number | null;
  @Column({ type: 'int', nullable: true }) verifiedMonthlyIncomeFen: number | null;
  @Column({ type: 'datetime', nullable: true }) visitRecordedAt: Date | null;
  // --- decision
  @Column({ type: 'varchar', length: 16, nullable: true }) decision: 'approve' | 'reject' | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) decisionLevel: HardshipLevel | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) decisionCauses: string | null;
  @Column({ type: 'int', nullable: true }) decisionIncomeFen: number | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) payoutAidType: AidType | null;
  @Column({ type: 'int', nullable: true }) payoutAmountFen: number | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) rejectReason: string | null;
  @Column({ type: 'int', nullable: true }) proposedById: number | null;
  @Column({ type: 'datetime', nullable: true }) proposedAt: Date | null;
  @Column({ type: 'int', nullable: true }) confirmedById: number | null;
  @Column({ type: 'datetime', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'int', nullable: true }) payoutBatchId: number | null;
  /** Approved applications are on the public notice until this instant. */
  @Column({ type: 'datetime', nullable: true }) noticeUntil: Date | null;
}

/**
 * A supporting document or a visit photo, stored under `<UPLOAD_DIR>/aid-applications/<random name>`
 * and served only through the authenticated document route. `(applicationId, kind, slot)` is unique with
 * slot 1…5, so concurrent uploads cannot exceed five documents of a kind.
 */
@Entity('aid_application_documents')
@Index(['applicationId', 'kind', 'slot'], { unique: true })
export class AidApplicationDocument {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) applicationId: number;
  @Column({ type: 'varchar', length: 16 }) kind: AidDocumentKind;
  @Column({ type: 'int' }) slot: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) fileName: string;
  @Column({ type: 'varchar', length: 100 }) originalName: string;
  @Column({ type: 'varchar', length: 32 }) contentType: string;
  @Column({ type: 'int' }) bytes: number;
  @Column({ type: 'int' }) uploadedById: number;
  @Column({ type: 'datetime' }) createdAt: Date;
}

/** The application's timeline: every step with who (applicant or staff id) and when. */
@Entity('aid_application_events')
@Index(['applicationId', 'at'])
export class AidApplicationEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) applicationId: number;
  @Column({ type: 'varchar', length: 24 }) type: AidApplicationEventType;
  @Column({ type: 'int' }) actorId: number;
  @Column({ type: 'varchar', length: 16 }) actorRole: 'applicant' | 'staff';
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'datetime' }) at: Date;
}
