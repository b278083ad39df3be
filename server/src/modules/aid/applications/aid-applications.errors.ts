import { HttpStatus } from '@nestjs/common';
import { AidApplicationErrorCode as C, MAX_APPLICATION_DOCUMENTS } from '@union/shared';
import { DomainError } from '../../../common/domain-error';

/** Errors of online aid applications, each with its code, Chinese message and HTTP status. */
export const AidApplicationErrors = {
  notFound: () => new DomainError(C.APPLICATION_NOT_FOUND, '帮扶申请不存在', HttpStatus.NOT_FOUND),
  openExists: (orgName: string) =>
    new DomainError(C.APPLICATION_OPEN_EXISTS, `该身份证号已有一份正在办理的帮扶申请（${orgName}），请在「我的申请」中查看进度`, HttpStatus.CONFLICT, { orgName }),
  state: (what: string) => new DomainError(C.APPLICATION_STATE, `当前状态不能${what}，请刷新后重试`, HttpStatus.CONFLICT),
  taken: () => new DomainError(C.APPLICATION_TAKEN, '该申请已被其他工作人员受理', HttpStatus.CONFLICT),
  notApplicant: () => new DomainError(C.NOT_APPLICANT, '只有申请人本人可以撤回申请或删除材料', HttpStatus.FORBIDDEN),
  notHandler: () => new DomainError(C.NOT_HANDLER, '只有受理该申请的经办人可以进行此操作', HttpStatus.FORBIDDEN),
  visitRequired: () => new DomainError(C.VISIT_REQUIRED, '请先完成并记录入户核实', HttpStatus.CONFLICT),
  documentMissing: () => new DomainError(C.DOCUMENT_MISSING, '请选择要上传的文件', HttpStatus.BAD_REQUEST, [{ field: 'file', message: '请选择要上传的文件' }]),
  documentType: () => new DomainError(C.DOCUMENT_TYPE, '只能上传JPG、PNG图片或PDF文件', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  documentTooLarge: () => new DomainError(C.DOCUMENT_TOO_LARGE, '文件不能超过5MB', HttpStatus.PAYLOAD_TOO_LARGE),
  documentLimit: () => new DomainError(C.DOCUMENT_LIMIT, `每份申请最多上传${MAX_APPLICATION_DOCUMENTS}个材料`, HttpStatus.CONFLICT),
  documentNotFound: () => new DomainError(C.DOCUMENT_NOT_FOUND, '材料不存在', HttpStatus.NOT_FOUND),
  orgNotEligible: () =>
    new DomainError(C.ORG_NOT_ELIGIBLE, '请选择市、区县或基层工会', HttpStatus.BAD_REQUEST, [{ field: 'orgCode', message: '请选择市、区县或基层工会' }]),
  noticeForbidden: () => new DomainError(C.NOTICE_FORBIDDEN, '仅该工会的会员、职工和工作人员可以查看公示', HttpStatus.FORBIDDEN),
  mergeForbidden: () =>
    new DomainError(C.HOUSEHOLD_MERGE_FORBIDDEN, '该申请匹配的困难职工档案不在您的管辖范围内，只能由建档工会并入档案，或不予批准', HttpStatus.FORBIDDEN),
  matchChanged: () =>
    new DomainError(C.HOUSEHOLD_MATCH_CHANGED, '匹配的困难职工档案已发生变化，请经办人重新提出审批意见', HttpStatus.CONFLICT),
  mergeChoiceRequired: () =>
    new DomainError('VALIDATION_FAILED', '该申请匹配到已有困难职工档案：请选择并入该档案，或不予批准', HttpStatus.BAD_REQUEST,
      [{ field: 'mergeIntoHousehold', message: '请选择并入已有档案，或不予批准' }]),
  documentRetained: () =>
    new DomainError(C.DOCUMENT_RETAINED, '申请已批准，材料作为帮扶档案依据按规定保存，不能删除', HttpStatus.CONFLICT),
  invalid: (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, HttpStatus.BAD_REQUEST, [{ field, message }]),
};
