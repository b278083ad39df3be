import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { OCCUPATION_LABELS, type MembershipStats } from '@union/shared';
import { errorMessage } from '../../api/client';
import { getMembershipStats } from '../../api/membership';
import { Bars, Empty, ErrorState, Loading, Page } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';


/** Seconds as a short Chinese duration: 90 → `1分30秒`, 7200 → `2小时0分`. */
function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}秒`;
  if (s < 3600) return `${Math.floor(s / 60)}分${s % 60}秒`;
  if (s < 86400) return `${Math.floor(s / 3600)}小时${Math.floor((s % 3600) / 60)}分`;
  return `${Math.floor(s / 86400)}天${Math.floor((s % 86400) / 3600)}小时`;
}

/** `2026-11-03` → `11月3日`. */
function dayLabel(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

export default function StatsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff');
  const [stats, setStats] = useState<MembershipStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setStats(await getMembershipStats());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isStaff);

  if (!isStaff) {
    return (
      <Page title='会员统计'>
        <Empty text='仅工会工作人员可查看会员统计。如需开通，请联系所在工会。' />
      </Page>
    );
  }
  if (error || !stats) {
    return (
      <Page title='会员统计'>
        {error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading />}
      </Page>
    );
  }

  const perDay = stats.applicationsPerDay.filter((d) => d.count > 0);

  return (
    <Page title='会员统计'>
      <View className='card'>
        <View className='row'>
          <Text className='row-label'>会员总数</Text>
          <Text className='row-value' id='stats-total'>
            {stats.totalMembers} 人
          </Text>
        </View>
        <View className='row'>
          <Text className='row-label'>待审核申请</Text>
          <Text className='row-value' id='stats-pending'>
            {stats.pendingApplications}
          </Text>
        </View>
        <View className='row'>
          <Text className='row-label'>平均审核用时</Text>
          <Text className='row-value' id='stats-avg'>
            {stats.averageApprovalSeconds === null ? '暂无' : formatDuration(stats.averageApprovalSeconds)}
          </Text>
        </View>
      </View>
      <View className='card'>
        <Text className='card-title'>按职业</Text>
        <Bars
          id='stats-occupation'
          rows={stats.byOccupation.map((r) => ({
            key: r.occupation,
            label: OCCUPATION_LABELS[r.occupation] ?? r.occupation,
            count: r.count,
          }))}
        />
      </View>
      <View className='card'>
        <Text className='card-title'>按平台</Text>
        <Bars
          id='stats-platform'
          rows={stats.byPlatform.map((r) => ({ key: r.platform, label: r.platform || '未填写', count: r.count }))}
        />
      </View>
      <View className='card'>
        <Text className='card-title'>按工会组织</Text>
        <Bars id='stats-org' rows={stats.byOrg.map((r) => ({ key: r.org.code, label: r.org.name, count: r.count }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>近30天入会申请</Text>
        <Bars id='stats-per-day' rows={perDay.map((d) => ({ key: d.date, label: dayLabel(d.date), count: d.count }))} />
      </View>
      <View className='muted'>会员名册导出（CSV）请在电脑端管理后台下载。</View>
    </Page>
  );
}
