import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  CAMPAIGN_STATUS_LABELS, formatShanghai, MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, MERCHANT_SCOPE_LABELS, OCCUPATION_LABELS, OCCUPATIONS,
  parseYuanToFen, type CampaignStatus, type CampaignView, type MerchantCategory, type MerchantScopeKind, type Occupation, type VoucherTypeInput,
} from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { closeCampaign, createCampaign, listManagedCampaigns, publishCampaign } from '../../api/vouchers';
import { Banner, Button, DateText, Empty, Field, FieldError, formatYuan, Money, Page, PagedList, StatusTag, Tap, type StatusTone } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { useLotteryFields } from './lottery-fields';
import './vouchers.css';

const PAGE_SIZE = 10;
const STATUS_TONES: Partial<Record<CampaignStatus, StatusTone>> = { draft: 'pending', published: 'success' };
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
  const list = usePagedList((_: null, page: number) => listManagedCampaigns({ page, pageSize: PAGE_SIZE }));
  const { setItems } = list;
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

  useLoadOnShow(() => void list.reload(null), isStaff);

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
    if (allocated > budgetFen.fen!) return setFormError(`各券种面额×数量合计 ${formatYuan(allocated)}元，超过预算 ${formatYuan(budgetFen.fen!)}元`);
    const claimStartAt = shanghaiToIso(start);
    const claimEndAt = shanghaiToIso(end);
    if (!claimStartAt || !claimEndAt) return setFormError('领取时间请写成 2026-11-03 10:00 这样的格式（北京时间）');
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
      // the new draft goes on top of the list; the next reload counts it in the total
      setItems((prev) => [c, ...(prev ?? [])]);
      setCreating(false);
      setBanner({ kind: 'success', text: `已创建草稿「${c.name}」，确认无误后请发布` });
    } catch (e) {
      setFormError(e instanceof ApiError && e.fieldErrors.length ? e.fieldErrors.map((f) => f.message).join('；') : errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  /** A choice chip (the kit's Tap): one of several (`radio`) or any of several (`checkbox`). */
  const chip = (id: string, label: string, on: boolean, pick: () => void, role: 'radio' | 'checkbox' = 'radio') => (
    <Tap key={id} id={id} role={role} checked={on} className={`chip ${on ? 'chip-on' : ''}`} onClick={pick}>
      {label}
    </Tap>
  );

  if (!isStaff) {
    return (
      <Page title='活动管理'>
        <Empty text='仅工会工作人员可管理消费券活动' />
      </Page>
    );
  }
  return (
    <Page title='活动管理'>
      <Banner id='cm-banner' kind={banner?.kind} message={banner?.text} />
      {!creating ? (
        <Button id='cm-new' onClick={() => setCreating(true)}>
          新建活动
        </Button>
      ) : (
        <View className='card' id='cm-form'>
          <Text className='card-title'>新建活动</Text>
          <Field id='cm-name' label='活动名称' required hint='至少2个字，会员能看到' value={name} onInput={setName} />
          <Field id='cm-desc' label='活动说明' multiline value={description} onInput={setDescription} />
          <View className='v-row2'>
            <Field id='cm-budget' label='总预算（元）' required keyboard='digit' value={budget} onInput={setBudget} />
            <Field id='cm-limit' label='每人限领（整个活动，张）' required keyboard='number' value={limit} onInput={setLimit} />
          </View>
          {types.map((t, i) => (
            <View key={i} className='v-type-form'>
              <Field id={`cm-type-name-${i}`} label={`券种 ${i + 1} 名称`} required value={t.name} onInput={(v) => setType(i, 'name', v)} />
              <View className='v-row2'>
                <Field id={`cm-type-face-${i}`} label='面额（元）' required keyboard='digit' value={t.face} onInput={(v) => setType(i, 'face', v)} />
                <Field id={`cm-type-min-${i}`} label='满减门槛（元）' hint='无门槛填 0' keyboard='digit' value={t.minSpend} onInput={(v) => setType(i, 'minSpend', v)} />
              </View>
              <View className='v-row2'>
                <Field id={`cm-type-qty-${i}`} label={rounds.trim() ? '每轮数量（张）' : '数量（张）'} required keyboard='number' value={t.quantity} onInput={(v) => setType(i, 'quantity', v)} />
                <Field id={`cm-type-limit-${i}`} label='每人限领（张）' required keyboard='number' value={t.limit} onInput={(v) => setType(i, 'limit', v)} />
              </View>
              {types.length > 1 && (
                <Button kind='plain' size='small' id={`cm-type-remove-${i}`} onClick={() => setTypes((ts) => ts.filter((_, j) => j !== i))}>
                  删除此券种
                </Button>
              )}
            </View>
          ))}
          {types.length < 10 && (
            <Button kind='plain' id='cm-add-type' onClick={() => setTypes((ts) => [...ts, emptyType()])}>
              添加券种
            </Button>
          )}
          <Field id='cm-start' label='领取开始（北京时间）' required hint='如 2026-11-03 10:00' value={start} onInput={setStart} />
          <Field id='cm-end' label='领取结束（北京时间）' required hint='如 2026-11-10 22:00' value={end} onInput={setEnd} />
          <View className='v-row2'>
            <Field id='cm-daily' label='每日限领（张）' hint='不限请留空' keyboard='number' value={dailyLimit} onInput={setDailyLimit} />
            <Field id='cm-rounds' label='分轮发放轮数' hint='不分轮请留空' keyboard='number' value={rounds} onInput={setRounds} />
          </View>
          {rounds.trim() !== '' && (
            <View id='cm-round-options'>
              <Field id='cm-interval' label='每轮间隔（小时）' hint='24 即每天同一时间开抢' required keyboard='number' value={intervalHours} onInput={setIntervalHours} />
              <View className='chips' role='radiogroup' aria-label='本轮未领完的券'>
                {chip('cm-rollover-yes', '本轮未领完顺延到下一轮', rollover, () => setRollover(true))}
                {chip('cm-rollover-no', '本轮未领完作废', !rollover, () => setRollover(false))}
              </View>
            </View>
          )}
          {lottery.fields}
          <Field id='cm-days' label='领取后有效天数' required keyboard='number' value={validDays} onInput={setValidDays} />
          <Field id='cm-occupations' label='仅限职业（不选为全部会员）'>
            <View className='chips' role='group' aria-label='仅限职业'>
              {OCCUPATIONS.map((o) => chip(`cm-occ-${o}`, OCCUPATION_LABELS[o], occupations.includes(o), () => setOccupations((l) => toggle(l, o)), 'checkbox'))}
            </View>
          </Field>
          <Field id='cm-scope' label='适用商户'>
            <View className='chips' role='radiogroup' aria-label='适用商户'>
              {(['all', 'categories'] as MerchantScopeKind[]).map((sc) => chip(`cm-scope-${sc}`, MERCHANT_SCOPE_LABELS[sc], scope === sc, () => setScope(sc)))}
            </View>
            {scope === 'categories' && (
              <View className='chips' role='group' aria-label='适用的商户类别'>
                {MERCHANT_CATEGORIES.map((c) => chip(`cm-cat-${c}`, MERCHANT_CATEGORY_LABELS[c], categories.includes(c), () => setCategories((l) => toggle(l, c)), 'checkbox'))}
              </View>
            )}
          </Field>
          <FieldError id='cm-error' message={formError} />
          <View className='btn-row'>
            <Button size='small' id='cm-save' loading={saving} onClick={save}>
              保存草稿
            </Button>
            <Button kind='plain' size='small' id='cm-cancel' onClick={() => setCreating(false)}>
              取消
            </Button>
          </View>
        </View>
      )}
      <PagedList
        list={list}
        onRetry={() => void list.reload(null)}
        moreId='cm-more'
        emptyText='还没有活动，点「新建活动」开始'
        renderItem={(c) => (
          <View className='card' key={c.id} data-testid={`cm-campaign-${c.id}`}>
            <View className='row'>
              <Text className='card-title v-campaign-name'>{c.name}</Text>
              <StatusTag text={CAMPAIGN_STATUS_LABELS[c.status]} tone={STATUS_TONES[c.status] ?? 'neutral'} />
            </View>
            <View className='row'>
              <Text className='row-label'>发起工会</Text>
              <Text className='row-value'>{c.org.name}</Text>
            </View>
            <View className='row'>
              <Text className='row-label'>预算</Text>
              <Money className='row-value' fen={c.budgetFen} />
            </View>
            <View className='row'>
              <Text className='row-label'>已分配</Text>
              <Money className='row-value' fen={c.allocatedFen} />
            </View>
            <View className='row'>
              <Text className='row-label'>{c.allocation === 'lottery' ? '活动时间（摇号发放）' : '领取时间'}</Text>
              <View className='row-value'>
                <DateText value={c.claimStartAt} /> 至 <DateText value={c.claimEndAt} />
              </View>
            </View>
            {c.types.map((t) => (
              <View key={t.id} className='row'>
                <Text className='row-label'>
                  {t.name}（面额 <Money fen={t.faceValueFen} />）
                </Text>
                <Text className='row-value nowrap'>
                  已领 {t.claimed} / {t.quantity} 张
                </Text>
              </View>
            ))}
            <View className='btn-row'>
              {c.status === 'draft' && (
                <Button size='small' testId={`cm-publish-${c.id}`} loading={busyId === c.id} disabled={busyId !== null && busyId !== c.id} onClick={() => void act(c, 'publish')}>
                  发布
                </Button>
              )}
              {c.status === 'published' && (
                <Button kind='plain' size='small' testId={`cm-close-${c.id}`} loading={busyId === c.id} disabled={busyId !== null && busyId !== c.id} onClick={() => void act(c, 'close')}>
                  结束
                </Button>
              )}
              {c.status !== 'draft' && (
                <Button kind='plain' size='small' testId={`cm-stats-${c.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/vouchers/stats?id=${c.id}` })}>
                  数据
                </Button>
              )}
              {c.status !== 'draft' && (
                <Button kind='plain' size='small' testId={`cm-live-${c.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/vouchers/live?id=${c.id}` })}>
                  实况
                </Button>
              )}
              {c.allocation === 'lottery' && c.status !== 'draft' && (
                <Button kind='plain' size='small' testId={`cm-lottery-${c.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/vouchers/lottery?id=${c.id}` })}>
                  摇号
                </Button>
              )}
            </View>
          </View>
        )}
      />
    </Page>
  );
}
