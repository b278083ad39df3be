import { Input, Text, View } from '@tarojs/components';
import { AMENITIES, AMENITY_ICONS, AMENITY_LABELS, WEEKDAY_LABELS, WEEKDAYS, type Amenity, type OpeningHours, type OpenState } from '@union/shared';
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

export function OpenTag({ state, id }: { state: OpenState; id?: string }) {
  return (
    <Text className={`st-open ${state.open ? 'st-open-yes' : 'st-open-no'}`} id={id}>
      {state.label}
      {state.open && state.closesAt ? ` · 至${state.closesAt}` : ''}
    </Text>
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
