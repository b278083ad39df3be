import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Role, UserView } from '@union/shared';
import { getAuthConfig, devLogin } from '../api/auth';
import { errorMessage } from '../api/client';
import { loginWithWechat, platformLogin } from '../platform';
import { saveLogin } from '../session';
import { Button } from './Button';
import { Field } from './Field';
import { Banner, Loading } from './States';
import { Tap } from './Tap';
import './components.css';

const ROLE_LABELS: Record<Role, string> = {
  user: '职工',
  union_staff: '工会工作人员',
  merchant_clerk: '商户店员',
  station_keeper: '驿站站长',
  admin: '管理员',
};

interface LoginPanelProps {
  /** Roles offered by the H5 dev-login picker; the first is preselected. */
  roles?: Role[];
  onLoggedIn?: (user: UserView) => void;
}

/**
 * Login: WeChat on weapp; on H5 the dev-login role picker when the server allows it,
 * otherwise a note to open the page in WeChat.
 */
export function LoginPanel({ roles = ['user', 'union_staff'], onLoggedIn }: LoginPanelProps) {
  const [devLoginOn, setDevLoginOn] = useState<boolean | null>(loginWithWechat ? false : null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [userKey, setUserKey] = useState('');
  const [role, setRole] = useState<Role>(roles[0]);
  const [orgCode, setOrgCode] = useState('HB-HS');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadConfig = () => {
    setConfigError(null);
    setDevLoginOn(null);
    getAuthConfig()
      .then((c) => setDevLoginOn(!!c.devLogin))
      .catch((e) => setConfigError(errorMessage(e)));
  };

  useEffect(() => {
    if (!loginWithWechat) loadConfig();
  }, []);

  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      let res;
      if (loginWithWechat) {
        res = await platformLogin();
      } else {
        const key = userKey.trim();
        if (!key) {
          setError('请输入用户标识');
          return;
        }
        if (role !== 'user' && role !== 'admin' && !orgCode.trim()) {
          setError('请输入所属工会编码');
          return;
        }
        res = await devLogin({ userKey: key, role, orgCode: role !== 'user' && role !== 'admin' ? orgCode.trim() : undefined });
      }
      saveLogin(res);
      onLoggedIn?.(res.user);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (loginWithWechat) {
    return (
      <View className='card login-panel'>
        <Text className='card-title'>登录</Text>
        <Banner message={error} />
        <Button id='login-submit' loading={busy} onClick={() => void submit()}>
          微信一键登录
        </Button>
      </View>
    );
  }

  if (configError) {
    return (
      <View className='card login-panel'>
        <Banner message={configError} />
        <Button kind='plain' id='login-retry' onClick={loadConfig}>
          重试
        </Button>
      </View>
    );
  }
  if (devLoginOn === null) return <Loading />;
  if (!devLoginOn) {
    return (
      <View className='card login-panel' data-testid='open-in-wechat'>
        <Text>请在微信中打开</Text>
      </View>
    );
  }

  return (
    <View className='card login-panel' data-testid='login-panel'>
      <Text className='card-title'>登录</Text>
      <View className='hint'>测试环境登录：输入任意用户标识并选择身份</View>
      <Field id='login-userkey' label='用户标识' required placeholder='例如 rider-001' value={userKey} onInput={setUserKey} />
      {roles.length > 1 && (
        <Field id='login-role-field' label='身份' required>
          <View className='chips' id='login-role' role='radiogroup' aria-label='身份'>
            {roles.map((r) => (
              <Tap key={r} id={`login-role-${r}`} role='radio' checked={role === r} className={`chip ${role === r ? 'chip-on' : ''}`} onClick={() => setRole(r)}>
                {ROLE_LABELS[r] ?? r}
              </Tap>
            ))}
          </View>
        </Field>
      )}
      {role !== 'user' && role !== 'admin' && (
        <Field id='login-orgcode' label='所属工会编码' required hint='测试环境用，如 HB-HS' value={orgCode} onInput={setOrgCode} />
      )}
      <Banner id='login-error' message={error} />
      <Button id='login-submit' loading={busy} onClick={() => void submit()}>
        登录
      </Button>
    </View>
  );
}
