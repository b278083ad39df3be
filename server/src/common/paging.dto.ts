import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageQuery } from '@union/shared';

/** Paging query: `page` ≥ 1 (default 1), `pageSize` 1–100 (default 20). */
export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional() @Type(() => Number) @IsInt({ message: '页码应为整数' }) @Min(1, { message: '页码至少为1' }) @Max(100000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @Type(() => Number) @IsInt({ message: '每页条数应为整数' }) @Min(1, { message: '每页至少1条' }) @Max(MAX_PAGE_SIZE, { message: `每页最多${MAX_PAGE_SIZE}条` })
  pageSize?: number;
}

export function pageParams(q: PageQuery): { page: number; pageSize: number; skip: number; take: number } {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, skip: (page - 1) * pageSize, take: pageSize };
}

export function toPage<T>(items: T[], total: number, q: PageQuery): Page<T> {
  const { page, pageSize } = pageParams(q);
  return { items, total, page, pageSize };
}

/** A numeric path id (`/…/{id}`): a positive integer, else 400. */
export class IdParamDto {
  @Type(() => Number) @IsInt({ message: 'ID应为正整数' }) @Min(1, { message: 'ID应为正整数' }) @Max(2147483647, { message: 'ID过大' })
  id: number;
}
