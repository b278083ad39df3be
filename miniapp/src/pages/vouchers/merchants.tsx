import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatMerchantDistance, MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, type MerchantCategory } from '@union/shared';
import { listCampaignMerchants } from '../../api/vouchers';
import { Banner, Button, Empty, Loading, LoginPanel, Page, PagedList, StatusTag, Tap } from '../../components';
import { usePagedList } from '../../hooks';
import { getLocationGcj02, type LatLng } from '../../platform/location';
import { useSession } from '../../session';
import './vouchers.css';

const PAGE_SIZE = 20;

interface Query {
  category?: MerchantCategory;
  where: LatLng | null;
}

/** 可用商户: approved merchants accepting a campaign's vouchers, nearest first when the location is allowed. */
export default function MerchantsPage() {
  const { user, refresh } = useSession();
  const campaignId = Number(useRouter().params.campaignId);
  const [category, setCategory] = useState<MerchantCategory | undefined>(undefined);
  const [loc, setLoc] = useState<LatLng | null | undefined>(undefined); // undefined = still asking
  const list = usePagedList((q: Query, page: number) =>
    listCampaignMerchants(campaignId, { category: q.category, page, pageSize: PAGE_SIZE, ...(q.where ? { lat: q.where.lat, lng: q.where.lng } : {}) }),
  );

  useEffect(() => {
    void getLocationGcj02().then(setLoc);
  }, []);

  useEffect(() => {
    if (user && loc !== undefined && campaignId > 0) void list.reload({ category, where: loc });
  }, [user, loc, category, campaignId]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!user) {
    return (
      <Page title='可用商户'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (!(campaignId > 0)) {
    return (
      <Page title='可用商户'>
        <Empty text='没有找到这个活动，请从「消费券」打开'>
          <Button id='merchants-go-vouchers' onClick={() => void Taro.redirectTo({ url: '/pages/vouchers/index' })}>
            去消费券
          </Button>
        </Empty>
      </Page>
    );
  }
  const chip = (id: string, label: string, on: boolean, pick: () => void) => (
    <Tap key={id} id={id} role='radio' checked={on} className={`chip ${on ? 'chip-on' : ''}`} onClick={pick}>
      {label}
    </Tap>
  );
  return (
    <Page title='可用商户'>
      <View className='chips v-chips' role='radiogroup' aria-label='按类别筛选'>
        {chip('cat-all', '全部', !category, () => setCategory(undefined))}
        {MERCHANT_CATEGORIES.map((c) => chip(`cat-${c}`, MERCHANT_CATEGORY_LABELS[c], category === c, () => setCategory(c)))}
      </View>
      <Banner id='loc-refused' kind='info' message={loc === null ? '未获取到位置，商户未按距离排序' : null} />
      {loc === undefined ? (
        <Loading text='正在获取位置…' />
      ) : (
        <PagedList
          list={list}
          onRetry={() => void list.reload({ category, where: loc })}
          moreId='merchants-more'
          emptyText={category ? `暂无可用的「${MERCHANT_CATEGORY_LABELS[category]}」商户，看看其他类别吧` : '暂无可用商户，商户入驻后会出现在这里'}
          emptyAction={
            category ? (
              <Button kind='plain' id='merchants-all' onClick={() => setCategory(undefined)}>
                看全部商户
              </Button>
            ) : undefined
          }
          renderItem={(m) => (
            <View className='card' key={m.id} data-testid={`merchant-${m.id}`}>
              <View className='row'>
                <Text className='card-title v-campaign-name'>{m.name}</Text>
                {m.distanceMetres !== null && <StatusTag testId='distance' tone='info' text={formatMerchantDistance(m.distanceMetres)} />}
              </View>
              <View className='muted'>
                {MERCHANT_CATEGORY_LABELS[m.category]} · {m.address}
              </View>
              <Banner kind='info' message={m.discountNote || null} />
            </View>
          )}
        />
      )}
    </Page>
  );
}
