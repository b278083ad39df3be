import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import {
  OCCUPATIONS,
  OCCUPATION_LABELS,
  PLATFORMS,
  validateIdNumber,
  validateMobile,
  validatePersonName,
  type CreateApplicationRequest,
  type JoinCodeLookup,
  type Occupation,
} from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { lookupJoinCode, submitApplication, submitTransfer } from '../../api/membership';
import { requestSubscribe } from '../../platform/subscribe';
import { Banner, Button, ErrorState, Field, FieldError, Loading, LoginPanel, Page, Tap } from '../../components';
import { canScan, extractJoinCode, scanCode } from '../../platform';
import { hasRole, useSession } from '../../session';

type Field = 'name' | 'idNumber' | 'mobile' | 'occupation' | 'platform' | 'workCity' | 'consent';
type FieldErrors = Partial<Record<Field, string>>;
const FIELDS: Field[] = ['name', 'idNumber', 'mobile', 'occupation', 'platform', 'workCity', 'consent'];

interface FormState {
  name: string;
  idNumber: string;
  mobile: string;
  occupation: Occupation | '';
  platform: string;
  workCity: string;
  consent: boolean;
}

const EMPTY_FORM: FormState = {
  name: '',
  idNumber: '',
  mobile: '',
  occupation: '',
  platform: '',
  workCity: '',
  consent: false,
};

const PRIVACY_RULES =
  '我们收集你的姓名、身份证号、手机号、职业与工作平台，仅用于办理入会、会籍管理和会员服务；' +
  '身份证号与手机号加密存储，对工作人员脱敏显示；未经你同意不向第三方提供。';

function validateField(field: Field, form: FormState): string | null {
  switch (field) {
    case 'name':
      return validatePersonName(form.name);
    case 'idNumber':
      return validateIdNumber(form.idNumber);
    case 'mobile':
      return validateMobile(form.mobile);
    case 'occupation':
      return form.occupation ? null : '请选择职业';
    case 'platform':
      return form.platform.length > 50 ? '平台名称过长' : null;
    case 'workCity':
      return form.workCity.length > 50 ? '工作城市过长' : null;
    case 'consent':
      return form.consent ? null : '请阅读并同意《个人信息处理规则》';
  }
}

function validateForm(form: FormState): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of FIELDS) {
    const msg = validateField(f, form);
    if (msg) errors[f] = msg;
  }
  return errors;
}

