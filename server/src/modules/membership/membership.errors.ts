import { HttpStatus } from '@nestjs/common';
import { MembershipErrorCode as C } from '@union/shared';
import { DomainError } from '../../common/domain-error';

export const ID_NUMBER_UNAVAILABLE_MESSAGE = '该身份证号暂时无法在线申请入会，请携带本人身份证联系所在地工会办理';

/** Errors of the membership module, each with its code, Chinese message and HTTP status. */
export const MembershipErrors = {
  joinCodeNotFound: () => new DomainError(C.JOIN_CODE_NOT_FOUND, '入会二维码无效', HttpStatus.NOT_FOUND),
  joinCodeExpired: () => new DomainError(C.JOIN_CODE_EXPIRED, '入会二维码已过期', HttpStatus.GONE),
  joinCodeRevoked: () => new DomainError(C.JOIN_CODE_REVOKED, '入会二维码已停用', HttpStatus.GONE),
  orgNotGrassroots: () => new DomainError(C.ORG_NOT_GRASSROOTS, '只能为基层工会创建入会二维码', HttpStatus.BAD_REQUEST),
  alreadyMember: (orgName: string) => new DomainError(C.ALREADY_MEMBER, `该身份证号已是「${orgName}」的会员，如需转会请扫描新组织的二维码申请转会`, HttpStatus.CONFLICT, { orgName }),
  /** Neutral on purpose (no union, no reason): a stranger must not learn whether an ID number is a member or pending. */
  idNumberUnavailable: () => new DomainError(C.ID_NUMBER_UNAVAILABLE, ID_NUMBER_UNAVAILABLE_MESSAGE, HttpStatus.CONFLICT),
  alreadyPending: (orgName: string) => new DomainError(C.ALREADY_PENDING, `已有一份提交给「${orgName}」的申请正在审核中，请耐心等待`, HttpStatus.CONFLICT, { orgName }),
  notMember: () => new DomainError(C.NOT_MEMBER, '您还不是工会会员', HttpStatus.NOT_FOUND),
  sameOrg: () => new DomainError(C.SAME_ORG, '您已是该工会的会员，无需转会', HttpStatus.CONFLICT),
  cardCodeInvalid: () => new DomainError(C.CARD_CODE_INVALID, '会员卡码无效', HttpStatus.NOT_FOUND),
  notPending: () => new DomainError(C.NOT_PENDING, '该申请已处理，请刷新列表', HttpStatus.CONFLICT),
  applicationNotFound: () => new DomainError('APPLICATION_NOT_FOUND', '申请不存在', HttpStatus.NOT_FOUND),
  expiresInPast: () => new DomainError('VALIDATION_FAILED', '有效期应晚于当前时间', HttpStatus.BAD_REQUEST, [{ field: 'expiresAt', message: '有效期应晚于当前时间' }]),
  cardErrors: { notFoundCode: C.CARD_CODE_INVALID, expiredCode: C.CARD_CODE_EXPIRED, what: '会员卡码' },
  joinErrors: { notFoundCode: C.JOIN_CODE_NOT_FOUND, expiredCode: C.JOIN_CODE_EXPIRED, what: '入会二维码' },
};
