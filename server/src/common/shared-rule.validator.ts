import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Validates a string property with one of the pure validators from `@union/shared`
 * (which return null when valid, else a Chinese message), so the form and the API
 * apply the very same rule and wording.
 */
export function SatisfiesRule(rule: (value: string) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'satisfiesRule',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && rule(value) === null,
        defaultMessage: (args?: ValidationArguments) => (typeof args?.value === 'string' ? rule(args.value) : null) ?? '格式不正确',
      },
    });
  };
}
