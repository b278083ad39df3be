import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  AID_TYPE_LABELS, AID_TYPES, HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS, PAYOUT_BATCH_STATUS_LABELS, periodLabel, shanghaiPeriod, validatePeriod,
  type AidType, type HardshipLevel, type PayoutBatchView,
} from '@union/shared';
import { createBatch, listBatches } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Banner, Empty, ErrorState, FieldError, Loading } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { Chips, go, parseYuan, yuan } from './ui';

const PAGE_SIZE = 10;

/** 发放批次: create a monthly batch (amounts by hardship level) and list the subtree's batches. */
export default function BatchesPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [period, setPeriod] = useState(shanghaiPeriod());
  const [aidType, setAidType] = useState<AidType>('living');
  const [amounts, setAmounts] = useState<Record<HardshipLevel, string>>({ severe: '800', relative: '500', sudden: '300' });
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [items, setItems] = useState<PayoutBatchView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const res = await listBatches({ page: 1, pageSize: PAGE_SIZE });
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isStaff);

  const more = async () => {
    setMoreBusy(true);
    try {
      const res = await listBatches({ page: page + 1, pageSize: PAGE_SIZE });
      setItems((prev) => [...(prev ?? []), ...res.items]);
      setTotal(res.total);
      setPage(res.page);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setMoreBusy(false);
    }
  };

  const create = async () => {
    const p = validatePeriod(period.trim());
    const fen = Object.fromEntries(HARDSHIP_LEVELS.map((l) => [l, parseYuan(amounts[l])])) as Record<HardshipLevel, number | null>;
    if (p) return setFormError(p);
    if (HARDSHIP_LEVELS.some((l) => fen[l] === null)) return setFormError('请填写各困难类别的金额（元）');
    setFormError(null);
    const { confirm } = await Taro.showModal({
      title: '创建发放批次',
      content: `为本级及下级所有在档家庭创建${periodLabel(period.trim())}${AID_TYPE_LABELS[aidType]}批次？须另一名工作人员审批。`,
    });
    if (!confirm) return;
    setBusy(true);
    try {
      const b = await createBatch({ period: period.trim(), aidType, amountsByLevel: fen as Record<HardshipLevel, number> });
      void go(`/pages/aid/batch?id=${b.id}`);
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!isStaff) return <View className='page'><Empty text='仅工会工作人员可管理发放批次' /></View>;

  return (
    <View className='page'>
      <View className='page-title'>发放批次</View>
      <View className='card' id='batch-form'>
        <Text className='card-title'>新建批次</Text>
        <View className='field'>
          <Text className='field-label'>发放期间（YYYY-MM）</Text>
          <Input id='batch-period' className='input' value={period} onInput={(e) => setPeriod(e.detail.value)} />
        </View>
        <Text className='field-label'>救助类型</Text>
        <Chips idPrefix='batch-type' options={AID_TYPES} labels={AID_TYPE_LABELS} value={aidType} onChange={setAidType} />
        {HARDSHIP_LEVELS.map((l) => (
          <View className='field aid-inline' key={l}>
            <Text className='field-label' style={{ width: '120px' }}>{HARDSHIP_LEVEL_LABELS[l]}（元）</Text>
            <Input id={`batch-amount-${l}`} className='input' style={{ flex: 1, minWidth: 0 }} type='digit' value={amounts[l]} onInput={(e) => setAmounts({ ...amounts, [l]: e.detail.value })} />
          </View>
        ))}
        <FieldError id='batch-form-error' message={formError} />
        <Button className='btn btn-primary' id='batch-create' loading={busy || undefined} disabled={busy || undefined} onClick={() => void create()}>
          创建批次
        </Button>
      </View>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text='暂无发放批次' />
      ) : (
        <View>
          {items.map((b) => (
            <View className='card' key={b.id} data-testid={`batch-${b.id}`} onClick={() => go(`/pages/aid/batch?id=${b.id}`)}>
              <View className='row'>
                <Text className='card-title' style={{ marginBottom: 0 }}>
                  {periodLabel(b.period)} {AID_TYPE_LABELS[b.aidType]}{b.kind === 'one_off' ? '（一次性）' : ''}
                </Text>
                <Text className={`tag ${b.status === 'approved' ? 'tag-approved' : 'tag-pending'}`}>{PAYOUT_BATCH_STATUS_LABELS[b.status]}{b.status === 'pending' && b.version > 1 ? '（已修改）' : ''}</Text>
              </View>
              <View className='muted'>
                {b.org.name} · {Object.values(b.counts).reduce((s, n) => s + n, 0)}户 · 合计{yuan(b.totalFen)} · 已发放{b.counts.paid}户
              </View>
            </View>
          ))}
          {items.length < total ? (
            <Button className='btn btn-plain' id='batches-more' loading={moreBusy || undefined} onClick={() => void more()}>加载更多</Button>
          ) : (
            <View className='muted' style={{ textAlign: 'center', padding: '12px' }}>没有更多了</View>
          )}
        </View>
      )}
    </View>
  );
}
