import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  formatFen,
  AID_TYPE_LABELS, HARDSHIP_LEVEL_LABELS, PAYOUT_BATCH_STATUS_LABELS, PAYOUT_STATUS_LABELS, formatShanghai, periodLabel,
  type BankResultReport, type PayoutBatchView, type PayoutView,
} from '@union/shared';
import { approveBatch, getBatch, importBankResults, listBatchPayouts, updatePayoutAmount } from '../../api/aid';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, Empty, ErrorState, FieldError, Loading } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { pickCsvFile } from '../../platform/files';
import { hasRole, useSession } from '../../session';
import { Row, parseYuan, yuan } from './ui';

const PAGE_SIZE = 20;

/** One batch: payouts (amounts editable while pending), approval by another staff member, the bank result file. */
export default function BatchPage() {
  const id = Number(useRouter().params.id);
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [batch, setBatch] = useState<PayoutBatchView | null>(null);
  const [payouts, setPayouts] = useState<PayoutView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ id: number; value: string; error: string | null } | null>(null);
  const [report, setReport] = useState<BankResultReport | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [b, p] = await Promise.all([getBatch(id), listBatchPayouts(id, { page: 1, pageSize: PAGE_SIZE })]);
      setBatch(b);
      setPayouts(p.items);
      setTotal(p.total);
      setPage(1);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useLoadOnShow(() => void load(), isStaff && id > 0);

  const more = async () => {
    try {
      const p = await listBatchPayouts(id, { page: page + 1, pageSize: PAGE_SIZE });
      setPayouts((prev) => [...(prev ?? []), ...p.items]);
      setTotal(p.total);
      setPage(p.page);
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    }
  };

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
      setPayouts((prev) => (prev ?? []).map((x) => (x.id === p.id ? updated : x)));
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

  if (!isStaff) return <View className='page'><Empty text='仅工会工作人员可查看发放批次' /></View>;
  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!batch || !payouts) return <Loading />;
  // the creator and every editor of the batch or a payout may not approve it (四眼原则)
  const mine = !!user && batch.makerIds.includes(user.id);
  const edited = batch.version > 1;

  return (
    <View className='page'>
      <View className='row'>
        <Text className='page-title'>{periodLabel(batch.period)} {AID_TYPE_LABELS[batch.aidType]}</Text>
        <Text className={`tag ${batch.status === 'approved' ? 'tag-approved' : 'tag-pending'}`} id='batch-status'>{PAYOUT_BATCH_STATUS_LABELS[batch.status]}</Text>
      </View>
      {banner && <Banner id='batch-banner' kind={banner.kind} message={banner.text} />}
      <View className='card'>
        <Row label='覆盖组织' value={batch.org.name} />
        {batch.amountsByLevel && <Row label='标准' value={Object.entries(batch.amountsByLevel).map(([l, f]) => `${HARDSHIP_LEVEL_LABELS[l as keyof typeof HARDSHIP_LEVEL_LABELS]}${yuan(f)}`).join(' ')} />}
        {batch.note && <Row label='备注' value={batch.note} />}
        <Row label='户数' value={Object.values(batch.counts).reduce((s, n) => s + n, 0)} id='batch-count' />
        <Row label='合计金额' value={yuan(batch.totalFen)} id='batch-total' />
        <Row label='已发放' value={`${batch.counts.paid}户 ${yuan(batch.paidFen)}`} id='batch-paid' />
        <Row label='发放失败' value={`${batch.counts.failed}户`} id='batch-failed' />
        <Row label='创建时间' value={formatShanghai(batch.createdAt)} />
        {edited && batch.lastEditedAt && <Row label='最近修改' value={`${formatShanghai(batch.lastEditedAt)}（第${batch.version}版）`} id='batch-edited' />}
        {batch.approvedAt && <Row label='审批时间' value={formatShanghai(batch.approvedAt)} />}
        {batch.approvedVersion !== null && <Row label='审批版本' value={`第${batch.approvedVersion}版`} id='batch-approved-version' />}
      </View>
      <View className='card aid-no-print'>
        {batch.status === 'pending' && (
          <>
            {edited && <View className='muted' id='batch-reapproval'>批次创建后金额已修改，须按修改后的内容重新核对，由未创建、未修改过本批次的工作人员审批。</View>}
            {mine && <View className='muted' id='batch-mine'>您创建或修改过本批次，须由另一名工作人员审批（四眼原则）。</View>}
            <Button className='btn btn-primary' id='batch-approve' disabled={busy || undefined} onClick={() => void approve()}>审批通过</Button>
          </>
        )}
        {batch.status === 'approved' && (
          <>
            <View className='muted'>银行结果CSV列：户码或家庭编号、金额(元)、状态(成功/失败)、银行流水号、日期、失败原因。重复导入同一文件不会重复记账。</View>
            <Button className='btn btn-primary' id='batch-bank-import' loading={busy || undefined} disabled={busy || undefined} onClick={() => void importBank()}>导入银行发放结果</Button>
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
        {payouts.length === 0 ? <View className='muted'>暂无</View> : payouts.map((p) => (
          <View key={p.id} data-testid={`payout-${p.id}`} data-household-id={p.householdId} data-amount-fen={p.amountFen} style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }}>
            <View className='row'>
              <Text>{p.headName} · {HARDSHIP_LEVEL_LABELS[p.level]}</Text>
              <Text className='row-value'>{yuan(p.amountFen)}</Text>
            </View>
            <View className='row'>
              <Text className='muted'>家庭编号 {p.householdId} · {PAYOUT_STATUS_LABELS[p.status]}{p.bankRef ? ` · ${p.bankRef}` : ''}{p.failReason ? ` · ${p.failReason}` : ''}</Text>
              {p.status === 'pending' && editing?.id !== p.id && (
                <Text className='link' data-testid={`payout-edit-${p.id}`} onClick={() => setEditing({ id: p.id, value: formatFen(p.amountFen), error: null })}>改金额</Text>
              )}
            </View>
            {editing?.id === p.id && (
              <View className='aid-inline'>
                <Input id={`payout-amount-${p.id}`} className='input' style={{ flex: 1, minWidth: 0 }} type='digit' value={editing.value} onInput={(e) => setEditing({ ...editing, value: e.detail.value, error: null })} />
                <Button className='btn btn-primary btn-small' style={{ margin: 0 }} data-testid={`payout-save-${p.id}`} onClick={() => void saveAmount(p)}>保存</Button>
                <Button className='btn btn-plain btn-small' style={{ margin: 0 }} onClick={() => setEditing(null)}>取消</Button>
                <FieldError id={`err-payout-${p.id}`} message={editing.error} />
              </View>
            )}
          </View>
        ))}
        {payouts.length < total && <Button className='btn btn-plain' id='payouts-more' onClick={() => void more()}>加载更多</Button>}
      </View>
    </View>
  );
}
