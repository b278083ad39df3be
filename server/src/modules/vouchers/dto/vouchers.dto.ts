import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDateString, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import {
  AcceptClerkInviteRequest, AddStockRequest, CampaignMerchantQuery, CampaignStatus, ClaimVoucherRequest, CreateCampaignRequest,
  CreateMerchantRequest, MAX_AMOUNT_FEN, MERCHANT_CATEGORIES, MerchantCategory, MerchantListQuery, MerchantScopeKind, MerchantStatus,
  Occupation, OCCUPATIONS, RedeemRequest, RejectMerchantRequest, SettlementQuery, UpdateCampaignRequest, validateCreditCode,
  validateMobile, validatePersonName, ValidityKind, VoucherListQuery, VoucherStatus, VoucherTypeInput,
} from '@union/shared';
import { PageQueryDto } from '../../../common/paging.dto';
import { SatisfiesRule } from '../../../common/shared-rule.validator';
import { SafeText } from '../../../common/safe-text';
import { CAMPAIGN_ALLOCATIONS, CampaignAllocation } from '@union/shared';
import { LotteryRulesDto } from './lottery.dto';
import { trim } from '../../../common/transforms';

const ORG_CODE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const CATS = MERCHANT_CATEGORIES as unknown as string[];
const FEN_MAX = MAX_AMOUNT_FEN;

/** `POST /api/vouchers/merchants`. */
export class CreateMerchantDto implements CreateMerchantRequest {
  @ApiProperty() @IsString({ message: '请填写商户名称' }) @Transform(trim) @SafeText({ minLength: 2, maxLength: 100, message: '商户名称应为2至100个字' }) name: string;
  @ApiProperty({ enum: MERCHANT_CATEGORIES }) @IsIn(CATS, { message: '请选择商户品类' }) category: MerchantCategory;
  @ApiProperty() @IsString({ message: '请填写地址' }) @Transform(trim) @SafeText({ minLength: 2, maxLength: 200, message: '地址应为2至200个字' }) address: string;
  @ApiProperty({ description: 'GCJ-02 latitude' }) @IsNumber({}, { message: '纬度无效' }) @Min(-90, { message: '纬度无效' }) @Max(90, { message: '纬度无效' }) lat: number;
  @ApiProperty({ description: 'GCJ-02 longitude' }) @IsNumber({}, { message: '经度无效' }) @Min(-180, { message: '经度无效' }) @Max(180, { message: '经度无效' }) lng: number;
  @ApiProperty({ description: '统一社会信用代码, GB 32100' }) @Transform(upper) @SatisfiesRule(validateCreditCode) licenceNo: string;
  @ApiProperty() @Transform(trim) @SatisfiesRule(validatePersonName) contactName: string;
  @ApiProperty() @Transform(trim) @SatisfiesRule(validateMobile) contactMobile: string;
  @ApiProperty() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ maxLength: 200, message: '优惠说明最长200字' }) discountNote?: string;
}

const MERCHANT_STATUSES: MerchantStatus[] = ['pending', 'approved', 'rejected'];
export class MerchantListQueryDto extends PageQueryDto implements MerchantListQuery {
  @ApiPropertyOptional({ enum: MERCHANT_STATUSES }) @IsOptional() @IsIn(MERCHANT_STATUSES, { message: '状态无效' }) status?: MerchantStatus;
}

export class RejectMerchantDto implements RejectMerchantRequest {
  @ApiProperty() @IsString({ message: '请填写驳回原因' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '请填写驳回原因（最多200字）' }) reason: string;
}

