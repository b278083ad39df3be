import { Map as TaroMap, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { AMENITY_LABELS, formatDistance, STATION_CITIES, type Amenity, type NearbyStation } from '@union/shared';
import { errorMessage } from '../../api/client';
import { nearbyStations } from '../../api/stations';
import { Button, Loading, Page, PagedList, ScanButton } from '../../components';
import { getLocationGcj02, type LatLng } from '../../platform/location';
import { hasMap } from '../../platform/navigation';
import { hasRole, useSession } from '../../session';
import { AmenityBadges, extractStationCode, NavigateButton, OpenTag } from './StationParts';
import './stations.css';

const PAGE_SIZE = 20;
const FILTER_AMENITIES: Amenity[] = ['charging', 'water', 'microwave', 'restroom', 'battery_swap', 'rest', 'fridge', 'first_aid', 'wifi'];
const RADII = [3000, 10000, 50000];
const go = (url: string) => Taro.navigateTo({ url });

type Where = { point: LatLng; label: string };

/**
 * 附近驿站: stations near the user (or a chosen city), open ones first and each group nearest first (the server's
 * `openFirst`, so paging stays right), closed ones saying why in words; 导航 on every card; amenity and 营业中 filters;
 * 扫码打卡 (camera on both platforms).
 */
export default function StationsIndexPage() {
  const { user } = useSession();
  const [where, setWhere] = useState<Where | null>(null);
  const [locating, setLocating] = useState(true);
  const [refused, setRefused] = useState(false);
  const [amenities, setAmenities] = useState<Amenity[]>([]);
  const [openNow, setOpenNow] = useState(false);
  const [radiusM, setRadiusM] = useState(10000);
  const [items, setItems] = useState<NearbyStation[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const seq = useRef(0);

  const locate = useCallback(async () => {
    setLocating(true);
    setRefused(false);
    const p = await getLocationGcj02(10_000);
    setLocating(false);
    if (p) setWhere({ point: p, label: '我的位置' });
    else setRefused(true);
  }, []);

  useEffect(() => {
    void locate();
  }, [locate]);

  const query = (w: Where, pageNo: number) =>
    nearbyStations({ lat: w.point.lat, lng: w.point.lng, radiusM, amenities: amenities.join(',') || undefined, openNow, openFirst: true, page: pageNo, pageSize: PAGE_SIZE });

  const loadFirst = useCallback(async () => {
    if (!where) return;
    const s = ++seq.current;
    setItems(null);
    setError(null);
    try {
      const res = await query(where, 1);
      if (s !== seq.current) return;
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      if (s === seq.current) setError(errorMessage(e));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [where, amenities, openNow, radiusM]);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  const loadMore = async () => {
    if (!where) return;
    const s = seq.current;
    setLoadingMore(true);
    try {
      const res = await query(where, page + 1);
      if (s !== seq.current) return;
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((x) => x.id));
        return [...(prev ?? []), ...res.items.filter((x) => !seen.has(x.id))];
      });
      setTotal(res.total);
      setPage(res.page);
    } finally {
      setLoadingMore(false);
    }
  };

  const toggleAmenity = (a: Amenity) => setAmenities((prev) => (prev.includes(a) ? prev.filter((x) => x !== a) : [...prev, a]));

  const onScan = (text: string) => void go(`/pages/stations/detail?s=${encodeURIComponent(extractStationCode(text))}`);

  const isKeeper = hasRole(user, 'station_keeper');
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');

  return (
    <Page title='附近驿站'>
      <ScanButton id='link-scan' label='扫驿站门口的二维码打卡' onScan={onScan} fallbackHint='也可以在下面的列表里打开驿站，在驿站页面粘贴二维码链接打卡。' />
      {(isKeeper || isStaff) && (
        <View className='card'>
          {isKeeper && (
            <View className='menu-item' id='link-keeper' onClick={() => go('/pages/stations/keeper')}>
              <Text>我的驿站</Text>
              <Text className='muted'>›</Text>
            </View>
          )}
          {isStaff && (
            <View className='menu-item' id='link-manage' onClick={() => go('/pages/stations/manage')}>
              <Text>驿站管理</Text>
              <Text className='muted'>›</Text>
            </View>
          )}
        </View>
      )}

      {locating && !where ? (
        <Loading text='正在获取位置…' />
      ) : refused && !where ? (
        <View className='card' id='city-chooser'>
          <Text className='card-title'>无法获取您的位置</Text>
          <View className='muted' style={{ marginBottom: '12px' }}>请允许定位后重试，或选择所在城市查看附近驿站</View>
          <View className='chips'>
            {STATION_CITIES.map((c) => (
              <View key={c.name} id={`city-${c.name}`} className='chip' onClick={() => setWhere({ point: { lat: c.lat, lng: c.lng }, label: `${c.name}市中心` })}>
                {c.name}
              </View>
            ))}
          </View>
          <Button kind='plain' size='small' id='relocate' onClick={() => void locate()}>
            重新定位
          </Button>
        </View>
      ) : null}

      {where && (
        <View>
          <View className='st-toolbar'>
            <Text className='st-where' id='stations-where'>
              位置：{where.label}
            </Text>
            <Text className='link' id='change-city' onClick={() => { setWhere(null); setRefused(true); setLocating(false); }}>
              切换城市
            </Text>
          </View>
          <View className='chips' id='stations-filters'>
            <View id='filter-open' className={`chip ${openNow ? 'chip-on' : ''}`} onClick={() => setOpenNow(!openNow)}>
              营业中
            </View>
            {FILTER_AMENITIES.map((a) => (
              <View key={a} id={`filter-${a}`} className={`chip ${amenities.includes(a) ? 'chip-on' : ''}`} onClick={() => toggleAmenity(a)}>
                {AMENITY_LABELS[a]}
              </View>
            ))}
          </View>
          <View className='chips' style={{ marginTop: '8px' }}>
            {RADII.map((r) => (
              <View key={r} id={`radius-${r}`} className={`chip ${radiusM === r ? 'chip-on' : ''}`} onClick={() => setRadiusM(r)}>
                {r / 1000}公里内
              </View>
            ))}
          </View>

          {hasMap && items && items.length > 0 && (
            <TaroMap
              className='st-map'
              latitude={where.point.lat}
              longitude={where.point.lng}
              scale={radiusM <= 3000 ? 14 : radiusM <= 10000 ? 12 : 10}
              showLocation
              markers={items.map((s) => ({ id: s.id, latitude: s.lat, longitude: s.lng, title: s.name, iconPath: '', width: 24, height: 32 }))}
              onMarkerTap={(e: any) => void go(`/pages/stations/detail?id=${e.detail.markerId}`)}
              onError={() => undefined}
            />
          )}

          {items && items.length > 0 && (
            <View className='muted' style={{ margin: '12px 0' }} id='stations-total'>
              共 {total} 个驿站：营业中的在前，再按距离由近到远
            </View>
          )}
          <PagedList
            id='stations-list'
            list={{ items, total, error, loadingMore, loadMore }}
            onRetry={() => void loadFirst()}
            emptyText='附近暂无符合条件的驿站，试试扩大范围或减少筛选条件'
            moreId='stations-more'
            renderItem={(s) => (
            <View
              key={s.id}
              className='st-item'
              data-testid={`station-item-${s.id}`}
              data-id={s.id}
              data-distance={s.distanceM}
              data-lat={s.lat}
              data-lng={s.lng}
              data-open={s.openState.open ? 'true' : 'false'}
              data-amenities={s.amenities.join(',')}
              onClick={() => void go(`/pages/stations/detail?id=${s.id}`)}
            >
              <View className='st-item-head'>
                <Text className='st-name'>{s.name}</Text>
                <Text className='st-distance'>{formatDistance(s.distanceM)}</Text>
              </View>
              <View className='st-meta'>
                <OpenTag station={s} />
              </View>
              <View className='st-meta'>{s.ratingCount > 0 ? `★ ${s.ratingAverage}（${s.ratingCount}条评价）` : '暂无评价'}</View>
              <View className='st-meta'>{s.address}</View>
              <AmenityBadges amenities={s.amenities} />
              <View className='st-item-actions'>
                <NavigateButton station={s} id={`station-nav-${s.id}`} small />
              </View>
            </View>
            )}
          />
        </View>
      )}
    </Page>
  );
}
