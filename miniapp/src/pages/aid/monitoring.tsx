import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AID_TYPE_LABELS, type AidMonitoring } from '@union/shared';
import { getAidMonitoring } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { DateText, Empty, ErrorState, Loading, Money, Page, formatMonth } from '../../components';
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

  if (!isStaff) return <Page title='帮扶监测'><Empty text='仅工会工作人员可查看帮扶监测' /></Page>;
  if (error) return <Page title='帮扶监测'><ErrorState message={error} onRetry={load} /></Page>;
  if (!m) return <Page title='帮扶监测'><Loading /></Page>;

  const months = [...new Set(m.payoutsByMonth.map((p) => p.period))];
  const section = (title: string, id: string, rows: AidMonitoring['byLevel']) => (
    <View className='card'>
      <Text className='card-title'>{title}</Text>
      <Bars id={id} rows={rows} />
    </View>
  );
  return (
    <Page title='帮扶监测' className='page-aid-monitoring'>
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
        {months.length === 0 ? <View>近12个月还没有发放。发放批次审批并导入银行结果后会显示在这里。</View> : (
          <Bars id='mon-payouts' format={yuan} rows={months.map((period) => ({
            key: period, label: formatMonth(period), count: m.payoutsByMonth.filter((p) => p.period === period).reduce((s, p) => s + p.amountFen, 0),
          }))} />
        )}
        {m.payoutsByMonth.map((p) => (
          <View className='aid-payout' key={`${p.period}-${p.aidType}`}>
            <DateText mode='month' value={p.period} /> {AID_TYPE_LABELS[p.aidType]}：{p.count}户 <Money fen={p.amountFen} />，已发放 {p.paidCount}户 <Money fen={p.paidFen} />
          </View>
        ))}
      </View>
      <View className='card'>
        <Text className='card-title'>每月新建档 / 解困</Text>
        <Bars id='mon-registrations' rows={m.registrationsByMonth.map((r) => ({ key: r.period, label: formatMonth(r.period), count: r.registered }))} />
        <Bars id='mon-exits' rows={m.registrationsByMonth.map((r) => ({ key: r.period, label: `${formatMonth(r.period)}解困`, count: r.exited })).filter((r) => r.count > 0)} />
      </View>
      <View className='aid-note'>需要明细表格时，请在电脑上登录管理后台，在“帮扶监测”中下载。</View>
    </Page>
  );
}
