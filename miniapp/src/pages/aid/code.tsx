import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { MONTH_AID_STATUS_LABELS, validateIdLast6, validatePersonName, type HouseholdCodeLookup } from '@union/shared';
import { bindHousehold, lookupHouseholdCode } from '../../api/aid';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, ErrorState, FieldError, Loading, LoginPanel } from '../../components';
import { useSession } from '../../session';
import { go } from './ui';

/**
 * 帮扶查询: the landing page of the household code (`/#/pages/aid/code?c=…`, a public contract printed on
 * every 明白卡). Shows the masked name, the org and 12 months of status without amounts; 绑定 proves
 * belonging (name + last 6 ID characters) and leads to 我的帮扶.
 */
export default function AidCodePage() {
  const router = useRouter();
  const code = decodeURIComponent(router.params.c ?? '');
  const { user, refresh } = useSession();
  const [info, setInfo] = useState<HouseholdCodeLookup | null>(null);
  const [error, setError] = useState<{ message: string; revoked: boolean; cause?: unknown } | null>(null);
  const [binding, setBinding] = useState(false);
  const [name, setName] = useState('');
  const [idLast6, setIdLast6] = useState('');
  const [errors, setErrors] = useState<{ name?: string | null; idLast6?: string | null }>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    if (!code) {
      setError({ message: '缺少帮扶码，请重新扫描明白卡', revoked: false });
      return;
    }
    try {
      setInfo(await lookupHouseholdCode(code));
    } catch (e) {
      setError({ message: errorMessage(e), revoked: e instanceof ApiError && e.code === 'HOUSEHOLD_CODE_REVOKED', cause: e });
    }
  }, [code]);
  useEffect(() => void load(), [load]);

  const submit = async () => {
    const next = { name: validatePersonName(name), idLast6: validateIdLast6(idLast6) };
    setErrors(next);
    if (next.name || next.idLast6) return;
    setBusy(true);
    setBanner(null);
    try {
      await bindHousehold({ code, name: name.trim(), idLast6: idLast6.trim().toUpperCase() });
      await Taro.showToast({ title: '绑定成功', icon: 'success' });
      void Taro.redirectTo({ url: '/pages/aid/my' });
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) {
        setErrors(Object.fromEntries(e.fieldErrors.map((f) => [f.field, f.message])));
      } else setBanner(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    return (
      <View className='page'>
        <View className='card' id='code-error'>
          <Text className='card-title'>{error.revoked ? '帮扶码已失效' : '无法查询'}</Text>
        </View>
        {/* why (the server's reason) and what to do per status: 404/410 no retry + hotline, 429 wait, offline retry */}
        <ErrorState error={error.cause} message={error.message} onRetry={error.cause ? load : undefined} />
      </View>
    );
  }
  if (!info) return <Loading />;

  return (
    <View className='page'>
      <View className='aid-hero'>
        <Text className='aid-hero-name' id='code-name'>户主：{info.headNameMasked}</Text>
        <Text className='aid-hero-sub' id='code-org'>{info.orgName}</Text>
        {!info.active && <Text className='aid-hero-sub'>该家庭已解困脱困</Text>}
      </View>
      <View className='card'>
        <Text className='card-title'>近12个月补助发放情况</Text>
        <View className='aid-months' id='code-months'>
          {info.months.map((m) => (
            <View key={m.period} className={`aid-month aid-month-${m.status}`} id={`code-month-${m.period}`}>
              <Text className='aid-month-label'>
                {m.period.slice(0, 4)}年{Number(m.period.slice(5))}月
              </Text>
              <Text>{MONTH_AID_STATUS_LABELS[m.status]}</Text>
            </View>
          ))}
        </View>
        <View className='muted' style={{ marginTop: '12px' }}>
          金额等详细信息仅本户绑定后可见。
        </View>
      </View>
      {!binding ? (
        <Button className='btn btn-primary' id='code-bind-start' onClick={() => setBinding(true)}>
          绑定，查看详细帮扶信息
        </Button>
      ) : !user ? (
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      ) : (
        <View className='card' id='code-bind-form'>
          <Text className='card-title'>绑定本户</Text>
          <View className='field'>
            <Text className='field-label'>户主姓名</Text>
            <Input id='code-bind-name' className={`input ${errors.name ? 'input-invalid' : ''}`} value={name} placeholder='与身份证一致' onInput={(e) => setName(e.detail.value)} />
            <FieldError id='err-bind-name' message={errors.name} />
          </View>
          <View className='field'>
            <Text className='field-label'>户主身份证号后6位</Text>
            <Input id='code-bind-id' className={`input ${errors.idLast6 ? 'input-invalid' : ''}`} type='idcard' maxlength={6} value={idLast6} onInput={(e) => setIdLast6(e.detail.value)} />
            <FieldError id='err-bind-id' message={errors.idLast6} />
          </View>
          <Banner id='code-bind-banner' message={banner} />
          <Button className='btn btn-primary' id='code-bind-submit' loading={busy || undefined} disabled={busy || undefined} onClick={() => void submit()}>
            确认绑定
          </Button>
          <View className='muted'>连续输错5次将锁定1小时。</View>
        </View>
      )}
      {user && (
        <View className='menu-item' id='code-link-my' onClick={() => go('/pages/aid/my')}>
          <Text>我的帮扶</Text>
          <Text className='muted'>›</Text>
        </View>
      )}
      <View className='muted'>工会服务热线 {info.hotline}</View>
    </View>
  );
}
