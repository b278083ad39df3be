import type { LotteryProof, LotteryRegistrationView, LotteryView, MemberLotteryView } from '@union/shared';
import { request } from './client';

// The lottery (摇号) of a voucher campaign whose `allocation` is `lottery`.
/** The member's view: rules, commitment, own registration and outcome. */
export const getMemberLottery = (campaignId: number) => request<MemberLotteryView>('GET', `/vouchers/campaigns/${campaignId}/lottery`);
/** 登记参加摇号 (once; a second time answers 409 LOTTERY_ALREADY_REGISTERED). */
export const registerForLottery = (campaignId: number) => request<LotteryRegistrationView>('POST', `/vouchers/campaigns/${campaignId}/lottery/registrations`);
/** The public proof after the draw (seed, pseudonymous registrations, winners). */
export const getLotteryProof = (campaignId: number) => request<LotteryProof>('GET', `/vouchers/campaigns/${campaignId}/lottery/proof`);
/** Path of the public proof, for `node scripts/verify-lottery.mjs <url>`. */
export const lotteryProofPath = (campaignId: number) => `/api/vouchers/campaigns/${campaignId}/lottery/proof`;

// Staff
export const getManagedLottery = (campaignId: number) => request<LotteryView>('GET', `/vouchers/manage/campaigns/${campaignId}/lottery`);
/** 开奖: once, not before the draw time. */
export const drawLottery = (campaignId: number) => request<LotteryView>('POST', `/vouchers/manage/campaigns/${campaignId}/lottery/draw`);
