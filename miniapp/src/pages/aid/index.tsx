import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Banner, LoginPanel, ScanButton } from '../../components';
import { hasRole, useSession } from '../../session';
import { go } from './ui';

/** Pulls a household code out of a scanned or pasted card URL (`…/pages/aid/code?c=…`) or takes it as is. */
export function extractHouseholdCode(text: string): string {
  const t = text.trim();
  const m = t.match(/[?&](?:c|scene)=([^&#]+)/);
  if (!m) return t;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** Entry of 一户一码: a worker enters or scans the household code, or opens 我的帮扶; staff go to the workbench. */
export default function AidIndexPage() {
  const { user, refresh } = useSession();
  const isStaff = hasRole(user, 'union_staff');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);

  const open = (text: string) => {
    const code = extractHouseholdCode(text);
    if (!code) {
      setError('请输入或扫描明白卡上的帮扶码');
      return;
    }
    setError(null);
    void go(`/pages/aid/code?c=${encodeURIComponent(code)}`);
  };

  return (
    <View className='page'>
      <View className='page-title'>一户一码帮扶</View>
      <View className='card'>
        <Text className='card-title'>帮扶查询</Text>
        <View className='muted' style={{ marginBottom: '12px' }}>
          扫描家中明白卡上的二维码，或输入卡上的帮扶码，查看每月补助发放情况。
        </View>
        <ScanButton id='aid-scan' label='扫码查询' primary onScan={open} />
        <View className='muted' style={{ margin: '12px 0 4px' }}>或输入卡上的帮扶码：</View>
        <Input id='aid-code-input' className='input' placeholder='粘贴帮扶码或明白卡链接' value={typed} onInput={(e) => setTyped(e.detail.value)} />
        <Banner message={error} />
        <Button className='btn btn-plain' id='aid-code-submit' onClick={() => open(typed)}>
          查询
        </Button>
      </View>
      {user ? (
        <View className='card'>
          <View className='menu-item' id='aid-link-apply' onClick={() => go('/pages/aid/apply')}>
            <Text>申请帮扶</Text>
            <Text className='muted'>›</Text>
          </View>
          <View className='menu-item' id='aid-link-my-applications' onClick={() => go('/pages/aid/my-applications')}>
            <Text>我的申请</Text>
            <Text className='muted'>›</Text>
          </View>
          <View className='menu-item' id='aid-link-notice' onClick={() => go('/pages/aid/notice')}>
            <Text>帮扶公示</Text>
            <Text className='muted'>›</Text>
          </View>
          <View className='menu-item' id='aid-link-my' onClick={() => go('/pages/aid/my')}>
            <Text>我的帮扶</Text>
            <Text className='muted'>›</Text>
          </View>
          {isStaff && (
            <View className='menu-item' id='aid-link-workbench' onClick={() => go('/pages/workbench/index')}>
              <Text>工作台（档案、发放、监测）</Text>
              <Text className='muted'>›</Text>
            </View>
          )}
        </View>
      ) : (
        <LoginPanel roles={['user', 'union_staff']} onLoggedIn={() => void refresh()} />
      )}
      <View className='muted'>工会服务热线 12351</View>
    </View>
  );
}
