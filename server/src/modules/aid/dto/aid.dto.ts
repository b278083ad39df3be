import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min,
  ValidateNested,
} from 'class-validator';
import {
  AID_TYPES, AidType, ApprovePayoutBatchRequest, BankResultImportRequest, BindHouseholdRequest, CreateHouseholdRequest, CreateOneOffPayoutRequest,
  CreatePayoutBatchRequest, EMPLOYMENT_STATUSES, EmploymentStatus, ExitHouseholdRequest, HARDSHIP_CAUSES, HARDSHIP_LEVELS,
  HardshipCause, HardshipLevel, HOUSEHOLD_STATUSES, HouseholdListQuery, HouseholdStatus, ImportHouseholdsRequest, ImportMode,
  NEED_TAGS, NeedTag, PAYOUT_STATUSES, PayoutListQuery, PayoutStatus, UpdatePayoutRequest, validateIdLast6, validateIdNumber,
  validateMobile, validatePeriod, validatePersonName,
} from '@union/shared';
import { PageQueryDto } from '../../../common/paging.dto';
import { SatisfiesRule } from '../../../common/shared-rule.validator';
import { SafeText } from '../../../common/safe-text';
import { trim } from '../../../common/transforms';

const ORG_CODE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;
const upperTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const MAX_FEN = 100_000_000; // 1,000,000 yuan: far above any real monthly income or subsidy
const list = <T extends readonly string[]>(values: T) => values as unknown as string[];

/**
 * `POST /api/aid/households`. The same class validates every row of a CSV import, so a form,
 * the API and an imported spreadsheet refuse the same input with the same Chinese message.
 */
export class CreateHouseholdDto implements CreateHouseholdRequest {
  @ApiProperty() @Transform(trim) @SatisfiesRule(validatePersonName) headName: string;
  @ApiProperty({ description: '18-character ID number, GB 11643' }) @Transform(upperTrim) @SatisfiesRule((v) => validateIdNumber(v)) idNumber: string;
  @ApiProperty({ description: 'mainland mobile, 11 digits' }) @Transform(trim) @SatisfiesRule(validateMobile) mobile: string;
  @ApiPropertyOptional({ example: 'GH0000000001' }) @IsOptional() @Transform(upperTrim) @Matches(/^GH\d{10}$/, { message: '会员编号格式应为GH加10位数字' }) memberNo?: string;
  @ApiProperty() @IsString({ message: '请填写省份' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 32, message: '请填写省份（最多32字）' }) province: string;
  @ApiProperty() @IsString({ message: '请填写城市' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 32, message: '请填写城市（最多32字）' }) city: string;
  @ApiProperty() @IsString({ message: '请填写区县' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 32, message: '请填写区县（最多32字）' }) district: string;
  @ApiProperty() @IsString({ message: '请填写街道' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 64, message: '请填写街道（最多64字）' }) street: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ maxLength: 200, message: '详细地址最多200字' }) addressDetail?: string;
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt({ message: '家庭人口应为整数' }) @Min(1, { message: '家庭人口至少1人' }) @Max(20, { message: '家庭人口最多20人' }) householdSize: number;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '家庭月收入应为整数（分）' }) @Min(0, { message: '家庭月收入不能为负' }) @Max(MAX_FEN, { message: '家庭月收入过大' }) monthlyIncomeFen: number;
  @ApiProperty({ enum: HARDSHIP_LEVELS }) @IsIn(list(HARDSHIP_LEVELS), { message: '困难类别应为深度困难、相对困难或意外致困' }) level: HardshipLevel;
  @ApiProperty({ enum: HARDSHIP_CAUSES, isArray: true })
  @IsArray({ message: '请选择致困原因' }) @ArrayMinSize(1, { message: '请至少选择一项致困原因' }) @ArrayUnique({ message: '致困原因重复' }) @ArrayMaxSize(HARDSHIP_CAUSES.length, { message: `致困原因最多${HARDSHIP_CAUSES.length}项` })
  @IsIn(list(HARDSHIP_CAUSES), { each: true, message: '致困原因无效' }) causes: HardshipCause[];
  @ApiProperty({ enum: EMPLOYMENT_STATUSES }) @IsIn(list(EMPLOYMENT_STATUSES), { message: '请选择就业状况' }) employmentStatus: EmploymentStatus;
  @ApiPropertyOptional({ enum: NEED_TAGS, isArray: true }) @IsOptional() @IsArray({ message: '帮扶需求格式有误' }) @ArrayUnique({ message: '帮扶需求重复' }) @ArrayMaxSize(NEED_TAGS.length, { message: `帮扶需求最多${NEED_TAGS.length}项` })
  @IsIn(list(NEED_TAGS), { each: true, message: '帮扶需求无效' }) needs?: NeedTag[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ multiline: true, maxLength: 500, message: '需求说明最多500字' }) needsNote?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
}

/** `PATCH /api/aid/households/{id}`: any subset of the registration fields. */
export class UpdateHouseholdDto extends PartialType(CreateHouseholdDto) {}

const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);

/** `GET /api/aid/households` query. */
export class HouseholdListQueryDto extends PageQueryDto implements HouseholdListQuery {
  @ApiPropertyOptional({ description: 'name prefix, or a full ID number or mobile number' }) @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 30, message: '搜索词最多30字' }) q?: string;
  @ApiPropertyOptional({ enum: HOUSEHOLD_STATUSES }) @IsOptional() @IsIn(list(HOUSEHOLD_STATUSES), { message: '状态无效' }) status?: HouseholdStatus;
  @ApiPropertyOptional({ enum: HARDSHIP_LEVELS }) @IsOptional() @IsIn(list(HARDSHIP_LEVELS), { message: '困难类别无效' }) level?: HardshipLevel;
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: 'overdue应为true或false' }) overdue?: boolean;
}

