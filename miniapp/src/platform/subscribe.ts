/**
 * WeChat one-time subscribe messages (一次性订阅消息): on weapp, `requestSubscribeMessage` must be called inside the
 * tap that earns the notice (提醒我, 提交); each accepted template allows the server one WeChat notice, so the
 * answers are recorded at once. H5 has no WeChat notices: the message centre (消息) alone tells the user.
 * https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html
 */
import Taro from '@tarojs/taro';
import type { MessageTopic, SubscribeAnswer } from '@union/shared';
import { getSubscribeTemplates, recordSubscriptions } from '../api/messages';

let templates: Partial<Record<MessageTopic, string>> | null = null;

/** Whether this platform can ask for WeChat notices. */
export const canSubscribe = process.env.TARO_ENV === 'weapp';

/**
 * Asks for permission to send notices of `topics` and records the answers; never throws (a refusal, an
 * unconfigured template or a network error only means no WeChat notice: the in-app message still comes).
 */
export async function requestSubscribe(topics: MessageTopic[]): Promise<void> {
  if (!canSubscribe) return;
  try {
    templates ??= (await getSubscribeTemplates()).templates;
    const wanted = topics.filter((t) => templates![t]).slice(0, 3); // WeChat takes at most 3 templates per request
    if (!wanted.length) return;
    const tmplIds = wanted.map((t) => templates![t]!);
    const res = (await Taro.requestSubscribeMessage({ tmplIds, entityIds: [] } as any)) as unknown as Record<string, string>;
    const answers: Partial<Record<MessageTopic, SubscribeAnswer>> = {};
    for (const t of wanted) {
      const a = res[templates![t]!];
      if (a === 'accept' || a === 'reject' || a === 'ban' || a === 'filter') answers[t] = a;
    }
    if (Object.keys(answers).length) await recordSubscriptions({ answers });
  } catch {
    // the user closed the dialog, or subscriptions are switched off in WeChat settings
  }
}
