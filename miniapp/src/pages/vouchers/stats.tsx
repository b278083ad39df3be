import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  EMPLOYER_NOT_RECORDED, MERCHANT_CATEGORY_LABELS, type CampaignStats, type CampaignView, type EmployerSpendingRow, type MerchantSpendingRow, type Page,
} from '@union/shared';
import { errorMessage } from '../../api/client';
import { exportSpendingCsv, getCampaignStats, getSpendingByEmployer, getSpendingByMerchant, listManagedCampaigns } from '../../api/vouchers';
import { Banner, Bars, Button, Empty, ErrorState, formatDate, formatYuan, Loading, Money, Page as PageView, Tap } from '../../components';

const yuan = (fen: number) => `${formatYuan(fen)}元`;
import { saveTextFile } from '../../platform/download';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import './vouchers.css';


/** Employers and merchants shown on the page (the CSV exports hold all of them). */
const TOP_ROWS = 10;

/**
 * 活动数据: claimed, redeemed, driven spending and leverage of one campaign, as CSS bar charts, with spending by employer
 * and by merchant (top 10, CSV export of all); without an id, a campaign picker.
 */
export default function CampaignStatsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const id = Number(useRouter().params.id);
  const [stats, setStats] = useState<CampaignStats | null>(null);
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [employers, setEmployers] = useState<Page<EmployerSpendingRow> | null>(null);
  const [merchants, setMerchants] = useState<Page<MerchantSpendingRow> | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      if (id > 0) {
        const [s, e, m] = await Promise.all([getCampaignStats(id), getSpendingByEmployer(id, { pageSize: TOP_ROWS }), getSpendingByMerchant(id, { pageSize: TOP_ROWS })]);
        setStats(s);
        setEmployers(e);
        setMerchants(m);
      }
      else setCampaigns((await listManagedCampaigns({ page: 1, pageSize: 50 })).items.filter((c) => c.status !== 'draft'));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useLoadOnShow(() => void load(), isStaff);

  if (!isStaff) {
    return (
      <PageView title='活动数据'>
        <Empty text='仅工会工作人员可查看活动数据' />
      </PageView>
    );
  }
  if (error) {
    return (
      <PageView title='活动数据'>
        <ErrorState message={error} onRetry={() => void load()} />
      </PageView>
    );
  }
  if (!(id > 0)) {
    if (!campaigns) return <PageView title='选择活动'><Loading /></PageView>;
    return (
      <PageView title='选择活动'>
        {campaigns.length === 0 ? (
          <Empty text='暂无已发布的活动，发布后可在这里看数据'>
            <Button kind='plain' id='st-go-campaigns' onClick={() => void Taro.redirectTo({ url: '/pages/vouchers/campaigns' })}>
              去活动管理
            </Button>
          </Empty>
        ) : (
          <View className='card'>
            {campaigns.map((c) => (
              <Tap key={c.id} className='menu-item' testId={`st-pick-${c.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/vouchers/stats?id=${c.id}` })}>
                <Text>{c.name}</Text>
                <Text aria-hidden='true'>›</Text>
              </Tap>
            ))}
          </View>
        )}
      </PageView>
    );
  }
  if (!stats || !employers || !merchants) return <PageView title='活动数据'><Loading /></PageView>;
  const exportCsv = async (by: 'employers' | 'merchants') => {
    setExporting(true);
    setBanner(null);
    try {
      setBanner({ kind: 'success', text: await saveTextFile(`campaign-${id}-${by}.csv`, await exportSpendingCsv(id, by)) });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setExporting(false);
    }
  };
  return (
    <PageView title='活动数据'>
      <Banner id='st-banner' kind={banner?.kind} message={banner?.text} />
      <View className='card v-total'>
        <View className='v-total-item'>
          <Text className='v-total-num' id='st-claimed'>{stats.claimedCount}</Text>
          <Text className='v-total-label'>已领（张）</Text>
          <Money fen={stats.claimedFen} className='v-total-label' />
        </View>
        <View className='v-total-item'>
          <Text className='v-total-num' id='st-redeemed'>{stats.redeemedCount}</Text>
          <Text className='v-total-label'>已核销（张）</Text>
          <Money fen={stats.redeemedFen} className='v-total-label' />
        </View>
      </View>
      <View className='card v-total'>
        <View className='v-total-item'>
          <Money className='v-total-num' id='st-driven' fen={stats.drivenSpendingFen} />
          <Text className='v-total-label'>带动消费</Text>
        </View>
        <View className='v-total-item'>
          <Text className='v-total-num' id='st-leverage'>{stats.leverage === null ? '暂无' : `${stats.leverage}倍`}</Text>
          <Text className='v-total-label'>杠杆率</Text>
        </View>
      </View>
      <View className='card'>
        <Text className='card-title'>每日领取</Text>
        <View className='v-bars'>
<Bars id='st-day-claimed' rows={stats.byDay.map((d) => ({ key: d.date, label: formatDate(d.date), count: d.claimed }))} />
</View>
      </View>
      <View className='card'>
        <Text className='card-title'>每日核销（带动消费）</Text>
        <View className='v-bars'>
<Bars id='st-day-driven' format={yuan} rows={stats.byDay.map((d) => ({ key: d.date, label: formatDate(d.date), count: d.drivenSpendingFen }))} />
</View>
      </View>
      <View className='card'>
        <Text className='card-title'>按商户品类（核销面额）</Text>
        <View className='v-bars'>
<Bars id='st-category' format={yuan} rows={stats.byCategory.map((c) => ({ key: c.category, label: MERCHANT_CATEGORY_LABELS[c.category] ?? c.category, count: c.redeemedFen }))} />
</View>
      </View>
      <View className='card'>
        <Text className='card-title'>按工会组织（领取张数）</Text>
        <View className='v-bars'>
<Bars id='st-org' rows={stats.byOrg.map((o) => ({ key: o.org.code, label: o.org.name, count: o.claimed }))} />
</View>
      </View>
      <View className='card'>
        <View className='row'>
          <Text className='card-title'>按工作单位带动消费（共{employers.total}个）</Text>
          <Button kind='plain' size='small' id='st-export-employers' disabled={exporting} onClick={() => void exportCsv('employers')}>导出表格</Button>
        </View>
        <View className='v-bars'>
<Bars id='st-employers' format={yuan} rows={employers.items.map((e, i) => ({ key: String(i), label: `${e.employer ?? EMPLOYER_NOT_RECORDED}（${e.members}人）`, count: e.drivenSpendingFen }))} />
</View>
      </View>
      <View className='card'>
        <View className='row'>
          <Text className='card-title'>按商户带动消费（共{merchants.total}家）</Text>
          <Button kind='plain' size='small' id='st-export-merchants' disabled={exporting} onClick={() => void exportCsv('merchants')}>导出表格</Button>
        </View>
        <View className='v-bars'>
<Bars id='st-merchants' format={yuan} rows={merchants.items.map((m) => ({ key: String(m.merchantId), label: m.merchantName, count: m.drivenSpendingFen }))} />
</View>
      </View>
    </PageView>
  );
}
