import { HttpStatus } from '@nestjs/common';
import { StationsErrorCode as C, MAX_STATION_PHOTOS } from '@union/shared';
import { DomainError } from '../../common/domain-error';

/** Errors of the stations module, each with its code, Chinese message and HTTP status. */
export const StationsErrors = {
  stationNotFound: () => new DomainError(C.STATION_NOT_FOUND, '驿站不存在', HttpStatus.NOT_FOUND),
  stationCodeInvalid: () => new DomainError(C.STATION_CODE_INVALID, '驿站二维码无效', HttpStatus.NOT_FOUND),
  notMember: () => new DomainError(C.NOT_MEMBER, '打卡和评价仅限工会会员，请先加入工会', HttpStatus.FORBIDDEN),
  notKeeper: () => new DomainError(C.NOT_KEEPER, '只有本站站长或所属工会工作人员可以操作', HttpStatus.FORBIDDEN),
  keeperInvalid: () => new DomainError(C.KEEPER_INVALID, '站长须为本辖区内的驿站站长账号', HttpStatus.BAD_REQUEST, [{ field: 'keeperUserId', message: '站长须为本辖区内的驿站站长账号' }]),
  ratingNeedsCheckIn: () => new DomainError(C.RATING_NEEDS_CHECKIN, '请先在该驿站打卡后再评价', HttpStatus.FORBIDDEN),
  alreadyRated: () => new DomainError(C.ALREADY_RATED, '今天已经评价过这个驿站了', HttpStatus.CONFLICT),
  reportNotFound: () => new DomainError(C.REPORT_NOT_FOUND, '问题反馈不存在', HttpStatus.NOT_FOUND),
  reportHandled: () => new DomainError(C.REPORT_HANDLED, '该问题已处理', HttpStatus.CONFLICT),
  photoLimit: () => new DomainError(C.PHOTO_LIMIT, `每个驿站最多${MAX_STATION_PHOTOS}张照片，请先删除一张`, HttpStatus.CONFLICT),
  photoType: () => new DomainError(C.PHOTO_TYPE, '仅支持 JPEG、PNG 或 WebP 图片', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  photoTooLarge: () => new DomainError(C.PHOTO_TOO_LARGE, '图片不能超过2MB', HttpStatus.PAYLOAD_TOO_LARGE),
  photoMissing: () => new DomainError('VALIDATION_FAILED', '请选择要上传的图片', HttpStatus.BAD_REQUEST, [{ field: 'file', message: '请选择要上传的图片' }]),
  photoNotFound: () => new DomainError(C.PHOTO_NOT_FOUND, '照片不存在', HttpStatus.NOT_FOUND),
  importInvalid: (errors: unknown) => new DomainError(C.IMPORT_INVALID, '导入文件有错误，未导入任何数据，请按提示修改后重新导入', HttpStatus.BAD_REQUEST, errors),
  keeperInviteErrors: { notFoundCode: C.KEEPER_INVITE_INVALID, expiredCode: C.KEEPER_INVITE_EXPIRED, usedCode: C.KEEPER_INVITE_USED, what: '站长邀请码' },
  keeperInviteInvalid: () => new DomainError(C.KEEPER_INVITE_INVALID, '站长邀请码无效', HttpStatus.NOT_FOUND),
  keeperRoleConflict: () => new DomainError(C.KEEPER_ROLE_CONFLICT, '工作人员、管理员或商户店员账号不能担任驿站站长，请用个人账号接受邀请', HttpStatus.CONFLICT),
  stationCodeErrors: { notFoundCode: C.STATION_CODE_INVALID, expiredCode: C.STATION_CODE_EXPIRED, what: '驿站二维码' },
};