export class AcceptClerkInviteDto implements AcceptClerkInviteRequest {
  @ApiProperty() @IsString({ message: '店员邀请码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '店员邀请码无效' }) inviteCode: string;
}

export class VoucherTypeDto implements VoucherTypeInput {
  @ApiProperty() @IsString({ message: '请填写券种名称' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 50, message: '券种名称应为1至50个字' }) name: string;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '面额应为整数（分）' }) @Min(1, { message: '面额应大于0' }) @Max(FEN_MAX, { message: '面额过大' }) faceValueFen: number;
  @ApiProperty({ description: 'fen, 0 = none' }) @IsInt({ message: '门槛应为整数（分）' }) @Min(0, { message: '门槛不能为负' }) @Max(FEN_MAX, { message: '门槛过大' }) minSpendFen: number;
  @ApiProperty() @IsInt({ message: '数量应为整数' }) @Min(1, { message: '数量至少为1' }) @Max(10_000_000, { message: '数量过大' }) quantity: number;
  @ApiProperty() @IsInt({ message: '每人限领应为整数' }) @Min(1, { message: '每人限领至少为1' }) @Max(100, { message: '每人限领最多100张' }) perMemberLimit: number;
  @ApiPropertyOptional({ description: 'with release rounds: stock per round; quantity = roundQuantity × roundCount' }) @IsOptional() @IsInt({ message: '每轮数量应为整数' }) @Min(1, { message: '每轮数量至少为1' }) @Max(10_000_000, { message: '每轮数量过大' }) roundQuantity?: number | null;
}

const VALIDITY: ValidityKind[] = ['fixed', 'relative'];
const SCOPES: MerchantScopeKind[] = ['all', 'categories', 'merchants'];

