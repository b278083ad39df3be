import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AID_TYPE_LABELS, periodLabel, type AidMonitoring } from '@union/shared';
import { getAidMonitoring } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { Bars, Row, yuan } from './ui';

/** 帮扶监测: the subtree's households and payouts as CSS bar charts. */
export default function MonitoringPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [m, setM] = useState<AidMonitoring | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setM(await getAidMonitoring());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isStaff);

  if (!isStaff) return <View className='page'><Empty text='仅工会工作人员可查看帮扶监测' /></View>;
  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!m) return <Loading />;

  const months = [...new Set(m.payoutsByMonth.map((p) => p.period))];
  const section = (title: string, id: string, rows: AidMonitoring['byLevel']) => (
    <View className='card'>
      <Text className='card-title'>{title}</Text>
      <Bars id={id} rows={rows} />
    </View>
  );
  return (
    <View className='page'>
      <View className='page-title'>帮扶监测</View>
      <View className='card'>
        <Row label='在档家庭' value={m.totals.active} id='mon-active' />
        <Row label='待审核' value={m.totals.registered} id='mon-registered' />
        <Row label='已解困' value={m.totals.exited} id='mon-exited' />
        <Row label='逾期未复核' value={m.totals.overdue} id='mon-overdue' />
      </View>
      {section('困难类别', 'mon-level', m.byLevel)}
      {section('致困原因', 'mon-cause', m.byCause)}
      {section('人均月收入', 'mon-income', m.byIncomeBand)}
      {section('就业状况', 'mon-employment', m.byEmployment)}
      {section('帮扶需求', 'mon-need', m.byNeed)}
      {section('所属工会', 'mon-org', m.byOrg.slice(0, 20))}
      {section('地区', 'mon-region', m.byRegion.slice(0, 20))}
      <View className='card'>
        <Text className='card-title'>近12个月发放金额</Text>
        {months.length === 0 ? <View className='muted'>暂无发放</View> : (
          <Bars id='mon-payouts' format={yuan} rows={months.map((period) => ({
            key: period, label: periodLabel(period).slice(2), count: m.payoutsByMonth.filter((p) => p.period === period).reduce((s, p) => s + p.amountFen, 0),
          }))} />
        )}
        {m.payoutsByMonth.map((p) => (
          <View className='muted' key={`${p.period}-${p.aidType}`}>
            {periodLabel(p.period)} {AID_TYPE_LABELS[p.aidType]}：{p.count}户 {yuan(p.amountFen)}，已发放 {p.paidCount}户 {yuan(p.paidFen)}
          </View>
        ))}
      </View>
      <View className='card'>
        <Text className='card-title'>每月新建档 / 解困</Text>
        <Bars id='mon-registrations' rows={m.registrationsByMonth.map((r) => ({ key: r.period, label: periodLabel(r.period).slice(2), count: r.registered }))} />
        <Bars id='mon-exits' rows={m.registrationsByMonth.map((r) => ({ key: r.period, label: `${periodLabel(r.period).slice(2)}解困`, count: r.exited })).filter((r) => r.count > 0)} />
      </View>
      <View className='muted'>监测数据导出（CSV）：GET /api/aid/monitoring/export.csv（电脑端管理后台下载）。</View>
    </View>
  );
}
