import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CreateOrgRequest, ORG_LEVELS, OrgLevel, UpdateOrgRequest } from '@union/shared';
import { PageQueryDto } from '../../common/paging.dto';
import { SafeText } from '../../common/safe-text';
import { trim } from '../../common/transforms';

const CODE_RULE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

/** `GET /api/orgs` query. Staff see their subtree, admins everything. */
export class OrgListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORG_LEVELS }) @IsOptional() @IsIn(ORG_LEVELS as unknown as string[], { message: '组织层级无效' }) level?: OrgLevel;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE_RULE, { message: '组织代码无效' }) parentCode?: string;
  /** Keyword: the name, the code or the city contains it. */
  @ApiPropertyOptional({ description: 'name, code or city contains' }) @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 50, message: '关键词最长50个字' }) q?: string;
}

/** `POST /api/orgs` (admin). Coordinates GCJ-02 degrees. */
export class CreateOrgDto implements CreateOrgRequest {
  @ApiProperty() @Matches(CODE_RULE, { message: '组织代码只能包含大写字母、数字和连字符' }) code: string;
  @ApiProperty() @IsString() @SafeText({ minLength: 2, maxLength: 100, message: '名称应为2至100个字' }) name: string;
  @ApiProperty({ enum: ORG_LEVELS }) @IsIn(ORG_LEVELS as unknown as string[], { message: '组织层级无效' }) level: OrgLevel;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE_RULE, { message: '上级组织代码无效' }) parentCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @SafeText({ minLength: 1, maxLength: 50 }) city?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(3) @Max(54) lat?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(73) @Max(136) lng?: number;
}

/** `PATCH /api/orgs/{code}`. */
export class UpdateOrgDto implements UpdateOrgRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @SafeText({ minLength: 2, maxLength: 100, message: '名称应为2至100个字' }) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'autoApprove 应为布尔值' }) autoApprove?: boolean;
}
