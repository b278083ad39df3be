import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState, type ReactNode } from 'react';
import type { Page } from '@union/shared';
import { errorMessage } from '../api/client';
import { useLoadOnShow, usePagedList } from '../hooks';
import { Button, type ButtonKind } from './Button';
import { Field } from './Field';
import { PagedList } from './PagedList';
import { Banner } from './States';
import { StatusTag, type StatusTone } from './StatusTag';
import { Tap } from './Tap';
import './components.css';

/** A tab of the queue (e.g. 待审核): its label and the query its list loads. */
export interface ReviewTab<Q> {
  key: string;
  label: string;
  query: Q;
}

/** Asks for a reason before running an action (e.g. 驳回原因): an inline text box with its own confirm button. */
export interface ReviewReason {
  label: string;
  placeholder?: string;
  /** Longest reason in characters; default 200. */
  maxLength?: number;
  /** Label of the confirm button, e.g. 确认驳回. */
  confirmLabel: string;
}

/** One action on an item (通过, 驳回, 受理…). */
export interface ReviewAction<T> {
  /** Names the button's data-testid: `<testIdPrefix><key>-<id>`, the reason box `<testIdPrefix><key>-reason-<id>`. */
  key: string;
  label: string;
  kind?: ButtonKind;
  /** A confirm dialog first (Taro.showModal); cancelling does nothing. */
  confirm?: (item: T) => { title: string; content: string; confirmText?: string };
  /** Ask for a reason first; `run` gets it trimmed and non-empty. */
  reason?: ReviewReason;
  /** Does the work; resolves with the updated item, or nothing. Its rejection's message shows in the banner. */
  run: (item: T, reason?: string) => Promise<T | void>;
  /** The success banner's text. */
  done: (item: T, updated: T | void) => string;
}

/** How an item reads on its card. */
export interface ReviewCard {
  title: ReactNode;
  tag?: { text: string; tone: StatusTone };
  /** Label/value rows; falsy entries are skipped. Use Money / DateText for amounts and times. */
  rows: Array<[string, ReactNode] | null | false | undefined | '' | 0>;
  /** Notes under the rows (a reject reason, a warning banner). */
  notes?: ReactNode;
}

export interface ReviewQueueProps<T extends { id: number }, Q> {
  /** Prefix of element ids: `<idPrefix>-tab-<key>`, `<idPrefix>-banner`, `<idPrefix>-more`. */
  idPrefix: string;
  /** Prefix of action data-testids (e.g. `mr-` gives `mr-approve-12`); default none (`approve-12`). */
  testIdPrefix?: string;
  tabs: ReviewTab<Q>[];
  /** Loads one page of a tab's list. */
  fetchPage: (query: Q, page: number) => Promise<Page<T>>;
  /** Load only when true (e.g. the user is staff). */
  enabled?: boolean;
  /** Called with the tab's key whenever the queue (re)loads, e.g. to refresh counts shown elsewhere. */
  onReload?: (tabKey: string) => void;
  /** The card's data-testid (e.g. `application-12`). */
  itemTestId: (item: T) => string;
  card: (item: T) => ReviewCard;
  /** The actions offered on an item in a tab (none for settled items). */
  actions: (item: T, tabKey: string) => ReviewAction<T>[];
  /** Whether an updated item still belongs in the tab after an action (default: it leaves the list). */
  keeps?: (updated: T, tabKey: string) => boolean;
  /** Opens the item's own page; adds a 查看详情 button. */
  onOpen?: (item: T) => void;
  emptyText: (tabKey: string) => string;
  emptyAction?: ReactNode;
}

/**
 * The staff review queue that membership, vouchers (merchants) and aid share: status tabs with the current tab's
 * total, a paged list of cards (title, status tag, label/value rows, notes), per-item actions with an optional
 * confirm dialog and an optional inline reason box (required, length-checked), one success/error banner, and the
 * loading / empty / error / 加载更多 states of {@link PagedList}. While one action runs every action button is
 * disabled. After an action the item leaves the tab unless `keeps` says otherwise.
 */
