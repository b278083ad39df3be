import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  AID_TYPE_LABELS, EMPLOYMENT_STATUS_LABELS, HARDSHIP_CAUSE_LABELS, HARDSHIP_LEVEL_LABELS, HOUSEHOLD_STATUS_LABELS, NEED_TAG_LABELS,
  ONE_OFF_AID_TYPES, PAYOUT_STATUS_LABELS, type AidType, type HouseholdStatus, type HouseholdView, type PayoutStatus, type PayoutView,
} from '@union/shared';
import {
  activateHousehold, createOneOffPayout, exitHousehold, getHousehold, getHouseholdPayouts, reissueHouseholdCode, reviewHousehold,
} from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Banner, Button, DateText, ErrorState, Field, Loading, Money, Page, StatusTag, type StatusTone } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { Chips, Row, go, parseYuan, yuan } from './ui';

const STATUS_TONE: Record<HouseholdStatus, StatusTone> = { registered: 'pending', active: 'success', exited: 'neutral' };
const PAYOUT_TONE: Record<PayoutStatus, StatusTone> = { pending: 'pending', approved: 'info', paid: 'success', failed: 'danger' };

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

  if (!isStaff) return <Page title='困难职工档案'><ErrorState message='仅工会工作人员可查看档案' /></Page>;
  if (error) return <Page title='困难职工档案'><ErrorState message={error} onRetry={load} /></Page>;
  if (!h || !payouts) return <Page title='困难职工档案'><Loading /></Page>;

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
    <Page title='困难职工档案'>
      <View className='row'>
        <Text className='page-title' id='hh-name'>{h.headName}</Text>
        <StatusTag id='hh-status' text={HOUSEHOLD_STATUS_LABELS[h.status]} tone={STATUS_TONE[h.status]} />
      </View>
      {banner && <Banner id='hh-banner' kind={banner.kind} message={banner.text} />}
      {h.reviewOverdue && <Banner kind='info' message='上次复核已超过12个月，请尽快复核。' />}
      <View className='card'>
        <Row label='身份证号' value={h.idNumberMasked} />
        <Row label='手机号' value={h.mobileMasked} />
        {h.memberNo && <Row label='会员编号' value={h.memberNo} />}
        <Row label='地址' value={`${h.province}${h.city}${h.district}${h.street}${h.addressDetail ?? ''}`} />
        <Row label='家庭人口' value={`${h.householdSize}人`} />
        <Row label='家庭月收入' value={<Money fen={h.monthlyIncomeFen} />} />
        <Row label='人均月收入' value={<Money fen={h.perCapitaIncomeFen} />} />
        <Row label='困难类别' value={HARDSHIP_LEVEL_LABELS[h.level]} />
        <Row label='致困原因' value={h.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')} />
        <Row label='就业状况' value={EMPLOYMENT_STATUS_LABELS[h.employmentStatus]} />
        <Row label='帮扶需求' value={h.needs.map((n) => NEED_TAG_LABELS[n]).join('、') || '—'} />
        {h.needsNote && <Row label='需求说明' value={h.needsNote} />}
        <Row label='所属工会' value={h.org.name} />
        <Row label='建档时间' value={<DateText value={h.registeredAt} />} />
        <Row label='最近复核' value={h.lastReviewedAt ? <DateText value={h.lastReviewedAt} /> : '还没有复核'} />
        {h.exitDate && <Row label='解困日期' value={<><DateText mode='date' value={h.exitDate} />{h.exitReason ? `（${h.exitReason}）` : ''}</>} />}
      </View>

      <View className='card aid-no-print'>
        <Text className='card-title'>操作</Text>
        {h.status === 'registered' && (
          <>
            {h.registeredById === user?.id && <View className='aid-note'>建档人不能审核自己建立的档案（四眼原则），请由另一名工作人员审核。</View>}
            <Button id='hh-activate' disabled={busy} onClick={() => void act('审核通过', `确认 ${h.headName} 家庭的档案审核通过并生成帮扶码？`, () => activateHousehold(id), '审核通过，已生成帮扶码')}>
              审核通过
            </Button>
          </>
        )}
        {h.status !== 'exited' && (
          <Button kind='plain' id='hh-edit' onClick={() => go(`/pages/aid/household-form?id=${id}`)}>编辑档案</Button>
        )}
        {h.status === 'active' && (
          <>
            <Button kind='plain' id='hh-review' disabled={busy} onClick={() => void act('年度复核', '确认已完成本年度复核？', () => reviewHousehold(id), '已复核')}>年度复核</Button>
            <Button kind='plain' id='hh-card' onClick={() => go(`/pages/aid/card?id=${id}`)}>明白卡打印</Button>
            <Button kind='plain' id='hh-reissue' disabled={busy} onClick={() => void act('补发帮扶码', '补发后旧明白卡立即失效，确认补发？', () => reissueHouseholdCode(id), '已补发新帮扶码，请打印新明白卡')}>补发帮扶码</Button>
            <Button kind='plain' id='hh-one-off' onClick={() => setOneOff({ ...oneOff, open: !oneOff.open })}>一次性救助</Button>
            {oneOff.open && (
              <View className='aid-subform'>
                <Field id='hh-one-off-type' label='救助类别' required>
                  <Chips idPrefix='hh-one-off-type' options={ONE_OFF_AID_TYPES} labels={AID_TYPE_LABELS} value={oneOff.type} onChange={(t) => setOneOff({ ...oneOff, type: t })} />
                </Field>
                <Field
                  id='hh-one-off-amount'
                  label='金额（元）'
                  required
                  keyboard='digit'
                  value={oneOff.amount}
                  error={oneOff.error}
                  errorId='err-one-off'
                  onInput={(v) => setOneOff({ ...oneOff, amount: v })}
                />
                <Button size='small' id='hh-one-off-submit' onClick={submitOneOff}>提交审批</Button>
              </View>
            )}
          </>
        )}
        {h.status !== 'exited' && (
          <Button kind='danger' id='hh-exit' onClick={() => setExiting(!exiting)}>解困脱困</Button>
        )}
        {exiting && (
          <View className='aid-subform'>
            <Field
              id='hh-exit-reason'
              label='解困原因'
              required
              hint='如：再就业、收入稳定'
              value={reason}
              error={reasonError}
              errorId='err-exit-reason'
              onInput={setReason}
            />
            <Button size='small' id='hh-exit-submit' onClick={submitExit}>确认解困</Button>
          </View>
        )}
      </View>

      <View className='card'>
        <Text className='card-title'>发放记录</Text>
        {payouts.length === 0 ? <View>还没有发放记录。发放批次审批后会显示在这里。</View> : payouts.map((p) => (
          <View className='aid-payout' key={p.id}>
            <View className='row'>
              <Text><DateText mode='month' value={p.period} /> {AID_TYPE_LABELS[p.aidType]}</Text>
              <Money className='row-value' fen={p.amountFen} />
            </View>
            <StatusTag text={PAYOUT_STATUS_LABELS[p.status]} tone={PAYOUT_TONE[p.status]} />
          </View>
        ))}
      </View>
    </Page>
  );
}
