import { HttpStatus } from '@nestjs/common';
import { AidErrorCode as C, BIND_LOCK_MINUTES, ImportReport } from '@union/shared';
import { DomainError } from '../../common/domain-error';

/** Errors of the aid module, each with its code, Chinese message and HTTP status. */
export const AidErrors = {
  householdNotFound: () => new DomainError(C.HOUSEHOLD_NOT_FOUND, '困难职工档案不存在', HttpStatus.NOT_FOUND),
  alreadyRegistered: (orgName: string) =>
    new DomainError(C.HOUSEHOLD_ALREADY_REGISTERED, `该身份证号已在「${orgName}」建档，不能重复建档`, HttpStatus.CONFLICT, { orgName }),
  notRegistered: () => new DomainError(C.HOUSEHOLD_NOT_REGISTERED, '该档案已审核或已解困，请刷新后重试', HttpStatus.CONFLICT),
  notActive: () => new DomainError(C.HOUSEHOLD_NOT_ACTIVE, '该档案不在帮扶中（未审核或已解困）', HttpStatus.CONFLICT),
  codeNotFound: () => new DomainError(C.HOUSEHOLD_CODE_NOT_FOUND, '帮扶码无效', HttpStatus.NOT_FOUND),
  codeRevoked: () =>
    new DomainError(C.HOUSEHOLD_CODE_REVOKED, '该帮扶码已失效（已补发新码），请使用新的明白卡或联系工会', HttpStatus.GONE),
  bindMismatch: (remaining: number) =>
    new DomainError(C.BIND_MISMATCH, `姓名或身份证号后6位不正确，还可尝试${remaining}次`, HttpStatus.BAD_REQUEST, { remaining }),
  bindLocked: (lockedUntil: Date) =>
    new DomainError(C.BIND_LOCKED, `尝试次数过多，绑定已锁定${BIND_LOCK_MINUTES}分钟，请稍后再试`, HttpStatus.LOCKED, { lockedUntil: lockedUntil.toISOString() }),
  batchNotFound: () => new DomainError(C.BATCH_NOT_FOUND, '发放批次不存在', HttpStatus.NOT_FOUND),
  batchEmpty: () => new DomainError(C.BATCH_EMPTY, '没有需要发放的在档家庭（可能本期已发放或已在其他批次中）', HttpStatus.CONFLICT),
  batchNotPending: () => new DomainError(C.BATCH_NOT_PENDING, '该批次已审批，不能再修改', HttpStatus.CONFLICT),
  batchNotApproved: () => new DomainError(C.BATCH_NOT_APPROVED, '批次审批通过后才能导入银行结果', HttpStatus.CONFLICT),
  payoutNotFound: () => new DomainError(C.PAYOUT_NOT_FOUND, '发放记录不存在', HttpStatus.NOT_FOUND),
  payoutNotPending: () => new DomainError(C.PAYOUT_NOT_PENDING, '该发放记录已审批，不能修改金额', HttpStatus.CONFLICT),
  payoutExists: () => new DomainError(C.PAYOUT_EXISTS, '该家庭本期已有同类发放记录，不能重复发放', HttpStatus.CONFLICT),
  fileRequired: () => new DomainError(C.FILE_REQUIRED, '请上传CSV文件', HttpStatus.BAD_REQUEST, [{ field: 'file', message: '请上传CSV文件' }]),
  fileInvalid: (reason: string) => new DomainError(C.FILE_INVALID, `文件无法读取：${reason}`, HttpStatus.BAD_REQUEST, [{ field: 'file', message: reason }]),
  importRejected: (report: ImportReport) =>
    new DomainError(C.IMPORT_REJECTED, `文件有${new Set(report.errors.map((e) => e.row)).size}行不符合要求，未导入任何记录`, HttpStatus.UNPROCESSABLE_ENTITY, report),
  codeErrors: { notFoundCode: C.HOUSEHOLD_CODE_NOT_FOUND, expiredCode: C.HOUSEHOLD_CODE_REVOKED, what: '帮扶码' },
};
