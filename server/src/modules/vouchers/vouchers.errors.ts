import { HttpStatus } from '@nestjs/common';
import { formatShanghai, REDEEM_ERROR_MESSAGES as M, VoucherErrorCode as C } from '@union/shared';
import { DomainError } from '../../common/domain-error';

const e = (code: string, message: string, status: number, details?: unknown) => new DomainError(code, message, status, details);

/** Errors of the vouchers module, each with its code, Chinese message and HTTP status. */
export const VoucherErrors = {
  // merchants and clerks
  merchantNotFound: () => e('MERCHANT_NOT_FOUND', '商户不存在', HttpStatus.NOT_FOUND),
  licenceTaken: () => e('LICENCE_TAKEN', '该统一社会信用代码已有商户在审核中或已入驻', HttpStatus.CONFLICT),
  alreadyClerk: () => e('ALREADY_CLERK', '该账号已绑定商户，不能重复申请或加入', HttpStatus.CONFLICT),
  merchantNotPending: () => e('MERCHANT_NOT_PENDING', '该商户申请已处理，请刷新列表', HttpStatus.CONFLICT),
  notAClerk: () => e(C.NOT_A_CLERK, M.NOT_A_CLERK + '，不能进行商户操作', HttpStatus.FORBIDDEN),
  merchantNotApproved: () => e('MERCHANT_NOT_APPROVED', '商户尚未通过审核', HttpStatus.FORBIDDEN),
  notOwner: () => e('NOT_OWNER', '只有商户负责人可以邀请店员', HttpStatus.FORBIDDEN),
  inviteErrors: { notFoundCode: 'CLERK_INVITE_INVALID', expiredCode: 'CLERK_INVITE_EXPIRED', usedCode: 'CLERK_INVITE_USED', what: '店员邀请码' },
  inviteInvalid: () => e('CLERK_INVITE_INVALID', '店员邀请码无效', HttpStatus.NOT_FOUND),
  // campaigns
  campaignNotFound: () => e('CAMPAIGN_NOT_FOUND', '活动不存在', HttpStatus.NOT_FOUND),
  reminderTooLate: () => e('CAMPAIGN_ALREADY_OPEN', '活动已开始或已结束，无需提醒', HttpStatus.CONFLICT),
  voucherTypeNotFound: () => e('VOUCHER_TYPE_NOT_FOUND', '券种不存在', HttpStatus.NOT_FOUND),
  budgetExceeded: (allocatedFen: number, budgetFen: number) =>
    e(C.BUDGET_EXCEEDED, '各券种面额×数量之和超过活动预算', HttpStatus.BAD_REQUEST, { allocatedFen, budgetFen }),
  ruleFrozen: (fields: string[]) => e(C.CAMPAIGN_RULE_FROZEN, '活动已发布，面额、门槛、限领、领取条件和开始时间等规则不能再修改', HttpStatus.CONFLICT, { fields }),
  campaignClosed: () => e('CAMPAIGN_CLOSED', '活动已结束，不能修改', HttpStatus.CONFLICT),
  notDraft: () => e('CAMPAIGN_NOT_DRAFT', '只有草稿状态的活动可以发布', HttpStatus.CONFLICT),
  notPublished: () => e('CAMPAIGN_NOT_PUBLISHED', '只有已发布的活动可以结束', HttpStatus.CONFLICT),
  roundsStockFixed: () => e('ROUNDS_STOCK_FIXED', '分轮发放的活动每轮数量已公布，不能追加库存；如需追加请新建活动', HttpStatus.CONFLICT),
  /** This round's stock is gone; with a later round, `details.nextRoundAt` says when it opens. */
  roundSoldOut: (nextRoundAt: Date | null) => nextRoundAt
    ? e(C.SOLD_OUT, `本轮已领完，下一轮${formatShanghai(nextRoundAt)}开始`, HttpStatus.CONFLICT, { nextRoundAt: nextRoundAt.toISOString() })
    : e(C.SOLD_OUT, '券已领完', HttpStatus.CONFLICT),
  stockCannotShrink: () => e('STOCK_CANNOT_SHRINK', '库存只能增加，不能减少', HttpStatus.CONFLICT),
  validityBeforeClaimEnd: (message: string) =>
    e(C.VALIDITY_ENDS_BEFORE_CLAIM_END, message, HttpStatus.BAD_REQUEST, [{ field: 'validUntil', message }]),
  invalid: (field: string, message: string) => e('VALIDATION_FAILED', message, HttpStatus.BAD_REQUEST, [{ field, message }]),
  // claims
  paused: () => e('CAMPAIGN_PAUSED', '活动已暂停领取，请稍后再来', HttpStatus.CONFLICT),
  notPaused: () => e('CAMPAIGN_NOT_PAUSED', '活动未暂停', HttpStatus.CONFLICT),
  redemptionFrozen: () => e('REDEMPTION_FROZEN', '该活动的消费券暂停核销', HttpStatus.CONFLICT),
  notStarted: (claimStartAt: Date) => e(C.NOT_STARTED, '活动尚未开始，请在开抢时间后再来领取', HttpStatus.CONFLICT, { claimStartAt: claimStartAt.toISOString() }),
  ended: () => e(C.ENDED, '活动已结束', HttpStatus.GONE),
  notEligible: (reason: string) => e(C.NOT_ELIGIBLE, reason, HttpStatus.FORBIDDEN),
  limitReached: () => e(C.LIMIT_REACHED, '已达到每人限领数量', HttpStatus.CONFLICT),
  dailyLimitReached: (limit: number) => e(C.DAILY_LIMIT_REACHED, `今天已领${limit}张，已达每日限领数量，明天再来`, HttpStatus.CONFLICT, { perMemberDailyLimit: limit }),
  validityEnded: () => e(C.VALIDITY_ENDED, '该券有效期已过，不能再领取', HttpStatus.GONE),
  soldOut: () => e(C.SOLD_OUT, '券已领完', HttpStatus.CONFLICT),
  // vouchers and redemptions
  voucherNotFound: () => e('VOUCHER_NOT_FOUND', '消费券不存在', HttpStatus.NOT_FOUND),
  voucherNotUsable: () => e('VOUCHER_NOT_USABLE', '该券已使用或已过期，不能出示核销码', HttpStatus.CONFLICT),
  codeErrors: { notFoundCode: C.REDEMPTION_CODE_INVALID, expiredCode: C.REDEMPTION_CODE_EXPIRED, what: '核销码' },
  codeInvalid: () => e(C.REDEMPTION_CODE_INVALID, M.REDEMPTION_CODE_INVALID, HttpStatus.NOT_FOUND),
  alreadyRedeemed: () => e(C.ALREADY_REDEEMED, M.ALREADY_REDEEMED, HttpStatus.CONFLICT),
  voucherExpired: () => e(C.VOUCHER_EXPIRED, M.VOUCHER_EXPIRED, HttpStatus.GONE),
  notYetValid: () => e(C.VOUCHER_NOT_YET_VALID, M.VOUCHER_NOT_YET_VALID, HttpStatus.CONFLICT),
  belowMinSpend: (minSpendFen: number) => e(C.BELOW_MIN_SPEND, M.BELOW_MIN_SPEND, HttpStatus.UNPROCESSABLE_ENTITY, { minSpendFen }),
  selfRedemption: () => e(C.SELF_REDEMPTION, M.SELF_REDEMPTION, HttpStatus.FORBIDDEN),
  merchantNotInScope: () => e(C.MERCHANT_NOT_IN_SCOPE, M.MERCHANT_NOT_IN_SCOPE, HttpStatus.FORBIDDEN),
  redemptionNotFound: () => e('REDEMPTION_NOT_FOUND', '核销记录不存在', HttpStatus.NOT_FOUND),
  reversalNotAllowed: () => e(C.REVERSAL_NOT_ALLOWED, '只能撤销本店当天的核销', HttpStatus.CONFLICT),
  alreadyReversed: () => e('ALREADY_REVERSED', '该核销已撤销', HttpStatus.CONFLICT),
};

