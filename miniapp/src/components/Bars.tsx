import { Text, View } from '@tarojs/components';

/** One bar: `count` sets its length relative to the largest row. */
export interface BarRow {
  key: string;
  label: string;
  count: number;
}

/**
 * A chart as CSS bar rows (works in weapp and H5 without a chart library). `format` renders the
 * number at the end of each row (e.g. fen as yuan); rows carry `data-testid="<id>-<key>"`.
 */
export function Bars({ id, rows, format }: { id: string; rows: BarRow[]; format?: (n: number) => string }) {
  if (rows.length === 0) return <View className='muted' id={id}>暂无数据</View>;
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <View id={id}>
      {rows.map((r) => (
        <View className='bar-row' key={r.key} data-testid={`${id}-${r.key}`}>
          <Text className='bar-label'>{r.label}</Text>
          <View className='bar-track'>
            <View className='bar-fill' style={{ width: `${(r.count / max) * 100}%` }} />
          </View>
          <Text className='bar-count'>{format ? format(r.count) : r.count}</Text>
        </View>
      ))}
    </View>
  );
}
