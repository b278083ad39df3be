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
  /** The accessible name when the visible text is not enough. */
  ariaLabel?: string;
  className?: string;
  onClick?: () => void;
  children?: ReactNode;
}

/**
 * The kit's button: full width by default; tap target ≥ 44 × 44 CSS px, ≥ 60 × 60 in elder mode; text ≥ 16 / 20 px;
 * contrast ≥ 4.5:1 in every state including disabled. A click while disabled or loading does nothing.
 * On H5 it is a native `<button>` (focusable, Enter/Space, announced as a button: Taro's `taro-button-core` is none
 * of these); on weapp it is Taro's `<Button>`.
 */
export function Button({ id, testId, kind = 'primary', size = 'normal', disabled, loading, formType, ariaLabel, className, onClick, children }: ButtonProps) {
  const off = !!disabled || !!loading;
  const cls = `btn btn-${kind} ${size === 'small' ? 'btn-small' : ''} ${off ? 'btn-off' : ''} ${className ?? ''}`;
  const click = () => {
    if (!off) onClick?.();
  };
  if (process.env.TARO_ENV === 'h5') {
    return (
      <button
        id={id}
        data-testid={testId}
        className={cls}
        type={formType ?? 'button'}
        disabled={off}
        aria-disabled={off ? 'true' : undefined}
        aria-busy={loading ? 'true' : undefined}
        aria-label={ariaLabel}
        onClick={click}
      >
        {loading && <span className='btn-spinner' aria-hidden='true' />}
        {children}
      </button>
    );
  }
  return (
    <TaroButton
      id={id}
      data-testid={testId}
      className={cls}
      disabled={off || undefined}
      loading={loading || undefined}
      formType={formType}
      aria-disabled={off ? 'true' : undefined}
      aria-busy={loading ? 'true' : undefined}
      aria-label={ariaLabel}
      onClick={click}
    >
      {children}
    </TaroButton>
  );
}
