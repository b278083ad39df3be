import { currentRound, MemberCampaignView } from '@union/shared';
import type { Campaign, VoucherType } from './entities/campaign.entity';

/*
 * Release rounds (分轮发放, issue 15 item 2). Round k (0-based) opens at claimStartAt + k × roundIntervalMinutes
 * (`currentRound` in @union/shared); each releases every type's `roundQuantity`. Rolled over, round k offers everything
 * released so far that is still unclaimed; lapsing, only what round k released less what it gave out. The claim path
 * enforces this in its one stock UPDATE (VouchersRepository.takeStock); these functions describe it to readers.
 */

/**
 * What a type has left to claim at `now`: the rest of its stock, and with release rounds only what the current round
 * released (rolled over: every round so far; lapsing: this round's, less what this round gave out). 0 before the first round.
 */
export function remainingNow(c: Campaign, t: VoucherType, now: Date): number {
  const total = Math.max(0, t.quantity - t.claimed);
  const round = currentRound(c, now);
  if (!round || !t.roundQuantity) return total;
  if (round.index < 0) return 0;
  if (c.roundRollover) return Math.max(0, Math.min(total, (round.index + 1) * t.roundQuantity - t.claimed));
  const claimedThisRound = t.roundNo === round.index ? t.roundClaimed : t.roundNo > round.index ? t.roundQuantity : 0;
  return Math.max(0, Math.min(total, t.roundQuantity - claimedThisRound));
}

/** The member's view of the round open at `now` (1-based), null without rounds. */
export const roundView = (c: Campaign, now: Date): MemberCampaignView['round'] => {
  const r = currentRound(c, now);
  return r && { index: r.index + 1, count: r.count, nextAt: r.nextAt?.toISOString() ?? null };
};

