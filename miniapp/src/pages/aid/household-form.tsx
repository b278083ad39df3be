import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import {
  formatFen,
  EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, HARDSHIP_CAUSE_LABELS, HARDSHIP_CAUSES, HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS, NEED_TAG_LABELS,
  NEED_TAGS, perCapitaIncomeFen, validateIdNumber, validateMobile, validatePersonName, type CreateHouseholdRequest, type EmploymentStatus,
  type HardshipCause, type HardshipLevel, type NeedTag,
} from '@union/shared';
import { createHousehold, getHousehold, updateHousehold } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { ErrorState, Field, Loading, OrgChips, Page, StepForm, StepGroup, Tap, type FormStep } from '../../components';
import { submitFailure, useDraft } from '../../drafts';
import { hasRole, useSession } from '../../session';
import { Chips, parseYuan, yuan } from './ui';

interface Form {
  headName: string; idNumber: string; mobile: string; memberNo: string; province: string; city: string; district: string; street: string;
  addressDetail: string; householdSize: string; income: string; level: HardshipLevel; causes: HardshipCause[]; employmentStatus: EmploymentStatus;
  needs: NeedTag[]; needsNote: string; orgCode: string;
}
const EMPTY: Form = {
  headName: '', idNumber: '', mobile: '', memberNo: '', province: '', city: '', district: '', street: '', addressDetail: '', householdSize: '',
  income: '', level: 'relative', causes: [], employmentStatus: 'flexible', needs: [], needsNote: '', orgCode: '',
};
const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

type Errors = Record<string, string | null>;
/** The error keys (API field names) each step shows, so a refusal from the server opens the step of its field. */
const STEP_FIELDS = [
  ['headName', 'idNumber', 'mobile', 'memberNo', 'orgCode'], ['province', 'city', 'district', 'street', 'addressDetail'],
  ['householdSize', 'monthlyIncomeFen', 'level', 'causes', 'employmentStatus'], ['needs', 'needsNote'],
];

/**
 * 建档 / 编辑: the household file form in four short steps (户主, 住址, 家庭情况, 帮扶需求), checked with the same
 * validators as the API. A new file is kept as a draft on the device (useDraft, per staff user) with its submit's
 * idempotency key, so a retried 提交建档 never makes a second file; editing an existing file keeps no draft (the
 * file is on the server).
 */
