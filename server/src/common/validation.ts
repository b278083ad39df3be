import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@union/shared';
import { DomainError } from './domain-error';
import { unsafeTextErrors } from './safe-text';

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
 * Nest's ValidationPipe, then the shared free-text rule over every string of the validated value
 * (`unsafeTextErrors`): control and bidi characters are refused in every body, query and path field
 * of every route, whether or not its DTO property was decorated, so a new field cannot skip it.
 */
class UnionValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result = await super.transform(value, metadata);
    if (metadata.type === 'custom') return result; // @CurrentUser() and the like: not request input
    const details = unsafeTextErrors(result, metadata.type === 'body' || typeof result === 'object' ? '' : (metadata.data ?? ''));
    if (details.length) throw new DomainError('VALIDATION_FAILED', details[0].message, 400, details);
    return result;
  }
}

/**
 * The global validation pipe: strips nothing silently (unknown fields are refused),
 * transforms to DTO classes, refuses control and bidi characters in every string (see
 * {@link UnionValidationPipe}), and reports `400 VALIDATION_FAILED` with `details: FieldError[]`.
 */
export function createValidationPipe(): ValidationPipe {
  return new UnionValidationPipe({
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
