import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@union/shared';
import { DomainError } from './domain-error';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? `不允许的字段：${field}` : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The global validation pipe: strips nothing silently (unknown fields are refused),
 * transforms to DTO classes, and reports `400 VALIDATION_FAILED` with `details: FieldError[]`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new DomainError('VALIDATION_FAILED', details[0]?.message ?? '请求参数有误', 400, details);
    },
  });
}
