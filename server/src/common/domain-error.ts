import { HttpStatus } from '@nestjs/common';

/**
 * A rule of the domain was broken. Thrown by services; the global exception filter
 * turns it into the error envelope `{ code, message, details? }` with `status`.
 */
export class DomainError extends Error {
  constructor(
    /** Machine-readable code, e.g. `ALREADY_MEMBER`. */
    readonly code: string,
    /** Chinese explanation for the user. */
    message: string,
    readonly status: number = HttpStatus.BAD_REQUEST,
    readonly details?: unknown,
  ) {
    // A refusal (4xx) is an answer, not a fault: nobody reads its stack, and capturing one costs more than the
    // rest of a sold-out answer on the claim path. Faults (5xx) keep theirs for the log.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export const notFound = (what = '记录', code = 'NOT_FOUND') => new DomainError(code, `${what}不存在`, HttpStatus.NOT_FOUND);
export const forbidden = (message = '无权进行此操作') => new DomainError('FORBIDDEN', message, HttpStatus.FORBIDDEN);
export const conflict = (code: string, message: string, details?: unknown) => new DomainError(code, message, HttpStatus.CONFLICT, details);
