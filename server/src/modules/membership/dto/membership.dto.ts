import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsDateString, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  ApplicationListQuery, ApplicationStatus, CreateApplicationRequest, CreateJoinCodeRequest, CreateTransferRequest,
  Occupation, OCCUPATIONS, RejectApplicationRequest, validateIdNumber, validateMobile, validatePersonName, VerifyCardRequest,
} from '@union/shared';
import { PageQueryDto } from '../../../common/paging.dto';
import { SatisfiesRule } from '../../../common/shared-rule.validator';
import { SafeText } from '../../../common/safe-text';
import { trim } from '../../../common/transforms';

const ORG_CODE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

/** `POST /api/membership/join-codes`: `orgCode` of a grassroots org in the caller's subtree; `expiresAt` ISO instant. */
export class CreateJoinCodeDto implements CreateJoinCodeRequest {
  @ApiProperty() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 100, message: '备注最长100个字' }) label?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }, { message: '有效期格式应为ISO时间' }) expiresAt?: string;
}

/** Path parameter holding a signed join code. */
export class JoinCodeParam {
  @ApiProperty() @IsString() @SafeText({ minLength: 1, maxLength: 200 }) code: string;
}

/** `POST /api/membership/applications`. Rules shared with the mini-program form (GB 11643, mainland mobile). */
export class CreateApplicationDto implements CreateApplicationRequest {
  @ApiProperty() @IsString({ message: '入会二维码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '入会二维码无效' }) joinCode: string;
  @ApiProperty() @Transform(trim) @SatisfiesRule(validatePersonName) name: string;
  @ApiProperty({ description: '18-character ID number, GB 11643' }) @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value)) @SatisfiesRule((v) => validateIdNumber(v)) idNumber: string;
  @ApiProperty({ description: 'mainland mobile, 11 digits' }) @Transform(trim) @SatisfiesRule(validateMobile) mobile: string;
  @ApiProperty({ enum: OCCUPATIONS }) @IsIn(OCCUPATIONS as unknown as string[], { message: '请选择职业' }) occupation: Occupation;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 50, message: '平台名称最长50个字' }) platform?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 50, message: '工作城市最长50个字' }) workCity?: string;
  @ApiProperty({ description: 'must be true' }) @Equals(true, { message: '请阅读并同意个人信息处理规则' }) consent: boolean;
}

/** `POST /api/membership/transfers`. */
export class CreateTransferDto implements CreateTransferRequest {
  @ApiProperty() @IsString({ message: '入会二维码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '入会二维码无效' }) joinCode: string;
}

const STATUSES: ApplicationStatus[] = ['pending', 'approved', 'rejected'];

/** `GET /api/membership/applications` query. */
export class ApplicationListQueryDto extends PageQueryDto implements ApplicationListQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES, { message: '状态无效' }) status?: ApplicationStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
  @ApiPropertyOptional({ enum: OCCUPATIONS }) @IsOptional() @IsIn(OCCUPATIONS as unknown as string[], { message: '职业无效' }) occupation?: Occupation;
}

/** `GET /api/membership/members` query. */
export class MemberListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
  @ApiPropertyOptional({ enum: OCCUPATIONS }) @IsOptional() @IsIn(OCCUPATIONS as unknown as string[], { message: '职业无效' }) occupation?: Occupation;
}

/** `POST /api/membership/applications/{id}/reject`: the reason is shown to the applicant. */
export class RejectApplicationDto implements RejectApplicationRequest {
  @ApiProperty({ maxLength: 200 }) @IsString({ message: '请填写驳回原因' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '请填写驳回原因（最多200字）' }) reason: string;
}

/** `POST /api/membership/card/verify`. */
export class VerifyCardDto implements VerifyCardRequest {
  @ApiProperty() @IsString({ message: '会员卡码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '会员卡码无效' }) cardCode: string;
}
