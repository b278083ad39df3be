import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, MERCHANT_STATUS_LABELS, validateCreditCode, validateMobile, validatePersonName,
  type MerchantCategory, type MerchantView,
} from '@union/shared';
import { errorMessage } from '../../api/client';
import { acceptClerkInvite, applyMerchant, listMyMerchants } from '../../api/vouchers';
import { Banner, Button, Field, Loading, LoginPanel, OrgPicker, Page, StepForm, StepGroup, type FormStep, type PickedOrg } from '../../components';
import { submitFailure, useDraft } from '../../drafts';
import { useLoadOnShow } from '../../hooks';
import { getLocationGcj02 } from '../../platform/location';
import { openNavigation } from '../../platform/navigation';
import { useSession } from '../../session';
import './vouchers.css';

/** The form as typed; also what the draft keeps on the device. The location is chosen, never typed (GCJ-02 degrees). */
interface Form {
  name: string; category: MerchantCategory; discountNote: string; address: string; location: { lat: number; lng: number } | null;
  licenceNo: string; contactName: string; contactMobile: string; org: PickedOrg | null;
}
const EMPTY: Form = { name: '', category: 'catering', discountNote: '', address: '', location: null, licenceNo: '', contactName: '', contactMobile: '', org: null };
type Errors = Record<string, string | null>;
/** The error keys (API field names) each step shows, so a refusal from the server opens the step of its field. */
const STEP_FIELDS = [['name', 'category', 'discountNote'], ['address', 'lat', 'lng'], ['licenceNo', 'contactName', 'contactMobile', 'orgCode']];

/**
 * 商户入驻: apply as a merchant in three short steps (商户信息, 经营地址, 资质和联系人; the account becomes its owner
 * clerk), kept as a draft on the device (useDraft, per user) with its submit's idempotency key; or join a merchant
 * with a clerk invite code.
 */
