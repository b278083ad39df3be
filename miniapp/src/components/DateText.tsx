import { Text } from '@tarojs/components';
import { formatDate, formatDateTime, formatMonth } from './format';
import './components.css';

/**
 * A date or time in plain words, Asia/Shanghai, on one line (never split mid-number):
 * - `mode='datetime'` (default): `今天 14:05`, `昨天 09:30`, `11月3日 14:05`, `2025年11月3日 14:05`;
 * - `mode='date'`: `2026年11月3日`; `mode='month'`: `2026年11月` (also for a bare `YYYY-MM`).
 * `value` is an ISO-8601 instant (UTC) or `YYYY-MM(-DD)`; the ISO value is kept in `data-value`.
 */
export function DateText({ value, mode = 'datetime', className, id }: { value: string | Date; mode?: 'datetime' | 'date' | 'month'; className?: string; id?: string }) {
  const text = mode === 'month' ? formatMonth(value) : mode === 'date' ? formatDate(value) : formatDateTime(value);
  return (
    <Text className={`nowrap ${className ?? ''}`} id={id} data-value={typeof value === 'string' ? value : value.toISOString()}>
      {text}
    </Text>
  );
}
