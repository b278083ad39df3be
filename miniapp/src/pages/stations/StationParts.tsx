import { Input, Picker, Text, View } from '@tarojs/components';
import {
  AMENITIES, AMENITY_ICONS, AMENITY_LABELS, shanghaiClock, WEEKDAY_LABELS, WEEKDAYS, type Amenity, type OpeningHours, type OpenState,
} from '@union/shared';
import { Button, StatusTag } from '../../components';
import { openNavigation } from '../../platform/navigation';
import './stations.css';

/** Amenity badges: a one-character icon and the label. */
export function AmenityBadges({ amenities, id }: { amenities: Amenity[]; id?: string }) {
  return (
    <View className='st-amenities' id={id}>
      {amenities.map((a) => (
        <View className='st-amenity' key={a} data-amenity={a}>
          <Text className='st-amenity-icon'>{AMENITY_ICONS[a]}</Text>
          <Text>{AMENITY_LABELS[a]}</Text>
        </View>
      ))}
    </View>
  );
}

/** `2026-12-05` → `12月5日` (with the year when it is not this year's, in Asia/Shanghai). */
export function dayWords(date: string, now: number = Date.now()): string {
  const [y, m, d] = date.split('-').map(Number);
  const thisYear = Number(shanghaiClock(now).date.slice(0, 4));
  return `${y === thisYear ? '' : `${y}年`}${m}月${d}日`;
}

/** What a station's open state and closure mean, in words a member reads: 营业中，20:00关门 / 休息中，今天 08:00-20:00 营业 / 暂停营业至12月5日（原因）. */
export function openWords(s: { openState: OpenState; hours: OpeningHours; closedNote?: string | null; closedUntil?: string | null }, now: number = Date.now()): string {
  const st = s.openState;
  if (st.open) return st.closesAt ? `营业中，${st.closesAt}关门` : '营业中，24小时营业';
  if (st.reason === 'temporarily_closed') {
    return `暂停营业${s.closedUntil ? `至${dayWords(s.closedUntil, now)}` : ''}${s.closedNote ? `（${s.closedNote}）` : ''}`;
  }
  if (st.reason === 'closed_date') return '今天休息';
  const today = s.hours.weekly[shanghaiClock(now).weekday] ?? [];
  return today.length ? `休息中，今天 ${today.join('、')} 营业` : '休息中，今天不营业';
}

/** Open state as the kit's StatusTag (data-testid `open-tag`): words ({@link openWords}) and colour, never colour alone. */
export function OpenTag({ station, id }: { station: Parameters<typeof openWords>[0]; id?: string }) {
  const st = station.openState;
  return <StatusTag id={id} testId='open-tag' text={openWords(station)} tone={st.open ? 'success' : st.reason === 'temporarily_closed' ? 'danger' : 'neutral'} />;
}

/**
 * 导航 to a station: WeChat's map (Taro.openLocation) on weapp; on H5 Amap's marker page in a new tab (stations are
 * stored in GCJ-02, Amap's system). Stops the tap from reaching a card it sits on.
 */
export function NavigateButton({ station, id, small }: { station: { lat: number; lng: number; name: string; address: string }; id?: string; small?: boolean }) {
  return (
    // The wrapper does the work and keeps the tap from reaching a card the button sits on (the kit's Button passes no
    // event). On H5 the kit's Button is a native <button> whose React onClick runs at the React root, i.e. after Taro's
    // own listeners on the Views around it: stopping the tap here and acting on the button's onClick would stop it
    // before it ran. A tap or Enter on the button bubbles here on both platforms.
    <View className={small ? 'st-nav' : ''} onClick={(e) => { e.stopPropagation(); void openNavigation(station).catch(() => undefined); }}>
      <Button kind='plain' size={small ? 'small' : 'normal'} id={id}>
        导航
        <Text className='st-sr-only'>到{station.name}（打开地图）</Text>
      </Button>
    </View>
  );
}

/** Toggle chips for amenities. */
export function AmenityPicker({ value, onChange, idPrefix }: { value: Amenity[]; onChange: (v: Amenity[]) => void; idPrefix: string }) {
  return (
    <View className='chips'>
      {AMENITIES.map((a) => {
        const on = value.includes(a);
        return (
          <View key={a} id={`${idPrefix}-${a}`} className={`chip ${on ? 'chip-on' : ''}`} onClick={() => onChange(on ? value.filter((x) => x !== a) : AMENITIES.filter((x) => x === a || value.includes(x)))}>
            {AMENITY_LABELS[a]}
          </View>
        );
      })}
    </View>
  );
}

