import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { shanghaiDate, type ReconciliationReport, type SettlementView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { exportSettlementCsv, getReconciliation, getSettlement } from '../../api/vouchers';
import { Banner, Button, DateText, Empty, ErrorState, Field, Loading, LoginPanel, Money, Page } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { saveTextFile } from '../../platform/download';
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
      setError('日期请写成 2026-11-03 这样的格式');
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
    setBusy(true);
    try {
      setBanner({ kind: 'success', text: await saveTextFile(`settlement-${from}-${to}.csv`, await exportSettlementCsv({ from, to })) });
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
      <Page title='结算对账'>
        <LoginPanel roles={['union_staff', 'merchant_clerk']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  return (
    <Page title='结算对账'>
      <View className='v-row2'>
        <Field id='st-from' label='开始日期' required hint='如 2026-11-03' value={from} onInput={setFrom} />
        <Field id='st-to' label='结束日期' required hint='如 2026-11-30' value={to} onInput={setTo} />
      </View>
      <View className='btn-row'>
        <Button size='small' id='st-query' onClick={() => void load()}>
          查询
        </Button>
        <Button kind='plain' size='small' id='st-export' disabled={busy} onClick={exportCsv}>
          导出表格
        </Button>
        {isStaff && (
          <Button kind='plain' size='small' id='st-reconcile' disabled={busy} onClick={reconcile}>
            对账
          </Button>
        )}
      </View>
      <Banner id='st-banner' kind={banner?.kind} message={banner?.text} />
      {report && (
        <View className={report.ok ? 'v-result-ok' : 'v-result-err'} id='st-report'>
          {report.ok ? (
            <Text>
              对账无差异：已核销 {report.redeemedVouchers} 张，共 <Money fen={report.redeemedFaceValueFen} />，结算一致
            </Text>
          ) : (
            `发现 ${report.differences.length} 处差异`
          )}
          {report.differences.slice(0, 20).map((d, i) => (
            <View key={i}>{d.message}</View>
          ))}
        </View>
      )}
      {error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !data ? (
        <Loading />
      ) : (
        <View>
          <View className='card v-total'>
            <View className='v-total-item'>
              <Text className='v-total-num' id='st-total-count'>
                {data.totals.count}
              </Text>
              <Text className='v-total-label'>核销笔数</Text>
            </View>
            <View className='v-total-item'>
              <Money className='v-total-num' id='st-total-face' fen={data.totals.faceValueFen} />
              <Text className='v-total-label'>应结算</Text>
            </View>
            <View className='v-total-item'>
              <Money className='v-total-num' id='st-total-order' fen={data.totals.orderAmountFen} />
              <Text className='v-total-label'>订单金额</Text>
            </View>
          </View>
          {data.lines.length === 0 ? (
            <Empty text='所选期间没有核销，可以换一段日期再查询' />
          ) : (
            data.lines.slice(0, shown).map((l) => (
              <View className='card' key={`${l.merchantId}-${l.date}`} data-testid={`st-line-${l.merchantId}-${l.date}`}>
                <View className='row'>
                  <Text className='card-title v-campaign-name'>{l.merchantName}</Text>
                  <DateText value={l.date} mode='date' />
                </View>
                <View className='muted'>{l.org.name}</View>
                <View className='row'>
                  <Text className='row-label'>核销笔数</Text>
                  <Text className='row-value nowrap'>{l.count} 笔</Text>
                </View>
                <View className='row'>
                  <Text className='row-label'>券面金额</Text>
                  <Money className='row-value' fen={l.faceValueFen} />
                </View>
                <View className='row'>
                  <Text className='row-label'>订单金额</Text>
                  <Money className='row-value' fen={l.orderAmountFen} />
                </View>
              </View>
            ))
          )}
          {data.lines.length > shown && (
            <Button kind='plain' id='st-more' onClick={() => setShown((n) => n + PAGE)}>
              加载更多
            </Button>
          )}
        </View>
      )}
    </Page>
  );
}
