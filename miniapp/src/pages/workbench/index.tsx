import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { MembershipStats } from '@union/shared';
import { errorMessage } from '../../api/client';
import { getMembershipStats } from '../../api/membership';
import { Banner, Empty, LoginPanel, Page, Tap } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { AID_WORKBENCH_LINKS } from '../aid/workbench-links';
import { STATIONS_WORKBENCH_LINKS } from '../stations/workbench-links';
import { VOUCHERS_WORKBENCH_LINKS } from '../vouchers/workbench-links';

const MODULE_SECTIONS = [
  { key: 'aid', title: '一户一码帮扶', links: AID_WORKBENCH_LINKS },
  { key: 'stations', title: '户外劳动者服务站', links: STATIONS_WORKBENCH_LINKS },
  { key: 'vouchers', title: '消费券', links: VOUCHERS_WORKBENCH_LINKS },
].filter((s) => s.links.length > 0);

const go = (url: string) => Taro.navigateTo({ url });

/** A module link may carry `count`: a figure shown beside it. */
const countOf = (link: object) => (link as { count?: () => Promise<string> }).count;

/** A module link's figure (e.g. 待受理 3), loaded when the workbench shows; nothing when it fails. */
function LinkCount({ id, load }: { id: string; load: () => Promise<string> }) {
  const [text, setText] = useState<string | null>(null);
  useLoadOnShow(() => void load().then(setText, () => setText(null)));
  return text ? <Text className='badge' id={id}>{text}</Text> : <Text className='muted'>›</Text>;
}

export default function WorkbenchPage() {
  const { user, refresh } = useSession();
  const isStaff = hasRole(user, 'union_staff');
  const [stats, setStats] = useState<MembershipStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setStats(await getMembershipStats());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isStaff);

  if (!user) {
    return (
      <Page title='工作台'>
        <LoginPanel roles={['union_staff']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (!isStaff) {
    return (
      <Page title='工作台'>
        <Empty text='仅工会工作人员可使用工作台。如需开通，请联系所在工会。' />
      </Page>
    );
  }

  return (
    <Page title='工作台'>
      {user.org && <View className='muted' style={{ marginBottom: '12px' }}>{user.org.name}</View>}
      <Banner message={error} />
      <View className='card'>
        <Tap className='menu-item' id='wb-review' onClick={() => void go('/pages/membership/review')}>
          <Text>入会审核</Text>
          {stats ? (
            <Text className='badge' id='wb-pending'>
              待审核 {stats.pendingApplications}
            </Text>
          ) : (
            <Text className='muted'>›</Text>
          )}
        </Tap>
        <Tap className='menu-item' id='wb-stats' onClick={() => void go('/pages/membership/stats')}>
          <Text>会员统计</Text>
          <Text className='muted'>{stats ? `会员 ${stats.totalMembers} 人 ›` : '›'}</Text>
        </Tap>
        <Tap className='menu-item' id='wb-join-codes' onClick={() => void go('/pages/membership/join-codes')}>
          <Text>入会二维码</Text>
          <Text className='muted'>›</Text>
        </Tap>
      </View>
      {MODULE_SECTIONS.map((section) => (
        <View className='card' key={section.key} id={`wb-section-${section.key}`}>
          <View className='card-title'>{section.title}</View>
          {section.links.map((link) => (
            <Tap className='menu-item' key={link.id} id={link.id} onClick={() => void go(link.url)}>
              <Text>{link.label}</Text>
              {countOf(link) ? <LinkCount id={`${link.id}-count`} load={countOf(link)!} /> : <Text className='muted'>›</Text>}
            </Tap>
          ))}
        </View>
      ))}
    </Page>
  );
}