export default function MerchantApplyPage() {
  const { user, refresh } = useSession();
  const draft = useDraft<Form>('merchant-apply', EMPTY, user?.id);
  const form = draft.value;
  const [mine, setMine] = useState<MerchantView[] | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [stepBanner, setStepBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
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

  const set = <K extends keyof Form>(k: K, v: Form[K], errKey: string = k) => {
    draft.set({ [k]: v } as Partial<Form>);
    setErrors((x) => ({ ...x, [errKey]: null }));
  };
  const check = (e: Errors) => {
    setErrors((prev) => ({ ...prev, ...e }));
    return !Object.values(e).some(Boolean);
  };

  /** weapp: WeChat's map picker (also fills an empty address); H5: the device's position. */
  const locate = async () => {
    if (process.env.TARO_ENV === 'weapp') {
      try {
        const p = await Taro.chooseLocation({});
        draft.set((f) => ({ ...f, location: { lat: p.latitude, lng: p.longitude }, address: f.address || p.address || p.name }));
        setErrors((x) => ({ ...x, lat: null, address: null }));
      } catch {
        // closed the map without choosing
      }
      return;
    }
    const p = await getLocationGcj02();
    if (p) set('location', p, 'lat');
    else setErrors((x) => ({ ...x, lat: '未获取到位置：请在浏览器中允许定位后再试，或在微信小程序中从地图上选择' }));
  };

  const submit = async () => {
    setStepBanner(null);
    setBusy('正在提交…');
    try {
      const m = await applyMerchant({
        name: form.name.trim(), category: form.category, address: form.address.trim(), lat: form.location!.lat, lng: form.location!.lng,
        licenceNo: form.licenceNo.trim().toUpperCase(), contactName: form.contactName.trim(), contactMobile: form.contactMobile.trim(), orgCode: form.org!.code,
        discountNote: form.discountNote.trim() || undefined,
      }, draft.idempotencyKey);
      draft.clear(); // submitted: the draft leaves the device
      setBanner({ kind: 'success', text: `已提交「${m.name}」的入驻申请，请等待工会审核` });
      await load();
    } catch (err) {
      const f = submitFailure(err, STEP_FIELDS, { action: '提交申请', record: '入驻申请', where: '本页「我的入驻申请」（请下拉刷新）' });
      if (f.fieldErrors) setErrors(f.fieldErrors);
      if (f.step !== null) draft.setStep(f.step);
      setStepBanner(f.message);
    } finally {
      setBusy(null);
    }
  };

  const join = async () => {
    if (!invite.trim()) {
      setBanner({ kind: 'error', text: '请输入店员邀请码' });
      return;
    }
    setBusy('正在加入…');
    try {
      const c = await acceptClerkInvite({ inviteCode: invite.trim() });
      setBanner({ kind: 'success', text: `已加入「${c.merchant.name}」，成为店员` });
      await refresh();
      Taro.redirectTo({ url: '/pages/vouchers/index' });
    } catch (err) {
      setBanner({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  if (!user) {
    return (
      <Page title='商户入驻'>
        <LoginPanel roles={['merchant_clerk', 'user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (!mine) return <Page title='商户入驻'><Loading /></Page>;
  const field = (k: 'name' | 'address' | 'licenceNo' | 'contactName' | 'contactMobile' | 'discountNote', label: string, opts: { required?: boolean; hint?: string; keyboard?: 'tel'; maxlength?: number } = {}) => (
    <Field id={`ma-${k}`} label={label} errorId={`err-ma-${k}`} error={errors[k]} value={form[k]} onInput={(v) => set(k, v)} {...opts} />
  );
  const steps: FormStep[] = [
    {
      title: '商户信息',
      validate: () => check({ name: form.name.trim().length < 2 ? '请填写商户名称（至少2个字）' : null }),
      content: (
        <View>
          {field('name', '商户名称', { required: true, maxlength: 100 })}
          <StepGroup id='ma-category' label='品类' required errorKey='ma-category' error={errors.category}>
            <View className='chips'>
              {MERCHANT_CATEGORIES.map((c) => (
                <View key={c} id={`ma-cat-${c}`} role='button' className={`chip ${form.category === c ? 'chip-on' : ''}`} onClick={() => set('category', c)}>
                  {MERCHANT_CATEGORY_LABELS[c]}
                </View>
              ))}
            </View>
          </StepGroup>
          {field('discountNote', '会员优惠说明', { hint: '如 会员再享9折', maxlength: 100 })}
        </View>
      ),
    },
    {
      title: '经营地址',
      validate: () => check({
        address: form.address.trim().length < 2 ? '请填写地址' : null,
        lat: form.location ? null : '请选择店铺位置',
      }),
      content: (
        <View>
          {field('address', '经营地址', { required: true, hint: '门牌号写到店铺所在楼栋', maxlength: 200 })}
          <StepGroup id='ma-location' label='店铺位置（会员用来找到您的店）' required errorKey='ma-lat' error={errors.lat ?? errors.lng}>
            {form.location ? (
              <View className='row'>
                <Text id='ma-location-set'>已选定位置</Text>
                <Text className='link' id='ma-location-view' onClick={() => void openNavigation({ ...form.location!, name: form.name || '店铺位置', address: form.address })}>在地图上查看</Text>
              </View>
            ) : <View className='muted'>尚未选择</View>}
            <Button kind='plain' id='ma-locate' onClick={() => void locate()}>
              {process.env.TARO_ENV === 'weapp' ? '在地图上选择' : '使用当前位置'}
            </Button>
          </StepGroup>
        </View>
      ),
    },
    {
      title: '资质和联系人',
      validate: () => check({
        licenceNo: validateCreditCode(form.licenceNo.trim().toUpperCase()),
        contactName: validatePersonName(form.contactName.trim()),
        contactMobile: validateMobile(form.contactMobile.trim()),
        orgCode: form.org ? null : '请选择所在地工会',
      }),
      content: (
        <View>
          {field('licenceNo', '统一社会信用代码', { required: true, hint: '营业执照上的18位代码', maxlength: 18 })}
          {field('contactName', '联系人', { required: true })}
          {field('contactMobile', '联系电话', { required: true, keyboard: 'tel', maxlength: 11 })}
          <StepGroup id='ma-org' label='所在地工会' required errorKey='ma-orgCode' error={errors.orgCode}>
            <OrgPicker idPrefix='ma-org' value={form.org} onChange={(org) => set('org', org, 'orgCode')} prompt='请选择店铺所在地的工会' />
          </StepGroup>
        </View>
      ),
    },
  ];
  return (
    <Page title='商户入驻'>
      <Banner id='ma-notice' kind={banner?.kind} message={banner?.text} />
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
        <View className='muted' style={{ marginBottom: '16px' }}>{draft.restored ? '已恢复上次未提交的内容。' : ''}填写的内容会自动保存在本机，提交成功后自动删除。</View>
        <StepForm id='ma' steps={steps} step={draft.step} onStep={draft.setStep} onSubmit={() => void submit()} submitLabel='提交申请' busy={busy} banner={stepBanner} />
      </View>
      <View className='card'>
        <Text className='card-title'>加入店铺（店员）</Text>
        <Field id='ma-invite' label='店员邀请码' required value={invite} placeholder='粘贴商户负责人提供的邀请码' onInput={setInvite} />
        <Button kind='plain' id='ma-join' disabled={!!busy} onClick={() => void join()}>
          加入
        </Button>
      </View>
    </Page>
  );
}
