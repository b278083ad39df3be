import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { LOTTERY_ALGORITHM } from '@union/shared';
import { EntityManager } from 'typeorm';
import { PersonalDataCipher } from '../../common/crypto.service';
import { CreateCampaignDto } from './dto/vouchers.dto';
import { Campaign } from './entities/campaign.entity';
import { LotteryErrors as L } from './lottery.errors';
import { LotteryRepository } from './lottery.repository';

/** SHA-256 hex of the seed text: the commitment published before registration closes. */
export const commitmentOf = (seed: string) => createHash('sha256').update(seed, 'utf8').digest('hex');

/**
 * The two moments of a lottery inside the campaign's own life, called by CampaignsService: creating its rules with the
 * campaign, and committing to a fresh secret seed when the campaign is published (before registration can close).
 */
@Injectable()
export class LotterySetupService {
  constructor(private readonly repo: LotteryRepository, private readonly cipher: PersonalDataCipher) {}

  /**
   * Checks the lottery fields of a campaign request: `lottery` present exactly when `allocation` is `lottery`;
   * claimStartAt (registration start) < registrationEndAt ≤ drawAt < claimEndAt. @throws 400 VALIDATION_FAILED.
   */
  check(dto: Pick<CreateCampaignDto, 'allocation' | 'lottery' | 'claimStartAt' | 'claimEndAt'>): void {
    if (dto.allocation !== 'lottery') {
      if (dto.lottery) throw L.invalid('lottery', '只有摇号活动可以设置摇号规则');
      return;
    }
    const l = dto.lottery;
    if (!l) throw L.invalid('lottery', '请填写摇号登记截止时间和开奖时间');
    this.checkTimes({ claimStartAt: new Date(dto.claimStartAt), claimEndAt: new Date(dto.claimEndAt) }, new Date(l.registrationEndAt), new Date(l.drawAt));
  }

  private checkTimes(c: Pick<Campaign, 'claimStartAt' | 'claimEndAt'>, registrationEndAt: Date, drawAt: Date): void {
    if (registrationEndAt <= c.claimStartAt) throw L.invalid('lottery.registrationEndAt', '登记截止时间应晚于活动开始（登记开始）时间');
    if (drawAt < registrationEndAt) throw L.invalid('lottery.drawAt', '开奖时间不能早于登记截止时间');
    if (drawAt >= c.claimEndAt) throw L.invalid('lottery.drawAt', '开奖时间应早于活动结束时间');
  }

  /**
   * Stores the rules of a new lottery campaign (inside the campaign's creating transaction).
   * @throws 400 VALIDATION_FAILED when `previousCampaignId` is not a lottery campaign.
   */
  async create(em: EntityManager, campaignId: number, dto: CreateCampaignDto): Promise<void> {
    const l = dto.lottery!;
    if (l.previousCampaignId && !(await this.repo.findLottery(l.previousCampaignId, em))) throw L.invalid('lottery.previousCampaignId', '上期活动不是摇号活动');
    await this.repo.insertLottery(em, {
      campaignId, registrationEndAt: new Date(l.registrationEndAt), drawAt: new Date(l.drawAt), algorithm: LOTTERY_ALGORITHM,
      hardshipWeight: l.hardshipWeight ?? 1, previousCampaignId: l.previousCampaignId ?? null, previousLoserWeight: l.previousLoserWeight ?? 1,
      seedEnc: null, commitment: null, committedAt: null, drawnAt: null, drawnById: null, winners: null, stockJson: null,
    });
  }

  /**
   * On publish (inside its transaction): a fresh 32-byte random seed (64 hex characters), stored encrypted, and its
   * SHA-256 as the public commitment. The times are checked again, as a draft's window may have been edited.
   * @throws 400 VALIDATION_FAILED (times out of order, or registration already over).
   */
  async commit(em: EntityManager, c: Campaign): Promise<void> {
    const lottery = await this.repo.findLottery(c.id, em);
    if (!lottery) throw L.invalid('lottery', '摇号规则缺失');
    this.checkTimes(c, lottery.registrationEndAt, lottery.drawAt);
    if (lottery.registrationEndAt <= new Date()) throw L.invalid('lottery.registrationEndAt', '登记截止时间已过，不能发布');
    const seed = randomBytes(32).toString('hex');
    await this.repo.commit(em, c.id, this.cipher.encrypt(seed), commitmentOf(seed), new Date());
  }
}
