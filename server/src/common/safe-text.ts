import { getMetadataStorage, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { FieldError, findUnsafeChar, SafeTextOptions, UNSAFE_TEXT_MESSAGE, validateSafeText } from '@union/shared';

const SAFE_TEXT = 'safeText';

/** Options of {@link SafeText}: the shared rule's bounds (code points) and an optional Chinese message for a bad length. */
export interface SafeTextDecoratorOptions extends SafeTextOptions {
  /** Message for a missing, non-string or wrong-length value; the character rule keeps its own message. */
  message?: string;
}

/**
 * A free-text DTO field: a string of `minLength`–`maxLength` Unicode code points (the unit of
 * MySQL `VARCHAR(n)`; class-validator's `Length` under-counts emoji with variation selectors),
 * free of control and bidi characters by the shared rule (`validateSafeText` in `@union/shared`;
 * line breaks only when `multiline`). Every free-text field of every DTO carries it, with a
 * `maxLength` no larger than its column (test/security/field-bounds proves both).
 * Fails with `400 VALIDATION_FAILED` naming the field.
 */
export function SafeText(options: SafeTextDecoratorOptions, validationOptions?: ValidationOptions) {
  const { message, ...rule } = options;
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: SAFE_TEXT,
      target: target.constructor,
      propertyName,
      constraints: [rule],
      options: validationOptions,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && validateSafeText(value, rule) === null,
        defaultMessage: (args?: ValidationArguments) => {
          const problem = typeof args?.value === 'string' ? validateSafeText(args.value, rule) : null;
          if (problem === UNSAFE_TEXT_MESSAGE) return `${args!.property}${UNSAFE_TEXT_MESSAGE}`;
          return message ?? (problem ? `${args!.property}${problem}` : `${args?.property}应为文本`);
        },
      },
    });
  };
}

const optionsByClass = new WeakMap<Function, Map<string, SafeTextOptions>>();

/** The `@SafeText` options of `cls.property`, including those inherited through mapped types (`PartialType`…), or undefined. */
export function safeTextOptionsOf(cls: Function, property: string): SafeTextOptions | undefined {
  let byProperty = optionsByClass.get(cls);
  if (!byProperty) {
    byProperty = new Map();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      if (m.name === SAFE_TEXT) byProperty.set(m.propertyName, m.constraints?.[0]);
    }
    optionsByClass.set(cls, byProperty);
  }
  return byProperty.get(property);
}

/**
 * Every string anywhere in a validated request value (DTO instance, nested objects and arrays, object
 * keys, a bare path or query parameter) checked against the shared character rule: multi-line only
 * where the owning DTO property says `@SafeText({ multiline: true })`. Returns one error per bad field,
 * named by its path (`types.0.name`), so a field nobody decorated is covered too.
 */
export function unsafeTextErrors(value: unknown, prefix = '', multiline = false, depth = 0): FieldError[] {
  if (typeof value === 'string') {
    return findUnsafeChar(value, multiline) === null ? [] : [{ field: prefix || 'value', message: `${prefix || '参数'}${UNSAFE_TEXT_MESSAGE}` }];
  }
  if (value === null || typeof value !== 'object' || depth > 32) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unsafeTextErrors(v, prefix ? `${prefix}.${i}` : String(i), multiline, depth + 1));
  if (Buffer.isBuffer(value) || value instanceof Date) return [];
  const cls = (value as object).constructor;
  const errors: FieldError[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = prefix ? `${prefix}.${key}` : key;
    if (findUnsafeChar(key) !== null) errors.push({ field, message: `${field}${UNSAFE_TEXT_MESSAGE}` });
    const options = cls && cls !== Object ? safeTextOptionsOf(cls, key) : undefined;
    errors.push(...unsafeTextErrors(v, field, options?.multiline ?? false, depth + 1));
  }
  return errors;
}
