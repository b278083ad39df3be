import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  EMPLOYER_NOT_RECORDED, formatFen, MERCHANT_CATEGORY_LABELS, type CampaignStats, type CampaignView, type EmployerSpendingRow, type MerchantSpendingRow, type Page,
} from '@union/shared';
import { errorMessage } from '../../api/client';
import { exportSpendingCsv, getCampaignStats, getSpendingByEmployer, getSpendingByMerchant, listManagedCampaigns } from '../../api/vouchers';
import { Banner, Bars, Empty, ErrorState, Loading } from '../../components';
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

  if (!isStaff) return <View className='page'><Empty text='仅工会工作人员可查看活动数据' /></View>;
  if (error) return <ErrorState message={error} onRetry={() => void load()} />;
  if (!(id > 0)) {
    if (!campaigns) return <Loading />;
    return (
      <View className='page'>
        <View className='page-title'>选择活动</View>
        {campaigns.length === 0 ? <Empty text='暂无已发布的活动' /> : (
          <View className='card'>
            {campaigns.map((c) => (
              <View key={c.id} className='menu-item' data-testid={`st-pick-${c.id}`} onClick={() => Taro.navigateTo({ url: `/pages/vouchers/stats?id=${c.id}` })}>
                <Text>{c.name}</Text>
                <Text className='muted'>›</Text>
              </View>
            ))}
          </View>
        )}
      </View>
    );
  }
  if (!stats || !employers || !merchants) return <Loading />;
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
    <View className='page'>
      <Banner id='st-banner' kind={banner?.kind} message={banner?.text} />
      <View className='card v-total'>
        <View className='v-total-item'><Text className='v-total-num' id='st-claimed'>{stats.claimedCount}</Text><Text className='muted'>已领 {formatFen(stats.claimedFen)}元</Text></View>
        <View className='v-total-item'><Text className='v-total-num' id='st-redeemed'>{stats.redeemedCount}</Text><Text className='muted'>已核销 {formatFen(stats.redeemedFen)}元</Text></View>
      </View>
      <View className='card v-total'>
        <View className='v-total-item'><Text className='v-total-num' id='st-driven'>{formatFen(stats.drivenSpendingFen)}</Text><Text className='muted'>带动消费（元）</Text></View>
        <View className='v-total-item'><Text className='v-total-num' id='st-leverage'>{stats.leverage === null ? '—' : `${stats.leverage}倍`}</Text><Text className='muted'>杠杆率</Text></View>
      </View>
      <View className='card'>
        <Text className='card-title'>每日领取</Text>
        <Bars id='st-day-claimed' rows={stats.byDay.map((d) => ({ key: d.date, label: d.date, count: d.claimed }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>每日核销（带动消费，元）</Text>
        <Bars id='st-day-driven' format={formatFen} rows={stats.byDay.map((d) => ({ key: d.date, label: d.date, count: d.drivenSpendingFen }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>按商户品类（核销面额，元）</Text>
        <Bars id='st-category' format={formatFen} rows={stats.byCategory.map((c) => ({ key: c.category, label: MERCHANT_CATEGORY_LABELS[c.category] ?? c.category, count: c.redeemedFen }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>按工会组织（领取张数）</Text>
        <Bars id='st-org' rows={stats.byOrg.map((o) => ({ key: o.org.code, label: o.org.name, count: o.claimed }))} />
      </View>
      <View className='card'>
        <View className='row'>
          <Text className='card-title'>按工作单位带动消费（共{employers.total}个，元）</Text>
          <Button className='btn btn-plain btn-small' id='st-export-employers' disabled={exporting || undefined} onClick={() => void exportCsv('employers')}>导出CSV</Button>
        </View>
        <Bars id='st-employers' format={formatFen} rows={employers.items.map((e, i) => ({ key: String(i), label: `${e.employer ?? EMPLOYER_NOT_RECORDED}（${e.members}人）`, count: e.drivenSpendingFen }))} />
      </View>
      <View className='card'>
        <View className='row'>
          <Text className='card-title'>按商户带动消费（共{merchants.total}家，元）</Text>
          <Button className='btn btn-plain btn-small' id='st-export-merchants' disabled={exporting || undefined} onClick={() => void exportCsv('merchants')}>导出CSV</Button>
        </View>
        <Bars id='st-merchants' format={formatFen} rows={merchants.items.map((m) => ({ key: String(m.merchantId), label: m.merchantName, count: m.drivenSpendingFen }))} />
      </View>
    </View>
  );
}
