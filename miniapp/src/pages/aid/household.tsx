import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  AID_TYPE_LABELS, EMPLOYMENT_STATUS_LABELS, HARDSHIP_CAUSE_LABELS, HARDSHIP_LEVEL_LABELS, HOUSEHOLD_STATUS_LABELS, NEED_TAG_LABELS,
  ONE_OFF_AID_TYPES, PAYOUT_STATUS_LABELS, formatShanghai, periodLabel, type AidType, type HouseholdView, type PayoutView,
} from '@union/shared';
import {
  activateHousehold, createOneOffPayout, exitHousehold, getHousehold, getHouseholdPayouts, reissueHouseholdCode, reviewHousehold,
} from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Banner, ErrorState, FieldError, Loading } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { Chips, Row, go, parseYuan, yuan } from './ui';

/** One household file: details, review (by a second staff member), re-verification, exit, code and card, one-off aid. */
export default function HouseholdPage() {
  const id = Number(useRouter().params.id);
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [h, setH] = useState<HouseholdView | null>(null);
  const [payouts, setPayouts] = useState<PayoutView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [exiting, setExiting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [oneOff, setOneOff] = useState<{ open: boolean; type: AidType; amount: string; error: string | null }>({ open: false, type: 'medical', amount: '', error: null });

  const load = useCallback(async () => {
    setError(null);
    try {
      setH(await getHousehold(id));
      setPayouts(await getHouseholdPayouts(id));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useLoadOnShow(() => void load(), isStaff && id > 0);

  const act = async (title: string, content: string, run: () => Promise<unknown>, done: string) => {
    const { confirm } = await Taro.showModal({ title, content });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    try {
      await run();
      setBanner({ kind: 'success', text: done });
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  if (!isStaff) return <View className='page'><ErrorState message='仅工会工作人员可查看档案' /></View>;
  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!h || !payouts) return <Loading />;

  const submitExit = () => {
    if (!reason.trim()) return setReasonError('请填写解困原因');
    setReasonError(null);
    void act('解困脱困', `确认 ${h.headName} 家庭解困脱困？帮扶码将同时停用。`, () => exitHousehold(id, { reason: reason.trim() }), '已办理解困脱困');
    setExiting(false);
  };
  const submitOneOff = () => {
    const fen = parseYuan(oneOff.amount);
    if (!fen) return setOneOff({ ...oneOff, error: '请输入金额（元）' });
    setOneOff({ ...oneOff, open: false, error: null });
    void act('一次性救助', `为 ${h.headName} 家庭申请${AID_TYPE_LABELS[oneOff.type]} ${yuan(fen)}？须另一名工作人员审批。`, async () => {
      const batch = await createOneOffPayout({ householdId: id, aidType: oneOff.type, amountFen: fen });
      void go(`/pages/aid/batch?id=${batch.id}`);
    }, '已提交，等待审批');
  };

  return (
    <View className='page'>
      <View className='row'>
        <Text className='page-title' id='hh-name'>{h.headName}</Text>
        <Text className='tag' id='hh-status'>{HOUSEHOLD_STATUS_LABELS[h.status]}</Text>
      </View>
      {banner && <Banner id='hh-banner' kind={banner.kind} message={banner.text} />}
      {h.reviewOverdue && <Banner kind='info' message='上次复核已超过12个月，请尽快复核。' />}
      <View className='card'>
        <Row label='身份证号' value={h.idNumberMasked} />
        <Row label='手机号' value={h.mobileMasked} />
        {h.memberNo && <Row label='会员编号' value={h.memberNo} />}
        <Row label='地址' value={`${h.province}${h.city}${h.district}${h.street}${h.addressDetail ?? ''}`} />
        <Row label='家庭人口' value={`${h.householdSize}人`} />
        <Row label='家庭月收入' value={yuan(h.monthlyIncomeFen)} />
        <Row label='人均月收入' value={yuan(h.perCapitaIncomeFen)} />
        <Row label='困难类别' value={HARDSHIP_LEVEL_LABELS[h.level]} />
        <Row label='致困原因' value={h.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')} />
        <Row label='就业状况' value={EMPLOYMENT_STATUS_LABELS[h.employmentStatus]} />
        <Row label='帮扶需求' value={h.needs.map((n) => NEED_TAG_LABELS[n]).join('、') || '—'} />
        {h.needsNote && <Row label='需求说明' value={h.needsNote} />}
        <Row label='所属工会' value={h.org.name} />
        <Row label='建档时间' value={formatShanghai(h.registeredAt)} />
        <Row label='最近复核' value={h.lastReviewedAt ? formatShanghai(h.lastReviewedAt) : '—'} />
        {h.exitDate && <Row label='解困日期' value={`${h.exitDate}（${h.exitReason ?? ''}）`} />}
      </View>

      <View className='card aid-no-print'>
        <Text className='card-title'>操作</Text>
        {h.status === 'registered' && (
          <>
            {h.registeredById === user?.id && <View className='muted'>建档人不能审核自己建立的档案（四眼原则），请由另一名工作人员审核。</View>}
            <Button className='btn btn-primary' id='hh-activate' disabled={busy || undefined} onClick={() => void act('审核通过', `确认 ${h.headName} 家庭的档案审核通过并生成帮扶码？`, () => activateHousehold(id), '审核通过，已生成帮扶码')}>
              审核通过
            </Button>
          </>
        )}
        {h.status !== 'exited' && (
          <Button className='btn btn-plain' id='hh-edit' onClick={() => go(`/pages/aid/household-form?id=${id}`)}>编辑档案</Button>
        )}
        {h.status === 'active' && (
          <>
            <Button className='btn btn-plain' id='hh-review' disabled={busy || undefined} onClick={() => void act('年度复核', '确认已完成本年度复核？', () => reviewHousehold(id), '已复核')}>年度复核</Button>
            <Button className='btn btn-plain' id='hh-card' onClick={() => go(`/pages/aid/card?id=${id}`)}>明白卡打印</Button>
            <Button className='btn btn-plain' id='hh-reissue' disabled={busy || undefined} onClick={() => void act('补发帮扶码', '补发后旧明白卡立即失效，确认补发？', () => reissueHouseholdCode(id), '已补发新帮扶码，请打印新明白卡')}>补发帮扶码</Button>
            <Button className='btn btn-plain' id='hh-one-off' onClick={() => setOneOff({ ...oneOff, open: !oneOff.open })}>一次性救助</Button>
            {oneOff.open && (
              <View className='field'>
                <Chips idPrefix='hh-one-off-type' options={ONE_OFF_AID_TYPES} labels={AID_TYPE_LABELS} value={oneOff.type} onChange={(t) => setOneOff({ ...oneOff, type: t })} />
                <Input id='hh-one-off-amount' className='input' type='digit' placeholder='金额（元）' value={oneOff.amount} onInput={(e) => setOneOff({ ...oneOff, amount: e.detail.value })} />
                <FieldError id='err-one-off' message={oneOff.error} />
                <Button className='btn btn-primary btn-small' id='hh-one-off-submit' onClick={submitOneOff}>提交审批</Button>
              </View>
            )}
          </>
        )}
        {h.status !== 'exited' && (
          <Button className='btn btn-plain' id='hh-exit' onClick={() => setExiting(!exiting)}>解困脱困</Button>
        )}
        {exiting && (
          <View className='field'>
            <Input id='hh-exit-reason' className='input' placeholder='解困原因，如：再就业、收入稳定' value={reason} onInput={(e) => setReason(e.detail.value)} />
            <FieldError id='err-exit-reason' message={reasonError} />
            <Button className='btn btn-primary btn-small' id='hh-exit-submit' onClick={submitExit}>确认解困</Button>
          </View>
        )}
      </View>

      <View className='card'>
        <Text className='card-title'>发放记录</Text>
        {payouts.length === 0 ? <View className='muted'>暂无发放记录</View> : payouts.map((p) => (
          <View className='row' key={p.id}>
            <Text>{periodLabel(p.period)} {AID_TYPE_LABELS[p.aidType]}</Text>
            <Text className='row-value'>{yuan(p.amountFen)} · {PAYOUT_STATUS_LABELS[p.status]}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
