import { Button, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './components.css';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state state-loading' data-testid='loading'>
      <View className='spinner' />
      <Text>{text}</Text>
    </View>
  );
}

export function Empty({ text = '暂无数据', children }: { text?: string; children?: ReactNode }) {
  return (
    <View className='state state-empty' data-testid='empty'>
      <Text>{text}</Text>
      {children}
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className='state state-error' data-testid='error'>
      <Text className='state-error-text'>{message}</Text>
      {onRetry && (
        <Button className='btn btn-plain btn-small' onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}

/** A red line under a form field. */
export function FieldError({ id, message }: { id: string; message?: string | null }) {
  if (!message) return null;
  return (
    <View className='field-error' id={id}>
      {message}
    </View>
  );
}

/** A full-width banner for an error that is not about one field. */
export function Banner({ id, message, kind = 'error' }: { id?: string; message?: string | null; kind?: 'error' | 'info' | 'success' }) {
  if (!message) return null;
  return (
    <View className={`banner banner-${kind}`} id={id}>
      {message}
    </View>
  );
}
