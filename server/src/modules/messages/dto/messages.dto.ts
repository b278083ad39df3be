import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { MessageListQuery, MessageTopic, RecordSubscriptionsRequest, SubscribeAnswer } from '@union/shared';
import { PageQueryDto } from '../../../common/paging.dto';

const ANSWERS: SubscribeAnswer[] = ['accept', 'reject', 'ban', 'filter'];
const answerMessage = { message: '订阅结果应为accept、reject、ban或filter' };

/** `GET /api/messages`: paging and `unread=true` for unread only. */
export class MessageListQueryDto extends PageQueryDto implements MessageListQuery {
  @ApiPropertyOptional()
  @IsOptional() @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean({ message: 'unread应为true或false' })
  unread?: boolean;
}

/** What `wx.requestSubscribeMessage` answered, by topic (only the topics the page asked for). */
export class SubscribeAnswersDto implements Partial<Record<MessageTopic, SubscribeAnswer>> {
  @IsOptional() @IsIn(ANSWERS, answerMessage) membership?: SubscribeAnswer;
  @IsOptional() @IsIn(ANSWERS, answerMessage) aid_application?: SubscribeAnswer;
  @IsOptional() @IsIn(ANSWERS, answerMessage) aid_payout?: SubscribeAnswer;
  @IsOptional() @IsIn(ANSWERS, answerMessage) campaign_reminder?: SubscribeAnswer;
  @IsOptional() @IsIn(ANSWERS, answerMessage) voucher?: SubscribeAnswer;
  @IsOptional() @IsIn(ANSWERS, answerMessage) station_report?: SubscribeAnswer;
  @IsOptional() @IsIn(ANSWERS, answerMessage) staff_queue?: SubscribeAnswer;
}

/** `POST /api/messages/subscriptions`. */
export class RecordSubscriptionsDto implements RecordSubscriptionsRequest {
  @IsObject({ message: 'answers应为对象' }) @ValidateNested() @Type(() => SubscribeAnswersDto)
  answers: SubscribeAnswersDto;
}
