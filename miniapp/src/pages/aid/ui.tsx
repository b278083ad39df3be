/** Small UI pieces shared by the aid pages (not a page itself). */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { yuanToFen } from '@union/shared';
import { Tap, formatYuan } from '../../components';
import './aid.css';

export const go = (url: string) => Taro.navigateTo({ url });

/**
 * Fen as `1,234.50元` (plain words: money in 元). For text that must be a string (a dialog, a banner); in the page
 * itself use the kit's `<Money>`, which also keeps the amount on one line.
 */
export function yuan(fen: number): string {
  return `${formatYuan(fen)}元`;
}

/** Parses a yuan amount typed by staff (`800`, `800.5`) into fen; null when invalid. */
export const parseYuan = yuanToFen;

/** A label/value line of a card; `value` may be a kit element (Money, DateText, StatusTag). */
export function Row({ label, value, id }: { label: string; value: ReactNode; id?: string }) {
  return (
    <View className='row'>
      <Text className='row-label'>{label}</Text>
      <View className='row-value' id={id}>
        {value}
      </View>
    </View>
  );
}

/** Chips to pick one value (or several with `multi`); each chip is a tap target with role radio/checkbox. */
export function Chips<T extends string>({ idPrefix, options, labels, value, onChange }: {
  idPrefix: string; options: readonly T[]; labels: Record<T, string>; value: T | T[]; onChange: (v: T) => void;
}) {
  const multi = Array.isArray(value);
  const on = (o: T) => (Array.isArray(value) ? value.includes(o) : value === o);
  return (
    <View className='chips' role={multi ? 'group' : 'radiogroup'}>
      {options.map((o) => (
        <Tap
          key={o}
          id={`${idPrefix}-${o}`}
          className={`chip ${on(o) ? 'chip-on' : ''}`}
          role={multi ? 'checkbox' : 'radio'}
          checked={on(o)}
          onClick={() => onChange(o)}
        >
          {labels[o]}
        </Tap>
      ))}
    </View>
  );
}

export { Bars } from '../../components';
