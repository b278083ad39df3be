import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { MONTH_AID_STATUS_LABELS, validateIdLast6, validatePersonName, type HouseholdCodeLookup } from '@union/shared';
import { bindHousehold, lookupHouseholdCode } from '../../api/aid';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, Button, DateText, ErrorState, Field, Loading, LoginPanel, Page, Tap } from '../../components';
import { useSession } from '../../session';
import { go } from './ui';

/**
 * 帮扶查询: the landing page of the household code (`/#/pages/aid/code?c=…`, a public contract printed on
 * every 明白卡). Shows the masked name, the org and 12 months of status without amounts; 绑定 proves
 * belonging (name + last 6 ID characters) and leads to 我的帮扶. One primary action per screen (长辈模式 rule):
 * 绑定 on the months screen, 确认绑定 on the bind form.
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
      <Page title='帮扶查询'>
        <View className='card' id='code-error'>
          <Text className='card-title'>{error.revoked ? '帮扶码已失效' : '无法查询'}</Text>
          {error.revoked && <View>这张明白卡已换发新卡，请扫描新卡上的二维码，或向所在工会索取新卡。</View>}
        </View>
        {/* why (the server's reason) and what to do per status: 404/410 no retry + hotline, 429 wait, offline retry */}
        <ErrorState error={error.cause} message={error.message} onRetry={error.cause ? load : undefined} />
      </Page>
    );
  }
  if (!info) {
    return (
      <Page title='帮扶查询'>
        <Loading />
      </Page>
    );
  }

  return (
    <Page title='帮扶查询' className='page-aid-code'>
      <View className='aid-hero'>
        <Text className='aid-hero-name' id='code-name'>户主：{info.headNameMasked}</Text>
        <Text className='aid-hero-sub' id='code-org'>{info.orgName}</Text>
        {!info.active && <Text className='aid-hero-sub'>该家庭已解困脱困</Text>}
      </View>
      {!binding && (
        <View className='card'>
          <Text className='card-title'>近12个月补助发放情况</Text>
          <View className='aid-months' id='code-months'>
            {info.months.map((m) => (
              <View key={m.period} className={`aid-month aid-month-${m.status}`} id={`code-month-${m.period}`}>
                <DateText className='aid-month-label' mode='month' value={m.period} />
                <Text className='aid-month-status'>{MONTH_AID_STATUS_LABELS[m.status]}</Text>
              </View>
            ))}
          </View>
          <View className='aid-note'>金额等详细信息仅本户绑定后可见。</View>
        </View>
      )}
      {!binding ? (
        user ? (
          <Button id='code-link-my' onClick={() => go('/pages/aid/my')}>
            查看我的帮扶
          </Button>
        ) : (
          <Button id='code-bind-start' onClick={() => setBinding(true)}>
            绑定，查看详细帮扶信息
          </Button>
        )
      ) : !user ? (
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      ) : null}
      {user && !binding && (
        <Tap className='menu-item' id='code-bind-start' onClick={() => setBinding(true)}>
          <Text>绑定本户</Text>
          <Text aria-hidden='true'>›</Text>
        </Tap>
      )}
      {binding && user && (
        <View className='card' id='code-bind-form'>
          <Text className='card-title'>绑定本户</Text>
          <Field
            id='code-bind-name'
            label='户主姓名'
            required
            hint='与身份证一致'
            value={name}
            error={errors.name}
            errorId='err-bind-name'
            onInput={setName}
          />
          <Field
            id='code-bind-id'
            label='户主身份证号后6位'
            required
            hint='最后一位是X的请填X'
            keyboard='idcard'
            maxlength={6}
            value={idLast6}
            error={errors.idLast6}
            errorId='err-bind-id'
            onInput={setIdLast6}
          />
          <Banner id='code-bind-banner' message={banner} />
          <Button id='code-bind-submit' loading={busy} onClick={() => void submit()}>
            确认绑定
          </Button>
          <View className='aid-note'>连续输错5次将锁定1小时。</View>
        </View>
      )}
      {binding && (
        <Tap className='menu-item' id='code-bind-cancel' onClick={() => setBinding(false)}>
          <Text>返回发放情况</Text>
          <Text aria-hidden='true'>›</Text>
        </Tap>
      )}
      <View className='aid-hotline'>工会服务热线 {info.hotline}</View>
    </Page>
  );
}
