import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { LotteryView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { drawLottery, getManagedLottery, lotteryProofPath } from '../../api/lottery';
import { Banner, Button, DateText, Empty, ErrorState, Loading, Page, StatusTag } from '../../components';
import { hasRole, useSession } from '../../session';
import { LOTTERY_STATE_LABELS, LOTTERY_STATE_TONES, rulesText } from './lottery-labels';
import './vouchers.css';

/**
 * 摇号开奖 (staff, `pages/vouchers/lottery?id=`): the lottery of one campaign — times, rules, the published commitment,
 * registrations so far — and 开奖 (after a confirmation; refused before the draw time, and a second time). After the
 * draw: the seed, the number of winners and the public proof's address for scripts/verify-lottery.mjs.
 */
export default function LotteryManagePage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const id = Number(useRouter().params.id);
  const [view, setView] = useState<LotteryView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await getManagedLottery(id));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    if (isStaff && id > 0) void load();
  }, [isStaff, id, load]);

  const draw = async (v: LotteryView) => {
    const { confirm } = await Taro.showModal({
      title: '开奖',
      content: `按公布的规则从 ${v.registrations} 名登记者中摇号，中签者立即获得消费券。开奖只能进行一次，确认开奖？`,
      confirmText: '开奖',
    });
    if (!confirm) return;
    setBusy(true);
    setNotice(null);
    try {
      const after = await drawLottery(id);
      setView(after);
      setNotice({ kind: 'success', text: `已开奖：${after.winners} 人中签` });
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  if (!isStaff) {
    return (
      <Page title='摇号开奖'>
        <Empty text='仅工会工作人员可以开奖' />
      </Page>
    );
  }
  if (!(id > 0)) {
    return (
      <Page title='摇号开奖'>
        <Empty text='请从活动管理中选择一个摇号活动'>
          <Button kind='plain' id='lt-go-campaigns' onClick={() => void Taro.redirectTo({ url: '/pages/vouchers/campaigns' })}>
            去活动管理
          </Button>
        </Empty>
      </Page>
    );
  }
  if (!view) return <Page title='摇号开奖'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading />}</Page>;
  return (
    <Page title='摇号开奖' id='lt-page'>
      <Banner id='lt-banner' kind={notice?.kind} message={notice?.text} />
      <View className='card'>
        <View className='row'>
          <Text className='row-label'>状态</Text>
          <StatusTag id='lt-state' text={LOTTERY_STATE_LABELS[view.state]} tone={LOTTERY_STATE_TONES[view.state]} />
        </View>
        <View className='row'>
          <Text className='row-label'>登记时间</Text>
          <View className='row-value'>
            <DateText value={view.registrationStartAt} /> 至 <DateText value={view.registrationEndAt} />
          </View>
        </View>
        <View className='row'>
          <Text className='row-label'>开奖时间</Text>
          <View className='row-value'>
            <DateText value={view.drawAt} />
          </View>
        </View>
        <View className='row'>
          <Text className='row-label'>登记情况</Text>
          <Text className='row-value' id='lt-registrations'>
            已登记 {view.registrations} 人
          </Text>
        </View>
        <View className='v-para'>规则：{rulesText(view.rules)}</View>
        <View className='v-para'>
          承诺值（种子的SHA-256）：<Text className='v-code-text' id='lt-commitment'>{view.commitment ?? '发布活动时生成'}</Text>
        </View>
        {view.drawnAt && (
          <View>
            <View className='v-para' id='lt-winners'>
              <DateText value={view.drawnAt} /> 开奖，{view.winners} 人中签
            </View>
            <View className='v-para'>
              种子：<Text className='v-code-text' id='lt-seed'>{view.seed}</Text>
            </View>
            <View className='v-para'>
              开奖公示：<Text className='v-code-text'>{lotteryProofPath(id)}</Text>
            </View>
            <View className='v-para'>任何人可运行 node scripts/verify-lottery.mjs 加公示地址，重算中签名单并核对承诺值。</View>
          </View>
        )}
      </View>
      {!view.drawnAt && view.state !== 'draft' && (
        <Button id='lt-draw' loading={busy} onClick={() => void draw(view)}>
          开奖
        </Button>
      )}
    </Page>
  );
}
