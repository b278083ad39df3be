import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { STATION_CITIES } from '@union/shared';
import { listOrgs } from '../../api/orgs';
import { listStations } from '../../api/stations';
import { getLocationGcj02 } from '../../platform/location';
import { mapLinkUrl } from '../../platform/navigation';
import { Button } from '../../components';
import './stations.css';

/** A chosen place: GCJ-02 degrees (never shown), and words saying what was chosen (shown). */
export interface PickedPlace {
  lat: number;
  lng: number;
  /** What the point is, in words: 我现在的位置, 磁湖驿站附近, 黄石市中心, or the name WeChat's map picker gives. */
  label: string;
  /** The address WeChat's picker gives (weapp only); the form may copy it into an empty address field. */
  address?: string;
}

interface Candidate extends PickedPlace {
  key: string;
  hint: string;
}

const isWeapp = process.env.TARO_ENV === 'weapp';

/**
 * Chooses a station's location without typing or showing coordinates. weapp: WeChat's map picker
 * (`Taro.chooseLocation`, GCJ-02). H5, where no map or geocoding service is reachable: 用我现在的位置 (browser
 * geolocation, WGS-84 converted to GCJ-02), or 按地名找 among places we already know — registered stations (by name or
 * address), union orgs with a location, and city centres — and a 在地图上查看 link (Amap, new tab) to check the point.
 * The address itself is typed in its own field by the caller; the picker says so.
 *
 * Props: `value` (null = nothing chosen yet), `onChange`, `idPrefix` (ids: `<p>-here`, `<p>-search`, `<p>-search-go`,
 * `<p>-result-<n>`, `<p>-chosen`, `<p>-map`, `<p>-choose` on weapp), `error` (shown under it, tied by aria-describedby).
 */
export function LocationPicker({ value, onChange, idPrefix, error }: { value: PickedPlace | null; onChange: (p: PickedPlace) => void; idPrefix: string; error?: string | null }) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Candidate[] | null>(null);

  const chooseOnMap = async () => {
    setNote(null);
    try {
      const r = await Taro.chooseLocation(value ? { latitude: value.lat, longitude: value.lng } : {});
      onChange({ lat: r.latitude, lng: r.longitude, label: r.name || r.address || '地图上选的位置', address: r.address || undefined });
    } catch (e) {
      const msg = (e as { errMsg?: string } | null)?.errMsg ?? '';
      if (!msg.includes('cancel')) setNote('打不开地图选点，请在微信设置里允许本小程序使用位置信息后重试。');
    }
  };

  const useHere = async () => {
    setNote(null);
    setBusy(true);
    const p = await getLocationGcj02(15_000);
    setBusy(false);
    if (p) onChange({ ...p, label: '我现在的位置' });
    else setNote('没有拿到位置：请允许浏览器使用位置信息后重试，或者在下面按地名找。');
  };

  const search = async () => {
    const q = query.trim();
    setNote(null);
    if (!q) {
      setNote('请输入驿站名、街道或城市名');
      return;
    }
    setBusy(true);
    const found: Candidate[] = [];
    try {
      const [stations, orgs] = await Promise.all([
        listStations({ q, pageSize: 10 }).catch(() => null),
        listOrgs({ q, pageSize: 20 }).catch(() => null), // the server finds the unions whose name, code or city holds q
      ]);
      for (const s of stations?.items ?? []) found.push({ key: `s${s.id}`, lat: s.lat, lng: s.lng, label: `${s.name}附近`, hint: s.address });
      for (const o of orgs?.items ?? []) {
        if (o.lat !== null && o.lng !== null && (o.name.includes(q) || (o.city ?? '').includes(q))) found.push({ key: `o${o.code}`, lat: o.lat, lng: o.lng, label: `${o.name}附近`, hint: '工会所在地' });
      }
      for (const c of STATION_CITIES) if (c.name.includes(q) || q.includes(c.name)) found.push({ key: `c${c.name}`, lat: c.lat, lng: c.lng, label: `${c.name}市中心`, hint: '城市中心，请再到现场用“我现在的位置”校准' });
    } finally {
      setBusy(false);
    }
    setResults(found.slice(0, 12));
  };

  const describedBy = [error ? `${idPrefix}-error` : '', note ? `${idPrefix}-note` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <View className='st-picker' aria-describedby={describedBy}>
      <View className='st-picker-chosen' id={`${idPrefix}-chosen`}>
        {value ? (
          <Text>已选位置：{value.label}</Text>
        ) : (
          <Text>还没有选位置</Text>
        )}
      </View>
      {value && !isWeapp && (
        // a real link: the browser says it opens elsewhere, and it works without our script
        <View className='st-picker-map'>
          <a id={`${idPrefix}-map`} className='link' href={mapLinkUrl({ lat: value.lat, lng: value.lng, name: value.label })} target='_blank' rel='noopener noreferrer'>
            在地图上查看这个位置（新窗口）
          </a>
        </View>
      )}
      {isWeapp ? (
        <Button kind='plain' id={`${idPrefix}-choose`} onClick={() => void chooseOnMap()}>
          {value ? '在地图上重新选择' : '在地图上选择位置'}
        </Button>
      ) : (
        <View>
          <Button kind='plain' id={`${idPrefix}-here`} loading={busy} disabled={busy} onClick={() => void useHere()}>
            用我现在的位置（请在驿站现场点）
          </Button>
          <View className='muted' style={{ margin: '12px 0 4px' }}>
            不在现场时，按地名找：这里没有联网地图，只能找到已登记的驿站、工会和城市，选中后请点“在地图上查看”核对。
          </View>
          <View className='st-picker-search'>
            <Input className='input' id={`${idPrefix}-search`} value={query} placeholder='驿站名、街道或城市名' confirmType='search' onInput={(e) => setQuery(e.detail.value)} onConfirm={() => void search()} />
            <Button kind='plain' size='small' id={`${idPrefix}-search-go`} disabled={busy} onClick={() => void search()}>
              找
            </Button>
          </View>
          {results && results.length === 0 && <View className='muted' id={`${idPrefix}-no-result`}>没有找到“{query.trim()}”。请到现场用“我现在的位置”。</View>}
          {results && results.length > 0 && (
            <View className='st-picker-results'>
              {results.map((r, n) => (
                <View
                  key={r.key}
                  id={`${idPrefix}-result-${n}`}
                  className='menu-item'
                  role='button'
                  onClick={() => {
                    onChange({ lat: r.lat, lng: r.lng, label: r.label });
                    setResults(null);
                  }}
                >
                  <Text>{r.label}</Text>
                  <Text className='muted'>{r.hint}</Text>
                </View>
              ))}
            </View>
          )}
        </View>
      )}
      {note && <View className='field-error' id={`${idPrefix}-note`} role='alert'>{note}</View>}
      {error && <View className='field-error' id={`${idPrefix}-error`}>{error}</View>}
    </View>
  );
}
