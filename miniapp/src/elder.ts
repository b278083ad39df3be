import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';

/**
 * 长辈模式 (elder mode): bigger text (main text ≥ 20 CSS px), bigger tap targets (≥ 60 px), one primary action
 * per screen. One module decides whether it is on; every page reads it through {@link useElderMode} (the kit's
 * `Page` puts the class `elder` on its root, which switches the theme's CSS variables in components.css/app.css).
 *
 * Storage: Taro storage key `elderMode` holds `true` (on) or `false` (turned off by the user). On H5 Taro keeps it
 * in localStorage as JSON, `{"data":true}`. With nothing stored, the mode follows WeChat's font setting: it is on
 * when the user has set WeChat's font to care-mode size (`fontSizeSetting` ≈ 23.8 px, or `fontSizeScaleFactor`
 * ≥ 1.4). A user's explicit choice always wins over the font setting.
 */
export const ELDER_STORAGE_KEY = 'elderMode';

/** WeChat's care mode (关怀模式) font size is 23.8 px; anything from 23 px up counts as care mode. */
export const CARE_MODE_FONT_PX = 23;
/** WeChat's font scale factor at care-mode size. */
export const CARE_MODE_SCALE = 1.4;

/** The CSS class that turns the elder theme on (on each page root, and on H5 also on `<html>`). */
export const ELDER_CLASS = 'elder';

const CHANGE_EVENT = 'union:elder-mode';

/** What the user chose on this device: `true`/`false`, or `null` when they never touched the switch. */
export function storedElderChoice(): boolean | null {
  try {
    const v: unknown = Taro.getStorageSync(ELDER_STORAGE_KEY);
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
  } catch {
    // storage unavailable: no choice
  }
  return null;
}

/** Whether WeChat's font setting is at care-mode size (false on H5 outside WeChat, where it is unknown). */
export function fontAtCareMode(): boolean {
  try {
    const getInfo = (Taro as unknown as { getAppBaseInfo?: () => Record<string, unknown> }).getAppBaseInfo;
    const info = (getInfo ? getInfo() : Taro.getSystemInfoSync()) as { fontSizeSetting?: number; fontSizeScaleFactor?: number };
    const px = Number(info.fontSizeSetting);
    const scale = Number(info.fontSizeScaleFactor);
    return (Number.isFinite(px) && px >= CARE_MODE_FONT_PX) || (Number.isFinite(scale) && scale >= CARE_MODE_SCALE);
  } catch {
    return false;
  }
}

let current: boolean | null = null;

/** Whether elder mode is on now: the stored choice, else the font setting. */
export function isElderMode(): boolean {
  if (current === null) {
    const stored = storedElderChoice();
    current = stored ?? fontAtCareMode();
    applyRootClass(current);
  }
  return current;
}

/** Turns elder mode on or off, remembers the choice on this device, and updates every mounted page at once. */
export function setElderMode(on: boolean): void {
  current = on;
  try {
    Taro.setStorageSync(ELDER_STORAGE_KEY, on);
  } catch {
    // storage full or unavailable: the mode still changes for this session
  }
  applyRootClass(on);
  Taro.eventCenter.trigger(CHANGE_EVENT, on);
}

/** On H5 the class also goes on `<html>`, so dialogs and toasts outside the page get the elder theme too. */
function applyRootClass(on: boolean): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
  document.documentElement.classList.toggle(ELDER_CLASS, on);
}

/**
 * The elder-mode state for a component: `[on, set]`. Every component using it re-renders when any of them (or
 * {@link setElderMode}) changes the mode.
 */
export function useElderMode(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(isElderMode);
  useEffect(() => {
    const listener = (v: boolean) => setOn(v);
    Taro.eventCenter.on(CHANGE_EVENT, listener);
    setOn(isElderMode());
    return () => {
      Taro.eventCenter.off(CHANGE_EVENT, listener);
    };
  }, []);
  return [on, setElderMode];
}
