import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import {
  AID_APPLICATION_STATUSES, AID_HELP_KINDS, AID_TYPES, AidApplicationListQuery, AidApplicationStatus, AidDecisionRequest, AidHelpKind, AidType,
  AnswerAidApplicationRequest, APPLICATION_ACCOUNT_MAX, ConfirmAidApplicationRequest, CreateAidApplicationRequest, EMPLOYMENT_STATUSES, EmploymentStatus, HARDSHIP_CAUSES,
  HARDSHIP_LEVELS, HardshipCause, HardshipLevel, NEED_TAGS, NeedTag, RecordAidVisitRequest, RequestAidInfoRequest, ScheduleAidVisitRequest, WithdrawAidApplicationRequest,
  validateIdNumber, validateMobile, validatePersonName,
} from '@union/shared';
import { PageQueryDto } from '../../../../common/paging.dto';
import { SatisfiesRule } from '../../../../common/shared-rule.validator';
import { SafeText } from '../../../../common/safe-text';
import { trim } from '../../../../common/transforms';

const ORG_CODE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;
const DATE = /^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const upperTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);
const MAX_FEN = 100_000_000;
const list = <T extends readonly string[]>(values: T) => values as unknown as string[];

/** `POST /api/aid/applications`. */
export class CreateAidApplicationDto implements CreateAidApplicationRequest {
  @ApiProperty({ example: 'HB-HS-HSG-WM' }) @IsString({ message: '请选择受理工会' }) @Matches(ORG_CODE, { message: '请选择受理工会' }) orgCode: string;
  @ApiProperty() @Transform(trim) @SatisfiesRule(validatePersonName) name: string;
  @ApiProperty({ description: '18-character ID number, GB 11643' }) @Transform(upperTrim) @SatisfiesRule((v) => validateIdNumber(v)) idNumber: string;
  @ApiProperty({ description: 'mainland mobile, 11 digits' }) @Transform(trim) @SatisfiesRule(validateMobile) mobile: string;
  @ApiProperty() @IsString({ message: '请填写工作单位' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 100, message: '请填写工作单位（最多100字）' }) employer: string;
  @ApiProperty() @IsString({ message: '请填写省份' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 32, message: '请填写省份（最多32字）' }) province: string;
  @ApiProperty() @IsString({ message: '请填写城市' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 32, message: '请填写城市（最多32字）' }) city: string;
  @ApiProperty() @IsString({ message: '请填写区县' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 32, message: '请填写区县（最多32字）' }) district: string;
  @ApiProperty() @IsString({ message: '请填写街道' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 64, message: '请填写街道（最多64字）' }) street: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ maxLength: 200, message: '详细地址最多200字' }) addressDetail?: string;
  @ApiProperty({ enum: EMPLOYMENT_STATUSES }) @IsIn(list(EMPLOYMENT_STATUSES), { message: '请选择就业状况' }) employmentStatus: EmploymentStatus;
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt({ message: '家庭人口应为整数' }) @Min(1, { message: '家庭人口至少1人' }) @Max(20, { message: '家庭人口最多20人' }) householdSize: number;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '家庭月收入应为整数（分）' }) @Min(0, { message: '家庭月收入不能为负' }) @Max(MAX_FEN, { message: '家庭月收入过大' }) monthlyIncomeFen: number;
  @ApiProperty({ minimum: 0, maximum: 20 }) @IsInt({ message: '患病人数应为整数' }) @Min(0, { message: '患病人数不能为负' }) @Max(20, { message: '患病人数最多20人' }) illMembers: number;
  @ApiProperty({ minimum: 0, maximum: 20 }) @IsInt({ message: '残疾人数应为整数' }) @Min(0, { message: '残疾人数不能为负' }) @Max(20, { message: '残疾人数最多20人' }) disabledMembers: number;
  @ApiProperty({ enum: HARDSHIP_CAUSES, isArray: true })
  @IsArray({ message: '请选择致困原因' }) @ArrayMinSize(1, { message: '请至少选择一项致困原因' }) @ArrayUnique({ message: '致困原因重复' }) @ArrayMaxSize(HARDSHIP_CAUSES.length, { message: `致困原因最多${HARDSHIP_CAUSES.length}项` })
  @IsIn(list(HARDSHIP_CAUSES), { each: true, message: '致困原因无效' }) causes: HardshipCause[];
  @ApiProperty({ enum: AID_HELP_KINDS, isArray: true })
  @IsArray({ message: '请选择需要的帮扶' }) @ArrayMinSize(1, { message: '请至少选择一项需要的帮扶' }) @ArrayUnique({ message: '帮扶类型重复' }) @ArrayMaxSize(AID_HELP_KINDS.length, { message: `帮扶类型最多${AID_HELP_KINDS.length}项` })
  @IsIn(list(AID_HELP_KINDS), { each: true, message: '帮扶类型无效' }) helpKinds: AidHelpKind[];
  @ApiPropertyOptional({ enum: NEED_TAGS, isArray: true }) @IsOptional() @IsArray({ message: '其他需求格式有误' }) @ArrayUnique({ message: '其他需求重复' }) @ArrayMaxSize(NEED_TAGS.length, { message: `其他需求最多${NEED_TAGS.length}项` })
  @IsIn(list(NEED_TAGS), { each: true, message: '其他需求无效' }) needs?: NeedTag[];
  @ApiProperty({ maxLength: APPLICATION_ACCOUNT_MAX }) @IsString({ message: '请说明家庭困难情况' }) @Transform(trim)
  @SafeText({ multiline: true, minLength: 1, maxLength: APPLICATION_ACCOUNT_MAX, message: `请说明家庭困难情况（最多${APPLICATION_ACCOUNT_MAX}字）` }) account: string;
  @ApiProperty({ description: 'must be true' }) @Equals(true, { message: '请阅读并同意个人敏感信息处理规则' }) consent: boolean;
}

