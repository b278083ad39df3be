import { Injectable } from '@nestjs/common';
import { InvalidationBus } from '../../common/invalidation-bus';
import { currentRound } from '@union/shared';
import { remainingNow } from './rounds';
import { Campaign, VoucherType } from './entities/campaign.entity';
import { VouchersRepository } from './vouchers.repository';

/** How long a process trusts the campaign and types it holds without hearing of a change (ms). */
export const CLAIM_RULES_TTL_MS = 1000;

/** The sold-out flag's key: a type in a release round (0 without rounds). */
export const soldOutKey = (typeId: number, round: number) => `${typeId}@${round}`;

/** A campaign's rules as the claim path uses them, with the sold-out flags this process has learned. */
export interface ClaimRules {
  campaign: Campaign;
  types: Map<number, VoucherType>;
  /**
   * `typeId@round` (see {@link soldOutKey}) of the types this process knows to be sold out in a release round (round 0
   * without rounds): set from the loaded row or a failed stock update; cleared by the next load.
   */
  soldOut: Set<string>;
  loadedAt: number;
}

/**
 * The claim path's copy of campaigns and their voucher types (面额, 库存, 限领), in memory.
 *
 * An entry lives at most {@link CLAIM_RULES_TTL_MS} (1 s), and is dropped at once when any process
 * publishes `campaign` <id> on the {@link InvalidationBus} (edit, stock top-up, publish, close): so
 * an edit, top-up or close takes effect within 1 s in every process, with or without Redis.
 * Concurrent misses share one load (2 SELECTs: campaign, types; org paths are memoised by the repository). Stock itself is never decided here: the database's
 * conditional UPDATE is the source of truth; the sold-out flag only answers early once this
 * process has seen the stock gone, and a reload (TTL or top-up) clears it.
 */
@Injectable()
export class ClaimRulesCache {
  private readonly entries = new Map<number, ClaimRules>();
  private readonly loading = new Map<number, Promise<ClaimRules | null>>();
  /** Bumped on every invalidation, so a load that started before it is not stored. */
  private generation = 0;

  constructor(private readonly repo: VouchersRepository, bus: InvalidationBus) {
    bus.on('campaign', (id) => {
      this.generation++;
      this.entries.delete(id);
      this.loading.delete(id);
    });
  }

  /** The campaign's rules (null when it does not exist). Reads the database only on a miss or after 1 s. */
  async get(campaignId: number): Promise<ClaimRules | null> {
    const hit = this.entries.get(campaignId);
    if (hit && Date.now() - hit.loadedAt < CLAIM_RULES_TTL_MS) return hit;
    let pending = this.loading.get(campaignId);
    if (!pending) {
      const generation = this.generation;
      pending = this.load(campaignId).then((rules) => {
        if (this.loading.get(campaignId) === pending) this.loading.delete(campaignId);
        if (rules && generation === this.generation) this.entries.set(campaignId, rules);
        else this.entries.delete(campaignId);
        return rules;
      }, (e) => {
        if (this.loading.get(campaignId) === pending) this.loading.delete(campaignId);
        throw e;
      });
      this.loading.set(campaignId, pending);
    }
    return pending;
  }

  /** Records that the database refused stock for `typeId` in `round`: this process answers sold out without a write until the next load. */
  markSoldOut(campaignId: number, typeId: number, round = 0): void {
    this.entries.get(campaignId)?.soldOut.add(soldOutKey(typeId, round));
  }

  private async load(campaignId: number): Promise<ClaimRules | null> {
    const loadedAt = Date.now();
    const campaign = await this.repo.findCampaign(campaignId);
    if (!campaign) return null;
    const types = await this.repo.findTypes([campaignId]);
    const now = new Date();
    const round = Math.max(0, currentRound(campaign, now)?.index ?? 0);
    return {
      campaign, loadedAt,
      types: new Map(types.map((t) => [t.id, t])),
      soldOut: new Set(types.filter((t) => remainingNow(campaign, t, now) === 0).map((t) => soldOutKey(t.id, round))),
    };
  }
}
