/** class-transformer `@Transform` for text inputs: a string with its surrounding whitespace removed; anything else as it came (the validators then refuse it). */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
