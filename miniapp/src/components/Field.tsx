import { Input, Text, Textarea, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './components.css';

/** The keyboard a field asks for: `text`, `number` (digits), `digit` (digits and a point, e.g. 元), `idcard`, `tel`. */
export type FieldKeyboard = 'text' | 'number' | 'digit' | 'idcard' | 'tel';

export interface FieldProps {
  /** Id of the input (the Taro element; on H5 the real `<input>` sits inside it). Journeys type into `#<id> input`. */
  id: string;
  /** Visible label above the input (also the input's accessible name). */
  label: string;
  /** Adds a red `*` and 必填 for screen readers; the field still validates itself. */
  required?: boolean;
  /** A line of help under the label (e.g. 与身份证一致), tied to the input with aria-describedby. */
  hint?: string;
  /** Error text under the input, tied to it with aria-describedby and aria-invalid; nothing when null/empty. */
  error?: string | null;
  /** Id of the error line; default `<id>-error` (pages with journeys keep their old ids, e.g. `err-name`). */
  errorId?: string;
  value?: string;
  placeholder?: string;
  keyboard?: FieldKeyboard;
  maxlength?: number;
  /** A multi-line text box instead of a one-line input. */
  multiline?: boolean;
  password?: boolean;
  disabled?: boolean;
  onInput?: (value: string) => void;
  onBlur?: () => void;
  /** A custom control (chips, a picker) instead of the input; it should carry `id` itself if journeys need it. */
  children?: ReactNode;
}

/** Maps our keyboard to Taro's input type and the H5 `inputmode`. */
function keyboardOf(k: FieldKeyboard): { type: 'text' | 'number' | 'idcard' | 'digit'; inputMode?: string } {
  switch (k) {
    case 'number':
      return { type: 'number', inputMode: 'numeric' };
    case 'digit':
      return { type: 'digit', inputMode: 'decimal' };
    case 'idcard':
      return { type: 'idcard' };
    case 'tel':
      return { type: 'number', inputMode: 'tel' };
    default:
      return { type: 'text' };
  }
}

/**
 * A form field: visible label, optional required mark and hint, the input (right keyboard), and the error line.
 * Accessibility: on H5 the real `<input>` gets aria-label (the label), aria-required, aria-invalid and
 * aria-describedby (hint and error ids). Sizes come from the theme (≥ 44 px high, ≥ 60 px in elder mode).
 */
export function Field(props: FieldProps) {
  const { id, label, required, hint, error, value, placeholder, keyboard = 'text', maxlength, multiline, password, disabled } = props;
  const hintId = `${id}-hint`;
  const errorId = props.errorId ?? `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const kb = keyboardOf(keyboard);
  const nativeProps: Record<string, string | boolean | undefined> = {
    'aria-label': required ? `${label}（必填）` : label,
    'aria-required': required ? 'true' : undefined,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
    inputmode: kb.inputMode,
  };
  return (
    <View className='field'>
      <Text className='field-label' id={`${id}-label`}>
        {label}
        {required && (
          <Text className='required' aria-hidden='true'>
            {' '}*
          </Text>
        )}
        {!required && !props.children && <Text className='field-optional'>（选填）</Text>}
      </Text>
      {hint && (
        <Text className='field-hint' id={hintId}>
          {hint}
        </Text>
      )}
      {props.children ??
        (multiline ? (
          <Textarea
            id={id}
            className={`textarea ${error ? 'input-invalid' : ''}`}
            value={value}
            placeholder={placeholder}
            maxlength={maxlength}
            disabled={disabled}
            nativeProps={nativeProps}
            onInput={(e) => props.onInput?.(e.detail.value)}
            onBlur={() => props.onBlur?.()}
          />
        ) : (
          <Input
            id={id}
            className={`input ${error ? 'input-invalid' : ''}`}
            type={kb.type}
            password={password}
            value={value}
            placeholder={placeholder}
            maxlength={maxlength}
            disabled={disabled}
            nativeProps={nativeProps}
            onInput={(e) => props.onInput?.(e.detail.value)}
            onBlur={() => props.onBlur?.()}
          />
        ))}
      {error && (
        <View className='field-error' id={errorId} role='alert'>
          {error}
        </View>
      )}
    </View>
  );
}
