import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { getUnreadCount } from '../../api/messages';
import { Button, ElderSwitch, LoginPanel, Page, Tap } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, logout, useSession } from '../../session';

interface Tile {
  key: string;
  icon: string;
  title: string;
  sub: string;
  url?: string;
}

const TILES: Tile[] = [
  { key: 'join', icon: '会', title: '入会', sub: '扫码申请加入工会', url: '/pages/join/index' },
  { key: 'aid', icon: '帮', title: '一户一码帮扶', sub: '困难职工帮扶', url: '/pages/aid/index' },
  { key: 'stations', icon: '站', title: '户外劳动者服务站', sub: '歇脚 喝水 充电', url: '/pages/stations/index' },
  { key: 'vouchers', icon: '券', title: '消费券', sub: '爱心消费券', url: '/pages/vouchers/index' },
];

const go = (url: string) => Taro.navigateTo({ url });

export default function IndexPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff');
  const isMember = hasRole(user, 'member');
  const [unread, setUnread] = useState(0);
  // the badge is a hint: a failed count leaves it as it was
  useLoadOnShow(() => void getUnreadCount().then((r) => setUnread(r.unread), () => undefined), !!user);

  const openTile = (t: Tile) => {
    if (t.url) void go(t.url);
    else void Taro.showToast({ title: '即将上线', icon: 'none' });
  };

  return (
    <Page title='工会服务' back={false}>
      <View className='hero'>
        <Text className='hero-title'>职工之家 · 工会服务</Text>
        <Text className='hero-sub'>新就业形态劳动者入会、帮扶、驿站、消费券</Text>
      </View>
      <ElderSwitch />

      <View className='tiles'>
        {TILES.map((t) => (
          <Tap key={t.key} className='tile' id={`tile-${t.key}`} onClick={() => openTile(t)}>
            <Text className='tile-icon' aria-hidden='true'>{t.icon}</Text>
            <Text className='tile-title'>{t.title}</Text>
            <Text className='tile-sub'>{t.url ? t.sub : '即将上线'}</Text>
          </Tap>
        ))}
      </View>

      {user ? (
        <View className='card' id='session-card'>
          <View className='row'>
            <Text className='card-title' id='session-name'>
              {user.displayName}
            </Text>
            <Text className='tag'>{isStaff ? '工会工作人员' : isMember ? '工会会员' : '职工'}</Text>
          </View>
          {user.org && <View className='muted'>{user.org.name}</View>}
          {user.memberNo && <View className='muted'>会员编号：{user.memberNo}</View>}
          <View className='menu'>
            <Tap className='menu-item' id='link-messages' onClick={() => void go('/pages/messages/index')}>
              <Text>消息</Text>
              {unread > 0 ? <Text className='badge' id='messages-badge'>{unread > 99 ? '99+' : unread}</Text> : <Text className='muted'>›</Text>}
            </Tap>
            <Tap className='menu-item' id='link-card' onClick={() => void go('/pages/membership/card')}>
              <Text>我的会员卡</Text>
              <Text className='muted'>›</Text>
            </Tap>
            <Tap className='menu-item' id='link-progress' onClick={() => void go('/pages/membership/progress')}>
              <Text>申请进度</Text>
              <Text className='muted'>›</Text>
            </Tap>
            {isStaff && (
              <Tap className='menu-item' id='link-workbench' onClick={() => void go('/pages/workbench/index')}>
                <Text>工作台</Text>
                <Text className='muted'>›</Text>
              </Tap>
            )}
          </View>
          <ElderSwitch id='elder-switch-me' />
          <Button kind='plain' id='logout' onClick={logout}>
            退出登录
          </Button>
        </View>
      ) : (
        <LoginPanel roles={['user', 'union_staff', 'merchant_clerk', 'station_keeper', 'admin']} />
      )}
    </Page>
  );
}
