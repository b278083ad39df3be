import { Button, Input, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { formatFen, shanghaiDate, type ReconciliationReport, type SettlementView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { exportSettlementCsv, getReconciliation, getSettlement } from '../../api/vouchers';
import { Banner, Empty, ErrorState, Loading, LoginPanel } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { isH5 } from '../../platform';
import { hasRole, useSession } from '../../session';
import './vouchers.css';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PAGE = 30;

/** 结算对账: settlement lines per merchant per day (staff: subtree; clerk: own merchant), CSV export, reconciliation. */
export default function SettlementPage() {
  const { user, refresh } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [from, setFrom] = useState(shanghaiDate(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(shanghaiDate(new Date()));
  const [data, setData] = useState<SettlementView | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [report, setReport] = useState<ReconciliationReport | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    if (!DATE.test(from) || !DATE.test(to)) {
      setError('日期格式应为 YYYY-MM-DD');
      return;
    }
    try {
      setData(await getSettlement({ from, to }));
      setShown(PAGE);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [from, to]);
  useLoadOnShow(() => void load(), !!user);

  const exportCsv = async () => {
    if (!isH5 || typeof document === 'undefined') {
      setBanner({ kind: 'info', text: '请在电脑端浏览器打开本页导出 CSV' });
      return;
    }
    setBusy(true);
    try {
      const csv = await exportSettlementCsv({ from, to });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `settlement-${from}-${to}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setBanner({ kind: 'success', text: '已导出结算 CSV' });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const reconcile = async () => {
    setBusy(true);
    try {
      setReport(await getReconciliation());
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['union_staff', 'merchant_clerk']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  return (
    <View className='page'>
      <View className='v-row2'>
        <View className='field'><Text className='field-label'>开始日期</Text><Input id='st-from' className='input' value={from} onInput={(e) => setFrom(e.detail.value)} /></View>
        <View className='field'><Text className='field-label'>结束日期</Text><Input id='st-to' className='input' value={to} onInput={(e) => setTo(e.detail.value)} /></View>
      </View>
      <View className='btn-row'>
        <Button className='btn btn-primary btn-small' id='st-query' onClick={() => void load()}>查询</Button>
        <Button className='btn btn-plain btn-small' id='st-export' disabled={busy || undefined} onClick={exportCsv}>导出CSV</Button>
        {isStaff && <Button className='btn btn-plain btn-small' id='st-reconcile' disabled={busy || undefined} onClick={reconcile}>对账</Button>}
      </View>
      <Banner id='st-banner' kind={banner?.kind} message={banner?.text} />
      {report && (
        <View className={report.ok ? 'v-result-ok' : 'v-result-err'} id='st-report'>
          {report.ok ? `对账无差异：已核销 ${report.redeemedVouchers} 张 / ${formatFen(report.redeemedFaceValueFen)} 元，结算一致` : `发现 ${report.differences.length} 处差异`}
          {report.differences.slice(0, 20).map((d, i) => <View key={i} className='muted'>{d.message}</View>)}
        </View>
      )}
      {error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !data ? (
        <Loading />
      ) : (
        <View>
          <View className='card v-total'>
            <View className='v-total-item'><Text className='v-total-num' id='st-total-count'>{data.totals.count}</Text><Text className='muted'>核销笔数</Text></View>
            <View className='v-total-item'><Text className='v-total-num' id='st-total-face'>{formatFen(data.totals.faceValueFen)}</Text><Text className='muted'>应结算（元）</Text></View>
            <View className='v-total-item'><Text className='v-total-num' id='st-total-order'>{formatFen(data.totals.orderAmountFen)}</Text><Text className='muted'>订单（元）</Text></View>
          </View>
          {data.lines.length === 0 ? (
            <Empty text='所选期间没有核销' />
          ) : (
            data.lines.slice(0, shown).map((l) => (
              <View className='card' key={`${l.merchantId}-${l.date}`} data-testid={`st-line-${l.merchantId}-${l.date}`}>
                <View className='row'>
                  <Text className='card-title'>{l.merchantName}</Text>
                  <Text className='muted'>{l.date}</Text>
                </View>
                <View className='muted'>{l.org.name}</View>
                <View className='row'><Text className='row-label'>核销 {l.count} 笔</Text><Text className='row-value'>券面 ¥{formatFen(l.faceValueFen)} · 订单 ¥{formatFen(l.orderAmountFen)}</Text></View>
              </View>
            ))
          )}
          {data.lines.length > shown && <Button className='btn btn-plain' id='st-more' onClick={() => setShown((n) => n + PAGE)}>加载更多</Button>}
        </View>
      )}
    </View>
  );
}
