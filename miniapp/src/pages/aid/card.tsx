import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { HouseholdCardView } from '@union/shared';
import { getHouseholdCard } from '../../api/aid';
import { errorMessage } from '../../api/client';
import { Button, DateText, Empty, ErrorState, Loading, Page, Qr } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { isH5, printPage } from '../../platform';
import { hasRole, useSession } from '../../session';
import './aid.css';

/** 明白卡打印: the household's card with the QR (content: the code page URL), the org and the 12351 hotline. */
export default function AidCardPage() {
  const id = Number(useRouter().params.id);
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [card, setCard] = useState<HouseholdCardView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setCard(await getHouseholdCard(id));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useLoadOnShow(() => void load(), isStaff && id > 0);

  if (!isStaff) return <Page title='明白卡打印'><Empty text='仅工会工作人员可打印明白卡' /></Page>;
  if (error) return <Page title='明白卡打印'><ErrorState message={error} onRetry={load} /></Page>;
  if (!card) return <Page title='明白卡打印'><Loading /></Page>;
  return (
    <Page title='明白卡打印'>
      <View className='aid-print-card' id='aid-card'>
        <View className='aid-print-title'>困难职工帮扶明白卡</View>
        <View className='card-title' id='aid-card-org'>{card.orgName}</View>
        <View>户主：{card.headNameMasked}</View>
        <View className='aid-print-qr' id='aid-card-qr'>
          <Qr text={card.url} size={220} />
        </View>
        <View className='muted'>微信扫一扫，查看每月补助发放情况</View>
        <View className='aid-print-hotline'>工会服务热线 {card.hotline}</View>
        <View className='muted'>第{card.codeVersion}版 · <DateText mode='date' value={card.issuedAt} /> 发卡</View>
      </View>
      {isH5 && (
        <Button className='aid-no-print' id='aid-card-print' onClick={() => printPage()}>
          打印明白卡
        </Button>
      )}
      <View className='aid-note aid-no-print'>卡片遗失时请在档案页“补发帮扶码”，旧卡随即失效。</View>
    </Page>
  );
}