/** Human message for a failed join-code lookup. */
function lookupErrorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 404) return '二维码无效';
    if (e.status === 410) return '二维码已过期或已停用';
  }
  return errorMessage(e);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export default function JoinPage() {
  const router = useRouter();
  const initialCode = router.params.code || router.params.scene || '';
  const [code, setCode] = useState<string>(initialCode ? safeDecode(initialCode) : '');
  const [typedCode, setTypedCode] = useState('');
  const [lookup, setLookup] = useState<JoinCodeLookup | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const { user, refresh } = useSession();

  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const load = useCallback(async (c: string) => {
    setLoading(true);
    setLookupError(null);
    setLookup(null);
    try {
      setLookup(await lookupJoinCode(c));
    } catch (e) {
      setLookupError(lookupErrorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (code) void load(code);
  }, [code, load]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    // A corrected field loses its error as soon as it is valid.
    setErrors((errs) => {
      if (!errs[key as Field]) return errs;
      const msg = validateField(key as Field, { ...form, [key]: value });
      return { ...errs, [key]: msg ?? undefined };
    });
  };

  const blur = (field: Field) => {
    const value = form[field];
    if (value === '' || value === false) return; // untouched: wait for submit
    setErrors((errs) => ({ ...errs, [field]: validateField(field, form) ?? undefined }));
  };

  const useTypedCode = () => {
    const c = extractJoinCode(typedCode);
    if (!c) {
      void Taro.showToast({ title: '请输入入会码', icon: 'none' });
      return;
    }
    setCode(c);
  };

  const scan = async () => {
    const text = await scanCode();
    if (text) setCode(extractJoinCode(text));
  };

  const submit = async () => {
    setBanner(null);
    const errs = validateForm(form);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const { confirm } = await Taro.showModal({
      title: '确认提交',
      content: `将向「${lookup?.orgName ?? ''}」提交入会申请，请确认填写的信息真实有效。`,
      confirmText: '确认提交',
      cancelText: '再看看',
    });
    if (!confirm) return;
    await requestSubscribe(['membership']); // the notice of the review's outcome

    const body: CreateApplicationRequest = {
      joinCode: code,
      name: form.name.trim(),
      idNumber: form.idNumber.trim().toUpperCase(),
      mobile: form.mobile.trim(),
      occupation: form.occupation as Occupation,
      platform: form.platform.trim() || undefined,
      workCity: form.workCity.trim() || undefined,
      consent: form.consent,
    };
    setSubmitting(true);
    try {
      await submitApplication(body);
      void Taro.redirectTo({ url: '/pages/membership/progress' });
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length > 0) {
        const mapped: FieldErrors = {};
        const other: string[] = [];
        for (const fe of e.fieldErrors) {
          const f = fe.field.split('.')[0] as Field;
          if (FIELDS.includes(f)) mapped[f] = fe.message;
          else other.push(fe.message);
        }
        setErrors(mapped);
        setBanner(other.length ? other.join('；') : e.message);
      } else {
        setBanner(errorMessage(e));
        if (e instanceof ApiError && e.code === 'ALREADY_MEMBER') void refresh();
      }
    } finally {
      setSubmitting(false);
    }
  };

  const transfer = async () => {
    setBanner(null);
    const { confirm } = await Taro.showModal({
      title: '申请转会',
      content: `将会籍转入「${lookup?.orgName ?? ''}」，需经工会审核。确认申请？`,
    });
    if (!confirm) return;
    setSubmitting(true);
    try {
      await submitTransfer({ joinCode: code });
      void Taro.redirectTo({ url: '/pages/membership/progress' });
    } catch (e) {
      setBanner(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  // 1. No code yet: scan or type one.
  if (!code) {
    return (
      <Page title='扫码入会'>
        <View className='card'>
          <Text className='card-title'>输入入会码</Text>
          <Field
            id='join-code-input'
            label='入会链接或入会码'
            hint='请扫描工会提供的入会二维码，或粘贴二维码中的链接 / 入会码。'
            placeholder='粘贴入会链接或入会码'
            value={typedCode}
            onInput={setTypedCode}
          />
          <Button id='join-code-submit' onClick={useTypedCode}>
            确定
          </Button>
          {canScan && (
            <Button kind='plain' id='join-scan' onClick={() => void scan()}>
              扫码
            </Button>
          )}
        </View>
      </Page>
    );
  }

  // 2. Resolve the code to an org.
  if (loading || (!lookup && !lookupError)) {
    return (
      <Page title='扫码入会'>
        <Loading />
      </Page>
    );
  }
  if (lookupError || !lookup) {
    return (
      <Page title='扫码入会'>
        <View className='card' id='join-code-error'>
          <ErrorState message={lookupError ?? '二维码无效'} />
          <Button kind='plain' id='join-code-again' onClick={() => setCode('')}>
            重新输入入会码
          </Button>
        </View>
      </Page>
    );
  }

  const header = (
    <View className='card'>
      <View className='muted'>申请加入</View>
      <View className='card-title' id='join-org-name'>
        {lookup.orgName}
      </View>
      {!lookup.acceptsApplications && <Banner kind='info' message='该工会暂不接受入会申请' />}
    </View>
  );

  // 3. Log in first.
  if (!user) {
    return (
      <Page title='扫码入会'>
        {header}
        <Banner kind='info' message='请先登录后再申请入会' />
        <LoginPanel roles={['user']} />
      </Page>
    );
  }

  // 4. Already a member: offer a transfer instead.
  if (hasRole(user, 'member')) {
    return (
      <Page title='申请转会'>
        {header}
        <View className='card' id='join-already-member'>
          <Text className='card-title'>你已是工会会员</Text>
          {user.memberNo && <View className='muted'>会员编号：{user.memberNo}</View>}
          {user.org && <View className='muted'>当前所在：{user.org.name}</View>}
          <View className='muted' style={{ marginTop: '8px' }}>
            如需把会籍转到「{lookup.orgName}」，可以申请转会。
          </View>
          <Banner id='join-error' message={banner} />
          <Button id='join-transfer' loading={submitting} onClick={() => void transfer()}>
            申请转会
          </Button>
          <Button kind='plain' id='join-view-card' onClick={() => void Taro.navigateTo({ url: '/pages/membership/card' })}>
            查看会员卡
          </Button>
        </View>
      </Page>
    );
  }

  // 5. The application form.
  return (
    <Page title='入会申请'>
      {header}
      <View className='card'>
        <Text className='card-title'>入会申请</Text>
        <Field
          id='join-name'
          label='姓名'
          required
          hint='与身份证一致'
          errorId='err-name'
          error={errors.name}
          value={form.name}
          onInput={(v) => set('name', v)}
          onBlur={() => blur('name')}
        />
        <Field
          id='join-id-number'
          label='身份证号'
          required
          keyboard='idcard'
          maxlength={18}
          hint='18位公民身份号码'
          errorId='err-idNumber'
          error={errors.idNumber}
          value={form.idNumber}
          onInput={(v) => set('idNumber', v)}
          onBlur={() => blur('idNumber')}
        />
        <Field
          id='join-mobile'
          label='手机号'
          required
          keyboard='tel'
          maxlength={11}
          hint='11位手机号'
          errorId='err-mobile'
          error={errors.mobile}
          value={form.mobile}
          onInput={(v) => set('mobile', v)}
          onBlur={() => blur('mobile')}
        />
        <Field id='join-occupation-field' label='职业' required errorId='err-occupation' error={errors.occupation}>
          <View className='chips' id='join-occupation' role='radiogroup' aria-label='职业'>
            {OCCUPATIONS.map((o) => (
              <Tap
                key={o}
                id={`join-occupation-${o}`}
                testId={`occupation-${o}`}
                role='radio'
                checked={form.occupation === o}
                className={`chip ${form.occupation === o ? 'chip-on' : ''}`}
                onClick={() => set('occupation', o)}
              >
                {OCCUPATION_LABELS[o]}
              </Tap>
            ))}
          </View>
        </Field>
        <Field
          id='join-platform'
          label='工作平台'
          hint='可直接点选下面的平台'
          placeholder='如 美团、饿了么、顺丰'
          errorId='err-platform'
          error={errors.platform}
          value={form.platform}
          onInput={(v) => set('platform', v)}
        />
        <View className='chips' style={{ marginTop: '-12px', marginBottom: '24px' }} role='radiogroup' aria-label='常见工作平台'>
          {PLATFORMS.map((p) => (
            <Tap key={p} role='radio' checked={form.platform === p} className={`chip ${form.platform === p ? 'chip-on' : ''}`} onClick={() => set('platform', p)}>
              {p}
            </Tap>
          ))}
        </View>
        <Field
          id='join-work-city'
          label='工作城市'
          placeholder='如 黄石市'
          errorId='err-workCity'
          error={errors.workCity}
          value={form.workCity}
          onInput={(v) => set('workCity', v)}
        />
        <View className='field'>
          <View className='consent-row'>
            <Tap
              id='join-consent'
              role='checkbox'
              checked={form.consent}
              className={`checkbox ${form.consent ? 'checkbox-on' : ''}`}
              onClick={() => set('consent', !form.consent)}
            >
              <View className='checkbox-box'>{form.consent ? '✓' : ''}</View>
              <Text>我已阅读并同意《个人信息处理规则》</Text>
            </Tap>
            <Tap
              className='link consent-view'
              id='join-privacy'
              onClick={() => void Taro.showModal({ title: '个人信息处理规则', content: PRIVACY_RULES, showCancel: false })}
            >
              查看规则
            </Tap>
          </View>
          <FieldError id='err-consent' message={errors.consent} />
        </View>
        <Banner id='join-error' message={banner} />
        <Button id='join-submit' loading={submitting} disabled={!lookup.acceptsApplications} onClick={() => void submit()}>
          提交申请
        </Button>
      </View>
    </Page>
  );
}
