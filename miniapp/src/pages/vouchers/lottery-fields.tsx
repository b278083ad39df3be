import { View } from '@tarojs/components';
import { Field, Tap } from '../../components';
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
    if (!registrationEndAt || !draw) return { error: '登记截止和开奖时间请写成 2026-11-05 20:00 这样的格式（北京时间）' };
    const hardshipWeight = Number(hardship);
    if (!Number.isInteger(hardshipWeight) || hardshipWeight < 1 || hardshipWeight > LOTTERY_MAX_WEIGHT) return { error: `困难职工家庭权重应为1至${LOTTERY_MAX_WEIGHT}的整数` };
    return { part: { allocation: 'lottery', lottery: { registrationEndAt, drawAt: draw, hardshipWeight } } };
  };

  const chip = (id: string, label: string, active: boolean, pick: () => void) => (
    <Tap id={id} role='radio' checked={active} className={`chip ${active ? 'chip-on' : ''}`} onClick={pick}>
      {label}
    </Tap>
  );
  const fields = (
    <View id='cm-allocation'>
      <Field id='cm-alloc' label='发放方式'>
        <View className='chips' role='radiogroup' aria-label='发放方式'>
          {chip('cm-alloc-first', '先到先得', !on, () => setOn(false))}
          {chip('cm-alloc-lottery', '摇号', on, () => setOn(true))}
        </View>
      </Field>
      {on && (
        <View>
          <View className='muted'>会员在「领取开始」至登记截止之间登记，开奖时按公布的规则摇号，中签者得券；发布时公布种子的承诺值。</View>
          <Field id='cm-lottery-end' label='登记截止（北京时间）' required hint='如 2026-11-05 20:00' value={registrationEnd} onInput={setRegistrationEnd} />
          <Field id='cm-lottery-draw' label='开奖时间（北京时间）' required hint='不早于登记截止，早于领取结束' value={drawAt} onInput={setDrawAt} />
          <Field id='cm-lottery-hardship' label='困难职工家庭中签权重' hint='1 为不加权' keyboard='number' value={hardship} onInput={setHardship} />
        </View>
      )}
    </View>
  );
  return { fields, request };
}
