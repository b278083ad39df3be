import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, MERCHANT_STATUS_LABELS, validateCreditCode, validateMobile, validatePersonName,
  type MerchantCategory, type MerchantView,
} from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { acceptClerkInvite, applyMerchant, listMyMerchants } from '../../api/vouchers';
import { Banner, FieldError, Loading, LoginPanel } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { getLocationGcj02 } from '../../platform/location';
import { useSession } from '../../session';
import './vouchers.css';

type Form = { name: string; address: string; lat: string; lng: string; licenceNo: string; contactName: string; contactMobile: string; orgCode: string; discountNote: string };

/** 商户入驻: apply as a merchant (the account becomes its owner clerk), or join a merchant with a clerk invite code. */
export default function MerchantApplyPage() {
  const { user, refresh } = useSession();
  const [mine, setMine] = useState<MerchantView[] | null>(null);
  const [category, setCategory] = useState<MerchantCategory>('catering');
  const [form, setForm] = useState<Form>({ name: '', address: '', lat: '30.2150', lng: '115.0600', licenceNo: '', contactName: '', contactMobile: '', orgCode: 'HB-HS-HSG', discountNote: '' });
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState('');

  const load = useCallback(async () => {
    try {
      setMine(await listMyMerchants());
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
      setMine([]);
    }
  }, []);
  useLoadOnShow(() => void load(), !!user);

  const set = (k: keyof Form) => (e: { detail: { value: string } }) => {
    setForm((f) => ({ ...f, [k]: e.detail.value }));
    setErrors((x) => ({ ...x, [k]: null }));
  };

  const locate = async () => {
    const p = await getLocationGcj02();
    if (p) setForm((f) => ({ ...f, lat: p.lat.toFixed(6), lng: p.lng.toFixed(6) }));
    else setBanner({ kind: 'error', text: '未获取到位置，请手动填写经纬度' });
  };

  const submit = async () => {
    const e: Record<string, string | null> = {
      name: form.name.trim().length < 2 ? '请填写商户名称（至少2个字）' : null,
      address: form.address.trim().length < 2 ? '请填写地址' : null,
      licenceNo: validateCreditCode(form.licenceNo),
      contactName: validatePersonName(form.contactName),
      contactMobile: validateMobile(form.contactMobile),
      lat: Number.isFinite(Number(form.lat)) && Math.abs(Number(form.lat)) <= 90 ? null : '纬度无效',
      lng: Number.isFinite(Number(form.lng)) && Math.abs(Number(form.lng)) <= 180 ? null : '经度无效',
    };
    setErrors(e);
    if (Object.values(e).some(Boolean)) return;
    setBusy(true);
    setBanner(null);
    try {
      const m = await applyMerchant({
        name: form.name.trim(), category, address: form.address.trim(), lat: Number(form.lat), lng: Number(form.lng), licenceNo: form.licenceNo.trim().toUpperCase(),
        contactName: form.contactName.trim(), contactMobile: form.contactMobile.trim(), orgCode: form.orgCode.trim(), discountNote: form.discountNote.trim() || undefined,
      });
      setBanner({ kind: 'success', text: `已提交「${m.name}」的入驻申请，请等待工会审核` });
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
      setBanner({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const join = async () => {
    if (!invite.trim()) {
      setBanner({ kind: 'error', text: '请输入店员邀请码' });
      return;
    }
    setBusy(true);
    try {
      const c = await acceptClerkInvite({ inviteCode: invite.trim() });
      setBanner({ kind: 'success', text: `已加入「${c.merchant.name}」，成为店员` });
      await refresh();
      Taro.redirectTo({ url: '/pages/vouchers/index' });
    } catch (err) {
      setBanner({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['merchant_clerk', 'user']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (!mine) return <Loading />;
  const field = (k: keyof Form, label: string, placeholder = '') => (
    <View className='field'>
      <Text className='field-label'>{label}</Text>
      <Input id={`ma-${k}`} className={`input ${errors[k] ? 'input-invalid' : ''}`} value={form[k]} placeholder={placeholder} onInput={set(k)} />
      <FieldError id={`ma-err-${k}`} message={errors[k]} />
    </View>
  );
  return (
    <View className='page'>
      <Banner id='ma-banner' kind={banner?.kind} message={banner?.text} />
      {mine.length > 0 && (
        <View className='card' id='ma-mine'>
          <Text className='card-title'>我的入驻申请</Text>
          {mine.map((m) => (
            <View key={m.id} className='row'>
              <Text>{m.name}</Text>
              <Text className={`tag tag-${m.status}`}>{MERCHANT_STATUS_LABELS[m.status]}</Text>
            </View>
          ))}
          {mine.some((m) => m.rejectReason) && <View className='muted'>驳回原因：{mine.find((m) => m.rejectReason)?.rejectReason}</View>}
        </View>
      )}
      <View className='card'>
        <Text className='card-title'>商户入驻申请</Text>
        {field('name', '商户名称')}
        <View className='field'>
          <Text className='field-label'>品类</Text>
          <View className='chips'>
            {MERCHANT_CATEGORIES.map((c) => (
              <View key={c} id={`ma-cat-${c}`} className={`chip ${category === c ? 'chip-on' : ''}`} onClick={() => setCategory(c)}>
                {MERCHANT_CATEGORY_LABELS[c]}
              </View>
            ))}
          </View>
        </View>
        {field('address', '经营地址')}
        <View className='v-row2'>
          {field('lat', '纬度（GCJ-02）')}
          {field('lng', '经度（GCJ-02）')}
        </View>
        <View className='link' id='ma-locate' onClick={() => void locate()}>使用当前位置</View>
        {field('licenceNo', '统一社会信用代码', '18位')}
        {field('contactName', '联系人')}
        {field('contactMobile', '联系电话')}
        {field('orgCode', '所在地工会编码')}
        {field('discountNote', '会员优惠说明（选填）')}
        <Button className='btn btn-primary' id='ma-submit' loading={busy || undefined} disabled={busy || undefined} onClick={submit}>
          提交申请
        </Button>
      </View>
      <View className='card'>
        <Text className='card-title'>加入店铺（店员）</Text>
        <Input id='ma-invite' className='input' value={invite} placeholder='粘贴商户负责人提供的邀请码' onInput={(e) => setInvite(e.detail.value)} />
        <Button className='btn btn-plain' id='ma-join' disabled={busy || undefined} onClick={join}>
          加入
        </Button>
      </View>
    </View>
  );
}