/** `POST /api/vouchers/manage/campaigns` (all rules; cross-field rules are checked by the service). */
export class CreateCampaignDto implements CreateCampaignRequest {
  @ApiProperty() @IsString({ message: '请填写活动名称' }) @Transform(trim) @SafeText({ minLength: 2, maxLength: 100, message: '活动名称应为2至100个字' }) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @SafeText({ multiline: true, maxLength: 2000, message: '活动说明最长2000字' }) description?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '预算应为整数（分）' }) @Min(1, { message: '预算应大于0' }) @Max(Number.MAX_SAFE_INTEGER, { message: '预算过大' }) budgetFen: number;
  @ApiProperty({ type: [VoucherTypeDto] }) @IsArray({ message: '请添加券种' }) @ArrayMinSize(1, { message: '至少需要一个券种' }) @ArrayMaxSize(10, { message: '最多10个券种' })
  @ValidateNested({ each: true }) @Type(() => VoucherTypeDto) types: VoucherTypeDto[];
  @ApiProperty() @IsInt({ message: '每人限领应为整数' }) @Min(1, { message: '每人限领至少为1' }) @Max(100, { message: '每人限领最多100张' }) perMemberLimit: number;
  @ApiPropertyOptional({ description: 'per member per Asia/Shanghai day, at most perMemberLimit; null = no daily cap' }) @IsOptional() @IsInt({ message: '每日限领应为整数' }) @Min(1, { message: '每日限领至少为1' }) @Max(100, { message: '每日限领最多100张' }) perMemberDailyLimit?: number | null;
  @ApiPropertyOptional({ description: 'release rounds 2–31; null = one round' }) @IsOptional() @IsInt({ message: '发放轮数应为整数' }) @Min(2, { message: '分轮发放至少2轮' }) @Max(31, { message: '最多31轮' }) roundCount?: number | null;
  @ApiPropertyOptional({ description: 'minutes between rounds, 60–10080' }) @IsOptional() @IsInt({ message: '每轮间隔应为整数（分钟）' }) @Min(60, { message: '每轮间隔至少1小时' }) @Max(10080, { message: '每轮间隔最多7天' }) roundIntervalMinutes?: number | null;
  @ApiPropertyOptional({ description: 'unclaimed stock of a round rolls over (default true)' }) @IsOptional() @IsBoolean({ message: '请选择未领完是否顺延' }) roundRollover?: boolean;
  @ApiPropertyOptional({ enum: OCCUPATIONS, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(OCCUPATIONS.length, { message: `适用职业最多${OCCUPATIONS.length}项` }) @ArrayUnique({ message: '适用职业不能重复' }) @IsIn(OCCUPATIONS as unknown as string[], { each: true, message: '职业无效' }) occupations?: Occupation[];
  @ApiProperty({ format: 'date-time' }) @IsDateString({ strict: true }, { message: '开始时间格式应为ISO时间' }) claimStartAt: string;
  @ApiProperty({ format: 'date-time' }) @IsDateString({ strict: true }, { message: '结束时间格式应为ISO时间' }) claimEndAt: string;
  @ApiProperty({ enum: VALIDITY }) @IsIn(VALIDITY, { message: '请选择有效期方式' }) validityKind: ValidityKind;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }, { message: '有效期开始格式应为ISO时间' }) validFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }, { message: '有效期结束格式应为ISO时间' }) validUntil?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt({ message: '有效天数应为整数' }) @Min(1, { message: '有效天数至少1天' }) @Max(366, { message: '有效天数最多366天' }) validDays?: number;
  @ApiProperty({ enum: SCOPES }) @IsIn(SCOPES, { message: '请选择适用商户范围' }) merchantScope: MerchantScopeKind;
  @ApiPropertyOptional({ enum: MERCHANT_CATEGORIES, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(CATS.length, { message: `商户品类最多${CATS.length}项` }) @ArrayUnique({ message: '商户品类不能重复' }) @IsIn(CATS, { each: true, message: '商户品类无效' }) categories?: MerchantCategory[];
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsInt({ each: true, message: '商户ID无效' }) @Min(1, { each: true, message: '商户ID无效' }) merchantIds?: number[];
  @ApiPropertyOptional({ enum: CAMPAIGN_ALLOCATIONS, description: 'default first_come; lottery needs `lottery`' }) @IsOptional() @IsIn(CAMPAIGN_ALLOCATIONS, { message: '发放方式无效' }) allocation?: CampaignAllocation;
  @ApiPropertyOptional({ type: LotteryRulesDto }) @IsOptional() @ValidateNested() @Type(() => LotteryRulesDto) lottery?: LotteryRulesDto;
}

/** `PATCH /api/vouchers/manage/campaigns/{id}`: every field optional (see the service for what may change after publishing). */
export class UpdateCampaignDto implements UpdateCampaignRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 2, maxLength: 100, message: '活动名称应为2至100个字' }) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @SafeText({ multiline: true, maxLength: 2000, message: '活动说明最长2000字' }) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt({ message: '预算应为整数（分）' }) @Min(1, { message: '预算应大于0' }) @Max(Number.MAX_SAFE_INTEGER) budgetFen?: number;
  @ApiPropertyOptional({ type: [VoucherTypeDto] }) @IsOptional() @IsArray() @ArrayMinSize(1, { message: '至少需要一个券种' }) @ArrayMaxSize(10, { message: '最多10个券种' })
  @ValidateNested({ each: true }) @Type(() => VoucherTypeDto) types?: VoucherTypeDto[];
  @ApiPropertyOptional() @IsOptional() @IsInt({ message: '每人限领应为整数' }) @Min(1, { message: '每人限领至少为1' }) @Max(100) perMemberLimit?: number;
  @ApiPropertyOptional({ description: 'per member per Asia/Shanghai day, at most perMemberLimit; null = no daily cap' }) @IsOptional() @IsInt({ message: '每日限领应为整数' }) @Min(1, { message: '每日限领至少为1' }) @Max(100, { message: '每日限领最多100张' }) perMemberDailyLimit?: number | null;
  @ApiPropertyOptional({ description: 'release rounds 2–31; null = one round' }) @IsOptional() @IsInt({ message: '发放轮数应为整数' }) @Min(2, { message: '分轮发放至少2轮' }) @Max(31, { message: '最多31轮' }) roundCount?: number | null;
  @ApiPropertyOptional({ description: 'minutes between rounds, 60–10080' }) @IsOptional() @IsInt({ message: '每轮间隔应为整数（分钟）' }) @Min(60, { message: '每轮间隔至少1小时' }) @Max(10080, { message: '每轮间隔最多7天' }) roundIntervalMinutes?: number | null;
  @ApiPropertyOptional({ description: 'unclaimed stock of a round rolls over (default true)' }) @IsOptional() @IsBoolean({ message: '请选择未领完是否顺延' }) roundRollover?: boolean;
  @ApiPropertyOptional({ enum: OCCUPATIONS, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(OCCUPATIONS.length, { message: `适用职业最多${OCCUPATIONS.length}项` }) @ArrayUnique({ message: '适用职业不能重复' }) @IsIn(OCCUPATIONS as unknown as string[], { each: true, message: '职业无效' }) occupations?: Occupation[];
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }, { message: '开始时间格式应为ISO时间' }) claimStartAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }, { message: '结束时间格式应为ISO时间' }) claimEndAt?: string;
  @ApiPropertyOptional({ enum: VALIDITY }) @IsOptional() @IsIn(VALIDITY, { message: '有效期方式无效' }) validityKind?: ValidityKind;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) validFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) validUntil?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(366) validDays?: number;
  @ApiPropertyOptional({ enum: SCOPES }) @IsOptional() @IsIn(SCOPES, { message: '适用商户范围无效' }) merchantScope?: MerchantScopeKind;
  @ApiPropertyOptional({ isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(CATS.length, { message: `商户品类最多${CATS.length}项` }) @ArrayUnique({ message: '商户品类不能重复' }) @IsIn(CATS, { each: true, message: '商户品类无效' }) categories?: MerchantCategory[];
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsInt({ each: true }) @Min(1, { each: true }) merchantIds?: number[];
}

export class AddStockDto implements AddStockRequest {
  @ApiProperty({ description: 'the new, larger quantity' }) @IsInt({ message: '数量应为整数' }) @Min(1, { message: '数量至少为1' }) @Max(10_000_000, { message: '数量过大' }) quantity: number;
}

/** `POST /api/vouchers/manage/campaigns/{id}/pause`. */
export class PauseCampaignDto {
  @ApiPropertyOptional({ description: 'also refuse redemptions of vouchers already held while paused' }) @IsOptional() @IsBoolean({ message: '冻结核销应为是或否' }) freezeRedemption?: boolean;
}

export class TypeParamDto {
  @Type(() => Number) @IsInt({ message: 'ID应为正整数' }) @Min(1, { message: 'ID应为正整数' }) @Max(2147483647) id: number;
  @Type(() => Number) @IsInt({ message: 'ID应为正整数' }) @Min(1, { message: 'ID应为正整数' }) @Max(2147483647) typeId: number;
}

const CAMPAIGN_STATUSES: CampaignStatus[] = ['draft', 'published', 'closed'];
export class CampaignListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES }) @IsOptional() @IsIn(CAMPAIGN_STATUSES, { message: '状态无效' }) status?: CampaignStatus;
}

