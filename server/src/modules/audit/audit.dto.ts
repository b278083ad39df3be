import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { PageQueryDto } from '../../common/paging.dto';

/** `GET /api/audit` query (admin): every filter optional; `from`/`to` ISO instants, `to` exclusive. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) actorUserId?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z_]{1,32}$/, { message: '操作类型无效' }) action?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z_]{1,64}$/, { message: '对象类型无效' }) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) entityId?: number;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }, { message: '开始时间格式应为ISO时间' }) from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }, { message: '结束时间格式应为ISO时间' }) to?: string;
}
