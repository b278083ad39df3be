/** Query parameters of every paged list. `page` starts at 1; `pageSize` is 1–100 (default 20). */
export interface PageQuery {
  page?: number;
  pageSize?: number;
}

/** One page of a list: `items` on this page, `total` matching items overall. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
