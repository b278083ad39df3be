import { HttpStatus } from '@nestjs/common';
import { LotteryErrorCode as C } from '@union/shared';
import { DomainError } from '../../common/domain-error';

const e = (code: string, message: string, status: number, details?: unknown) => new DomainError(code, message, status, details);

/** Errors of the lottery (摇号) of voucher campaigns, each with its code, Chinese message and HTTP status. */
export const LotteryErrors = {
  lotteryCampaign: () => e(C.LOTTERY_CAMPAIGN, '本活动通过摇号发放，请在登记期内登记参加摇号', HttpStatus.CONFLICT),
  notALottery: () => e(C.NOT_A_LOTTERY, '本活动不是摇号活动', HttpStatus.CONFLICT),
  alreadyRegistered: (registration: unknown) => e(C.LOTTERY_ALREADY_REGISTERED, '您已登记参加本次摇号，不能重复登记', HttpStatus.CONFLICT, { registration }),
  registrationNotOpen: (registrationStartAt: Date) =>
    e(C.REGISTRATION_NOT_OPEN, '摇号登记尚未开始', HttpStatus.CONFLICT, { registrationStartAt: registrationStartAt.toISOString() }),
  registrationClosed: () => e(C.REGISTRATION_CLOSED, '摇号登记已截止', HttpStatus.CONFLICT),
  drawTooEarly: (drawAt: Date) => e(C.DRAW_TOO_EARLY, '未到开奖时间，不能摇号', HttpStatus.CONFLICT, { drawAt: drawAt.toISOString() }),
  alreadyDrawn: () => e(C.ALREADY_DRAWN, '本次摇号已开奖，不能重复摇号', HttpStatus.CONFLICT),
  notDrawn: () => e(C.LOTTERY_NOT_DRAWN, '尚未开奖', HttpStatus.NOT_FOUND),
  notPublished: () => e('CAMPAIGN_NOT_PUBLISHED', '活动未发布或已结束，不能摇号', HttpStatus.CONFLICT),
  stockChanged: () => e('STOCK_CHANGED', '库存已变化，请重试', HttpStatus.CONFLICT),
  invalid: (field: string, message: string) => e('VALIDATION_FAILED', message, HttpStatus.BAD_REQUEST, [{ field, message }]),
};
