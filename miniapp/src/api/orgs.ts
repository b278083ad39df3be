import type { OrgLevel, OrgView, Page } from '@union/shared';
import { request, withQuery } from './client';

export interface OrgListQuery {
  level?: OrgLevel;
  parentCode?: string;
  /** Keyword: the name, code or city contains it. */
  q?: string;
  page?: number;
  pageSize?: number;
}

/** Orgs visible to the caller (staff: their subtree). */
export const listOrgs = (query: OrgListQuery = {}) =>
  request<Page<OrgView>>('GET', withQuery('/orgs', { ...query }));
