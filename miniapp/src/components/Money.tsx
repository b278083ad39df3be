import { Text } from '@tarojs/components';
import type { Fen } from '@union/shared';
import { formatYuan } from './format';
import './components.css';

/**
 * An amount of money: integer fen in, `1,234.50元` out (or `¥1,234.50` with `unit='¥'`), on one line that never
 * breaks inside the number (white-space: nowrap). `id` / `testId` for journeys.
 */
export function Money({ fen, unit = '元', className, id, testId }: { fen: Fen; unit?: '元' | '¥'; className?: string; id?: string; testId?: string }) {
  const yuan = formatYuan(fen);
  return (
    <Text className={`nowrap money ${className ?? ''}`} id={id} data-testid={testId} data-fen={String(fen)}>
      {unit === '¥' ? `¥${yuan}` : `${yuan}元`}
    </Text>
  );
}
