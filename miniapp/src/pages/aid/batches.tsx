import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  AID_TYPE_LABELS, AID_TYPES, HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS, PAYOUT_BATCH_STATUS_LABELS, periodLabel, shanghaiPeriod, validatePeriod,
  type AidType, type HardshipLevel,
} from '@union/shared';
import { createBatch, listBatches } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Button, DateText, Empty, Field, FieldError, Money, Page, PagedList, StatusTag, Tap } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { Chips, go, parseYuan } from './ui';

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
  const list = usePagedList((_: null, page: number) => listBatches({ page, pageSize: PAGE_SIZE }));
  const reload = () => void list.reload(null);
  useLoadOnShow(reload, isStaff);

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

  if (!isStaff) {
    return (
      <Page title='发放批次'>
        <Empty text='仅工会工作人员可管理发放批次' />
      </Page>
    );
  }
  const validPeriod = !validatePeriod(period.trim());

  return (
    <Page title='发放批次'>
      <View className='card' id='batch-form'>
        <Text className='card-title'>新建批次</Text>
        <Field
          id='batch-period'
          label='发放月份'
          required
          hint={validPeriod ? `按“年-月”填写，现在是 ${periodLabel(period.trim())}` : '按“年-月”填写，如 2026-11 表示2026年11月'}
          value={period}
          onInput={setPeriod}
        />
        <Field id='batch-type' label='救助类型' required>
          <Chips idPrefix='batch-type' options={AID_TYPES} labels={AID_TYPE_LABELS} value={aidType} onChange={setAidType} />
        </Field>
        {HARDSHIP_LEVELS.map((l) => (
          <Field
            key={l}
            id={`batch-amount-${l}`}
            label={`${HARDSHIP_LEVEL_LABELS[l]}每户金额（元）`}
            required
            keyboard='digit'
            value={amounts[l]}
            onInput={(v) => setAmounts({ ...amounts, [l]: v })}
          />
        ))}
        <FieldError id='batch-form-error' message={formError} />
        <Button id='batch-create' loading={busy} onClick={() => void create()}>
          创建批次
        </Button>
      </View>
      <PagedList
        list={list}
        onRetry={reload}
        moreId='batches-more'
        emptyText='还没有发放批次。在上方填写月份和金额即可新建'
        renderItem={(b) => (
          <Tap className='card' key={b.id} testId={`batch-${b.id}`} role='link' onClick={() => go(`/pages/aid/batch?id=${b.id}`)}>
            <View className='row review-card-head'>
              <Text className='card-title'>
                <DateText mode='month' value={b.period} /> {AID_TYPE_LABELS[b.aidType]}{b.kind === 'one_off' ? '（一次性）' : ''}
              </Text>
              <StatusTag
                text={`${PAYOUT_BATCH_STATUS_LABELS[b.status]}${b.status === 'pending' && b.version > 1 ? '（已修改）' : ''}`}
                tone={b.status === 'approved' ? 'success' : 'pending'}
              />
            </View>
            <View className='row'>
              <Text className='row-label'>覆盖组织</Text>
              <Text className='row-value'>{b.org.name}</Text>
            </View>
            <View className='row'>
              <Text className='row-label'>户数</Text>
              <Text className='row-value'>{Object.values(b.counts).reduce((s, n) => s + n, 0)}户，已发放{b.counts.paid}户</Text>
            </View>
            <View className='row'>
              <Text className='row-label'>合计</Text>
              <Money className='row-value' fen={b.totalFen} />
            </View>
            <View className='link'>查看批次 ›</View>
          </Tap>
        )}
      />
    </Page>
  );
}
