/** Small UI pieces shared by the aid pages (not a page itself). */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatFen, yuanToFen, type CountRow } from '@union/shared';
import './aid.css';

export const go = (url: string) => Taro.navigateTo({ url });

/** Fen as `¥1,234.50`. Display only. */
export function yuan(fen: number): string {
  const [int, dec] = formatFen(fen).split('.');
  return `¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** Parses a yuan amount typed by staff (`800`, `800.5`) into fen; null when invalid. */
export const parseYuan = yuanToFen;


export function Row({ label, value, id }: { label: string; value: string | number; id?: string }) {
  return (
    <View className='row'>
      <Text className='row-label'>{label}</Text>
      <Text className='row-value' id={id}>
        {value}
      </Text>
    </View>
  );
}

/** Chips to pick one value (or several with `multi`). */
export function Chips<T extends string>({ idPrefix, options, labels, value, onChange }: {
  idPrefix: string; options: readonly T[]; labels: Record<T, string>; value: T | T[]; onChange: (v: T) => void;
}) {
  const on = (o: T) => (Array.isArray(value) ? value.includes(o) : value === o);
  return (
    <View className='chips'>
      {options.map((o) => (
        <View key={o} id={`${idPrefix}-${o}`} className={`chip ${on(o) ? 'chip-on' : ''}`} onClick={() => onChange(o)}>
          {labels[o]}
        </View>
      ))}
    </View>
  );
}

export { Bars } from '../../components';
