import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  AID_HELP_KIND_LABELS, AID_HELP_KINDS, APPLICATION_ACCOUNT_MAX, EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, HARDSHIP_CAUSE_LABELS,
  HARDSHIP_CAUSES, MAX_APPLICATION_DOCUMENT_BYTES, MAX_APPLICATION_DOCUMENTS, NEED_TAG_LABELS, validateHouseholdMembers, validateIdNumber,
  validateMobile, validatePersonName, type AidHelpKind, type CreateAidApplicationRequest, type EmploymentStatus,
  type HardshipCause, type NeedTag,
} from '@union/shared';
import { createAidApplication, uploadAidDocument } from '../../api/aid-applications';
import { requestSubscribe } from '../../platform/subscribe';
import { errorMessage } from '../../api/client';
import { Button, Field, LoginPanel, OrgPicker, Page, StepForm, StepGroup, type FormStep } from '../../components';
import { submitFailure, useDraft } from '../../drafts';
import { pickDocuments, type PickedDocument } from '../../platform/files';
import { useSession } from '../../session';
import { Chips, parseYuan } from './ui';
import './applications.css';

const APPLY_NEEDS: NeedTag[] = ['training', 'job', 'counselling'];

/** The form as typed (strings for numbers, 元 for money); this is also what the draft keeps on the device. */
interface Form {
  org: { code: string; name: string } | null;
  name: string; idNumber: string; mobile: string; employer: string;
  province: string; city: string; district: string; street: string; addressDetail: string;
  employmentStatus: EmploymentStatus; householdSize: string; income: string; illMembers: string; disabledMembers: string;
  causes: HardshipCause[]; helpKinds: AidHelpKind[]; needs: NeedTag[]; account: string; consent: boolean;
}
const EMPTY: Form = {
  org: null, name: '', idNumber: '', mobile: '', employer: '', province: '', city: '', district: '', street: '', addressDetail: '',
  employmentStatus: 'flexible', householdSize: '', income: '', illMembers: '0', disabledMembers: '0', causes: [], helpKinds: [], needs: [],
  account: '', consent: false,
};
const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
type Errors = Record<string, string | null>;
/** The error keys (API field names) each step shows, so a refusal from the server opens the step of its field. */
const STEP_FIELDS = [
  ['orgCode'], ['name', 'idNumber', 'mobile', 'employer', 'employmentStatus'], ['province', 'city', 'district', 'street', 'addressDetail'],
  ['householdSize', 'monthlyIncomeFen', 'illMembers', 'disabledMembers', 'causes'], ['helpKinds', 'needs', 'account', 'consent'],
];

const PRIVACY = '为办理帮扶申请，工会将收集您的姓名、身份证号、手机号、家庭收入、健康状况等敏感个人信息及上传的证明材料，仅用于困难认定、入户核实和帮扶发放；身份证号和手机号加密保存，仅受理工会的工作人员可查看，每次查看均有记录。批准后将在所属工会公示姓名（隐去名字）、致困原因和帮扶类别。';

/**
 * 申请帮扶: the worker's application in five short steps (受理工会, 申请人, 家庭住址, 家庭情况, 帮扶与材料). Every
 * change and every step is kept as a draft on the device (useDraft, per user) with the submit's idempotency key, so
 * a reload, a lost network or a failed submit loses nothing and a retried submit never makes a second application.
 * Picked documents are not kept in the draft (files stay on the phone; they are added again after a reload).
 */
