import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { OCCUPATION_LABELS, type StationStats } from '@union/shared';
import { errorMessage } from '../../api/client';
import { getStationStats } from '../../api/stations';
import { Bars, Empty, ErrorState, Loading, Page } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { dayWords } from './StationParts';
import './stations.css';


/** 驿站数据 (staff): visits over the last 30 days per station, per day and by occupation. */
export default function StationStatsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [stats, setStats] = useState<StationStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setStats(await getStationStats());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isStaff);

  if (!isStaff) return <Page title='驿站数据'><Empty text='仅工会工作人员可查看驿站数据' /></Page>;
  if (error) return <Page title='驿站数据'><ErrorState message={error} onRetry={() => void load()} /></Page>;
  if (!stats) return <Page title='驿站数据'><Loading /></Page>;

  return (
    <Page title='驿站数据'>
      <View className='muted' style={{ marginBottom: '12px' }}>{dayWords(stats.from)} 至 {dayWords(stats.to)}</View>
      <View className='card'>
        <View className='row'><Text className='row-label'>驿站数</Text><Text className='row-value' id='stats-stations'>{stats.stations}</Text></View>
        <View className='row'><Text className='row-label'>到访人次</Text><Text className='row-value' id='stats-visits'>{stats.visits}</Text></View>
        <View className='row'><Text className='row-label'>待处理问题</Text><Text className='row-value' id='stats-reports'>{stats.openReports}</Text></View>
      </View>
      <View className='card'>
        <Text className='card-title'>按驿站</Text>
        <Bars id='stats-per-station' rows={stats.perStation.slice(0, 30).map((r) => ({ key: String(r.stationId), label: r.stationName, count: r.count }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>按日期</Text>
        <Bars id='stats-per-day' rows={stats.perDay.map((r) => ({ key: r.day, label: dayWords(r.day), count: r.count }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>按职业</Text>
        <Bars id='stats-occupation' rows={stats.byOccupation.map((r) => ({ key: r.occupation, label: OCCUPATION_LABELS[r.occupation] ?? r.occupation, count: r.count }))} />
      </View>
      <View className='card'>
        <Text className='card-title'>每站每日到访</Text>
        {stats.perStationDay.length === 0 ? <View className='muted'>暂无数据</View> : stats.perStationDay.slice(-60).reverse().map((r) => (
          <View className='row' key={`${r.stationId}-${r.day}`}>
            <Text className='row-label'>{dayWords(r.day)} {r.stationName}</Text>
            <Text className='row-value'>{r.count}</Text>
          </View>
        ))}
      </View>
    </Page>
  );
}
