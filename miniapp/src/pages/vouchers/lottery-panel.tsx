import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { type LotteryProof, type MemberCampaignView, type MemberLotteryView } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { getLotteryProof, getMemberLottery, registerForLottery } from '../../api/lottery';
import { Banner, Button, DateText, formatDateTime, StatusTag } from '../../components';
import { LOTTERY_STATE_LABELS, LOTTERY_STATE_TONES, OUTCOME_LABELS, OUTCOME_TONES, rulesText } from './lottery-labels';

/** Rows of the published list shown at a time. */
const PROOF_PAGE = 50;

/**
 * 摇号 on the member's campaign card: times and rules, the commitment published before registration closes,
 * 登记参加摇号 (after a confirmation), the member's status (已登记 / 中签 / 未中签) and pseudonymous id, and after the
 * draw the proof: commitment, seed and the list of registrations with the member's own id highlighted.
 */
export function LotteryPanel({ campaign }: { campaign: MemberCampaignView }) {
  const id = campaign.id;
  const [view, setView] = useState<MemberLotteryView | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [proof, setProof] = useState<LotteryProof | null>(null);
  const [shown, setShown] = useState(PROOF_PAGE);

  const load = useCallback(async () => {
    try {
      setView(await getMemberLottery(id));
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load, campaign]);

  const register = async () => {
    const { confirm } = await Taro.showModal({
      title: '登记参加摇号',
      content: `登记「${campaign.name}」的摇号？每人只能登记一次，${view ? `${formatDateTime(view.drawAt)} ` : ''}开奖，中签后券自动发到「我的券」。`,
      confirmText: '登记',
    });
    if (!confirm) return;
    setBusy(true);
    setNotice(null);
    try {
      const r = await registerForLottery(id);
      setNotice({ kind: 'success', text: `登记成功，您的摇号编号 ${r.pseudonymousId}` });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'LOTTERY_ALREADY_REGISTERED')) setNotice({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
      await load();
    }
  };

  const openProof = async () => {
    try {
      setProof(await getLotteryProof(id));
      setShown(PROOF_PAGE);
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    }
  };

  if (!view) return <Banner id={`lottery-error-${id}`} kind={notice?.kind} message={notice?.text} />;
  const mine = view.mine;
  const winners = new Set(proof?.winners.map((w) => w.id) ?? []);
  const myIndex = proof && mine ? proof.registrations.findIndex((r) => r.id === mine.pseudonymousId) : -1;
  return (
    <View className='v-lottery' id={`lottery-${id}`}>
      <View className='row'>
        <Text className='v-lottery-title'>摇号发放</Text>
        <StatusTag id={`lottery-state-${id}`} text={LOTTERY_STATE_LABELS[view.state]} tone={LOTTERY_STATE_TONES[view.state]} />
      </View>
      <View className='muted'>
        登记 <DateText value={view.registrationStartAt} /> 至 <DateText value={view.registrationEndAt} />
      </View>
      <View className='muted'>
        开奖 <DateText value={view.drawAt} /> · 已登记 <Text className='nowrap'>{view.registrations} 人</Text>
      </View>
      <View className='muted'>规则：{rulesText(view.rules)}</View>
      {view.commitment && (
        <View className='muted'>
          承诺值（种子的SHA-256）：<Text className='v-code-text' id={`lottery-commitment-${id}`}>{view.commitment}</Text>
        </View>
      )}
      {mine ? (
        <View className='v-lottery-mine'>
          <StatusTag id={`lottery-status-${id}`} text={OUTCOME_LABELS[mine.outcome]} tone={OUTCOME_TONES[mine.outcome]} />
          <Text className='muted'> 我的摇号编号 </Text>
          <Text className='v-code-text' id={`lottery-pid-${id}`}>{mine.pseudonymousId}</Text>
          {mine.weight > 1 && <Text className='muted'>（权重×{mine.weight}）</Text>}
          {mine.outcome === 'won' && (
            <Button kind='plain' id={`lottery-voucher-${id}`} onClick={() => void Taro.navigateTo({ url: '/pages/vouchers/mine' })}>
              券已发放，去「我的券」查看
            </Button>
          )}
        </View>
      ) : view.ineligibleReason ? (
        <View className='muted' id={`lottery-ineligible-${id}`}>{view.ineligibleReason}</View>
      ) : view.state === 'registering' ? (
        <Button id={`lottery-register-${id}`} loading={busy} onClick={() => void register()}>
          登记参加摇号
        </Button>
      ) : (
        <View className='muted' id={`lottery-status-${id}`}>{view.state === 'upcoming' ? '登记尚未开始' : '未登记'}</View>
      )}
      <Banner id={`lottery-banner-${id}`} kind={notice?.kind} message={notice?.text} />
      {view.state === 'drawn' && !proof && (
        <Button kind='plain' id={`lottery-proof-${id}`} onClick={() => void openProof()}>
          查看开奖公示
        </Button>
      )}
      {proof && (
        <View className='v-proof' id={`lottery-proof-view-${id}`}>
          <View className='card-title'>开奖公示</View>
          <View className='muted'>
            共 {proof.registrations.length} 人登记，{proof.winners.length} 人中签（开奖 <DateText value={proof.drawnAt} />）
          </View>
          <View className='muted'>承诺值：<Text className='v-code-text'>{proof.commitment}</Text></View>
          <View className='muted'>种子：<Text className='v-code-text' id={`lottery-seed-${id}`}>{proof.seed}</Text></View>
          <View className='muted'>算法：{proof.algorithm}。任何人可用 scripts/verify-lottery.mjs 按公示重算中签名单。</View>
          {myIndex >= 0 && <View className='muted' id={`lottery-my-index-${id}`}>您的编号在名单第 {myIndex + 1} 位</View>}
          {proof.registrations.map((r, i) => {
            const isMine = r.id === mine?.pseudonymousId;
            if (i >= shown && !isMine) return null;
            return (
              <View key={r.id} className={`v-proof-row${isMine ? ' v-proof-mine' : ''}`} id={isMine ? `proof-mine-${id}` : undefined} data-testid='proof-row'>
                <Text className='v-code-text'>{r.id}</Text>
                <Text className='muted'>{r.weight > 1 ? `×${r.weight}` : ''} {winners.has(r.id) ? '中签' : ''}</Text>
              </View>
            );
          })}
          {proof.registrations.length > shown && (
            <Button kind='plain' id={`proof-more-${id}`} onClick={() => setShown(shown + PROOF_PAGE)}>
              显示更多
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