export default function AidApplyPage() {
  const { user, refresh } = useSession();
  const draft = useDraft<Form>('aid-apply', EMPTY, user?.id);
  const form = draft.value;
  const [files, setFiles] = useState<PickedDocument[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [earlier, setEarlier] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  if (!user) {
    return (
      <Page title='申请帮扶'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }

  const set = <K extends keyof Form>(k: K, v: Form[K], errKey: string = k) => {
    draft.set({ [k]: v } as Partial<Form>);
    setErrors((e) => ({ ...e, [errKey]: null }));
  };

  const addFiles = async () => {
    const picked = await pickDocuments(MAX_APPLICATION_DOCUMENTS - files.length);
    const tooBig = picked.filter((f) => f.size > MAX_APPLICATION_DOCUMENT_BYTES);
    const ok = picked.filter((f) => f.size <= MAX_APPLICATION_DOCUMENT_BYTES && /\.(jpe?g|png|pdf)$/i.test(f.name));
    setErrors((e) => ({ ...e, files: tooBig.length ? `${tooBig.map((f) => f.name).join('、')} 超过5MB，未添加` : ok.length < picked.length ? '只能上传JPG、PNG图片或PDF文件' : null }));
    setFiles([...files, ...ok].slice(0, MAX_APPLICATION_DOCUMENTS));
  };

  const size = Number(form.householdSize);
  const ill = Number(form.illMembers);
  const disabled = Number(form.disabledMembers);
  const incomeFen = parseYuan(form.income);
  const int = (n: number, min: number) => Number.isInteger(n) && n >= min && n <= 20;

  /** Checks some fields: sets their errors (clears the others of the step) and answers whether all are right. */
  const check = (e: Errors) => {
    setErrors((prev) => ({ ...prev, ...e }));
    return !Object.values(e).some(Boolean);
  };
  const checkApplicant = () => check({
    name: validatePersonName(form.name.trim()),
    idNumber: validateIdNumber(form.idNumber.trim().toUpperCase()),
    mobile: validateMobile(form.mobile.trim()),
    employer: form.employer.trim() ? null : '请填写工作单位',
  });
  const checkAddress = () => check({
    province: form.province.trim() ? null : '请填写省份', city: form.city.trim() ? null : '请填写城市',
    district: form.district.trim() ? null : '请填写区县', street: form.street.trim() ? null : '请填写街道',
  });
  const checkHousehold = () => {
    const e: Errors = {
      householdSize: int(size, 1) ? null : '家庭人口应为1至20的整数',
      monthlyIncomeFen: incomeFen === null ? '请填写家庭月收入（元），如 1500' : null,
      illMembers: int(ill, 0) ? null : '患病人数应为0至20的整数',
      disabledMembers: int(disabled, 0) ? null : '残疾人数应为0至20的整数',
      causes: form.causes.length ? null : '请至少选择一项致困原因',
    };
    if (!e.householdSize && !e.illMembers && !e.disabledMembers) {
      const m = validateHouseholdMembers(size, ill, disabled);
      if (m) e[ill > size ? 'illMembers' : 'disabledMembers'] = m;
    }
    return check(e);
  };
  const checkNeeds = () => check({
    helpKinds: form.helpKinds.length ? null : '请至少选择一项需要的帮扶',
    account: form.account.trim() ? (form.account.length > APPLICATION_ACCOUNT_MAX ? `最多${APPLICATION_ACCOUNT_MAX}字` : null) : '请说明家庭困难情况',
    consent: form.consent ? null : '请阅读并同意个人敏感信息处理规则',
  });

  const submit = async () => {
    setBanner(null);
    setEarlier(false);
    const body: CreateAidApplicationRequest = {
      orgCode: form.org!.code, name: form.name.trim(), idNumber: form.idNumber.trim().toUpperCase(), mobile: form.mobile.trim(),
      employer: form.employer.trim(), province: form.province.trim(), city: form.city.trim(), district: form.district.trim(), street: form.street.trim(),
      ...(form.addressDetail.trim() ? { addressDetail: form.addressDetail.trim() } : {}), employmentStatus: form.employmentStatus,
      householdSize: size, monthlyIncomeFen: incomeFen!, illMembers: ill, disabledMembers: disabled, causes: form.causes, helpKinds: form.helpKinds,
      needs: form.needs, account: form.account.trim(), consent: true,
    };
    const { confirm } = await Taro.showModal({ title: '提交申请', content: `提交至「${form.org!.name}」，并上传${files.length}份材料？` });
    if (!confirm) return;
    await requestSubscribe(['aid_application']); // notices of the review (more documents, visit, decision)
    setBusy('正在提交…');
    let created;
    try {
      // the draft's key: a retry after a timeout or a lost answer gets the first application back, never a second
      created = await createAidApplication(body, draft.idempotencyKey);
    } catch (err) {
      const f = submitFailure(err, STEP_FIELDS, { action: '提交申请', record: '申请', where: '「我的申请」' });
      if (f.fieldErrors) setErrors(f.fieldErrors);
      if (f.step !== null) draft.setStep(f.step);
      setEarlier(f.alreadySubmitted);
      setBanner(f.message);
      setBusy(null);
      return;
    }
    const failed: string[] = [];
    for (const [i, f] of files.entries()) {
      setBusy(`正在上传材料 ${i + 1}/${files.length}…`);
      try {
        await uploadAidDocument(created.id, f.path, f.name);
      } catch (err) {
        failed.push(`${f.name}：${errorMessage(err)}`);
      }
    }
    draft.clear(); // submitted: the draft (and its personal data) leaves the device
    setBusy(null);
    if (failed.length) {
      await Taro.showModal({ title: '申请已提交', content: `以下材料上传失败，可在「我的申请」中补传：\n${failed.join('\n')}`, showCancel: false });
    }
    void Taro.redirectTo({ url: `/pages/aid/my-applications?id=${created.id}` });
  };

  const field = (k: keyof Form, label: string, opts: { required?: boolean; hint?: string; keyboard?: 'number' | 'digit' | 'idcard' | 'tel'; maxlength?: number; placeholder?: string } = {}, errKey: string = k) => (
    <Field id={`apply-${k}`} label={label} errorId={`err-${errKey}`} error={errors[errKey]} value={form[k] as string} onInput={(v) => set(k, v as never, errKey)} {...opts} />
  );

  const orgStep = (
    <StepGroup id='apply-org' label='受理工会' required errorKey='orgCode' error={errors.orgCode}>
      <OrgPicker idPrefix='apply-org' value={form.org} onChange={(org) => set('org', org, 'orgCode')} />
    </StepGroup>
  );

  const steps: FormStep[] = [
    { title: '受理工会', content: orgStep, validate: () => check({ orgCode: form.org ? null : '请选择受理工会' }) },
    {
      title: '申请人',
      validate: checkApplicant,
      content: (
        <View>
          {field('name', '姓名', { required: true })}
          {field('idNumber', '身份证号', { required: true, keyboard: 'idcard', maxlength: 18, hint: '18位，末位可以是X' })}
          {field('mobile', '手机号', { required: true, keyboard: 'tel', maxlength: 11 })}
          {field('employer', '工作单位（平台、站点或企业）', { required: true, maxlength: 100 })}
          <StepGroup id='apply-employment' label='就业状况' required errorKey='employmentStatus' error={errors.employmentStatus}>
            <Chips idPrefix='apply-employment' options={EMPLOYMENT_STATUSES} labels={EMPLOYMENT_STATUS_LABELS} value={form.employmentStatus} onChange={(v) => set('employmentStatus', v)} />
          </StepGroup>
        </View>
      ),
    },
    {
      title: '家庭住址',
      validate: checkAddress,
      content: (
        <View>
          {field('province', '省', { required: true, placeholder: '如 湖北省' })}
          {field('city', '市', { required: true, placeholder: '如 黄石市' })}
          {field('district', '区县', { required: true })}
          {field('street', '街道（乡镇）', { required: true })}
          {field('addressDetail', '详细地址', { maxlength: 200 })}
        </View>
      ),
    },
    {
      title: '家庭情况',
      validate: checkHousehold,
      content: (
        <View>
          {field('householdSize', '家庭人口', { required: true, keyboard: 'number', hint: '共同生活的人数，含您本人' })}
          {field('income', '家庭月收入（元）', { required: true, keyboard: 'digit', hint: '全家每月收入合计，单位元，如 1500' }, 'monthlyIncomeFen')}
          {field('illMembers', '其中患重病人数', { required: true, keyboard: 'number' })}
          {field('disabledMembers', '其中残疾人数', { required: true, keyboard: 'number' })}
          <StepGroup id='apply-causes' label='致困原因（可多选）' required errorKey='causes' error={errors.causes}>
            <Chips idPrefix='apply-cause' options={HARDSHIP_CAUSES} labels={HARDSHIP_CAUSE_LABELS} value={form.causes} onChange={(v) => set('causes', toggle(form.causes, v))} />
          </StepGroup>
        </View>
      ),
    },
    {
      title: '帮扶需求和材料',
      validate: checkNeeds,
      content: (
        <View>
          <StepGroup id='apply-help-kinds' label='需要的帮扶（可多选）' required errorKey='helpKinds' error={errors.helpKinds}>
            <Chips idPrefix='apply-help' options={AID_HELP_KINDS} labels={AID_HELP_KIND_LABELS} value={form.helpKinds} onChange={(v) => set('helpKinds', toggle(form.helpKinds, v))} />
          </StepGroup>
          <StepGroup id='apply-needs' label='其他需求（选填）' errorKey='needs' error={errors.needs}>
            <Chips idPrefix='apply-need' options={APPLY_NEEDS} labels={NEED_TAG_LABELS} value={form.needs} onChange={(v) => set('needs', toggle(form.needs, v))} />
          </StepGroup>
          <Field id='apply-account' label='困难情况说明' required multiline errorId='err-account' error={errors.account} maxlength={APPLICATION_ACCOUNT_MAX}
            hint={`已写${form.account.length}字，最多${APPLICATION_ACCOUNT_MAX}字`} placeholder='请简要说明家庭遇到的困难，如患病、失业、意外等'
            value={form.account} onInput={(v) => set('account', v)} />
          <StepGroup id='apply-files' label={`证明材料（选填，${files.length}/${MAX_APPLICATION_DOCUMENTS}）`} errorKey='files' error={errors.files}>
            <View className='muted'>医疗费票据、诊断证明、收入证明等，JPG、PNG或PDF，每个不超过5MB。材料不保存在草稿里，重新打开本页后请再次添加。</View>
            {files.map((f, i) => (
              <View className='app-doc' key={`${f.path}-${i}`} data-testid={`apply-file-${i}`}>
                <Text className='app-doc-name'>{f.name}</Text>
                <Text className='link' id={`apply-file-remove-${i}`} onClick={() => setFiles(files.filter((_, k) => k !== i))}>移除</Text>
              </View>
            ))}
            {files.length < MAX_APPLICATION_DOCUMENTS && (
              <Button kind='plain' id='apply-pick' onClick={() => void addFiles()}>添加材料</Button>
            )}
          </StepGroup>
          <StepGroup id='apply-consent-group' label='个人信息' required errorKey='consent' error={errors.consent}>
            <View className='consent-row'>
              <View id='apply-consent' role='checkbox' aria-checked={form.consent} className={`checkbox ${form.consent ? 'checkbox-on' : ''}`} onClick={() => set('consent', !form.consent)}>
                <View className='checkbox-box'>{form.consent ? '✓' : ''}</View>
                <Text>我同意工会处理上述敏感个人信息</Text>
              </View>
              <Text className='link consent-view' id='apply-privacy' onClick={() => void Taro.showModal({ title: '敏感个人信息处理规则', content: PRIVACY, showCancel: false })}>查看</Text>
            </View>
          </StepGroup>
        </View>
      ),
    },
  ];

  const clearDraft = async () => {
    const { confirm } = await Taro.showModal({ title: '清空草稿', content: '清空后已填写的内容将从本机删除，确定吗？' });
    if (!confirm) return;
    draft.clear();
    setFiles([]);
    setErrors({});
    setBanner(null);
    setEarlier(false);
  };

  return (
    <Page title='申请帮扶'>
      <View className='muted' style={{ marginBottom: '16px' }} id='apply-draft-note'>
        {draft.restored ? '已恢复上次未提交的内容。' : ''}填写的内容会自动保存在本机，网络不好时不会丢失，提交成功后自动删除。提交后工会工作人员将在24小时内受理。
        <Text className='link' id='apply-draft-clear' onClick={() => void clearDraft()}> 清空草稿</Text>
      </View>
      <StepForm id='apply' steps={steps} step={draft.step} onStep={draft.setStep} onSubmit={() => void submit()} submitLabel='提交申请' busy={busy} banner={banner}
        footer={earlier ? <Text className='link' id='apply-earlier' onClick={() => void Taro.navigateTo({ url: '/pages/aid/my-applications' })}>查看我的申请</Text> : null} />
    </Page>
  );
}
