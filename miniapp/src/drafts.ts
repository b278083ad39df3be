import Taro, { useDidHide } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { newIdempotencyKey } from './api/idempotency';

/**
 * Drafts of long forms, kept on the device (Taro storage; localStorage on H5) so that a reload, a lost network or
 * a failed submit loses nothing. One draft per form and per user: storage key `union.draft.<form>.u<userId>`, so the
 * next person who logs in on the same phone never sees it. A draft holds the form's values (only the fields the form
 * sends; never picked files), the step reached, the idempotency key of its submit and when it was saved; it is
 * deleted after a successful submit, when it is older than {@link DRAFT_MAX_AGE_DAYS} days, or by the user
 * (清空草稿). What each form stores is listed in docs/miniapp.md, section "Drafts".
 */
export const DRAFT_PREFIX = 'union.draft.';

/** Drafts older than this are deleted when any draft is read. */
export const DRAFT_MAX_AGE_DAYS = 14;

/** Milliseconds between the last change and the save (a step change or leaving the page saves at once). */
export const DRAFT_SAVE_DELAY_MS = 300;

interface Stored<T> {
  v: 1;
  value: T;
  step: number;
  /** The `Idempotency-Key` of this draft's submit: created with the draft, kept until it is cleared. */
  key: string;
  /** Epoch milliseconds of the last save. */
  savedAt: number;
}

/** The storage key of form `form`'s draft for user `userId`. */
export const draftStorageKey = (form: string, userId: number) => `${DRAFT_PREFIX}${form}.u${userId}`;

function read<T>(storageKey: string): Stored<T> | null {
  try {
    const s = Taro.getStorageSync(storageKey) as Stored<T> | '';
    if (!s || s.v !== 1 || typeof s.key !== 'string') return null;
    if (Date.now() - s.savedAt > DRAFT_MAX_AGE_DAYS * 86_400_000) {
      Taro.removeStorageSync(storageKey);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

/** Deletes every expired draft on the device (any form, any user). Called when a form opens. */
export function purgeExpiredDrafts(): void {
  try {
    for (const k of Taro.getStorageInfoSync().keys) if (k.startsWith(DRAFT_PREFIX)) read(k);
  } catch {
    // storage unavailable: nothing to purge
  }
}

export interface Draft<T> {
  /** The form's values (restored from the device when a draft was there). */
  value: T;
  /** Changes some fields (or everything, with a function); saved after {@link DRAFT_SAVE_DELAY_MS}. */
  set: (change: Partial<T> | ((v: T) => T)) => void;
  /** The step reached (0-based). */
  step: number;
  /** Moves to a step and saves at once. */
  setStep: (step: number) => void;
  /** The `Idempotency-Key` for submitting this draft: the same on every retry, a new one after {@link clear}. */
  idempotencyKey: string;
  /** Whether the values came back from an earlier visit. */
  restored: boolean;
  /** Deletes the draft (after a successful submit, or 清空): values back to `initial`, step 0, a new key. */
  clear: () => void;
}

/**
 * A form's values kept as a draft on the device, per user. Nothing is stored while `userId` is null (logged out);
 * when the user changes, that user's own draft (or `initial`) is loaded.
 * @param form the form's name in the storage key, e.g. `aid-apply`.
 * @param initial the empty form (also what {@link Draft.clear} returns to); must not change between renders.
 */
export function useDraft<T extends object>(form: string, initial: T, userId: number | null | undefined): Draft<T> {
  const storageKey = userId ? draftStorageKey(form, userId) : null;
  const load = (k: string | null) => {
    const s = k ? read<T>(k) : null;
    return { value: s ? { ...initial, ...s.value } : initial, step: s?.step ?? 0, key: s?.key ?? newIdempotencyKey(), restored: !!s };
  };
  const [state, setState] = useState(() => load(storageKey));
  const loadedFor = useRef(storageKey);
  const dirty = useRef(false);
  const latest = useRef(state);
  latest.current = state;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const save = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const k = loadedFor.current;
    if (!k || !dirty.current) return;
    const { value, step, key } = latest.current;
    try {
      Taro.setStorageSync(k, { v: 1, value, step, key, savedAt: Date.now() } satisfies Stored<T>);
      dirty.current = false;
    } catch {
      // storage full or unavailable: the form still works, only the draft is lost
    }
  }, []);

  // another user (or a login on this page): that user's draft
  useEffect(() => {
    if (loadedFor.current === storageKey) return;
    save();
    loadedFor.current = storageKey;
    setState(load(storageKey));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storageKey]);

  useEffect(purgeExpiredDrafts, []);

  const schedule = useCallback(() => {
    dirty.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(save, DRAFT_SAVE_DELAY_MS);
  }, [save]);

  const set = useCallback((change: Partial<T> | ((v: T) => T)) => {
    setState((s) => ({ ...s, value: typeof change === 'function' ? change(s.value) : { ...s.value, ...change } }));
    schedule();
  }, [schedule]);

  const setStep = useCallback((step: number) => {
    latest.current = { ...latest.current, step };
    setState((s) => ({ ...s, step }));
    dirty.current = true;
    save();
  }, [save]);

  const clear = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    dirty.current = false;
    if (loadedFor.current) {
      try {
        Taro.removeStorageSync(loadedFor.current);
      } catch {
        // nothing to remove
      }
    }
    setState({ value: initial, step: 0, key: newIdempotencyKey(), restored: false });
  }, [initial]);

  // leaving the page (navigation, app to background, H5 reload or tab close) saves what is pending
  useDidHide(save);
  useEffect(() => {
    const w = process.env.TARO_ENV === 'h5' && typeof window !== 'undefined' ? window : null;
    w?.addEventListener('pagehide', save);
    return () => {
      w?.removeEventListener('pagehide', save);
      save();
    };
  }, [save]);

  return { value: state.value, set, step: state.step, setStep, idempotencyKey: state.key, restored: state.restored, clear };
}