/** `POST /api/aid/applications/{id}/answer`. */
export class AnswerAidApplicationDto implements AnswerAidApplicationRequest {
  @ApiProperty() @IsString({ message: '请填写补充说明' }) @Transform(trim) @SafeText({ multiline: true, minLength: 1, maxLength: 1000, message: '请填写补充说明（最多1000字）' }) answer: string;
}

/** `POST /api/aid/applications/{id}/request-info`. */
export class RequestAidInfoDto implements RequestAidInfoRequest {
  @ApiProperty() @IsString({ message: '请填写需要补充的内容' }) @Transform(trim) @SafeText({ multiline: true, minLength: 1, maxLength: 500, message: '请填写需要补充的内容（最多500字）' }) question: string;
}

/** `POST /api/aid/applications/{id}/visit-schedule`. */
export class ScheduleAidVisitDto implements ScheduleAidVisitRequest {
  @ApiProperty({ example: '2025-11-30' }) @Matches(DATE, { message: '日期格式应为YYYY-MM-DD' }) date: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ maxLength: 200, message: '备注最多200字' }) note?: string;
}

/** `POST /api/aid/applications/{id}/visit`. */
export class RecordAidVisitDto implements RecordAidVisitRequest {
  @ApiProperty({ example: '2025-11-30' }) @Matches(DATE, { message: '核实日期格式应为YYYY-MM-DD' }) visitDate: string;
  @ApiProperty() @IsString({ message: '请填写入户人员' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '请填写入户人员（最多200字）' }) visitors: string;
  @ApiProperty() @IsString({ message: '请填写核实情况' }) @Transform(trim) @SafeText({ multiline: true, minLength: 1, maxLength: 2000, message: '请填写核实情况（最多2000字）' }) findings: string;
  @ApiProperty() @IsInt({ message: '核实家庭人口应为整数' }) @Min(1, { message: '家庭人口至少1人' }) @Max(20, { message: '家庭人口最多20人' }) verifiedHouseholdSize: number;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '核实家庭月收入应为整数（分）' }) @Min(0, { message: '家庭月收入不能为负' }) @Max(MAX_FEN, { message: '家庭月收入过大' }) verifiedMonthlyIncomeFen: number;
}

class DecisionPayoutDto {
  @ApiProperty({ enum: AID_TYPES }) @IsIn(list(AID_TYPES), { message: '救助类型无效' }) aidType: AidType;
  @ApiProperty({ description: 'fen' }) @IsInt({ message: '金额应为整数（分）' }) @Min(1, { message: '金额应大于0' }) @Max(MAX_FEN, { message: '金额过大' }) amountFen: number;
}

