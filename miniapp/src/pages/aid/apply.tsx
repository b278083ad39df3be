import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import {
  AID_HELP_KIND_LABELS, AID_HELP_KINDS, APPLICATION_ACCOUNT_MAX, EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, HARDSHIP_CAUSE_LABELS,
  HARDSHIP_CAUSES, MAX_APPLICATION_DOCUMENT_BYTES, MAX_APPLICATION_DOCUMENTS, NEED_TAG_LABELS, validateHouseholdMembers, validateIdNumber,
  validateMobile, validatePersonName, type AidApplicationOrgOption, type AidHelpKind, type CreateAidApplicationRequest, type EmploymentStatus,
  type HardshipCause, type NeedTag,
} from '@union/shared';
import { createAidApplication, listApplicationOrgs, uploadAidDocument } from '../../api/aid-applications';
import { requestSubscribe } from '../../platform/subscribe';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, FieldError, Loading, LoginPanel } from '../../components';
import { pickDocuments, type PickedDocument } from '../../platform/files';
import { useSession } from '../../session';
import { Chips, parseYuan } from './ui';
import './applications.css';

const DRAFT_KEY = 'union.aidApplyDraft';
const APPLY_NEEDS: NeedTag[] = ['training', 'job', 'counselling'];
const ORG_PAGE = 8;

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

function readDraft(): Form {
  try {
    const saved = Taro.getStorageSync(DRAFT_KEY) as Partial<Form> | '';
    return saved ? { ...EMPTY, ...saved } : EMPTY;
  } catch {
    return EMPTY;
  }
}

const PRIVACY = '为办理帮扶申请，工会将收集您的姓名、身份证号、手机号、家庭收入、健康状况等敏感个人信息及上传的证明材料，仅用于困难认定、入户核实和帮扶发放；身份证号和手机号加密保存，仅受理工会的工作人员可查看，每次查看均有记录。批准后将在所属工会公示姓名（隐去名字）、致困原因和帮扶类别。';

