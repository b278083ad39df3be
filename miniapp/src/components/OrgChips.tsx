import { View } from '@tarojs/components';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { OrgLevel, OrgView } from '@union/shared';
import { listOrgs } from '../api/orgs';
import { errorMessage } from '../api/client';
import { Button } from './Button';
import { Field } from './Field';
import { ErrorState, Loading } from './States';
import { Tap } from './Tap';
import './OrgPicker.css';

/** Unions shown per page of chips. */
export const ORG_CHIPS_PAGE = 30;

export interface OrgChipsProps {
  /** Element ids: `<idPrefix>-chips` (the group), `<idPrefix>-<code>` per union, `<idPrefix>-search` and `-search-go`, `<idPrefix>-more`. */
  idPrefix: string;
  /** The chosen union's code ('' for none). */
  value: string;
  onChange: (code: string) => void;
  /** Only unions of this level. */
  level?: OrgLevel;
  /** Read by screen readers for the group. */
  label: string;
  /** Chips placed before the unions (e.g. 本级工会). */
  before?: ReactNode;
  /** Said when the caller's subtree has no union to offer. */
  emptyText?: string;
  /** Called once the first page is in, with what it holds (a form may choose the only union for the user). */
  onLoaded?: (first: OrgView[], total: number) => void;
}

/**
 * Choose one union of the caller's subtree (GET /orgs: staff see their subtree) as chips, however many unions it
 * holds: the first {@link ORG_CHIPS_PAGE} by path, 加载更多 for the next, and a keyword search (name, code or city,
 * on the server) once there are more than one page; the chosen union stays shown as a chip even when it is not
 * among those loaded. Loading and errors (with 重试) are drawn here.
 */
export function OrgChips({ idPrefix, value, onChange, level, label, before, emptyText = '你管辖的范围内没有可选的工会', onLoaded }: OrgChipsProps) {
  const [query, setQuery] = useState('');
  const [list, setList] = useState<{ items: OrgView[]; total: number; page: number; q: string } | null>(null);
  const [chosen, setChosen] = useState<OrgView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [searchable, setSearchable] = useState(false);

  const load = useCallback(async (q: string, page: number) => {
    setError(null);
    setBusy(true);
    try {
      const res = await listOrgs({ level, q: q || undefined, page, pageSize: ORG_CHIPS_PAGE });
      setList((prev) => ({ items: page === 1 ? res.items : [...(prev?.items ?? []), ...res.items], total: res.total, page: res.page, q }));
      if (page === 1 && !q) {
        setSearchable(res.total > ORG_CHIPS_PAGE);
        onLoaded?.(res.items, res.total);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [level]);
  useEffect(() => {
    void load('', 1);
  }, [load]);

  // the chosen union, when it is not among those loaded (a file of union no. 150 opened for editing)
  useEffect(() => {
    if (!value || !list || list.items.some((o) => o.code === value) || chosen?.code === value) return;
    listOrgs({ level, q: value, pageSize: 5 }).then((res) => setChosen(res.items.find((o) => o.code === value) ?? null), () => undefined);
  }, [value, list, chosen, level]);

  if (error && !list) return <ErrorState message={error} onRetry={() => void load(query.trim(), 1)} />;
  if (!list) return <Loading />;
  const shown = chosen && chosen.code === value && !list.items.some((o) => o.code === value) ? [chosen, ...list.items] : list.items;
  const chip = (o: OrgView) => (
    <Tap key={o.code} id={`${idPrefix}-${o.code}`} testId={`${idPrefix}-${o.code}`} role='radio' checked={value === o.code}
      className={`chip ${value === o.code ? 'chip-on' : ''}`} onClick={() => onChange(o.code)}>
      {o.name}
    </Tap>
  );
  return (
    <View>
      {searchable && (
        <View className='org-search'>
          <View className='org-search-field'>
            <Field id={`${idPrefix}-search`} label='按名称、代码或城市查找' placeholder='如 网约配送' value={query} onInput={setQuery} />
          </View>
          <Button size='small' id={`${idPrefix}-search-go`} loading={busy} onClick={() => void load(query.trim(), 1)}>搜索</Button>
        </View>
      )}
      <View className='chips' id={`${idPrefix}-chips`} role='radiogroup' aria-label={label}>
        {before}
        {shown.map(chip)}
      </View>
      {shown.length === 0 && (list.q || !before) && <View className='muted'>{list.q ? '没有找到，请换个关键词' : emptyText}</View>}
      {error && <ErrorState message={error} onRetry={() => void load(list.q, list.page + 1)} />}
      {list.items.length < list.total && (
        <Button kind='plain' id={`${idPrefix}-more`} loading={busy} onClick={() => void load(list.q, list.page + 1)}>
          加载更多工会（还有 {list.total - list.items.length} 个）
        </Button>
      )}
    </View>
  );
}
