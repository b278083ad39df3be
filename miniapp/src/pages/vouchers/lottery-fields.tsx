import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatShanghai, LOTTERY_MAX_WEIGHT, type CreateCampaignRequest } from '@union/shared';

type LotteryPart = Pick<CreateCampaignRequest, 'allocation' | 'lottery'>;

/**
 * 发放方式 in the 活动管理 create form: 先到先得 (claims) or 摇号 with its registration end, draw time and the hardship
 * weight. `request()` gives the part of the create request, or the message of what is wrong.
 * `toIso` reads the form's `YYYY-MM-DD HH:mm` (Asia/Shanghai) as the other time fields do.
 */
export function useLotteryFields(toIso: (text: string) => string | null) {
  const now = Date.now();
  const [on, setOn] = useState(false);
  const [registrationEnd, setRegistrationEnd] = useState(formatShanghai(new Date(now + 2 * 86_400_000)));
  const [drawAt, setDrawAt] = useState(formatShanghai(new Date(now + 2 * 86_400_000 + 3_600_000)));
  const [hardship, setHardship] = useState('1');

  const request = (): { part?: LotteryPart; error?: string } => {
    if (!on) return { part: {} };
    const registrationEndAt = toIso(registrationEnd);
    const draw = toIso(drawAt);
    if (!registrationEndAt || !draw) return { error: '登记截止和开奖时间格式应为 YYYY-MM-DD HH:mm' };
    const hardshipWeight = Number(hardship);
    if (!Number.isInteger(hardshipWeight) || hardshipWeight < 1 || hardshipWeight > LOTTERY_MAX_WEIGHT) return { error: `困难职工家庭权重应为1至${LOTTERY_MAX_WEIGHT}的整数` };
    return { part: { allocation: 'lottery', lottery: { registrationEndAt, drawAt: draw, hardshipWeight } } };
  };

  const fields = (
    <View className='field' id='cm-allocation'>
      <Text className='field-label'>发放方式</Text>
      <View className='chips'>
        <View id='cm-alloc-first' className={`chip ${on ? '' : 'chip-on'}`} onClick={() => setOn(false)}>先到先得</View>
        <View id='cm-alloc-lottery' className={`chip ${on ? 'chip-on' : ''}`} onClick={() => setOn(true)}>摇号</View>
      </View>
      {on && (
        <View>
          <View className='muted'>会员在「领取开始」至登记截止之间登记，开奖时按公布的规则摇号，中签者得券；发布时公布种子的承诺值。</View>
          <View className='field'>
            <Text className='field-label'>登记截止（北京时间）</Text>
            <Input id='cm-lottery-end' className='input' value={registrationEnd} onInput={(e) => setRegistrationEnd(e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>开奖时间（不早于登记截止，早于领取结束）</Text>
            <Input id='cm-lottery-draw' className='input' value={drawAt} onInput={(e) => setDrawAt(e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>困难职工家庭中签权重（1为不加权）</Text>
            <Input id='cm-lottery-hardship' className='input' type='number' value={hardship} onInput={(e) => setHardship(e.detail.value)} />
          </View>
        </View>
      )}
    </View>
  );
  return { fields, request };
}