/** `POST /api/aid/applications/{id}/decision`. Required fields per decision are checked by the service. */
export class AidDecisionDto implements AidDecisionRequest {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject'], { message: '请选择批准或不批准' }) decision: 'approve' | 'reject';
  @ApiPropertyOptional({ enum: HARDSHIP_LEVELS }) @IsOptional() @IsIn(list(HARDSHIP_LEVELS), { message: '困难类别应为深度困难、相对困难或意外致困' }) level?: HardshipLevel;
  @ApiPropertyOptional({ enum: HARDSHIP_CAUSES, isArray: true }) @IsOptional()
  @IsArray({ message: '请选择致困原因' }) @ArrayMinSize(1, { message: '请至少选择一项致困原因' }) @ArrayMaxSize(HARDSHIP_CAUSES.length, { message: `致困原因最多${HARDSHIP_CAUSES.length}项` }) @ArrayUnique({ message: '致困原因重复' })
  @IsIn(list(HARDSHIP_CAUSES), { each: true, message: '致困原因无效' }) causes?: HardshipCause[];
  @ApiPropertyOptional({ description: 'fen' }) @IsOptional() @IsInt({ message: '家庭月收入应为整数（分）' }) @Min(0, { message: '家庭月收入不能为负' }) @Max(MAX_FEN, { message: '家庭月收入过大' }) monthlyIncomeFen?: number;
  @ApiPropertyOptional({ type: DecisionPayoutDto }) @IsOptional() @ValidateNested({ message: '一次性救助格式有误' }) @Type(() => DecisionPayoutDto) payout?: DecisionPayoutDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '请填写不予批准的原因（最多200字）' }) reason?: string;
  @ApiPropertyOptional({ description: 'approve: true = merge into the matched open household file (required when there is a match)' })
  @IsOptional() @IsBoolean({ message: '请选择是否并入已有档案' }) mergeIntoHousehold?: boolean;
}

/** `POST /api/aid/applications/{id}/confirm`: the proposal the confirmer looked at (optional; 409 APPROVAL_STALE when it changed). */
export class ConfirmAidApplicationDto implements ConfirmAidApplicationRequest {
  @ApiPropertyOptional({ description: 'the proposedAt of the proposal shown to the confirmer (ISO-8601)' })
  @IsOptional() @SafeText({ maxLength: 40, message: '审批意见时间格式有误' }) @IsISO8601({ strict: true }, { message: '审批意见时间格式有误' }) proposedAt?: string;
}

/** `POST /api/aid/applications/{id}/withdraw`. */
export class WithdrawAidApplicationDto implements WithdrawAidApplicationRequest {
  @ApiPropertyOptional() @IsOptional() @IsString({ message: '撤回原因格式有误' }) @Transform(trim) @SafeText({ maxLength: 200, message: '撤回原因最多200字' }) reason?: string;
}

/** `GET /api/aid/applications` query. */
export class AidApplicationListQueryDto extends PageQueryDto implements AidApplicationListQuery {
  @ApiPropertyOptional({ enum: AID_APPLICATION_STATUSES }) @IsOptional() @IsIn(list(AID_APPLICATION_STATUSES), { message: '状态无效' }) status?: AidApplicationStatus;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: 'overdue应为true或false' }) overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: 'mine应为true或false' }) mine?: boolean;
}

/** `GET /api/aid/notices` query. */
export class AidNoticeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'default: the caller\'s member org, staff org, or the org of their latest application' })
  @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
}

/** `GET /api/aid/application-orgs` query. */
export class AidOrgQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the name, or the city' }) @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 30, message: '搜索词最多30字' }) q?: string;
}

/** `/api/aid/applications/{id}/documents/{docId}`. */
export class DocumentParamDto {
  @Type(() => Number) @IsInt({ message: 'ID应为正整数' }) @Min(1, { message: 'ID应为正整数' }) @Max(2147483647, { message: 'ID过大' }) id: number;
  @Type(() => Number) @IsInt({ message: 'ID应为正整数' }) @Min(1, { message: 'ID应为正整数' }) @Max(2147483647, { message: 'ID过大' }) docId: number;
}
