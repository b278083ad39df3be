import { HttpStatus } from '@nestjs/common';
import { MessagesErrorCode as C } from '@union/shared';
import { DomainError } from '../../common/domain-error';

export const MessagesErrors = {
  messageNotFound: () => new DomainError(C.MESSAGE_NOT_FOUND, '消息不存在', HttpStatus.NOT_FOUND),
};
