import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  CAMPAIGN_STATUS_LABELS, formatFen, formatShanghai, MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, MERCHANT_SCOPE_LABELS, OCCUPATION_LABELS, OCCUPATIONS,
  parseYuanToFen, type CampaignView, type MerchantCategory, type MerchantScopeKind, type Occupation, type VoucherTypeInput,
} from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { closeCampaign, createCampaign, listManagedCampaigns, publishCampaign } from '../../api/vouchers';
import { Banner, Empty, ErrorState, FieldError, Loading } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { useLotteryFields } from './lottery-fields';
import './vouchers.css';

const PAGE_SIZE = 10;
type TypeRow = { name: string; face: string; minSpend: string; quantity: string; limit: string };
const emptyType = (): TypeRow => ({ name: '满100减20', face: '20', minSpend: '100', quantity: '100', limit: '1' });

/** `YYYY-MM-DD HH:mm` read as Asia/Shanghai → ISO instant, or null. */
function shanghaiToIso(text: string): string | null {
  const m = text.trim().match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** 活动管理: staff list, create, publish and close campaigns of their subtree. */
export default function CampaignsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [items, setItems] = useState<CampaignView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);

  // the create form
  const now = Date.now();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [budget, setBudget] = useState('10000');
  const [types, setTypes] = useState<TypeRow[]>([emptyType()]);
  const [limit, setLimit] = useState('2');
  const [start, setStart] = useState(formatShanghai(new Date(now + 60_000)));
  const [end, setEnd] = useState(formatShanghai(new Date(now + 7 * 86_400_000)));
  const [validDays, setValidDays] = useState('30');
  const [scope, setScope] = useState<MerchantScopeKind>('all');
  const [categories, setCategories] = useState<MerchantCategory[]>([]);
  const [occupations, setOccupations] = useState<Occupation[]>([]);
  const [dailyLimit, setDailyLimit] = useState('');
  const [rounds, setRounds] = useState('');
  const [intervalHours, setIntervalHours] = useState('24');
  const [rollover, setRollover] = useState(true);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const lottery = useLotteryFields(shanghaiToIso);

  const load = useCallback(async () => {
    setError(null);
    try {
      const res = await listManagedCampaigns({ page: 1, pageSize: PAGE_SIZE });
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isStaff);

  const more = async () => {
    try {
      const res = await listManagedCampaigns({ page: page + 1, pageSize: PAGE_SIZE });
      setItems((prev) => [...(prev ?? []), ...res.items]);
      setPage(res.page);
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    }
  };

  const replace = (c: CampaignView) => setItems((prev) => prev?.map((x) => (x.id === c.id ? c : x)) ?? prev);

  const act = async (c: CampaignView, action: 'publish' | 'close') => {
    const { confirm } = await Taro.showModal({
      title: action === 'publish' ? '发布活动' : '结束活动',
      content: action === 'publish' ? `发布「${c.name}」后，面额、门槛、限领、领取条件和开始时间将不能再修改。确认发布？` : `确认提前结束「${c.name}」？结束后会员不能再领取，已领的券仍可使用。`,
      confirmText: action === 'publish' ? '发布' : '结束',
    });
    if (!confirm) return;
    setBusyId(c.id);
    setBanner(null);
    try {
      replace(action === 'publish' ? await publishCampaign(c.id) : await closeCampaign(c.id));
      setBanner({ kind: 'success', text: action === 'publish' ? `已发布「${c.name}」` : `已结束「${c.name}」` });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  const setType = (i: number, k: keyof TypeRow, v: string) => setTypes((ts) => ts.map((t, j) => (j === i ? { ...t, [k]: v } : t)));
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  const save = async () => {
    setFormError(null);
    const budgetFen = parseYuanToFen(budget);
    if (name.trim().length < 2) return setFormError('请填写活动名称（至少2个字）');
    if (budgetFen.error) return setFormError(`预算：${budgetFen.error}`);
    const roundCount = rounds.trim() ? Number(rounds) : null;
    if (roundCount !== null && (!Number.isInteger(roundCount) || roundCount < 2 || roundCount > 31)) return setFormError('发放轮数应为2至31的整数（不分轮请留空）');
    const interval = Number(intervalHours);
    if (roundCount !== null && (!Number.isInteger(interval) || interval < 1 || interval > 168)) return setFormError('每轮间隔应为1至168小时');
    const daily = dailyLimit.trim() ? Number(dailyLimit) : null;
    if (daily !== null && (!Number.isInteger(daily) || daily < 1)) return setFormError('每日限领应为正整数（不限请留空）');
    const parsedTypes: VoucherTypeInput[] = [];
    for (const [i, t] of types.entries()) {
      const face = parseYuanToFen(t.face);
      const min = t.minSpend.trim() === '0' || !t.minSpend.trim() ? { fen: 0 } : parseYuanToFen(t.minSpend);
      const quantity = Number(t.quantity);
      const perMemberLimit = Number(t.limit);
      if (!t.name.trim()) return setFormError(`券种${i + 1}：请填写名称`);
      if (face.error) return setFormError(`券种${i + 1}面额：${face.error}`);
      if (min.error) return setFormError(`券种${i + 1}门槛：${min.error}`);
      if (!Number.isInteger(quantity) || quantity < 1) return setFormError(`券种${i + 1}：数量应为正整数`);
      if (!Number.isInteger(perMemberLimit) || perMemberLimit < 1) return setFormError(`券种${i + 1}：每人限领应为正整数`);
      // with release rounds the quantity typed is each round's; the campaign's stock is that times the rounds
      parsedTypes.push({
        name: t.name.trim(), faceValueFen: face.fen!, minSpendFen: min.fen!, perMemberLimit,
        ...(roundCount ? { quantity: quantity * roundCount, roundQuantity: quantity } : { quantity }),
      });
    }
    const allocated = parsedTypes.reduce((s, t) => s + t.faceValueFen * t.quantity, 0);
    if (allocated > budgetFen.fen!) return setFormError(`各券种面额×数量合计 ${formatFen(allocated)} 元，超过预算 ${formatFen(budgetFen.fen!)} 元`);
    const claimStartAt = shanghaiToIso(start);
    const claimEndAt = shanghaiToIso(end);
    if (!claimStartAt || !claimEndAt) return setFormError('领取时间格式应为 YYYY-MM-DD HH:mm');
    const allocation = lottery.request();
    if (allocation.error) return setFormError(allocation.error);
    setSaving(true);
    try {
      const c = await createCampaign({
        name: name.trim(), description: description.trim() || undefined, budgetFen: budgetFen.fen!, types: parsedTypes, perMemberLimit: Number(limit) || 1,
        perMemberDailyLimit: daily, ...(roundCount ? { roundCount, roundIntervalMinutes: interval * 60, roundRollover: rollover } : {}),
        occupations, claimStartAt, claimEndAt, validityKind: 'relative', validDays: Number(validDays) || 30, merchantScope: scope,
        categories: scope === 'categories' ? categories : undefined, ...allocation.part,
      });
      setItems((prev) => [c, ...(prev ?? [])]);
      setTotal((n) => n + 1);
      setCreating(false);
      setBanner({ kind: 'success', text: `已创建草稿「${c.name}」，确认无误后请发布` });
    } catch (e) {
      setFormError(e instanceof ApiError && e.fieldErrors.length ? e.fieldErrors.map((f) => f.message).join('；') : errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  if (!isStaff) {
    return (
      <View className='page'>
        <Empty text='仅工会工作人员可管理消费券活动' />
      </View>
    );
  }
  return (
    <View className='page'>
      <Banner id='cm-banner' kind={banner?.kind} message={banner?.text} />
      {!creating ? (
        <Button className='btn btn-primary' id='cm-new' onClick={() => setCreating(true)}>
          新建活动
        </Button>
      ) : (
        <View className='card' id='cm-form'>
          <Text className='card-title'>新建活动</Text>
          <View className='field'>
            <Text className='field-label'>活动名称</Text>
            <Input id='cm-name' className='input' value={name} onInput={(e) => setName(e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>活动说明</Text>
            <Textarea id='cm-desc' className='textarea' value={description} onInput={(e) => setDescription(e.detail.value)} />
          </View>
          <View className='v-row2'>
            <View className='field'>
              <Text className='field-label'>总预算（元）</Text>
              <Input id='cm-budget' className='input' type='digit' value={budget} onInput={(e) => setBudget(e.detail.value)} />
            </View>
            <View className='field'>
              <Text className='field-label'>每人限领（整个活动）</Text>
              <Input id='cm-limit' className='input' type='number' value={limit} onInput={(e) => setLimit(e.detail.value)} />
            </View>
          </View>
          {types.map((t, i) => (
            <View key={i} className='card' style={{ background: '#fafafa' }}>
              <Text className='field-label'>券种 {i + 1}</Text>
              <Input id={`cm-type-name-${i}`} className='input' value={t.name} placeholder='名称' onInput={(e) => setType(i, 'name', e.detail.value)} />
              <View className='v-row2'>
                <View className='field'><Text className='field-label'>面额（元）</Text><Input id={`cm-type-face-${i}`} className='input' type='digit' value={t.face} onInput={(e) => setType(i, 'face', e.detail.value)} /></View>
                <View className='field'><Text className='field-label'>满减门槛（元）</Text><Input id={`cm-type-min-${i}`} className='input' type='digit' value={t.minSpend} onInput={(e) => setType(i, 'minSpend', e.detail.value)} /></View>
              </View>
              <View className='v-row2'>
                <View className='field'><Text className='field-label'>{rounds.trim() ? '每轮数量' : '数量'}</Text><Input id={`cm-type-qty-${i}`} className='input' type='number' value={t.quantity} onInput={(e) => setType(i, 'quantity', e.detail.value)} /></View>
                <View className='field'><Text className='field-label'>每人限领</Text><Input id={`cm-type-limit-${i}`} className='input' type='number' value={t.limit} onInput={(e) => setType(i, 'limit', e.detail.value)} /></View>
              </View>
              {types.length > 1 && <View className='link' onClick={() => setTypes((ts) => ts.filter((_, j) => j !== i))}>删除此券种</View>}
            </View>
          ))}
          {types.length < 10 && <View className='link' id='cm-add-type' onClick={() => setTypes((ts) => [...ts, emptyType()])}>+ 添加券种</View>}
          <View className='field'>
            <Text className='field-label'>领取开始（北京时间 YYYY-MM-DD HH:mm）</Text>
            <Input id='cm-start' className='input' value={start} onInput={(e) => setStart(e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>领取结束</Text>
            <Input id='cm-end' className='input' value={end} onInput={(e) => setEnd(e.detail.value)} />
          </View>
          <View className='v-row2'>
            <View className='field'>
              <Text className='field-label'>每日限领（不限请留空）</Text>
              <Input id='cm-daily' className='input' type='number' value={dailyLimit} onInput={(e) => setDailyLimit(e.detail.value)} />
            </View>
            <View className='field'>
              <Text className='field-label'>分轮发放轮数（不分轮请留空）</Text>
              <Input id='cm-rounds' className='input' type='number' value={rounds} onInput={(e) => setRounds(e.detail.value)} />
            </View>
          </View>
          {rounds.trim() !== '' && (
            <View className='field' id='cm-round-options'>
              <Text className='field-label'>每轮间隔（小时，24 即每天同一时间开抢）</Text>
              <Input id='cm-interval' className='input' type='number' value={intervalHours} onInput={(e) => setIntervalHours(e.detail.value)} />
              <View className='chips' style={{ marginTop: '12px' }}>
                <View id='cm-rollover-yes' className={`chip ${rollover ? 'chip-on' : ''}`} onClick={() => setRollover(true)}>本轮未领完顺延到下一轮</View>
                <View id='cm-rollover-no' className={`chip ${!rollover ? 'chip-on' : ''}`} onClick={() => setRollover(false)}>本轮未领完作废</View>
              </View>
            </View>
          )}
          {lottery.fields}
          <View className='field'>
            <Text className='field-label'>领取后有效天数</Text>
            <Input id='cm-days' className='input' type='number' value={validDays} onInput={(e) => setValidDays(e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>仅限职业（不选为全部会员）</Text>
            <View className='chips'>
              {OCCUPATIONS.map((o) => (
                <View key={o} id={`cm-occ-${o}`} className={`chip ${occupations.includes(o) ? 'chip-on' : ''}`} onClick={() => setOccupations((l) => toggle(l, o))}>
                  {OCCUPATION_LABELS[o]}
                </View>
              ))}
            </View>
          </View>
          <View className='field'>
            <Text className='field-label'>适用商户</Text>
            <View className='chips'>
              {(['all', 'categories'] as MerchantScopeKind[]).map((s) => (
                <View key={s} id={`cm-scope-${s}`} className={`chip ${scope === s ? 'chip-on' : ''}`} onClick={() => setScope(s)}>
                  {MERCHANT_SCOPE_LABELS[s]}
                </View>
              ))}
            </View>
            {scope === 'categories' && (
              <View className='chips' style={{ marginTop: '12px' }}>
                {MERCHANT_CATEGORIES.map((c) => (
                  <View key={c} id={`cm-cat-${c}`} className={`chip ${categories.includes(c) ? 'chip-on' : ''}`} onClick={() => setCategories((l) => toggle(l, c))}>
                    {MERCHANT_CATEGORY_LABELS[c]}
                  </View>
                ))}
              </View>
            )}
          </View>
          <FieldError id='cm-error' message={formError} />
          <View className='btn-row'>
            <Button className='btn btn-primary btn-small' id='cm-save' loading={saving || undefined} disabled={saving || undefined} onClick={save}>保存草稿</Button>
            <Button className='btn btn-plain btn-small' onClick={() => setCreating(false)}>取消</Button>
          </View>
        </View>
      )}
      {error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty text='还没有活动，点击「新建活动」开始' />
      ) : (
        <View>
          {items.map((c) => (
            <View className='card' key={c.id} data-testid={`cm-campaign-${c.id}`}>
              <View className='row'>
                <Text className='card-title'>{c.name}</Text>
                <Text className={`tag ${c.status === 'published' ? 'tag-approved' : c.status === 'draft' ? 'tag-pending' : ''}`}>{CAMPAIGN_STATUS_LABELS[c.status]}</Text>
              </View>
              <View className='muted'>{c.org.name} · 预算 {formatFen(c.budgetFen)} 元 · 已分配 {formatFen(c.allocatedFen)} 元</View>
              <View className='muted'>{c.allocation === 'lottery' ? '摇号发放 · 活动' : '领取'} {formatShanghai(c.claimStartAt)} 至 {formatShanghai(c.claimEndAt)}</View>
              {c.types.map((t) => (
                <View key={t.id} className='muted'>
                  {t.name}：¥{formatFen(t.faceValueFen)}，已领 {t.claimed}/{t.quantity}
                </View>
              ))}
              <View className='btn-row'>
                {c.status === 'draft' && (
                  <Button className='btn btn-primary btn-small' data-testid={`cm-publish-${c.id}`} loading={busyId === c.id || undefined} disabled={busyId !== null || undefined} onClick={() => void act(c, 'publish')}>发布</Button>
                )}
                {c.status === 'published' && (
                  <Button className='btn btn-plain btn-small' data-testid={`cm-close-${c.id}`} loading={busyId === c.id || undefined} disabled={busyId !== null || undefined} onClick={() => void act(c, 'close')}>结束</Button>
                )}
                {c.status !== 'draft' && (
                  <Button className='btn btn-plain btn-small' data-testid={`cm-stats-${c.id}`} onClick={() => Taro.navigateTo({ url: `/pages/vouchers/stats?id=${c.id}` })}>数据</Button>
                )}
                {c.status !== 'draft' && (
                  <Button className='btn btn-plain btn-small' data-testid={`cm-live-${c.id}`} onClick={() => Taro.navigateTo({ url: `/pages/vouchers/live?id=${c.id}` })}>实况</Button>
                )}
                {c.allocation === 'lottery' && c.status !== 'draft' && (
                  <Button className='btn btn-plain btn-small' data-testid={`cm-lottery-${c.id}`} onClick={() => Taro.navigateTo({ url: `/pages/vouchers/lottery?id=${c.id}` })}>摇号</Button>
                )}
              </View>
            </View>
          ))}
          {items.length < total && (
            <Button className='btn btn-plain' id='cm-more' onClick={more}>加载更多</Button>
          )}
        </View>
      )}
    </View>
  );
}
