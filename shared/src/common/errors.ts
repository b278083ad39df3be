/**
 * The one error envelope every failed API request returns.
 * `code` is machine-readable (UPPER_SNAKE), `message` is Chinese for people,
 * `details` is optional structured context (e.g. per-field validation errors).
 */
export interface ErrorEnvelope {
  code: string;
  message: string;
  details?: unknown;
}

/** One field that failed validation, as carried in `details` of a `VALIDATION_FAILED` error. */
export interface FieldError {
  /** Dotted path of the field, e.g. `idNumber`. */
  field: string;
  /** Chinese explanation shown next to the field. */
  message: string;
}

/** Error codes shared by every module. Module-specific codes live beside their module. */
export const CommonErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** An approver who created or changed the thing (four-eyes rule, server/src/common/four-eyes.ts). */
  FOUR_EYES_REQUIRED: 'FOUR_EYES_REQUIRED',
  /** The thing changed since the version the approver saw. */
  APPROVAL_STALE: 'APPROVAL_STALE',
  /** The current content is not the approved version (paying it is refused). */
  VERSION_NOT_APPROVED: 'VERSION_NOT_APPROVED',
  EXPIRED: 'EXPIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  DB_UNAVAILABLE: 'DB_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type CommonErrorCode = (typeof CommonErrorCode)[keyof typeof CommonErrorCode];