/** Editable form of opening hours: per weekday a comma-separated list of `HH:mm-HH:mm`. */
export interface HoursDraft {
  is24h: boolean;
  days: Record<string, string>;
}
export const toDraft = (h: OpeningHours): HoursDraft => ({ is24h: h.is24h, days: Object.fromEntries(WEEKDAYS.map((d) => [d, (h.weekly[d] ?? []).join(',')])) });
export const fromDraft = (d: HoursDraft): OpeningHours => ({
  is24h: d.is24h,
  weekly: d.is24h ? {} : Object.fromEntries(WEEKDAYS.map((w) => [w, (d.days[w] ?? '').split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean)])),
});

export function HoursEditor({ value, onChange, idPrefix }: { value: HoursDraft; onChange: (v: HoursDraft) => void; idPrefix: string }) {
  return (
    <View>
      <View className='chips'>
        <View id={`${idPrefix}-24h`} className={`chip ${value.is24h ? 'chip-on' : ''}`} onClick={() => onChange({ ...value, is24h: !value.is24h })}>
          24小时营业
        </View>
      </View>
      {!value.is24h && (
        <View>
          <View className='muted' style={{ margin: '8px 0' }}>每天可填多个时段，用逗号分隔；结束早于开始表示跨过午夜（如 22:00-02:00）；留空为休息</View>
          {WEEKDAYS.map((d) => (
            <View className='st-hours-row' key={d}>
              <Text className='st-hours-day'>{WEEKDAY_LABELS[d]}</Text>
              <Input
                className='input'
                id={`${idPrefix}-${d}`}
                value={value.days[d] ?? ''}
                placeholder='08:00-20:00'
                onInput={(e) => onChange({ ...value, days: { ...value.days, [d]: e.detail.value } })}
              />
            </View>
          ))}
        </View>
      )}
    </View>
  );
}

/** Pulls a station code out of a scanned or pasted text: the door QR URL (`…?s=…`) or a bare code. */
export function extractStationCode(text: string): string {
  const t = text.trim();
  const m = t.match(/[?&](?:s|scene)=([^&#]+)/);
  if (!m) return t;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/**
 * 休息日期 chosen on a calendar (Taro `Picker mode='date'`), shown as 12月25日 chips with 删除; no date typed as
 * YYYY-MM-DD. `value` and `onChange` carry `YYYY-MM-DD` strings, sorted. Ids: `<p>-add`, `<p>-day-<date>`, `<p>-remove-<date>`.
 */
export function ClosedDatesEditor({ value, onChange, idPrefix }: { value: string[]; onChange: (v: string[]) => void; idPrefix: string }) {
  const today = shanghaiClock(Date.now()).date;
  return (
    <View>
      {value.length === 0 && <View className='muted'>没有额外的休息日</View>}
      <View className='chips'>
        {value.map((d) => (
          <View key={d} className='chip chip-on' id={`${idPrefix}-day-${d}`}>
            <Text>{dayWords(d)}</Text>
            <View className='st-chip-remove' id={`${idPrefix}-remove-${d}`} role='button' aria-label={`删除休息日${dayWords(d)}`} onClick={() => onChange(value.filter((x) => x !== d))}>删除</View>
          </View>
        ))}
      </View>
      <Picker mode='date' value={today} start={today} onChange={(e) => {
        const d = String(e.detail.value);
        if (!value.includes(d)) onChange([...value, d].sort());
      }}>
        <View className='btn btn-plain btn-small st-picker-open' id={`${idPrefix}-add`} role='button' aria-label='添加休息日（打开日历）'>添加休息日</View>
      </Picker>
    </View>
  );
}

/** One date on a calendar, shown as 12月5日, or `emptyText` with nothing chosen; 清除 empties it. Value `YYYY-MM-DD` or ''. */
export function DateChooser({ value, onChange, id, emptyText }: { value: string; onChange: (v: string) => void; id: string; emptyText: string }) {
  const today = shanghaiClock(Date.now()).date;
  return (
    <View className='st-toolbar'>
      <Picker mode='date' value={value || today} start={today} onChange={(e) => onChange(String(e.detail.value))}>
        <View className='btn btn-plain btn-small st-picker-open' id={id} role='button'>{value ? dayWords(value) : emptyText}</View>
      </Picker>
      {value && <Text className='link' id={`${id}-clear`} onClick={() => onChange('')}>清除</Text>}
    </View>
  );
}