export function ReviewQueue<T extends { id: number }, Q>(props: ReviewQueueProps<T, Q>) {
  const { idPrefix, testIdPrefix = '', tabs, enabled = true } = props;
  const [tabKey, setTabKey] = useState(tabs[0].key);
  const list = usePagedList(props.fetchPage);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [asking, setAsking] = useState<{ id: number; key: string } | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  const queryOf = (key: string) => (tabs.find((t) => t.key === key) ?? tabs[0]).query;
  const load = (key: string) => {
    props.onReload?.(key);
    void list.reload(queryOf(key));
  };
  useLoadOnShow(() => load(tabKey), enabled);

  const switchTab = (key: string) => {
    if (key === tabKey) return;
    setTabKey(key);
    setAsking(null);
    setBanner(null);
    load(key);
  };

  const settle = (item: T, updated: T | void) => {
    if (updated && props.keeps?.(updated, tabKey)) list.setItems((prev) => prev?.map((x) => (x.id === item.id ? updated : x)) ?? prev);
    else list.remove(item.id);
  };

  const run = async (item: T, action: ReviewAction<T>, why?: string) => {
    setBusyId(item.id);
    setBanner(null);
    try {
      const updated = await action.run(item, why);
      settle(item, updated);
      setAsking(null);
      setBanner({ kind: 'success', text: action.done(item, updated) });
    } catch (e) {
      if (why !== undefined) setReasonError(errorMessage(e));
      else setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  const start = async (item: T, action: ReviewAction<T>) => {
    if (action.reason) {
      setAsking({ id: item.id, key: action.key });
      setReason('');
      setReasonError(null);
      return;
    }
    if (action.confirm) {
      const c = action.confirm(item);
      const { confirm } = await Taro.showModal({ title: c.title, content: c.content, confirmText: c.confirmText ?? '确定' });
      if (!confirm) return;
    }
    await run(item, action);
  };

  const confirmReason = (item: T, action: ReviewAction<T>) => {
    const r = reason.trim();
    const max = action.reason?.maxLength ?? 200;
    if (!r) return setReasonError(`请填写${action.reason?.label ?? '原因'}`);
    if (r.length > max) return setReasonError(`${action.reason?.label ?? '原因'}不超过${max}字`);
    void run(item, action, r);
  };

  const renderItem = (item: T) => {
    const c = props.card(item);
    const actions = props.actions(item, tabKey);
    const askingAction = asking?.id === item.id ? actions.find((a) => a.key === asking.key) : undefined;
    const tid = (key: string) => `${testIdPrefix}${key}-${item.id}`;
    return (
      <View className='card review-card' key={item.id} data-testid={props.itemTestId(item)}>
        <View className='row review-card-head'>
          <Text className='card-title'>{c.title}</Text>
          {c.tag && <StatusTag text={c.tag.text} tone={c.tag.tone} />}
        </View>
        {c.rows.filter((r): r is [string, ReactNode] => !!r).map(([label, value]) => (
          <View className='row' key={label}>
            <Text className='row-label'>{label}</Text>
            <View className='row-value'>{value}</View>
          </View>
        ))}
        {c.notes}
        {props.onOpen && (
          <Button kind='plain' size='small' testId={tid('open')} onClick={() => props.onOpen?.(item)}>
            查看详情
          </Button>
        )}
        {actions.length > 0 && !askingAction && (
          <View className='btn-row'>
            {actions.map((a) => (
              <Button
                key={a.key}
                kind={a.kind ?? 'primary'}
                size='small'
                testId={tid(a.key)}
                loading={busyId === item.id && !a.reason}
                disabled={busyId !== null}
                onClick={() => void start(item, a)}
              >
                {a.label}
              </Button>
            ))}
          </View>
        )}
        {askingAction?.reason && (
          <View className='review-reason'>
            <Field
              id={`${testIdPrefix}${askingAction.key}-reason-${item.id}`}
              label={askingAction.reason.label}
              required
              multiline
              maxlength={askingAction.reason.maxLength ?? 200}
              placeholder={askingAction.reason.placeholder}
              value={reason}
              error={reasonError}
              errorId={`err-${testIdPrefix}${askingAction.key}-reason-${item.id}`}
              onInput={(v) => {
                setReason(v);
                setReasonError(null);
              }}
            />
            <View className='btn-row'>
              <Button
                kind={askingAction.kind ?? 'primary'}
                size='small'
                testId={tid(`${askingAction.key}-confirm`)}
                loading={busyId === item.id}
                disabled={busyId !== null}
                onClick={() => confirmReason(item, askingAction)}
              >
                {askingAction.reason.confirmLabel}
              </Button>
              <Button kind='plain' size='small' testId={tid(`${askingAction.key}-cancel`)} onClick={() => setAsking(null)}>
                取消
              </Button>
            </View>
          </View>
        )}
      </View>
    );
  };

  return (
    <View className='review-queue'>
      <View className='tabs' role='tablist'>
        {tabs.map((t) => (
          <Tap
            key={t.key}
            id={`${idPrefix}-tab-${t.key}`}
            role='tab'
            checked={t.key === tabKey}
            className={`tab ${t.key === tabKey ? 'tab-on' : ''}`}
            onClick={() => switchTab(t.key)}
          >
            {t.label}
            {t.key === tabKey && list.items ? `（${list.total}）` : ''}
          </Tap>
        ))}
      </View>
      {banner && <Banner id={`${idPrefix}-banner`} kind={banner.kind} message={banner.text} />}
      <PagedList
        list={list}
        onRetry={() => load(tabKey)}
        renderItem={renderItem}
        emptyText={props.emptyText(tabKey)}
        emptyAction={props.emptyAction}
        moreId={`${idPrefix}-more`}
      />
    </View>
  );
}
