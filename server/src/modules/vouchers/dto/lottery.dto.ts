import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LOTTERY_MAX_WEIGHT, LotteryRulesInput } from '@union/shared';

/** The lottery part of `POST /api/vouchers/manage/campaigns` (`allocation: 'lottery'`); order of times checked by the service. */
export class LotteryRulesDto implements LotteryRulesInput {
  @ApiProperty({ format: 'date-time', description: 'end of registration; it starts at claimStartAt' })
  @IsDateString({ strict: true }, { message: '登记截止时间格式应为ISO时间' }) registrationEndAt: string;
  @ApiProperty({ format: 'date-time', description: 'earliest draw time, ≥ registrationEndAt, < claimEndAt' })
  @IsDateString({ strict: true }, { message: '开奖时间格式应为ISO时间' }) drawAt: string;
  @ApiPropertyOptional({ description: `weight factor 1–${LOTTERY_MAX_WEIGHT} of members bound to an active hardship household` })
  @IsOptional() @IsInt({ message: '困难职工权重应为整数' }) @Min(1, { message: '权重至少为1' }) @Max(LOTTERY_MAX_WEIGHT, { message: `权重最多为${LOTTERY_MAX_WEIGHT}` }) hardshipWeight?: number;
  @ApiPropertyOptional({ description: 'an earlier drawn lottery campaign whose losers get previousLoserWeight' })
  @IsOptional() @IsInt({ message: '上期活动ID无效' }) @Min(1, { message: '上期活动ID无效' }) @Max(2147483647) previousCampaignId?: number | null;
  @ApiPropertyOptional({ description: `weight factor 1–${LOTTERY_MAX_WEIGHT} of those who lost the previous draw` })
  @IsOptional() @IsInt({ message: '上期未中签权重应为整数' }) @Min(1, { message: '权重至少为1' }) @Max(LOTTERY_MAX_WEIGHT, { message: `权重最多为${LOTTERY_MAX_WEIGHT}` }) previousLoserWeight?: number;
}
