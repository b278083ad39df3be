import { Button as TaroButton } from '@tarojs/components';
import type { ReactNode } from 'react';
import './components.css';

/** How a button looks: the one main action (`primary`), a secondary one (`plain`), a destructive one (`danger`). */
export type ButtonKind = 'primary' | 'plain' | 'danger';

export interface ButtonProps {
  id?: string;
  /** Rendered as `data-testid`. */
  testId?: string;
  kind?: ButtonKind;
  /** `small` sits inline beside others (still ≥ 44 px high, ≥ 60 px in elder mode); default is full width. */
  size?: 'normal' | 'small';
  /** Really disabled: no click, `disabled` and aria-disabled set, drawn grey with readable text. */
  disabled?: boolean;
  /** Shows a spinner, sets aria-busy and blocks clicks while an action runs. */
  loading?: boolean;
  formType?: 'submit' | 'reset';
  className?: string;
  onClick?: () => void;
  children?: ReactNode;
}

/**
 * The kit's button (Taro's `<Button>` with the theme): full width by default; tap target ≥ 44 × 44 CSS px, ≥ 60 × 60
 * in elder mode; text ≥ 16 / 20 px; contrast ≥ 4.5:1 in every state including disabled. A click while disabled
 * or loading does nothing.
 */
export function Button({ id, testId, kind = 'primary', size = 'normal', disabled, loading, formType, className, onClick, children }: ButtonProps) {
  const off = !!disabled || !!loading;
  return (
    <TaroButton
      id={id}
      data-testid={testId}
      className={`btn btn-${kind} ${size === 'small' ? 'btn-small' : ''} ${off ? 'btn-off' : ''} ${className ?? ''}`}
      disabled={off || undefined}
      loading={loading || undefined}
      formType={formType}
      aria-disabled={off ? 'true' : undefined}
      aria-busy={loading ? 'true' : undefined}
      onClick={() => {
        if (!off) onClick?.();
      }}
    >
      {children}
    </TaroButton>
  );
}