/** `POST /api/aid/households/{id}/exit`. */
export class ExitHouseholdDto implements ExitHouseholdRequest {
  @ApiProperty({ maxLength: 200 }) @IsString({ message: '请填写解困原因' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '请填写解困原因（最多200字）' }) reason: string;
  @ApiPropertyOptional({ example: '2025-11-30' }) @IsOptional() @Matches(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '日期格式应为YYYY-MM-DD' }) date?: string;
}

const IMPORT_MODES: ImportMode[] = ['partial', 'all_or_nothing'];

/** `POST /api/aid/households/import` body: with multipart, `mode` only (the file is `file`); with JSON, `csv` too. */
export class ImportHouseholdsDto implements ImportHouseholdsRequest {
  @ApiProperty({ enum: IMPORT_MODES }) @IsIn(IMPORT_MODES, { message: '导入方式应为partial或all_or_nothing' }) mode: ImportMode;
  @ApiPropertyOptional({ description: 'CSV text when not uploading a file' }) @IsOptional() @IsString() @SafeText({ multiline: true, minLength: 1, maxLength: 2_000_000, message: 'CSV内容过长' }) csv?: string;
}

/** `POST /api/aid/payout-batches/{id}/bank-results` body (JSON form). */
export class BankResultImportDto implements BankResultImportRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @SafeText({ multiline: true, minLength: 1, maxLength: 2_000_000, message: 'CSV内容过长' }) csv?: string;
}

/** Path parameter holding a signed household code. */
export class HouseholdCodeParam {
  @ApiProperty() @IsString() @SafeText({ minLength: 1, maxLength: 200 }) code: string;
}

/** `POST /api/aid/bindings`. */
export class BindHouseholdDto implements BindHouseholdRequest {
  @ApiProperty() @IsString({ message: '帮扶码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '帮扶码无效' }) code: string;
  @ApiProperty() @Transform(trim) @SatisfiesRule(validatePersonName) name: string;
  @ApiProperty({ example: '12345X' }) @Transform(upperTrim) @SatisfiesRule(validateIdLast6) idLast6: string;
}

class AmountsByLevelDto implements Record<HardshipLevel, number> {
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '金额应为整数（分）' }) @Min(0, { message: '金额不能为负' }) @Max(MAX_FEN, { message: '金额过大' }) severe: number;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '金额应为整数（分）' }) @Min(0, { message: '金额不能为负' }) @Max(MAX_FEN, { message: '金额过大' }) relative: number;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '金额应为整数（分）' }) @Min(0, { message: '金额不能为负' }) @Max(MAX_FEN, { message: '金额过大' }) sudden: number;
}

/** `POST /api/aid/payout-batches`. */
export class CreatePayoutBatchDto implements CreatePayoutBatchRequest {
  @ApiProperty({ example: '2025-11' }) @SatisfiesRule(validatePeriod) period: string;
  @ApiProperty({ enum: AID_TYPES }) @IsIn(list(AID_TYPES), { message: '救助类型无效' }) aidType: AidType;
  @ApiProperty({ type: AmountsByLevelDto }) @IsObject({ message: '请填写各困难类别的金额' }) @ValidateNested({ message: '请填写各困难类别的金额' }) @Type(() => AmountsByLevelDto) amountsByLevel: AmountsByLevelDto;
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'includeEarlierFailed应为true或false' }) includeEarlierFailed?: boolean;
}

/** `POST /api/aid/payouts/one-off`. */
export class CreateOneOffPayoutDto implements CreateOneOffPayoutRequest {
  @ApiProperty() @IsInt({ message: '请选择家庭' }) @Min(1, { message: '请选择家庭' }) @Max(2147483647) householdId: number;
  @ApiProperty({ enum: AID_TYPES }) @IsIn(list(AID_TYPES), { message: '救助类型无效' }) aidType: AidType;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '金额应为整数（分）' }) @Min(1, { message: '金额应大于0' }) @Max(MAX_FEN, { message: '金额过大' }) amountFen: number;
  @ApiPropertyOptional({ example: '2025-11' }) @IsOptional() @SatisfiesRule(validatePeriod) period?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '备注最多200字' }) note?: string;
}

/** `PATCH /api/aid/payouts/{id}`. */
export class UpdatePayoutDto implements UpdatePayoutRequest {
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '金额应为整数（分）' }) @Min(0, { message: '金额不能为负' }) @Max(MAX_FEN, { message: '金额过大' }) amountFen: number;
}

/** `POST /api/aid/payout-batches/{id}/approve` body (may be empty). */
export class ApprovePayoutBatchDto implements ApprovePayoutBatchRequest {
  @ApiPropertyOptional({ description: 'the batch version the approver looked at; 409 APPROVAL_STALE when it changed since' })
  @IsOptional() @IsInt({ message: '版本号应为整数' }) @Min(1, { message: '版本号应为正整数' }) @Max(2_000_000_000, { message: '版本号过大' })
  version?: number;
}

/** `GET /api/aid/payout-batches/{id}/payouts` query. */
export class PayoutListQueryDto extends PageQueryDto implements PayoutListQuery {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES }) @IsOptional() @IsIn(list(PAYOUT_STATUSES), { message: '状态无效' }) status?: PayoutStatus;
}

/** `GET /api/aid/monitoring` query. */
export class MonitoringQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
}

/** `GET /api/aid/payout-batches` query. */
export class BatchListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2025-11' }) @IsOptional() @SatisfiesRule(validatePeriod) period?: string;
}
