import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import {
  formatFen,
  EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, HARDSHIP_CAUSE_LABELS, HARDSHIP_CAUSES, HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS, NEED_TAG_LABELS,
  NEED_TAGS, perCapitaIncomeFen, validateIdNumber, validateMobile, validatePersonName, type CreateHouseholdRequest, type EmploymentStatus,
  type HardshipCause, type HardshipLevel, type NeedTag,
} from '@union/shared';
import { createHousehold, getHousehold, updateHousehold } from '../../api/aid';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, ErrorState, FieldError, Loading } from '../../components';
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

/** 建档 / 编辑: the household file form, checked with the same validators as the API. */
export default function HouseholdFormPage() {
  const id = Number(useRouter().params.id ?? 0);
  const editing = id > 0;
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [form, setForm] = useState<Form | null>(editing ? null : EMPTY);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!editing || !isStaff) return;
    getHousehold(id).then((h) => setForm({
      ...EMPTY, headName: h.headName, memberNo: h.memberNo ?? '', province: h.province, city: h.city, district: h.district, street: h.street,
      addressDetail: h.addressDetail ?? '', householdSize: String(h.householdSize), income: formatFen(h.monthlyIncomeFen), level: h.level,
      causes: h.causes, employmentStatus: h.employmentStatus, needs: h.needs, needsNote: h.needsNote ?? '', orgCode: h.org.code,
    }), (e) => setLoadError(errorMessage(e)));
  }, [editing, id, isStaff]);

  if (!isStaff) return <View className='page'><ErrorState message='仅工会工作人员可建档' /></View>;
  if (loadError) return <ErrorState message={loadError} />;
  if (!form) return <Loading />;

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm({ ...form, [k]: v });
    setErrors({ ...errors, [k]: null });
  };
  const incomeFen = parseYuan(form.income);
  const size = Number(form.householdSize);

  const submit = async () => {
    const e: Record<string, string | null> = {
      headName: validatePersonName(form.headName),
      idNumber: !editing || form.idNumber ? validateIdNumber(form.idNumber) : null,
      mobile: !editing || form.mobile ? validateMobile(form.mobile) : null,
      province: form.province.trim() ? null : '请填写省份', city: form.city.trim() ? null : '请填写城市',
      district: form.district.trim() ? null : '请填写区县', street: form.street.trim() ? null : '请填写街道',
      householdSize: Number.isInteger(size) && size >= 1 && size <= 20 ? null : '家庭人口应为1至20的整数',
      monthlyIncomeFen: incomeFen === null ? '请填写家庭月收入（元）' : null,
      causes: form.causes.length ? null : '请至少选择一项致困原因',
    };
    setErrors(e);
    if (Object.values(e).some(Boolean)) return;
    const body: CreateHouseholdRequest = {
      headName: form.headName.trim(), idNumber: form.idNumber.trim().toUpperCase(), mobile: form.mobile.trim(), province: form.province.trim(),
      city: form.city.trim(), district: form.district.trim(), street: form.street.trim(), householdSize: size, monthlyIncomeFen: incomeFen!,
      level: form.level, causes: form.causes, employmentStatus: form.employmentStatus, needs: form.needs,
      ...(form.memberNo.trim() ? { memberNo: form.memberNo.trim() } : {}), ...(form.addressDetail.trim() ? { addressDetail: form.addressDetail.trim() } : {}),
      ...(form.needsNote.trim() ? { needsNote: form.needsNote.trim() } : {}), ...(form.orgCode.trim() ? { orgCode: form.orgCode.trim().toUpperCase() } : {}),
    };
    const { confirm } = await Taro.showModal({ title: editing ? '保存档案' : '提交建档', content: editing ? '确认保存修改？' : '提交后须由另一名工作人员审核。' });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    try {
      const saved = editing
        ? await updateHousehold(id, { ...body, ...(form.idNumber ? {} : { idNumber: undefined }), ...(form.mobile ? {} : { mobile: undefined }) })
        : await createHousehold(body);
      void Taro.redirectTo({ url: `/pages/aid/household?id=${saved.id}` });
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
      else setBanner(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof Form, label: string, props: Record<string, unknown> = {}, errKey: string = k) => (
    <View className='field'>
      <Text className='field-label'>{label}</Text>
      <Input id={`hf-${k}`} className={`input ${errors[errKey] ? 'input-invalid' : ''}`} value={form[k] as string} onInput={(ev) => set(k, ev.detail.value as never)} {...props} />
      <FieldError id={`err-${errKey}`} message={errors[errKey]} />
    </View>
  );

  return (
    <View className='page'>
      <View className='page-title'>{editing ? '编辑档案' : '困难职工建档'}</View>
      <View className='card'>
        {field('headName', '户主姓名')}
        {field('idNumber', editing ? '身份证号（不修改请留空）' : '身份证号', { type: 'idcard', maxlength: 18 })}
        {field('mobile', editing ? '手机号（不修改请留空）' : '手机号', { type: 'number', maxlength: 11 })}
        {field('memberNo', '会员编号（选填）')}
        {field('orgCode', '所属组织代码（留空为本级工会）')}
      </View>
      <View className='card'>
        {field('province', '省')}
        {field('city', '市')}
        {field('district', '区县')}
        {field('street', '街道')}
        {field('addressDetail', '详细地址（选填）')}
      </View>
      <View className='card'>
        {field('householdSize', '家庭人口', { type: 'number' })}
        {field('income', '家庭月收入（元）', { type: 'digit' }, 'monthlyIncomeFen')}
        {incomeFen !== null && size >= 1 && <View className='muted' id='hf-per-capita'>人均月收入 {yuan(perCapitaIncomeFen(incomeFen, size))}</View>}
        <Text className='field-label'>困难类别</Text>
        <Chips idPrefix='hf-level' options={HARDSHIP_LEVELS} labels={HARDSHIP_LEVEL_LABELS} value={form.level} onChange={(v) => set('level', v)} />
        <Text className='field-label'>致困原因（可多选）</Text>
        <Chips idPrefix='hf-cause' options={HARDSHIP_CAUSES} labels={HARDSHIP_CAUSE_LABELS} value={form.causes} onChange={(v) => set('causes', toggle(form.causes, v))} />
        <FieldError id='err-causes' message={errors.causes} />
        <Text className='field-label'>就业状况</Text>
        <Chips idPrefix='hf-employment' options={EMPLOYMENT_STATUSES} labels={EMPLOYMENT_STATUS_LABELS} value={form.employmentStatus} onChange={(v) => set('employmentStatus', v)} />
        <Text className='field-label'>帮扶需求</Text>
        <Chips idPrefix='hf-need' options={NEED_TAGS} labels={NEED_TAG_LABELS} value={form.needs} onChange={(v) => set('needs', toggle(form.needs, v))} />
        <Textarea id='hf-needsNote' className='textarea' maxlength={500} placeholder='需求说明（选填）' value={form.needsNote} onInput={(ev) => set('needsNote', ev.detail.value)} />
      </View>
      <Banner id='hf-banner' message={banner} />
      <Button className='btn btn-primary' id='hf-submit' loading={busy || undefined} disabled={busy || undefined} onClick={() => void submit()}>
        {editing ? '保存' : '提交建档'}
      </Button>
    </View>
  );
}
