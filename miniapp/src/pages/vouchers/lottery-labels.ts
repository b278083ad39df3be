import type { LotteryRegistrationView, LotteryRules, LotteryState } from '@union/shared';
import type { StatusTone } from '../../components';

/** Words for the lottery's state and a registration's outcome (摇号). */
export const LOTTERY_STATE_LABELS: Record<LotteryState, string> = {
  draft: '草稿', upcoming: '未开始登记', registering: '登记中', awaiting_draw: '登记已截止，待开奖', drawn: '已开奖',
};
export const OUTCOME_LABELS: Record<LotteryRegistrationView['outcome'], string> = { registered: '已登记', won: '中签', lost: '未中签' };
/** The colour of each state / outcome on its StatusTag (the words are always there too). */
export const LOTTERY_STATE_TONES: Record<LotteryState, StatusTone> = {
  draft: 'neutral', upcoming: 'info', registering: 'success', awaiting_draw: 'pending', drawn: 'neutral',
};
export const OUTCOME_TONES: Record<LotteryRegistrationView['outcome'], StatusTone> = { registered: 'pending', won: 'success', lost: 'neutral' };

/** The published rules in words. */
export function rulesText(r: LotteryRules): string {
  const parts = ['每人限登记一次，中签者得一张券'];
  if (r.hardshipWeight > 1) parts.push(`困难职工家庭中签权重×${r.hardshipWeight}`);
  if (r.previousCampaignId && r.previousLoserWeight > 1) parts.push(`上期摇号未中签者权重×${r.previousLoserWeight}`);
  return parts.join('；');
}