/** What a form shows after its submit failed: the draft stays, and this says why and what to do. */
export interface SubmitFailure {
  /** Errors by API field name (a 400 VALIDATION_FAILED), or null. */
  fieldErrors: Record<string, string> | null;
  /** The first step holding one of those fields (index into `stepFields`), or null. */
  step: number | null;
  /** The banner text (always says the draft is kept, except for a key reused after a change). */
  message: string;
  /** True for 422 IDEMPOTENCY_KEY_REUSED: an earlier submit of this draft went through, then the form was changed. */
  alreadySubmitted: boolean;
}

/**
 * The one reading of a failed draft submit, shared by the step forms: field errors (and the step to open), a lost
 * network (申请没有提交成功, send again), an earlier submit that went through (`IDEMPOTENCY_KEY_REUSED`), or the
 * server's own message.
 * @param stepFields the API field names each step shows.
 * @param names `action` is the submit button's text (e.g. 提交申请), `record` what it creates (申请, 档案), `where` where to find it.
 */
export function submitFailure(err: unknown, stepFields: string[][], names: { action: string; record: string; where: string }): SubmitFailure {
  const e = err as { code?: string; message?: string; fieldErrors?: Array<{ field: string; message: string }> } | null;
  const fields = e?.fieldErrors ?? [];
  if (fields.length) {
    const at = stepFields.findIndex((keys) => fields.some((f) => keys.includes(f.field)));
    return { fieldErrors: Object.fromEntries(fields.map((f) => [f.field, f.message])), step: at >= 0 ? at : null, message: '请检查标红的内容（填写的内容已保存在本机）', alreadySubmitted: false };
  }
  if (e?.code === 'IDEMPOTENCY_KEY_REUSED') {
    return { fieldErrors: null, step: null, alreadySubmitted: true,
      message: `这份${names.record}之前已经提交成功，之后又改了内容。请先到${names.where}查看；如需另行提交，请清空草稿后重新填写。` };
  }
  if (e?.code === 'NETWORK') {
    return { fieldErrors: null, step: null, alreadySubmitted: false,
      message: `网络不通，${names.record}没有提交成功。填写的内容已保存在本机，网络恢复后请再点「${names.action}」。` };
  }
  return { fieldErrors: null, step: null, alreadySubmitted: false, message: `${e?.message || '出错了，请稍后重试'}（填写的内容已保存在本机）` };
}
