/**
 * Lottery mode (摇号) of voucher campaigns (issue 15 item 4): members register interest during a window, at the
 * draw time the stock is allocated by a published, checkable draw. Times ISO UTC. See docs/vouchers.md, "Lottery".
 */

/** How a campaign hands out its stock: first come first served (claims) or a lottery (registration + draw). */
export type CampaignAllocation = 'first_come' | 'lottery';
export const CAMPAIGN_ALLOCATIONS: CampaignAllocation[] = ['first_come', 'lottery'];

/**
 * Name and version of the draw algorithm (written into every proof):
 * weighted sampling without replacement after Efraimidis–Spirakis, each registration's uniform
 * u = (2n+1) / 2^65 with n = the first 8 bytes (big-endian) of SHA-256(UTF-8 `seed + ":" + pseudonymousId`),
 * ranked by u^(1/weight) descending, compared exactly as integers (u_a^(w_b) against u_b^(w_a)), ties by id ascending.
 * The ranked list takes the stock type by type, in the published order of `stock`.
 */
export const LOTTERY_ALGORITHM = 'es-sha256-v1';

/** Largest weight factor a rule may give (the weights stay small integers so the draw is exact). */
export const LOTTERY_MAX_WEIGHT = 5;

/** The lottery part of `POST /api/vouchers/manage/campaigns` when `allocation` is `lottery`. */
export interface LotteryRulesInput {
  /** End of registration (登记截止); registration starts at the campaign's `claimStartAt`. */
  registrationEndAt: string;
  /** Earliest time of the draw (开奖时间), at or after `registrationEndAt` and before `claimEndAt`. */
  drawAt: string;
  /** Weight factor (1–5) of members whose account is bound to an active hardship household (困难职工家庭); default 1. */
  hardshipWeight?: number;
  /** An earlier drawn lottery campaign: its registrants who did not win get `previousLoserWeight`. */
  previousCampaignId?: number | null;
  /** Weight factor (1–5) of those who lost the draw of `previousCampaignId`; default 1. */
  previousLoserWeight?: number;
}

/** The published rules of a lottery. A registration's weight is the product of the factors that apply to it. */
export interface LotteryRules {
  algorithm: string;
  hardshipWeight: number;
  previousCampaignId: number | null;
  previousLoserWeight: number;
}

/**
 * Where a lottery stands: `draft` (campaign not published, no commitment yet), `upcoming` (published, registration not
 * open), `registering`, `awaiting_draw` (registration closed), `drawn`.
 */
export type LotteryState = 'draft' | 'upcoming' | 'registering' | 'awaiting_draw' | 'drawn';

/** `GET /api/vouchers/manage/campaigns/{id}/lottery` (staff) and the public part of the member's view. */
export interface LotteryView {
  campaignId: number;
  state: LotteryState;
  registrationStartAt: string;
  registrationEndAt: string;
  drawAt: string;
  rules: LotteryRules;
  /** SHA-256 (hex) of the secret seed, published when the campaign is published; null in a draft. */
  commitment: string | null;
  committedAt: string | null;
  /** Registrations so far. */
  registrations: number;
  drawnAt: string | null;
  /** Vouchers issued by the draw (= winners); null before it. */
  winners: number | null;
  /** The seed, only once drawn. */
  seed: string | null;
}

/** A member's own registration. `outcome`: registered 已登记 / won 中签 / lost 未中签. */
export interface LotteryRegistrationView {
  /** Pseudonymous id (16 hex characters) under which the registration appears in the published list. */
  pseudonymousId: string;
  weight: number;
  registeredAt: string;
  outcome: 'registered' | 'won' | 'lost';
  /** The voucher won, once drawn. */
  voucherId: number | null;
}

/** `GET /api/vouchers/campaigns/{id}/lottery` (member): the lottery and the caller's registration (null = not registered). */
export interface MemberLotteryView extends LotteryView {
  mine: LotteryRegistrationView | null;
  /** Why the caller may not register (not eligible), or null. */
  ineligibleReason: string | null;
}

/**
 * `GET /api/vouchers/campaigns/{id}/lottery/proof` (public, after the draw): everything needed to recompute the
 * winners with `scripts/verify-lottery.mjs`.
 */
export interface LotteryProof {
  campaignId: number;
  algorithm: string;
  rules: LotteryRules;
  commitment: string;
  seed: string;
  drawnAt: string;
  /** Every registration, sorted by pseudonymous id. */
  registrations: Array<{ id: string; weight: number }>;
  /** Stock per voucher type at the draw, in the order the ranked list takes it. */
  stock: Array<{ voucherTypeId: number; quantity: number }>;
  /** Winners in draw order with the voucher type each received. */
  winners: Array<{ id: string; voucherTypeId: number }>;
}

/** Error codes of the lottery. */
export const LotteryErrorCode = {
  /** 409: a claim in a lottery campaign (vouchers come from the draw). */
  LOTTERY_CAMPAIGN: 'LOTTERY_CAMPAIGN',
  /** 409: a lottery route on a first-come campaign. */
  NOT_A_LOTTERY: 'NOT_A_LOTTERY',
  /** 409: the member has already registered (details: the registration). */
  LOTTERY_ALREADY_REGISTERED: 'LOTTERY_ALREADY_REGISTERED',
  /** 409: registration has not opened yet. */
  REGISTRATION_NOT_OPEN: 'REGISTRATION_NOT_OPEN',
  /** 409: registration has closed. */
  REGISTRATION_CLOSED: 'REGISTRATION_CLOSED',
  /** 409: the draw was asked for before the draw time. */
  DRAW_TOO_EARLY: 'DRAW_TOO_EARLY',
  /** 409: the lottery has already been drawn. */
  ALREADY_DRAWN: 'ALREADY_DRAWN',
  /** 404: the proof of a lottery not yet drawn. */
  LOTTERY_NOT_DRAWN: 'LOTTERY_NOT_DRAWN',
} as const;
