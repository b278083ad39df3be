import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatMerchantDistance, MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, type MerchantCategory, type PublicMerchantView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { listCampaignMerchants } from '../../api/vouchers';
import { Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { getLocationGcj02, type LatLng } from '../../platform/location';
import { useSession } from '../../session';
import './vouchers.css';

const PAGE_SIZE = 20;

/** 可用商户: approved merchants accepting a campaign's vouchers, nearest first when the location is allowed. */
export default function MerchantsPage() {
  const { user, refresh } = useSession();
  const campaignId = Number(useRouter().params.campaignId);
  const [category, setCategory] = useState<MerchantCategory | undefined>(undefined);
  const [loc, setLoc] = useState<LatLng | null | undefined>(undefined); // undefined = still asking
  const [items, setItems] = useState<PublicMerchantView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    void getLocationGcj02().then(setLoc);
  }, []);

  const load = useCallback(async (cat: MerchantCategory | undefined, where: LatLng | null) => {
    const mine = ++seq.current;
    setItems(null);
    setError(null);
    try {
      const res = await listCampaignMerchants(campaignId, { category: cat, page: 1, pageSize: PAGE_SIZE, ...(where ? { lat: where.lat, lng: where.lng } : {}) });
      if (mine !== seq.current) return;
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    }
  }, [campaignId]);

  useEffect(() => {
    if (user && loc !== undefined && campaignId > 0) void load(category, loc);
  }, [user, loc, category, campaignId, load]);

  const more = async () => {
    setLoadingMore(true);
    try {
      const res = await listCampaignMerchants(campaignId, { category, page: page + 1, pageSize: PAGE_SIZE, ...(loc ? { lat: loc.lat, lng: loc.lng } : {}) });
      setItems((prev) => [...(prev ?? []), ...res.items]);
      setPage(res.page);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (!(campaignId > 0)) return <ErrorState message='活动不存在' />;
  return (
    <View className='page'>
      <View className='chips' style={{ marginBottom: '16px' }}>
        <View id='cat-all' className={`chip ${!category ? 'chip-on' : ''}`} onClick={() => setCategory(undefined)}>
          全部
        </View>
        {MERCHANT_CATEGORIES.map((c) => (
          <View key={c} id={`cat-${c}`} className={`chip ${category === c ? 'chip-on' : ''}`} onClick={() => setCategory(c)}>
            {MERCHANT_CATEGORY_LABELS[c]}
          </View>
        ))}
      </View>
      {loc === null && <View className='banner banner-info' id='loc-refused'>未获取到位置，商户未按距离排序</View>}
      {error ? (
        <ErrorState message={error} onRetry={() => void load(category, loc ?? null)} />
      ) : !items || loc === undefined ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text='暂无可用商户' />
      ) : (
        <View>
          {items.map((m) => (
            <View className='card' key={m.id} data-testid={`merchant-${m.id}`}>
              <View className='row'>
                <Text className='card-title'>{m.name}</Text>
                {m.distanceMetres !== null && <Text className='tag' data-testid='distance'>{formatMerchantDistance(m.distanceMetres)}</Text>}
              </View>
              <View className='muted'>{MERCHANT_CATEGORY_LABELS[m.category]} · {m.address}</View>
              {m.discountNote && <View className='banner banner-info'>{m.discountNote}</View>}
            </View>
          ))}
          {items.length < total && (
            <Button className='btn btn-plain' id='merchants-more' loading={loadingMore || undefined} onClick={more}>
              加载更多
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