export class ClaimVoucherDto implements ClaimVoucherRequest {
  @ApiProperty() @IsInt({ message: '请选择券种' }) @Min(1, { message: '请选择券种' }) @Max(2147483647) voucherTypeId: number;
}

export class CampaignMerchantQueryDto extends PageQueryDto implements CampaignMerchantQuery {
  @ApiPropertyOptional({ enum: MERCHANT_CATEGORIES }) @IsOptional() @IsIn(CATS, { message: '商户品类无效' }) category?: MerchantCategory;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber({}, { message: '纬度无效' }) @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber({}, { message: '经度无效' }) @Min(-180) @Max(180) lng?: number;
}

const VOUCHER_STATUSES: VoucherStatus[] = ['unused', 'redeemed', 'expired'];
export class VoucherListQueryDto extends PageQueryDto implements VoucherListQuery {
  @ApiPropertyOptional({ enum: VOUCHER_STATUSES }) @IsOptional() @IsIn(VOUCHER_STATUSES, { message: '状态无效' }) status?: VoucherStatus;
}

export class RedeemDto implements RedeemRequest {
  @ApiProperty() @IsString({ message: '请输入核销码' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '核销码无效' }) redemptionCode: string;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '订单金额应为整数（分）' }) @Min(1, { message: '订单金额应大于0' }) @Max(FEN_MAX, { message: '订单金额过大' }) orderAmountFen: number;
}

export class SettlementQueryDto implements SettlementQuery {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (Asia/Shanghai), default 30 days ago' }) @IsOptional() @Matches(DATE, { message: '日期格式应为YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (Asia/Shanghai), default today' }) @IsOptional() @Matches(DATE, { message: '日期格式应为YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt({ message: '商户ID无效' }) @Min(1, { message: '商户ID无效' }) @Max(2147483647) merchantId?: number;
}
