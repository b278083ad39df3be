import { Text, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { Button } from './Button';
import { Banner, Empty, ErrorState, Loading } from './States';
import './components.css';

/** What {@link PagedList} needs from a paged list: the shape `usePagedList` (hooks.ts) returns. */
export interface PagedListState<T> {
  /** null while the first page loads. */
  items: T[] | null;
  total: number;
  /** Message of a failed first page. */
  error: string | null;
  loadingMore: boolean;
  /** Appends the next page; rejects when it fails. */
  loadMore: () => Promise<void>;
}

export interface PagedListProps<T> {
  list: PagedListState<T>;
  /** Loads the first page again (the error state's 重试; it must be able to succeed, i.e. really reload). */
  onRetry: () => void;
  /** One row; give it a `key`. */
  renderItem: (item: T, index: number) => ReactNode;
  /** What the empty list says, and the next step (a button or a link) under it. */
  emptyText: string;
  emptyAction?: ReactNode;
  /** Id of the 加载更多 button (journeys click it), default `list-more`. */
  moreId?: string;
  id?: string;
}

/**
 * A list loaded page by page, with every state drawn the same way on every page: loading (spinner), error
 * (ErrorState with 重试 that reloads), empty (text plus the next step), the items, then 加载更多 while more remain or
 * 没有更多了. A failed 加载更多 shows a banner above the button and keeps what was loaded; pressing it again retries.
 */
export function PagedList<T>({ list, onRetry, renderItem, emptyText, emptyAction, moreId = 'list-more', id }: PagedListProps<T>) {
  const [moreError, setMoreError] = useState<string | null>(null);
  const { items, total, error, loadingMore } = list;

  if (error) return <ErrorState message={error} onRetry={onRetry} />;
  if (!items) return <Loading />;
  if (items.length === 0) return <Empty text={emptyText}>{emptyAction}</Empty>;

  const more = () => {
    setMoreError(null);
    list.loadMore().catch((e) => setMoreError(errorMessage(e)));
  };
  return (
    <View className='paged-list' id={id}>
      {items.map(renderItem)}
      <Banner id={`${moreId}-error`} message={moreError ? `${moreError}，请再点一次“加载更多”` : null} />
      {items.length < total ? (
        <Button id={moreId} kind='plain' loading={loadingMore} onClick={more}>
          加载更多
        </Button>
      ) : (
        <View className='list-end'>
          <Text>没有更多了</Text>
        </View>
      )}
    </View>
  );
}
