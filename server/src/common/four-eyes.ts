import { createHash } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { CommonErrorCode } from '@union/shared';
import { DomainError } from './domain-error';

/**
 * The four-eyes rule (四眼原则), the one rule every approval flow calls: payout batches and one-off
 * payouts, household files (activation), online aid applications (confirmation of a proposal).
 *
 * 1. Nobody approves what they made: the approver must differ from every *maker* of the thing — its
 *    creator, its last editor, and the last editor of each of its lines. A change therefore makes its
 *    author a maker, and the approval needs yet another person.
 * 2. An approval is of one content: the flow keeps a version counter bumped by every change and records
 *    `approvedVersion` with a SHA-256 {@link contentHash} of the lines approved, so the record says who
 *    approved which content; money moves only while the current version is the approved one
 *    ({@link assertApprovedVersion}).
 *
 * Flows enforce rule 1 a second time in the conditional UPDATE that records the approval (`… AND
 * createdById <> :approver …`), so a race between the check and the write cannot slip through.
 */
export const FourEyesErrors = {
  /** 403 FOUR_EYES_REQUIRED: the approver made or changed the thing. */
  required: (what: string) =>
    new DomainError(CommonErrorCode.FOUR_EYES_REQUIRED, `${what}须由创建人和修改人以外的另一名工作人员审批（四眼原则）`, HttpStatus.FORBIDDEN),
  /** 409 APPROVAL_STALE: the thing changed since the version the approver saw. */
  stale: (what: string) =>
    new DomainError(CommonErrorCode.APPROVAL_STALE, `${what}在您查看后已被修改，请刷新后核对再审批`, HttpStatus.CONFLICT),
  /** 409 VERSION_NOT_APPROVED: the current content is not the content that was approved. */
  notApproved: (what: string) =>
    new DomainError(CommonErrorCode.VERSION_NOT_APPROVED, `${what}审批后内容已变更，须重新审批后才能发放`, HttpStatus.CONFLICT),
};

/**
 * Refuses an approval by one of the makers.
 * @param what Chinese name of the thing, e.g. `发放批次` (goes into the message).
 * @param approverId the user who would approve.
 * @param makers user ids of the creator and every editor (null/undefined entries are ignored).
 * @throws 403 FOUR_EYES_REQUIRED when `approverId` is among `makers`.
 */
export function assertFourEyes(what: string, approverId: number, makers: ReadonlyArray<number | null | undefined>): void {
  if (makers.some((m) => m !== null && m !== undefined && m === approverId)) throw FourEyesErrors.required(what);
}

/**
 * Refuses an approval of a version other than the one the approver looked at.
 * @param seenVersion the version the approver's client showed (undefined: not given, nothing to compare).
 * @throws 409 APPROVAL_STALE when it differs from `currentVersion`.
 */
export function assertSeenVersion(what: string, currentVersion: number, seenVersion: number | undefined): void {
  if (seenVersion !== undefined && seenVersion !== currentVersion) throw FourEyesErrors.stale(what);
}

/**
 * Refuses to act on (pay) content that is not the approved content.
 * @throws 409 VERSION_NOT_APPROVED unless `approvedVersion` is set and equals `currentVersion`.
 */
export function assertApprovedVersion(what: string, currentVersion: number, approvedVersion: number | null): void {
  if (approvedVersion === null || approvedVersion !== currentVersion) throw FourEyesErrors.notApproved(what);
}

/** One line of approved content: its identifying and money fields, in a fixed order (e.g. payout id, household, type, period, fen). */
export type ContentLine = ReadonlyArray<string | number | null>;

/**
 * SHA-256 (hex, 64 characters) over the lines, sorted, as canonical JSON: the same lines in any order
 * give the same hash; any change of a field, a line added or removed gives another.
 */
export function contentHash(lines: ReadonlyArray<ContentLine>): string {
  const canonical = lines.map((l) => JSON.stringify(l)).sort();
  return createHash('sha256').update(`[${canonical.join(',')}]`).digest('hex');
}