export default function HouseholdFormPage() {
  const id = Number(useRouter().params.id ?? 0);
  const editing = id > 0;
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const draft = useDraft<Form>('household-new', EMPTY, editing || !isStaff ? null : user?.id);
  const form = draft.value;
  const [loaded, setLoaded] = useState(!editing);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    if (!editing || !isStaff) return;
    getHousehold(id).then((h) => {
      draft.set({
        ...EMPTY, headName: h.headName, memberNo: h.memberNo ?? '', province: h.province, city: h.city, district: h.district, street: h.street,
        addressDetail: h.addressDetail ?? '', householdSize: String(h.householdSize), income: formatFen(h.monthlyIncomeFen), level: h.level,
        causes: h.causes, employmentStatus: h.employmentStatus, needs: h.needs, needsNote: h.needsNote ?? '', orgCode: h.org.code,
      });
      setLoaded(true);
    }, (e) => setLoadError(errorMessage(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing, id, isStaff]);

  const title = editing ? '编辑档案' : '困难职工建档';
  if (!isStaff) return <Page title={title}><ErrorState message='仅工会工作人员可建档' /></Page>;
  if (loadError) return <Page title={title}><ErrorState message={loadError} /></Page>;
  if (!loaded) return <Page title={title}><Loading /></Page>;

  const set = <K extends keyof Form>(k: K, v: Form[K], errKey: string = k) => {
    draft.set({ [k]: v } as Partial<Form>);
    setErrors((e) => ({ ...e, [errKey]: null }));
  };
  const incomeFen = parseYuan(form.income);
  const size = Number(form.householdSize);
  const check = (e: Errors) => {
    setErrors((prev) => ({ ...prev, ...e }));
    return !Object.values(e).some(Boolean);
  };

  const submit = async () => {
    const body: CreateHouseholdRequest = {
      headName: form.headName.trim(), idNumber: form.idNumber.trim().toUpperCase(), mobile: form.mobile.trim(), province: form.province.trim(),
      city: form.city.trim(), district: form.district.trim(), street: form.street.trim(), householdSize: size, monthlyIncomeFen: incomeFen!,
      level: form.level, causes: form.causes, employmentStatus: form.employmentStatus, needs: form.needs,
      ...(form.memberNo.trim() ? { memberNo: form.memberNo.trim() } : {}), ...(form.addressDetail.trim() ? { addressDetail: form.addressDetail.trim() } : {}),
      ...(form.needsNote.trim() ? { needsNote: form.needsNote.trim() } : {}), ...(form.orgCode ? { orgCode: form.orgCode } : {}),
    };
    const { confirm } = await Taro.showModal({ title: editing ? '保存档案' : '提交建档', content: editing ? '确认保存修改？' : '提交后须由另一名工作人员审核。' });
    if (!confirm) return;
    setBusy(editing ? '正在保存…' : '正在提交…');
    setBanner(null);
    try {
      const saved = editing
        ? await updateHousehold(id, { ...body, ...(form.idNumber ? {} : { idNumber: undefined }), ...(form.mobile ? {} : { mobile: undefined }) })
        : await createHousehold(body, draft.idempotencyKey);
      draft.clear(); // saved: the draft leaves the device
      void Taro.redirectTo({ url: `/pages/aid/household?id=${saved.id}` });
    } catch (err) {
      const f = submitFailure(err, STEP_FIELDS, { action: editing ? '保存' : '提交建档', record: '档案', where: '困难职工档案列表' });
      if (f.fieldErrors) setErrors(f.fieldErrors);
      if (f.step !== null) draft.setStep(f.step);
      setBanner(editing && !f.fieldErrors ? errorMessage(err) : f.message);
    } finally {
      setBusy(null);
    }
  };

  const field = (k: keyof Form, label: string, opts: { required?: boolean; hint?: string; keyboard?: 'number' | 'digit' | 'idcard' | 'tel'; maxlength?: number; multiline?: boolean } = {}, errKey: string = k) => (
    <Field id={`hf-${k}`} label={label} errorId={`err-${errKey}`} error={errors[errKey]} value={form[k] as string} onInput={(v) => set(k, v as never, errKey)} {...opts} />
  );

  const steps: FormStep[] = [
    {
      title: '户主',
      validate: () => check({
        headName: validatePersonName(form.headName.trim()),
        idNumber: !editing || form.idNumber ? validateIdNumber(form.idNumber.trim().toUpperCase()) : null,
        mobile: !editing || form.mobile ? validateMobile(form.mobile.trim()) : null,
      }),
      content: (
        <View>
          {field('headName', '户主姓名', { required: true })}
          {field('idNumber', editing ? '身份证号（不修改请留空）' : '身份证号', { required: !editing, keyboard: 'idcard', maxlength: 18 })}
          {field('mobile', editing ? '手机号（不修改请留空）' : '手机号', { required: !editing, keyboard: 'tel', maxlength: 11 })}
          {field('memberNo', '会员编号')}
          <StepGroup id='hf-org' label='所属工会' errorKey='orgCode' error={errors.orgCode}>
            <OrgChips idPrefix='hf-org' label='所属工会' value={form.orgCode} onChange={(code) => set('orgCode', code)}
              before={<Tap id='hf-org-own' testId='hf-org-own' role='radio' checked={!form.orgCode} className={`chip ${form.orgCode ? '' : 'chip-on'}`} onClick={() => set('orgCode', '')}>本级工会</Tap>} />
          </StepGroup>
        </View>
      ),
    },
    {
      title: '住址',
      validate: () => check({
        province: form.province.trim() ? null : '请填写省份', city: form.city.trim() ? null : '请填写城市',
        district: form.district.trim() ? null : '请填写区县', street: form.street.trim() ? null : '请填写街道',
      }),
      content: (
        <View>
          {field('province', '省', { required: true })}
          {field('city', '市', { required: true })}
          {field('district', '区县', { required: true })}
          {field('street', '街道', { required: true })}
          {field('addressDetail', '详细地址')}
        </View>
      ),
    },
    {
      title: '家庭情况',
      validate: () => check({
        householdSize: Number.isInteger(size) && size >= 1 && size <= 20 ? null : '家庭人口应为1至20的整数',
        monthlyIncomeFen: incomeFen === null ? '请填写家庭月收入（元），如 1500' : null,
        causes: form.causes.length ? null : '请至少选择一项致困原因',
      }),
      content: (
        <View>
          {field('householdSize', '家庭人口', { required: true, keyboard: 'number' })}
          {field('income', '家庭月收入（元）', { required: true, keyboard: 'digit', hint: '全家每月收入合计，单位元' }, 'monthlyIncomeFen')}
          {incomeFen !== null && size >= 1 && <View className='muted' id='hf-per-capita'>人均月收入 {yuan(perCapitaIncomeFen(incomeFen, size))}</View>}
          <StepGroup id='hf-level-group' label='困难类别' required errorKey='level' error={errors.level}>
            <Chips idPrefix='hf-level' options={HARDSHIP_LEVELS} labels={HARDSHIP_LEVEL_LABELS} value={form.level} onChange={(v) => set('level', v)} />
          </StepGroup>
          <StepGroup id='hf-causes' label='致困原因（可多选）' required errorKey='causes' error={errors.causes}>
            <Chips idPrefix='hf-cause' options={HARDSHIP_CAUSES} labels={HARDSHIP_CAUSE_LABELS} value={form.causes} onChange={(v) => set('causes', toggle(form.causes, v))} />
          </StepGroup>
          <StepGroup id='hf-employment-group' label='就业状况' required errorKey='employmentStatus' error={errors.employmentStatus}>
            <Chips idPrefix='hf-employment' options={EMPLOYMENT_STATUSES} labels={EMPLOYMENT_STATUS_LABELS} value={form.employmentStatus} onChange={(v) => set('employmentStatus', v)} />
          </StepGroup>
        </View>
      ),
    },
    {
      title: '帮扶需求',
      content: (
        <View>
          <StepGroup id='hf-needs' label='帮扶需求（选填，可多选）' errorKey='needs' error={errors.needs}>
            <Chips idPrefix='hf-need' options={NEED_TAGS} labels={NEED_TAG_LABELS} value={form.needs} onChange={(v) => set('needs', toggle(form.needs, v))} />
          </StepGroup>
          {field('needsNote', '需求说明', { multiline: true, maxlength: 500 })}
        </View>
      ),
    },
  ];

  return (
    <Page title={title}>
      {!editing && (
        <View className='muted' style={{ marginBottom: '16px' }} id='hf-draft-note'>
          {draft.restored ? '已恢复上次未提交的内容。' : ''}填写的内容会自动保存在本机，提交成功后自动删除。
        </View>
      )}
      <StepForm id='hf' steps={steps} step={draft.step} onStep={draft.setStep} onSubmit={() => void submit()} submitLabel={editing ? '保存' : '提交建档'}
        busy={busy} banner={banner} />
    </Page>
  );
}