/** 申请帮扶: the worker's application form with documents; every change is kept as a local draft. */
export default function AidApplyPage() {
  const { user, refresh } = useSession();
  const [form, setForm] = useState<Form>(readDraft);
  const [files, setFiles] = useState<PickedDocument[]>([]);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [orgQuery, setOrgQuery] = useState('');
  const [orgs, setOrgs] = useState<{ items: AidApplicationOrgOption[]; total: number; page: number } | null>(null);
  const [orgError, setOrgError] = useState<string | null>(null);
  const [picking, setPicking] = useState(!form.org);
  const first = useRef(true);

  // the draft: saved on every change so a weak network or a closed page loses nothing
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    try {
      Taro.setStorageSync(DRAFT_KEY, form);
    } catch {
      // storage full or unavailable: the form still works
    }
  }, [form]);

  const searchOrgs = async (page = 1) => {
    setOrgError(null);
    try {
      const res = await listApplicationOrgs({ q: orgQuery.trim() || undefined, page, pageSize: ORG_PAGE });
      setOrgs((prev) => ({ items: page === 1 ? res.items : [...(prev?.items ?? []), ...res.items], total: res.total, page: res.page }));
    } catch (e) {
      setOrgError(errorMessage(e));
    }
  };
  useEffect(() => {
    if (user && picking && !orgs) void searchOrgs(1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user, picking]);

  if (!user) {
    return (
      <View className='page'>
        <View className='page-title'>申请帮扶</View>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }

  const set = <K extends keyof Form>(k: K, v: Form[K], errKey: string = k) => {
    setForm((f) => ({ ...f, [k]: v }));
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

  const submit = async () => {
    const int = (n: number, min: number) => Number.isInteger(n) && n >= min && n <= 20;
    const e: Record<string, string | null> = {
      orgCode: form.org ? null : '请选择受理工会',
      name: validatePersonName(form.name.trim()),
      idNumber: validateIdNumber(form.idNumber.trim().toUpperCase()),
      mobile: validateMobile(form.mobile.trim()),
      employer: form.employer.trim() ? null : '请填写工作单位',
      province: form.province.trim() ? null : '请填写省份', city: form.city.trim() ? null : '请填写城市',
      district: form.district.trim() ? null : '请填写区县', street: form.street.trim() ? null : '请填写街道',
      householdSize: int(size, 1) ? null : '家庭人口应为1至20的整数',
      monthlyIncomeFen: incomeFen === null ? '请填写家庭月收入（元）' : null,
      illMembers: int(ill, 0) ? null : '患病人数应为0至20的整数',
      disabledMembers: int(disabled, 0) ? null : '残疾人数应为0至20的整数',
      causes: form.causes.length ? null : '请至少选择一项致困原因',
      helpKinds: form.helpKinds.length ? null : '请至少选择一项需要的帮扶',
      account: form.account.trim() ? (form.account.length > APPLICATION_ACCOUNT_MAX ? `最多${APPLICATION_ACCOUNT_MAX}字` : null) : '请说明家庭困难情况',
      consent: form.consent ? null : '请阅读并同意个人敏感信息处理规则',
    };
    if (!e.householdSize && !e.illMembers && !e.disabledMembers) {
      const m = validateHouseholdMembers(size, ill, disabled);
      if (m) e[ill > size ? 'illMembers' : 'disabledMembers'] = m;
    }
    setErrors(e);
    if (Object.values(e).some(Boolean)) {
      setBanner('请检查标红的内容');
      return;
    }
    setBanner(null);
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
      created = await createAidApplication(body);
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) {
        setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
        setBanner('请检查标红的内容');
      } else setBanner(errorMessage(err));
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
    try {
      Taro.removeStorageSync(DRAFT_KEY);
    } catch {
      // nothing to remove
    }
    setBusy(null);
    if (failed.length) {
      await Taro.showModal({ title: '申请已提交', content: `以下材料上传失败，可在「我的申请」中补传：\n${failed.join('\n')}`, showCancel: false });
    }
    void Taro.redirectTo({ url: `/pages/aid/my-applications?id=${created.id}` });
  };

  const field = (k: keyof Form, label: string, props: Record<string, unknown> = {}, errKey: string = k) => (
    <View className='field'>
      <Text className='field-label'>{label}</Text>
      <Input id={`apply-${k}`} className={`input ${errors[errKey] ? 'input-invalid' : ''}`} value={form[k] as string} onInput={(ev) => set(k, ev.detail.value as never, errKey)} {...props} />
      <FieldError id={`err-${errKey}`} message={errors[errKey]} />
    </View>
  );

  return (
    <View className='page'>
      <View className='page-title'>申请帮扶</View>
      <View className='muted' style={{ marginBottom: '16px' }}>填写的内容会自动保存在本机，网络不好时不会丢失。提交后工会工作人员将在24小时内受理。</View>

      <View className='card'>
        <Text className='card-title'>受理工会</Text>
        {form.org && !picking ? (
          <View className='row'>
            <Text id='apply-org-name'>{form.org.name}</Text>
            <Text className='link' id='apply-org-change' onClick={() => setPicking(true)}>更换</Text>
          </View>
        ) : (
          <View>
            <View className='muted'>请选择您工作单位或居住地所在的工会</View>
            <View className='aid-inline' style={{ margin: '12px 0' }}>
              <Input id='apply-org-search' className='input' style={{ flex: 1, minWidth: 0 }} placeholder='工会名称或城市，如 黄石' value={orgQuery} onInput={(e) => setOrgQuery(e.detail.value)} onConfirm={() => void searchOrgs(1)} />
              <Button className='btn btn-primary btn-small' id='apply-org-search-go' style={{ margin: 0 }} onClick={() => void searchOrgs(1)}>搜索</Button>
            </View>
            <Banner message={orgError} />
            {!orgs && !orgError ? <Loading /> : orgs && orgs.items.length === 0 ? <View className='muted'>没有找到，请换个关键词</View> : (
              <View>
                {orgs?.items.map((o) => (
                  <View key={o.code} className={`app-org-option ${form.org?.code === o.code ? 'app-org-on' : ''}`} id={`apply-org-${o.code}`}
                    onClick={() => { set('org', { code: o.code, name: o.name }, 'orgCode'); setPicking(false); }}>
                    <Text>{o.name}</Text>
                    <View className='muted'>{[o.parentName, o.city].filter(Boolean).join(' · ')}</View>
                  </View>
                ))}
                {orgs && orgs.items.length < orgs.total && (
                  <Button className='btn btn-plain btn-small' id='apply-org-more' style={{ marginTop: '12px' }} onClick={() => void searchOrgs(orgs.page + 1)}>加载更多</Button>
                )}
              </View>
            )}
          </View>
        )}
        <FieldError id='err-orgCode' message={errors.orgCode} />
      </View>

      <View className='card'>
        <Text className='card-title'>申请人</Text>
        {field('name', '姓名')}
        {field('idNumber', '身份证号', { type: 'idcard', maxlength: 18 })}
        {field('mobile', '手机号', { type: 'number', maxlength: 11 })}
        {field('employer', '工作单位（平台、站点或企业）', { maxlength: 100 })}
        <Text className='field-label'>就业状况</Text>
        <Chips idPrefix='apply-employment' options={EMPLOYMENT_STATUSES} labels={EMPLOYMENT_STATUS_LABELS} value={form.employmentStatus} onChange={(v) => set('employmentStatus', v)} />
      </View>

      <View className='card'>
        <Text className='card-title'>家庭住址</Text>
        {field('province', '省')}
        {field('city', '市')}
        {field('district', '区县')}
        {field('street', '街道（乡镇）')}
        {field('addressDetail', '详细地址（选填）', { maxlength: 200 })}
      </View>

      <View className='card'>
        <Text className='card-title'>家庭情况</Text>
        {field('householdSize', '家庭人口', { type: 'number' })}
        {field('income', '家庭月收入（元）', { type: 'digit' }, 'monthlyIncomeFen')}
        {field('illMembers', '其中患重病人数', { type: 'number' })}
        {field('disabledMembers', '其中残疾人数', { type: 'number' })}
        <Text className='field-label'>致困原因（可多选）</Text>
        <Chips idPrefix='apply-cause' options={HARDSHIP_CAUSES} labels={HARDSHIP_CAUSE_LABELS} value={form.causes} onChange={(v) => set('causes', toggle(form.causes, v))} />
        <FieldError id='err-causes' message={errors.causes} />
      </View>

      <View className='card'>
        <Text className='card-title'>需要的帮扶</Text>
        <Chips idPrefix='apply-help' options={AID_HELP_KINDS} labels={AID_HELP_KIND_LABELS} value={form.helpKinds} onChange={(v) => set('helpKinds', toggle(form.helpKinds, v))} />
        <FieldError id='err-helpKinds' message={errors.helpKinds} />
        <Text className='field-label' style={{ marginTop: '16px' }}>其他需求（选填）</Text>
        <Chips idPrefix='apply-need' options={APPLY_NEEDS} labels={NEED_TAG_LABELS} value={form.needs} onChange={(v) => set('needs', toggle(form.needs, v))} />
        <Text className='field-label' style={{ marginTop: '16px' }}>困难情况说明</Text>
        <Textarea id='apply-account' className={`textarea ${errors.account ? 'input-invalid' : ''}`} maxlength={APPLICATION_ACCOUNT_MAX} placeholder='请简要说明家庭遇到的困难，如患病、失业、意外等'
          value={form.account} onInput={(ev) => set('account', ev.detail.value)} />
        <View className='muted' style={{ textAlign: 'right' }}>{form.account.length}/{APPLICATION_ACCOUNT_MAX}</View>
        <FieldError id='err-account' message={errors.account} />
      </View>

      <View className='card'>
        <Text className='card-title'>证明材料（{files.length}/{MAX_APPLICATION_DOCUMENTS}）</Text>
        <View className='muted'>医疗费票据、诊断证明、收入证明等，JPG、PNG或PDF，每个不超过5MB</View>
        {files.map((f, i) => (
          <View className='app-doc' key={`${f.path}-${i}`} data-testid={`apply-file-${i}`}>
            <Text className='app-doc-name'>{f.name}</Text>
            <Text className='link' id={`apply-file-remove-${i}`} onClick={() => setFiles(files.filter((_, k) => k !== i))}>移除</Text>
          </View>
        ))}
        {files.length < MAX_APPLICATION_DOCUMENTS && (
          <Button className='btn btn-plain' id='apply-pick' onClick={() => void addFiles()}>添加材料</Button>
        )}
        <FieldError id='err-files' message={errors.files} />
      </View>

      <View className='field'>
        <View className='consent-row'>
          <View id='apply-consent' role='checkbox' aria-checked={form.consent} className={`checkbox ${form.consent ? 'checkbox-on' : ''}`} onClick={() => set('consent', !form.consent)}>
            <View className='checkbox-box'>{form.consent ? '✓' : ''}</View>
            <Text>我同意工会处理上述敏感个人信息</Text>
          </View>
          <Text className='link consent-view' id='apply-privacy' onClick={() => void Taro.showModal({ title: '敏感个人信息处理规则', content: PRIVACY, showCancel: false })}>查看</Text>
        </View>
        <FieldError id='err-consent' message={errors.consent} />
      </View>
      <Banner id='apply-banner' message={banner} />
      {busy && <View className='muted' id='apply-progress'>{busy}</View>}
      <Button className='btn btn-primary' id='apply-submit' loading={!!busy || undefined} disabled={!!busy || undefined} onClick={() => void submit()}>
        提交申请
      </Button>
    </View>
  );
}
