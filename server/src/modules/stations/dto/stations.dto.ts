import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min,
  registerDecorator, ValidateIf,
} from 'class-validator';
import {
  AcceptKeeperInviteRequest, Amenity, AMENITIES, CheckInRequest, isCalendarDate, MAX_NEARBY_RADIUS_M, MAX_RATING_COMMENT, NearbyQuery, OpeningHours, RatingRequest,
  REPORT_KINDS, ReportKind, ReportRequest, STATION_STATUSES, StationImportRequest, StationInput, StationOperationsRequest, StationStatus,
  validateClosedDates, validateOpeningHours,
} from '@union/shared';
import { PageQueryDto } from '../../../common/paging.dto';
import { SafeText } from '../../../common/safe-text';
import { trim } from '../../../common/transforms';

const ORG_CODE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;
const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

/** Validates a non-string value with a pure rule from @union/shared (null = valid, else the Chinese message). */
function SatisfiesValueRule(rule: (value: unknown) => string | null) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'satisfiesValueRule', target: target.constructor, propertyName,
      validator: { validate: (v: unknown) => rule(v) === null, defaultMessage: (args) => rule(args?.value) ?? '格式不正确' },
    });
  };
}

/** Fields staff set on a station. Coordinates GCJ-02 degrees within China's extent. */
export class StationInputDto implements StationInput {
  @ApiProperty({ maxLength: 100 }) @IsString({ message: '请填写驿站名称' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 100, message: '驿站名称应为1至100个字' }) name: string;
  @ApiProperty() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode: string;
  @ApiProperty({ maxLength: 200 }) @IsString({ message: '请填写地址' }) @Transform(trim) @SafeText({ minLength: 1, maxLength: 200, message: '地址应为1至200个字' }) address: string;
  @ApiProperty({ description: 'GCJ-02 latitude' }) @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '纬度应为数字' }) @Min(3, { message: '纬度超出中国范围' }) @Max(54, { message: '纬度超出中国范围' }) lat: number;
  @ApiProperty({ description: 'GCJ-02 longitude' }) @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '经度应为数字' }) @Min(73, { message: '经度超出中国范围' }) @Max(136, { message: '经度超出中国范围' }) lng: number;
  @ApiProperty({ enum: AMENITIES, isArray: true }) @IsArray({ message: '服务设施应为列表' }) @ArrayUnique({ message: '服务设施不能重复' }) @ArrayMaxSize(AMENITIES.length) @IsIn(AMENITIES as unknown as string[], { each: true, message: '未知的服务设施' }) amenities: Amenity[];
  @ApiProperty({ description: '{ is24h, weekly: { mon: ["08:00-20:00"], … } }; an end ≤ start runs past midnight' }) @SatisfiesValueRule(validateOpeningHours) hours: OpeningHours;
  @ApiPropertyOptional({ type: [String], description: 'YYYY-MM-DD (Asia/Shanghai)' }) @IsOptional() @SatisfiesValueRule(validateClosedDates) closedDates?: string[];
  @ApiPropertyOptional({ enum: STATION_STATUSES }) @IsOptional() @IsIn(STATION_STATUSES, { message: '营业状态无效' }) status?: StationStatus;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Transform(emptyToNull) @IsString() @SafeText({ maxLength: 200, message: '暂停说明最长200个字' }) closedNote?: string | null;
  @ApiPropertyOptional({ description: 'last closed date YYYY-MM-DD, inclusive' }) @IsOptional() @Transform(emptyToNull) @SatisfiesValueRule((v) => (isCalendarDate(v) ? null : '暂停截止日期应为 YYYY-MM-DD')) closedUntil?: string | null;
  @ApiPropertyOptional() @IsOptional() @Transform(emptyToNull) @Matches(/^[0-9+\- ]{5,20}$/, { message: '联系电话格式不正确' }) phone?: string | null;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @Transform(emptyToNull) @IsString() @SafeText({ multiline: true, maxLength: 500, message: '简介最长500个字' }) description?: string | null;
  @ApiPropertyOptional({ description: 'user id of a station_keeper account in the subtree; null = none' }) @IsOptional() @Type(() => Number) @IsInt({ message: '站长账号ID应为整数' }) @Min(1, { message: '站长账号ID应为整数' }) @Max(2147483647) keeperUserId?: number | null;
}

/** `PATCH /api/stations/{id}` (staff). */
export class UpdateStationDto extends PartialType(StationInputDto) {}

/** `PATCH /api/stations/{id}/operations` (keeper of the station, or staff). */
export class StationOperationsDto extends PartialType(PickType(StationInputDto, ['hours', 'closedDates', 'amenities', 'status', 'closedNote', 'closedUntil'] as const)) implements StationOperationsRequest {}

const AMENITY_LIST = new RegExp(`^(${AMENITIES.join('|')})(,(${AMENITIES.join('|')}))*$`);

