import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './components.css';

export interface TapProps {
  id?: string;
  testId?: string;
  /** Classes that draw it (e.g. `menu-item`, `chip chip-on`, `tile`); `tap` is always added. */
  className?: string;
  /** ARIA role when it is not a plain button: `switch`, `radio`, `tab`, `link`. */
  role?: 'button' | 'switch' | 'radio' | 'tab' | 'link' | 'checkbox';
  /** For switch / radio / checkbox / tab: whether it is on (aria-checked, or aria-selected for a tab). */
  checked?: boolean;
  ariaLabel?: string;
  disabled?: boolean;
  onClick?: () => void;
  /** Extra data-* attributes for journeys (e.g. `{ kind: 'campaign_opening' }` → data-kind). */
  data?: Record<string, string>;
  children?: ReactNode;
}

/**
 * Anything tappable that is not a kit `Button` (a menu row, a tile, a chip, a tab, a card that opens a page): on H5 a
 * native `<button type="button">` (focusable, Enter/Space, announced with its role), on weapp a `View`. It looks only
 * like its `className` says (`.tap` resets the browser's button look). Size it with `min-height: var(--tap)`.
 */
export function Tap({ id, testId, className, role = 'button', checked, ariaLabel, disabled, onClick, data, children }: TapProps) {
  const dataAttrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) dataAttrs[`data-${k}`] = v;
  const state: { 'aria-selected'?: boolean; 'aria-checked'?: boolean } =
    role === 'tab' ? { 'aria-selected': !!checked } : role === 'switch' || role === 'radio' || role === 'checkbox' ? { 'aria-checked': !!checked } : {};
  const click = () => {
    if (!disabled) onClick?.();
  };
  if (process.env.TARO_ENV === 'h5') {
    return (
      <button
        type='button'
        id={id}
        data-testid={testId}
        className={`tap ${className ?? ''}`}
        role={role === 'button' ? undefined : role}
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={click}
        {...state}
        {...dataAttrs}
      >
        {children}
      </button>
    );
  }
  return (
    <View id={id} data-testid={testId} className={`tap ${className ?? ''}`} role={role} aria-label={ariaLabel} onClick={click} {...state} {...dataAttrs}>
      {children}
    </View>
  );
}
