import { Text } from '@tarojs/components';
import './components.css';

/** The colour family of a status: waiting, good, bad, neutral, info. */
export type StatusTone = 'pending' | 'success' | 'danger' | 'neutral' | 'info';

/**
 * A status in words with a colour (never colour alone; every tone passes 4.5:1 contrast): e.g.
 * `<StatusTag tone='pending' text='待审核' />`. Old tone names `approved`/`rejected` map to success/danger.
 */
export function StatusTag({ text, tone = 'neutral', id, testId }: { text: string; tone?: StatusTone | 'approved' | 'rejected'; id?: string; testId?: string }) {
  const t = tone === 'approved' ? 'success' : tone === 'rejected' ? 'danger' : tone;
  return (
    <Text className={`tag tag-${t}`} id={id} data-testid={testId} data-tone={t}>
      {text}
    </Text>
  );
}