/** `GET /api/stations/nearby` query. */
export class NearbyQueryDto extends PageQueryDto implements NearbyQuery {
  @ApiProperty({ description: 'GCJ-02 latitude' }) @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '纬度应为数字' }) @Min(-90, { message: '纬度无效' }) @Max(90, { message: '纬度无效' }) lat: number;
  @ApiProperty({ description: 'GCJ-02 longitude' }) @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '经度应为数字' }) @Min(-180, { message: '经度无效' }) @Max(180, { message: '经度无效' }) lng: number;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_NEARBY_RADIUS_M }) @IsOptional() @Type(() => Number) @IsInt({ message: '搜索半径应为整数（米）' }) @Min(1, { message: '搜索半径至少1米' }) @Max(MAX_NEARBY_RADIUS_M, { message: `搜索半径最大${MAX_NEARBY_RADIUS_M / 1000}公里` }) radiusM?: number;
  @ApiPropertyOptional({ description: 'comma-separated amenities, all required', example: 'charging,water' }) @IsOptional() @SafeText({ maxLength: 200, message: '服务设施筛选无效' }) @Matches(AMENITY_LIST, { message: '服务设施筛选无效' }) amenities?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: 'openNow 应为 true 或 false' }) openNow?: boolean;
  @ApiPropertyOptional({ description: 'open stations first, then closed ones; each nearest first' }) @IsOptional() @Transform(toBool) @IsBoolean({ message: 'openFirst 应为 true 或 false' }) openFirst?: boolean;
}

/** `GET /api/stations` query (staff: their subtree). */
export class StationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
  @ApiPropertyOptional({ description: 'name or address contains' }) @IsOptional() @IsString() @Transform(trim) @SafeText({ minLength: 1, maxLength: 50, message: '关键词最长50个字' }) q?: string;
}

/** `POST /api/stations/checkins`. */
/** `POST /api/stations/keepers`. */
export class AcceptKeeperInviteDto implements AcceptKeeperInviteRequest {
  @ApiProperty({ description: 'one-time keeper invite code (24 h)' }) @IsString({ message: '站长邀请码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '站长邀请码无效' }) inviteCode: string;
}

export class CheckInDto implements CheckInRequest {
  @ApiProperty({ description: 'station door code' }) @IsString({ message: '驿站二维码无效' }) @SafeText({ minLength: 1, maxLength: 200, message: '驿站二维码无效' }) code: string;
  @ApiPropertyOptional({ enum: AMENITIES, isArray: true }) @IsOptional() @IsArray({ message: '使用的设施应为列表' }) @ArrayUnique() @ArrayMaxSize(AMENITIES.length) @IsIn(AMENITIES as unknown as string[], { each: true, message: '未知的服务设施' }) amenities?: Amenity[];
}

/** `POST /api/stations/{id}/ratings`. */
export class RatingDto implements RatingRequest {
  @ApiProperty({ minimum: 1, maximum: 5 }) @IsInt({ message: '评分应为1至5星' }) @Min(1, { message: '评分应为1至5星' }) @Max(5, { message: '评分应为1至5星' }) stars: number;
  @ApiPropertyOptional({ maxLength: MAX_RATING_COMMENT }) @IsOptional() @IsString() @Transform(trim) @SafeText({ multiline: true, maxLength: MAX_RATING_COMMENT, message: `评价最长${MAX_RATING_COMMENT}个字` }) comment?: string;
}

/** `POST /api/stations/{id}/reports`: a note is required for `other`. */
export class ReportDto implements ReportRequest {
  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS, { message: '请选择问题类型' }) kind: ReportKind;
  @ApiPropertyOptional({ maxLength: 200 }) @ValidateIf((o) => o.kind === 'other' || o.note !== undefined) @IsString({ message: '请描述问题' }) @Transform(trim) @SafeText({ multiline: true, minLength: 1, maxLength: 200, message: '问题描述应为1至200个字' }) note?: string;
}

/** `GET /api/stations/reports` query. */
export class ReportListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'handled'] }) @IsOptional() @IsIn(['open', 'handled'], { message: '状态无效' }) status?: 'open' | 'handled';
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt({ message: '驿站ID应为整数' }) @Min(1) @Max(2147483647) stationId?: number;
}

/** `GET /api/stations/{id}/visits` query: an Asia/Shanghai day, default today. */
export class VisitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD' }) @IsOptional() @SatisfiesValueRule((v) => (isCalendarDate(v) ? null : '日期应为 YYYY-MM-DD')) day?: string;
}

/** `GET /api/stations/stats` query: Asia/Shanghai days, inclusive; default the last 30 days. */
export class StationStatsQueryDto {
  @ApiPropertyOptional() @IsOptional() @SatisfiesValueRule((v) => (isCalendarDate(v) ? null : '日期应为 YYYY-MM-DD')) from?: string;
  @ApiPropertyOptional() @IsOptional() @SatisfiesValueRule((v) => (isCalendarDate(v) ? null : '日期应为 YYYY-MM-DD')) to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ORG_CODE, { message: '组织代码无效' }) orgCode?: string;
}

/** `POST /api/stations/import`. */
export class StationImportDto implements StationImportRequest {
  @ApiProperty({ description: 'CSV text with a header row, UTF-8' }) @IsString({ message: '请粘贴CSV内容' }) @SafeText({ multiline: true, minLength: 1, maxLength: 900_000, message: 'CSV内容过长（最多约90万字符）' }) csv: string;
}

/** Path parameter holding a signed station code. */
export class StationCodeParam {
  @ApiProperty() @IsString() @SafeText({ minLength: 1, maxLength: 200 }) code: string;
}

/** `/api/stations/photos/{name}`. */
export class PhotoNameParam {
  @ApiProperty() @Matches(/^[0-9]{1,10}-[A-Za-z0-9_-]{8,32}\.(jpg|png|webp)$/, { message: '照片不存在' }) name: string;
}

/** `/api/stations/{id}/photos/{name}`. */
export class StationPhotoParam extends PhotoNameParam {
  @Type(() => Number) @IsInt({ message: 'ID应为正整数' }) @Min(1, { message: 'ID应为正整数' }) @Max(2147483647) id: number;
}
