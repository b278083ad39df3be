import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  formatFen,
  AID_HELP_KIND_LABELS, AID_TYPE_LABELS, EMPLOYMENT_STATUS_LABELS, HARDSHIP_CAUSE_LABELS, HARDSHIP_CAUSES, HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS,
  MAX_APPLICATION_DOCUMENTS, NEED_TAG_LABELS, ONE_OFF_AID_TYPES, ageLabel, shanghaiDate, type AidApplicationStaffView,
  type AidType, type HardshipCause, type HardshipLevel,
} from '@union/shared';
import {
  acceptAidApplication, confirmAidApplication, decideAidApplication, getAidApplication, recordAidVisit, requestAidInfo, scheduleAidVisit,
  uploadAidDocument,
} from '../../api/aid-applications';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, Button, DateText, ErrorState, Field, FieldError, Loading, Money, Page, StatusTag as KitStatusTag, Tap, type FieldKeyboard } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { pickDocuments } from '../../platform/files';
import { hasRole, useSession } from '../../session';
import { DocumentList, StatusTag, Timeline } from './application-ui';
import { Chips, Row, go, parseYuan, yuan } from './ui';

const DATE = /^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
type Panel = 'info' | 'schedule' | 'visit' | 'decision' | null;

/** 申请详情 (staff): the application, its documents, the visit record and the decision, with the handler's actions and the second staff member's confirmation. */
export default function AidApplicationPage() {
  const id = Number(useRouter().params.id);
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [app, setApp] = useState<AidApplicationStaffView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [question, setQuestion] = useState('');
  const [schedule, setSchedule] = useState(shanghaiDate(new Date()));
  const [visit, setVisit] = useState({ visitDate: shanghaiDate(new Date()), visitors: '', findings: '', size: '', income: '' });
  const [decision, setDecision] = useState<{ kind: 'approve' | 'reject'; level: HardshipLevel; causes: HardshipCause[]; income: string; payout: boolean; aidType: AidType; amount: string; reason: string; merge: boolean }>({
    kind: 'approve', level: 'relative', causes: [], income: '', payout: false, aidType: 'medical', amount: '', reason: '', merge: false,
  });

  const load = useCallback(async () => {
    setError(null);
    try {
      const a = await getAidApplication(id);
      if (!('visit' in a)) throw new Error('仅受理工会的工作人员可查看申请详情');
      setApp(a);
      setVisit((v) => ({ ...v, size: v.size || String(a.visit.verifiedHouseholdSize ?? a.householdSize), income: v.income || formatFen(a.visit.verifiedMonthlyIncomeFen ?? a.monthlyIncomeFen) }));
      setDecision((d) => ({
        ...d, causes: d.causes.length ? d.causes : a.causes, income: d.income || formatFen(a.visit.verifiedMonthlyIncomeFen ?? a.monthlyIncomeFen),
        payout: d.payout || a.helpKinds.some((k) => k === 'medical' || k === 'education' || k === 'emergency'),
        aidType: a.helpKinds.includes('education') && !a.helpKinds.includes('medical') ? 'education' : d.aidType,
      }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useLoadOnShow(() => void load(), isStaff && id > 0);

  const run = async (title: string, content: string, work: () => Promise<AidApplicationStaffView>, done: string) => {
    const { confirm } = await Taro.showModal({ title, content });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    try {
      setApp(await work());
      setPanel(null);
      setBanner({ kind: 'success', text: done });
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) setErrors(Object.fromEntries(e.fieldErrors.map((f) => [f.field, f.message])));
      setBanner({ kind: 'error', text: errorMessage(e) });
      // someone changed the application meanwhile: show what it is now, so the next decision is about that
      if (e instanceof ApiError && (e.code === 'APPROVAL_STALE' || e.code === 'APPLICATION_STATE')) void load();
    } finally {
      setBusy(false);
    }
  };

  if (!isStaff) return <Page title='申请详情'><ErrorState message='仅工会工作人员可查看申请详情' /></Page>;
  if (error) return <Page title='申请详情'><ErrorState message={error} onRetry={() => void load()} /></Page>;
  if (!app) return <Page title='申请详情'><Loading /></Page>;

  const handler = app.handlerId === user?.id;
  const working = ['accepted', 'visiting'].includes(app.status);
  const canDecide = handler && !!app.visit.recordedAt && ['accepted', 'visiting', 'proposed'].includes(app.status);
  const visitPhotos = app.documents.filter((d) => d.kind === 'visit').length;

  const submitInfo = () => {
    if (!question.trim()) return setErrors({ question: '请填写需要补充的内容' });
    void run('要求补充材料', '申请人将在「我的申请」中看到您的问题。', () => requestAidInfo(id, question.trim()), '已通知申请人补充材料');
  };
  const submitSchedule = () => {
    if (!DATE.test(schedule)) return setErrors({ date: '日期格式应为YYYY-MM-DD' });
    void run('安排入户核实', `入户核实日期 ${schedule}，申请人可看到该日期。`, () => scheduleAidVisit(id, { date: schedule }), '已安排入户核实');
  };
  const submitVisit = () => {
    const size = Number(visit.size);
    const fen = parseYuan(visit.income);
    const e = {
      visitDate: DATE.test(visit.visitDate) ? null : '日期格式应为YYYY-MM-DD', visitors: visit.visitors.trim() ? null : '请填写入户人员',
      findings: visit.findings.trim() ? null : '请填写核实情况', verifiedHouseholdSize: Number.isInteger(size) && size >= 1 && size <= 20 ? null : '家庭人口应为1至20的整数',
      verifiedMonthlyIncomeFen: fen === null ? '请填写核实的家庭月收入（元）' : null,
    };
    setErrors(e);
    if (Object.values(e).some(Boolean)) return;
    void run('记录入户核实', '确认保存入户核实记录？', () => recordAidVisit(id, {
      visitDate: visit.visitDate, visitors: visit.visitors.trim(), findings: visit.findings.trim(), verifiedHouseholdSize: size, verifiedMonthlyIncomeFen: fen!,
    }), '已记录入户核实');
  };
  const submitDecision = () => {
    if (decision.kind === 'reject') {
      if (!decision.reason.trim()) return setErrors({ reason: '请填写不予批准的原因' });
      void run('不予批准', '申请人将看到该原因，确认不予批准？', () => decideAidApplication(id, { decision: 'reject', reason: decision.reason.trim() }), '已作出不予批准的决定');
      return;
    }
    const income = parseYuan(decision.income);
    const amount = decision.payout ? parseYuan(decision.amount) : null;
    const match = app!.householdMatch;
    const e = {
      causes: decision.causes.length ? null : '请至少选择一项致困原因', monthlyIncomeFen: income === null ? '请填写家庭月收入（元）' : null,
      'payout.amountFen': decision.payout && !amount ? '请填写救助金额（元）' : null,
      mergeIntoHousehold: match && !decision.merge ? '该申请匹配到已有困难职工档案：请勾选并入该档案，或选择不予批准' : null,
    };
    setErrors(e);
    if (Object.values(e).some(Boolean)) return;
    const payoutText = decision.payout ? `，一次性${AID_TYPE_LABELS[decision.aidType]} ${yuan(amount!)}` : '';
    const mergeText = match ? `并入${match.org.name}的已有困难职工档案，` : '';
    void run('提交审批意见', `拟批准：${mergeText}${HARDSHIP_LEVEL_LABELS[decision.level]}${payoutText}。须由另一名工作人员复核确认。`, () => decideAidApplication(id, {
      decision: 'approve', level: decision.level, causes: decision.causes, monthlyIncomeFen: income!,
      ...(decision.payout ? { payout: { aidType: decision.aidType, amountFen: amount! } } : {}),
      ...(match ? { mergeIntoHousehold: true } : {}),
    }), '已提交审批意见，等待复核');
  };
  const addPhotos = async () => {
    const picked = await pickDocuments(MAX_APPLICATION_DOCUMENTS - visitPhotos);
    if (!picked.length) return;
    setBusy(true);
    const failed: string[] = [];
    for (const f of picked) {
      try {
        await uploadAidDocument(id, f.path, f.name);
      } catch (e) {
        failed.push(`${f.name}：${errorMessage(e)}`);
      }
    }
    setBusy(false);
    setBanner(failed.length ? { kind: 'error', text: failed.join('；') } : { kind: 'success', text: `已上传${picked.length}张核实照片` });
    void load();
  };

  /** A required field of a panel: its error comes from `errors[key]` (also the server's field errors). */
  const input = (key: string, label: string, value: string, onChange: (v: string) => void, props: { hint?: string; keyboard?: FieldKeyboard; multiline?: boolean; maxlength?: number } = {}) => (
    <Field
      id={`app-${key.replace(/\./g, '-')}`}
      label={label}
      required
      value={value}
      error={errors[key]}
      errorId={`err-${key.replace(/\./g, '-')}`}
      onInput={(v) => { onChange(v); setErrors({ ...errors, [key]: null }); }}
      {...props}
    />
  );

  return (
    <Page title='申请详情'>
      <View className='row'>
        <Text className='page-title' id='app-name'>{app.name}</Text>
        <View className='aid-inline'>
          {app.overdue && <KitStatusTag id='app-overdue' text='超时' tone='danger' />}
          <StatusTag status={app.status} id='app-status' />
        </View>
      </View>
      {banner && <Banner id='app-banner' kind={banner.kind} message={banner.text} />}

      <View className='card'>
        <Row label='身份证号' value={app.idNumberMasked} />
        <Row label='手机号' value={app.mobileMasked} />
        <Row label='工作单位' value={app.employer} />
        <Row label='就业状况' value={EMPLOYMENT_STATUS_LABELS[app.employmentStatus]} />
        <Row label='地址' value={`${app.province}${app.city}${app.district}${app.street}${app.addressDetail ?? ''}`} />
        <Row label='受理工会' value={app.org.name} />
        <Row label='提交时间' value={<><DateText value={app.submittedAt} />（{ageLabel(app.ageHours)}前）</>} />
        {app.linkedToHousehold && <Row label='困难职工档案' value={app.status === 'approved' ? '已并入已有档案' : '拟并入已有档案（待复核）'} />}
      </View>

      {app.householdMatch && (
        <View className='card app-match' id='app-household-match'>
          <Text className='card-title'>匹配到已有困难职工档案</Text>
          <View>申请人的身份证号与{app.householdMatch.org.name}的一份在档困难职工档案相同。申请人并不知道这一匹配；请核实是否为本人申请，然后选择「并入该档案」或「不予批准」。未经选择，档案不会被改动。</View>
          {app.householdMatch.householdId ? (
            <Tap className='link' role='link' id='app-match-open' onClick={() => go(`/pages/aid/household?id=${app.householdMatch!.householdId}`)}>查看该档案</Tap>
          ) : (
            <View className='aid-note' id='app-match-out-of-scope'>该档案不在您的管辖范围内，只能由建档工会并入；您可以不予批准并告知申请人向建档工会申请。</View>
          )}
        </View>
      )}
      {app.sameIdOpenApplications > 0 && (
        <Banner id='app-same-id' kind='info' message={`另有${app.sameIdOpenApplications}份由其他账号使用同一身份证号提交的申请正在办理，请注意核实申请人身份。`} />
      )}

      <View className='card'>
        <Text className='card-title'>家庭情况</Text>
        <Row label='家庭人口' value={`${app.householdSize}人（患病${app.illMembers}人，残疾${app.disabledMembers}人）`} />
        <Row label='家庭月收入' value={<Money fen={app.monthlyIncomeFen} />} />
        <Row label='致困原因' value={app.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')} />
        <Row label='申请帮扶' value={app.helpKinds.map((k) => AID_HELP_KIND_LABELS[k]).join('、')} />
        {app.needs.length > 0 && <Row label='其他需求' value={app.needs.map((n) => NEED_TAG_LABELS[n]).join('、')} />}
        <Text className='field-label app-section'>困难情况说明</Text>
        <View id='app-account' className='app-account'>{app.account}</View>
      </View>

      <View className='card'>
        <Text className='card-title'>材料</Text>
        <DocumentList documents={app.documents} idPrefix='app' />
        {handler && ['accepted', 'visiting', 'info_requested'].includes(app.status) && visitPhotos < MAX_APPLICATION_DOCUMENTS && (
          <Button kind='plain' size='small' className='app-gap' id='app-add-photo' disabled={busy} onClick={() => void addPhotos()}>上传核实照片</Button>
        )}
      </View>

      <View className='card' id='app-visit'>
        <Text className='card-title'>入户核实</Text>
        {app.visit.scheduledDate && <Row label='安排日期' value={<DateText mode='date' value={app.visit.scheduledDate} />} />}
        {app.visit.recordedAt ? (
          <View>
            <Row label='核实日期' value={app.visit.visitDate ? <DateText mode='date' value={app.visit.visitDate} /> : ''} />
            <Row label='入户人员' value={app.visit.visitors ?? ''} />
            <Row label='核实人口' value={`${app.visit.verifiedHouseholdSize}人`} />
            <Row label='核实月收入' value={<Money fen={app.visit.verifiedMonthlyIncomeFen ?? 0} />} />
            <View className='app-step-note' id='app-visit-findings'>{app.visit.findings}</View>
          </View>
        ) : <View>还没有记录。经办人入户后在下方“记录入户核实”。</View>}
      </View>

      {app.decision && (
        <View className='card' id='app-decision'>
          <Text className='card-title'>审批意见</Text>
          {app.decision.decision === 'approve' ? (
            <View>
              <Row label='拟认定' value={app.decision.level ? HARDSHIP_LEVEL_LABELS[app.decision.level] : '—'} />
              <Row label='致困原因' value={app.decision.causes.map((c) => HARDSHIP_CAUSE_LABELS[c]).join('、')} />
              <Row label='家庭月收入' value={<Money fen={app.decision.monthlyIncomeFen ?? 0} />} />
              {app.decision.payout && <Row label='一次性救助' value={<>{AID_TYPE_LABELS[app.decision.payout.aidType]} <Money fen={app.decision.payout.amountFen} /></>} />}
              <Row label='提出时间' value={<DateText value={app.decision.proposedAt} />} />
              {app.decision.confirmedAt && <Row label='复核确认' value={<DateText value={app.decision.confirmedAt} />} />}
            </View>
          ) : <Row label='不予批准' value={app.decision.reason ?? ''} />}
          {app.status === 'approved' && app.householdId && (
            <View className='btn-row'>
              <Button kind='plain' size='small' id='app-open-household' onClick={() => go(`/pages/aid/household?id=${app.householdId}`)}>困难职工档案</Button>
              {app.payoutBatchId && <Button kind='plain' size='small' id='app-open-batch' onClick={() => go(`/pages/aid/batch?id=${app.payoutBatchId}`)}>救助发放审批</Button>}
            </View>
          )}
        </View>
      )}

      <View className='card'>
        <Text className='card-title'>办理</Text>
        {app.status === 'submitted' && (
          <Button id='app-accept' disabled={busy} onClick={() => void run('受理申请', '受理后您将成为经办人。', () => acceptAidApplication(id), '已受理')}>受理</Button>
        )}
        {app.status !== 'submitted' && !handler && app.status !== 'proposed' && !['approved', 'rejected', 'withdrawn'].includes(app.status) && (
          <View className='muted'>该申请由其他工作人员经办。</View>
        )}
        {app.status === 'info_requested' && <View className='muted'>已要求补充材料：{app.question}（等待申请人答复）</View>}
        {handler && working && (
          <View className='btn-row'>
            <Button kind='plain' size='small' id='app-panel-info' onClick={() => setPanel(panel === 'info' ? null : 'info')}>要求补充材料</Button>
            <Button kind='plain' size='small' id='app-panel-schedule' onClick={() => setPanel(panel === 'schedule' ? null : 'schedule')}>安排入户</Button>
            <Button kind='plain' size='small' id='app-panel-visit' onClick={() => setPanel(panel === 'visit' ? null : 'visit')}>记录入户核实</Button>
          </View>
        )}
        {canDecide && (
          <Button id='app-panel-decision' onClick={() => setPanel(panel === 'decision' ? null : 'decision')}>{app.status === 'proposed' ? '修改审批意见' : '审批意见'}</Button>
        )}
        {handler && working && !app.visit.recordedAt && <View className='aid-note'>记录入户核实后才能提出审批意见。</View>}

        {panel === 'info' && (
          <View className='app-section'>
            {input('question', '需要补充的内容', question, setQuestion, { hint: '需要申请人补充的材料或说明，申请人会在“我的申请”中看到', multiline: true, maxlength: 500 })}
            <Button size='small' id='app-info-submit' onClick={submitInfo}>发送</Button>
          </View>
        )}
        {panel === 'schedule' && (
          <View className='app-section'>
            {input('date', '入户日期', schedule, setSchedule, { hint: '如 2026-11-20' })}
            <Button size='small' id='app-schedule-submit' onClick={submitSchedule}>保存</Button>
          </View>
        )}
        {panel === 'visit' && (
          <View className='app-section'>
            {input('visitDate', '核实日期', visit.visitDate, (v) => setVisit({ ...visit, visitDate: v }), { hint: '如 2026-11-20' })}
            {input('visitors', '入户人员', visit.visitors, (v) => setVisit({ ...visit, visitors: v }), { hint: '如 张三、李四' })}
            {input('verifiedHouseholdSize', '核实家庭人口', visit.size, (v) => setVisit({ ...visit, size: v }), { keyboard: 'number' })}
            {input('verifiedMonthlyIncomeFen', '核实家庭月收入（元）', visit.income, (v) => setVisit({ ...visit, income: v }), { keyboard: 'digit' })}
            {input('findings', '核实情况', visit.findings, (v) => setVisit({ ...visit, findings: v }), { hint: '住房、就医、收入、邻里及单位走访情况', multiline: true, maxlength: 2000 })}
            <Button size='small' id='app-visit-submit' onClick={submitVisit}>保存核实记录</Button>
          </View>
        )}
        {panel === 'decision' && (
          <View className='app-section'>
            <Field id='app-decision-kind' label='审批结果' required>
              <Chips idPrefix='app-decision-kind' options={['approve', 'reject'] as const} labels={{ approve: '批准', reject: '不予批准' }} value={decision.kind} onChange={(v) => setDecision({ ...decision, kind: v })} />
            </Field>
            {decision.kind === 'approve' ? (
              <View className='app-section'>
                <Field id='app-level' label='困难类别' required>
                  <Chips idPrefix='app-level' options={HARDSHIP_LEVELS} labels={HARDSHIP_LEVEL_LABELS} value={decision.level} onChange={(v) => setDecision({ ...decision, level: v })} />
                </Field>
                <Field id='app-cause' label='致困原因' required hint='可多选' error={errors.causes} errorId='err-causes'>
                  <Chips idPrefix='app-cause' options={HARDSHIP_CAUSES} labels={HARDSHIP_CAUSE_LABELS} value={decision.causes} onChange={(v) => setDecision({ ...decision, causes: toggle(decision.causes, v) })} />
                </Field>
                {input('monthlyIncomeFen', '核定家庭月收入（元）', decision.income, (v) => setDecision({ ...decision, income: v }), { keyboard: 'digit' })}
                <Tap id='app-payout-toggle' role='checkbox' checked={decision.payout} className={`checkbox ${decision.payout ? 'checkbox-on' : ''}`} onClick={() => setDecision({ ...decision, payout: !decision.payout })}>
                  <View className='checkbox-box' aria-hidden='true'>{decision.payout ? '✓' : ''}</View>
                  <Text>同时发放一次性救助</Text>
                </Tap>
                {decision.payout && (
                  <View className='app-gap'>
                    <Field id='app-payout-type' label='救助类别' required>
                      <Chips idPrefix='app-payout-type' options={ONE_OFF_AID_TYPES} labels={AID_TYPE_LABELS} value={decision.aidType} onChange={(v) => setDecision({ ...decision, aidType: v })} />
                    </Field>
                    {input('payout.amountFen', '救助金额（元）', decision.amount, (v) => setDecision({ ...decision, amount: v }), { keyboard: 'digit' })}
                  </View>
                )}
                {app.householdMatch && (
                  <View className='app-gap'>
                    <Tap id='app-merge-toggle' role='checkbox' checked={decision.merge} className={`checkbox ${decision.merge ? 'checkbox-on' : ''}`} onClick={() => { setDecision({ ...decision, merge: !decision.merge }); setErrors({ ...errors, mergeIntoHousehold: null }); }}>
                      <View className='checkbox-box' aria-hidden='true'>{decision.merge ? '✓' : ''}</View>
                      <Text>并入该困难职工档案（{app.householdMatch.org.name}），以核实结果更新档案</Text>
                    </Tap>
                    <FieldError id='err-mergeIntoHousehold' message={errors.mergeIntoHousehold} />
                  </View>
                )}
              </View>
            ) : (
              <View className='app-section'>
                {input('reason', '不予批准的原因', decision.reason, (v) => setDecision({ ...decision, reason: v }), { hint: '申请人会看到这个原因' })}
              </View>
            )}
            <Button id='app-decision-submit' disabled={busy} onClick={submitDecision}>提交</Button>
          </View>
        )}

        {app.status === 'proposed' && (
          app.decision?.proposedById === user?.id ? (
            <View className='aid-note' id='app-four-eyes'>审批意见须由另一名工作人员复核确认（四眼原则）。</View>
          ) : (
            <Button id='app-confirm' disabled={busy} onClick={() => void run('复核确认', app.linkedToHousehold ? '经办人选择将本申请并入已有困难职工档案：确认后将以核实结果更新该档案并生成救助发放。' : '确认后将建立困难职工档案（由经办人登记、您审核）并生成救助发放。', () => confirmAidApplication(id, app.decision!.proposedAt), '已复核确认，档案与救助发放已生成')}>
              复核确认
            </Button>
          )
        )}
        {['approved', 'rejected'].includes(app.status) && <View className='muted'>已办结</View>}
        {app.status === 'withdrawn' && <View className='muted' id='app-withdrawn'>申请人已撤回申请，材料已删除。</View>}
      </View>

      <View className='card'>
        <Text className='card-title'>办理进度</Text>
        <Timeline events={app.events} idPrefix='app' />
      </View>
    </Page>
  );
}
