import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  formatFen,
  AID_TYPE_LABELS, HARDSHIP_LEVEL_LABELS, PAYOUT_BATCH_STATUS_LABELS, PAYOUT_STATUS_LABELS,
  type BankResultReport, type PayoutBatchView, type PayoutStatus, type PayoutView,
} from '@union/shared';
import { approveBatch, getBatch, importBankResults, listBatchPayouts, updatePayoutAmount } from '../../api/aid';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, Button, DateText, Empty, ErrorState, Field, Loading, Money, Page, PagedList, StatusTag, type StatusTone } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { pickCsvFile } from '../../platform/files';
import { hasRole, useSession } from '../../session';
import { Row, parseYuan, yuan } from './ui';

const PAGE_SIZE = 20;
const PAYOUT_TONE: Record<PayoutStatus, StatusTone> = { pending: 'pending', approved: 'info', paid: 'success', failed: 'danger' };

/** One batch: payouts (amounts editable while pending), approval by another staff member, the bank result file. */
export default function BatchPage() {
  const id = Number(useRouter().params.id);
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [batch, setBatch] = useState<PayoutBatchView | null>(null);
  const payouts = usePagedList((_: null, page: number) => listBatchPayouts(id, { page, pageSize: PAGE_SIZE }));
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ id: number; value: string; error: string | null } | null>(null);
  const [report, setReport] = useState<BankResultReport | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setBatch(await getBatch(id));
      void payouts.reload(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id, payouts.reload]);
  useLoadOnShow(() => void load(), isStaff && id > 0);

  const approve = async () => {
    if (!batch) return;
    const { confirm } = await Taro.showModal({ title: '审批发放批次', content: `确认审批通过，共${batch.counts.pending}户，合计${yuan(batch.totalFen)}？` });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    try {
      await approveBatch(id, batch.version);
      setBanner({ kind: 'success', text: '已审批通过，可导入银行发放结果' });
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
      // changed since it was shown: show the current content before anyone approves again
      if (e instanceof ApiError && e.code === 'APPROVAL_STALE') await load();
    } finally {
      setBusy(false);
    }
  };

  const saveAmount = async (p: PayoutView) => {
    if (!editing) return;
    const fen = parseYuan(editing.value);
    if (fen === null) return setEditing({ ...editing, error: '请输入金额（元）' });
    const { confirm } = await Taro.showModal({ title: '修改金额', content: `将 ${p.headName} 的金额改为 ${yuan(fen)}？` });
    if (!confirm) return;
    try {
      const updated = await updatePayoutAmount(p.id, fen);
      payouts.setItems((prev) => prev?.map((x) => (x.id === p.id ? updated : x)) ?? prev);
      setEditing(null);
      setBatch(await getBatch(id));
    } catch (e) {
      setEditing({ ...editing, error: errorMessage(e) });
    }
  };

  const importBank = async () => {
    setBanner(null);
    let picked;
    try {
      picked = await pickCsvFile();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
      return;
    }
    if (!picked) return;
    const { confirm } = await Taro.showModal({ title: '导入银行结果', content: `导入文件「${picked.name}」？发放结果将写入各户记录。` });
    if (!confirm) return;
    setBusy(true);
    try {
      setReport(await importBankResults(id, picked.text));
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  if (!isStaff) return <Page title='发放批次'><Empty text='仅工会工作人员可查看发放批次' /></Page>;
  if (error) return <Page title='发放批次'><ErrorState message={error} onRetry={load} /></Page>;
  if (!batch) return <Page title='发放批次'><Loading /></Page>;
  // the creator and every editor of the batch or a payout may not approve it (四眼原则)
  const mine = !!user && batch.makerIds.includes(user.id);
  const edited = batch.version > 1;

  return (
    <Page title='发放批次'>
      <View className='row'>
        <Text className='page-title'><DateText mode='month' value={batch.period} /> {AID_TYPE_LABELS[batch.aidType]}</Text>
        <StatusTag id='batch-status' text={PAYOUT_BATCH_STATUS_LABELS[batch.status]} tone={batch.status === 'approved' ? 'success' : 'pending'} />
      </View>
      {banner && <Banner id='batch-banner' kind={banner.kind} message={banner.text} />}
      <View className='card'>
        <Row label='覆盖组织' value={batch.org.name} />
        {batch.amountsByLevel && (
          <Row
            label='每户标准'
            value={Object.entries(batch.amountsByLevel).map(([l, f]) => (
              <View key={l}>{HARDSHIP_LEVEL_LABELS[l as keyof typeof HARDSHIP_LEVEL_LABELS]} <Money fen={f} /></View>
            ))}
          />
        )}
        {batch.note && <Row label='备注' value={batch.note} />}
        <Row label='户数' value={Object.values(batch.counts).reduce((s, n) => s + n, 0)} id='batch-count' />
        <Row label='合计金额' value={<Money fen={batch.totalFen} />} id='batch-total' />
        <Row label='已发放' value={<>{batch.counts.paid}户 <Money fen={batch.paidFen} /></>} id='batch-paid' />
        <Row label='发放失败' value={`${batch.counts.failed}户`} id='batch-failed' />
        <Row label='创建时间' value={<DateText value={batch.createdAt} />} />
        {edited && batch.lastEditedAt && <Row label='最近修改' value={<><DateText value={batch.lastEditedAt} />（第{batch.version}版）</>} id='batch-edited' />}
        {batch.approvedAt && <Row label='审批时间' value={<DateText value={batch.approvedAt} />} />}
        {batch.approvedVersion !== null && <Row label='审批版本' value={`第${batch.approvedVersion}版`} id='batch-approved-version' />}
      </View>
      <View className='card aid-no-print'>
        {batch.status === 'pending' && (
          <>
            {edited && <View className='aid-note' id='batch-reapproval'>批次创建后金额已修改，须按修改后的内容重新核对，由未创建、未修改过本批次的工作人员审批。</View>}
            {mine && <View className='aid-note' id='batch-mine'>您创建或修改过本批次，须由另一名工作人员审批（四眼原则）。</View>}
            <Button id='batch-approve' disabled={busy} onClick={() => void approve()}>审批通过</Button>
          </>
        )}
        {batch.status === 'approved' && (
          <>
            <View className='aid-note'>银行结果表格（CSV）的列：户码或家庭编号、金额（元）、状态（成功/失败）、银行流水号、日期、失败原因。重复导入同一文件不会重复记账。</View>
            <Button id='batch-bank-import' loading={busy} onClick={() => void importBank()}>导入银行发放结果</Button>
          </>
        )}
      </View>
      {report && (
        <View className='card' id='bank-report'>
          <Text className='card-title'>导入结果</Text>
          <View id='bank-summary'>共{report.totalRows}行：发放成功 {report.paid}，失败 {report.failed}，已导入过 {report.alreadyImported}，错误 {report.errors.length}</View>
          {report.errors.map((e, i) => (
            <View className='aid-error-row' key={i}>第{e.row}行 · {e.field}：{e.reason}</View>
          ))}
        </View>
      )}
      <View className='card'>
        <Text className='card-title'>发放明细</Text>
        <PagedList
          list={payouts}
          onRetry={() => void payouts.reload(null)}
          moreId='payouts-more'
          emptyText='本批次没有发放记录'
          renderItem={(p: PayoutView) => (
            <View key={p.id} className='aid-payout' data-testid={`payout-${p.id}`} data-household-id={p.householdId} data-amount-fen={p.amountFen}>
              <View className='row'>
                <Text>{p.headName} · {HARDSHIP_LEVEL_LABELS[p.level]}</Text>
                <Money className='row-value' fen={p.amountFen} />
              </View>
              <View className='row'>
                <StatusTag text={PAYOUT_STATUS_LABELS[p.status]} tone={PAYOUT_TONE[p.status]} />
                <Text className='aid-payout-sub'>家庭编号 {p.householdId}{p.bankRef ? ` · 流水号 ${p.bankRef}` : ''}{p.failReason ? ` · ${p.failReason}` : ''}</Text>
              </View>
              {p.status === 'pending' && editing?.id !== p.id && (
                <Button kind='plain' size='small' testId={`payout-edit-${p.id}`} onClick={() => setEditing({ id: p.id, value: formatFen(p.amountFen), error: null })}>改金额</Button>
              )}
              {editing?.id === p.id && (
                <View className='aid-subform'>
                  <Field
                    id={`payout-amount-${p.id}`}
                    label={`${p.headName}的金额（元）`}
                    required
                    keyboard='digit'
                    value={editing.value}
                    error={editing.error}
                    errorId={`err-payout-${p.id}`}
                    onInput={(v) => setEditing({ ...editing, value: v, error: null })}
                  />
                  <View className='btn-row'>
                    <Button size='small' testId={`payout-save-${p.id}`} onClick={() => void saveAmount(p)}>保存</Button>
                    <Button kind='plain' size='small' onClick={() => setEditing(null)}>取消</Button>
                  </View>
                </View>
              )}
            </View>
          )}
        />
      </View>
    </Page>
  );
}
