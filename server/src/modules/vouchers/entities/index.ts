import { Campaign, CampaignMerchant, VoucherType } from './campaign.entity';
import { Merchant, MerchantClerk } from './merchant.entity';
import { Redemption, Voucher } from './voucher.entity';
import { Lottery, LotteryRegistration } from './lottery.entity';

/** Every TypeORM entity of the vouchers module (referenced by id only from other modules, never by relation). */
export const VOUCHERS_ENTITIES: Function[] = [Merchant, MerchantClerk, Campaign, CampaignMerchant, VoucherType, Voucher, Redemption, Lottery, LotteryRegistration];
export { Lottery, LotteryRegistration };
export { Campaign, CampaignMerchant, Merchant, MerchantClerk, Redemption, Voucher, VoucherType };
