import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import {
  formatShanghai, MAX_STATION_PHOTOS, validateClosedDates, validateOpeningHours,
  type Amenity, type KeeperInviteView, type KeeperOption, type StationAdminView, type StationInput, type StationStatus,
} from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { apiUrl, createKeeperInvite, createStation, deleteStationPhoto, getStationAdmin, listKeepers, updateStation, uploadStationPhoto } from '../../api/stations';
import { Banner, Button, Empty, ErrorState, Field, FieldError, Loading, OrgChips, Page, Qr } from '../../components';
import { hasRole, useSession } from '../../session';
import { LocationPicker, type PickedPlace } from './LocationPicker';
import { AmenityPicker, ClosedDatesEditor, fromDraft, HoursEditor, toDraft, type HoursDraft } from './StationParts';
import './stations.css';

interface Form {
  name: string;
  orgCode: string;
  address: string;
  /** The station's point; null until one is chosen on the map picker. Coordinates are never typed. */
  place: PickedPlace | null;
  amenities: Amenity[];
  hours: HoursDraft;
  closedDates: string[];
  status: StationStatus;
  closedNote: string;
  phone: string;
  description: string;
  keeperUserId: number | null;
}

const EMPTY: Form = {
  name: '', orgCode: '', address: '', place: null, amenities: ['rest', 'water'],
  hours: toDraft({ is24h: false, weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['08:00-20:00']])) }),
  closedDates: [], status: 'open', closedNote: '', phone: '', description: '', keeperUserId: null,
};

const formOf = (s: StationAdminView): Form => ({
  name: s.name, orgCode: s.org.code, address: s.address, place: { lat: s.lat, lng: s.lng, label: '已保存的位置' }, amenities: s.amenities, hours: toDraft(s.hours),
  closedDates: s.closedDates, status: s.status, closedNote: s.closedNote ?? '', phone: s.phone ?? '', description: s.description ?? '', keeperUserId: s.keeper?.userId ?? null,
});

/** 新建 / 编辑驿站 (staff): every field, keeper, photos, and the door QR. */
export default function EditStationPage() {
  const id = Number(useRouter().params.id) || null;
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [station, setStation] = useState<StationAdminView | null>(null);
  const [form, setForm] = useState<Form | null>(id ? null : { ...EMPTY, orgCode: user?.org?.code ?? '' });
  const [keepers, setKeepers] = useState<KeeperOption[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<KeeperInviteView | null>(null);

  const makeInvite = async () => {
    if (!station) return;
    setBanner(null);
    try {
      setInvite(await createKeeperInvite(station.id));
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    }
  };

  const load = useCallback(async () => {
    setError(null);
    try {
      setKeepers(await listKeepers());
      if (id) {
        const s = await getStationAdmin(id);
        setStation(s);
        setForm(formOf(s));
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    if (isStaff) void load();
  }, [load, isStaff]);

  const set = (patch: Partial<Form>) => setForm((f) => (f ? { ...f, ...patch } : f));

  const save = async () => {
    if (!form) return;
    const hours = fromDraft(form.hours);
    const closedDates = form.closedDates;
    const local: Record<string, string> = {};
    if (!form.name.trim()) local.name = '请填写驿站名称';
    if (!form.address.trim()) local.address = '请填写地址';
    if (!form.place) local.place = '请选择驿站位置';
    if (!form.orgCode) local.orgCode = '请选择所属工会';
    const h = validateOpeningHours(hours);
    if (h) local.hours = h;
    const c = validateClosedDates(closedDates);
    if (c) local.closedDates = c;
    setFieldErrors(local);
    if (Object.keys(local).length) return;
    const body: StationInput = {
      name: form.name.trim(), orgCode: form.orgCode.trim(), address: form.address.trim(), lat: form.place!.lat, lng: form.place!.lng,
      amenities: form.amenities, hours, closedDates, status: form.status, closedNote: form.closedNote.trim() || null,
      phone: form.phone.trim() || null, description: form.description.trim() || null, keeperUserId: form.keeperUserId,
    };
    setBusy(true);
    setBanner(null);
    try {
      const saved = id ? await updateStation(id, body) : await createStation(body);
      setBanner({ kind: 'success', text: '已保存' });
      if (!id) {
        void Taro.redirectTo({ url: `/pages/stations/edit?id=${saved.id}` });
        return;
      }
      setStation(saved);
      setForm(formOf(saved));
    } catch (e) {
      // the server speaks of lat/lng: on this page they are the one location picker
      if (e instanceof ApiError && e.fieldErrors.length) setFieldErrors(Object.fromEntries(e.fieldErrors.map((f) => [f.field === 'lat' || f.field === 'lng' ? 'place' : f.field, f.message])));
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const addPhoto = async () => {
    if (!station) return;
    try {
      const chosen = await Taro.chooseImage({ count: 1, sizeType: ['compressed'] });
      setBusy(true);
      setStation(await uploadStationPhoto(station.id, chosen.tempFilePaths[0]));
      setBanner({ kind: 'success', text: '照片已上传' });
    } catch (e) {
      if ((e as { errMsg?: string })?.errMsg?.includes('cancel')) return;
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const removePhoto = async (p: string) => {
    if (!station) return;
    const { confirm } = await Taro.showModal({ title: '删除照片', content: '删除后不可恢复，确认删除？', confirmText: '删除' });
    if (!confirm) return;
    try {
      setStation(await deleteStationPhoto(station.id, p));
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    }
  };

  if (!isStaff) return <Page title='编辑驿站'><Empty text='仅工会工作人员可编辑驿站' /></Page>;
  if (error) return <Page title={id ? '编辑驿站' : '新建驿站'}><ErrorState message={error} onRetry={() => void load()} /></Page>;
  if (!form) return <Page title={id ? '编辑驿站' : '新建驿站'}><Loading /></Page>;

  const field = (key: 'name' | 'address' | 'phone', label: string, placeholder = '', keyboard: 'text' | 'digit' | 'tel' = 'text') => (
    <Field id={`edit-${key}`} label={label} errorId={`err-${key}`} error={fieldErrors[key]} keyboard={keyboard} value={String(form[key] ?? '')} placeholder={placeholder}
      onInput={(v) => set({ [key]: v } as Partial<Form>)} />
  );

  return (
    <Page title={id ? '编辑驿站' : '新建驿站'}>
      {banner && <Banner id='edit-banner' kind={banner.kind} message={banner.text} />}
      <View className='card'>
        {field('name', '驿站名称')}
        <View className='field'>
          <Text className='field-label'>所属工会</Text>
          <OrgChips idPrefix='edit-org' label='所属工会' value={form.orgCode} onChange={(orgCode) => set({ orgCode })} />
          <FieldError id='err-orgCode' message={fieldErrors.orgCode} />
        </View>
        {field('address', '地址（写给会员看的门牌地址）')}
        <View className='field'>
          <Text className='field-label'>驿站位置（会员导航和“附近驿站”用它）</Text>
          <LocationPicker
            idPrefix='edit-place'
            value={form.place}
            error={fieldErrors.place}
            onChange={(p) => set({ place: p, ...(p.address && !form.address.trim() ? { address: p.address } : {}) })}
          />
        </View>
        {field('phone', '联系电话', '', 'tel')}
        <Field id='edit-description' label='简介' multiline maxlength={500} value={form.description} onInput={(v) => set({ description: v })} />
        <View className='field'>
          <Text className='field-label'>服务设施</Text>
          <AmenityPicker value={form.amenities} onChange={(a) => set({ amenities: a })} idPrefix='edit-amenity' />
        </View>
        <View className='field'>
          <Text className='field-label'>营业时间</Text>
          <HoursEditor value={form.hours} onChange={(h) => set({ hours: h })} idPrefix='edit-hours' />
          <FieldError id='err-hours' message={fieldErrors.hours} />
        </View>
        <View className='field'>
          <Text className='field-label'>休息日期</Text>
          <ClosedDatesEditor idPrefix='edit-closedDates' value={form.closedDates} onChange={(v) => set({ closedDates: v })} />
          <FieldError id='err-closedDates' message={fieldErrors.closedDates} />
        </View>
        <View className='field'>
          <Text className='field-label'>营业状态</Text>
          <View className='chips'>
            {(['open', 'temporarily_closed'] as StationStatus[]).map((st) => (
              <View key={st} id={`edit-status-${st}`} className={`chip ${form.status === st ? 'chip-on' : ''}`} onClick={() => set({ status: st })}>{st === 'open' ? '正常营业' : '暂停营业'}</View>
            ))}
          </View>
          {form.status === 'temporarily_closed' && <Field id='edit-closedNote' label='暂停原因' value={form.closedNote} placeholder='如：装修，12月5日恢复' onInput={(v) => set({ closedNote: v })} />}
        </View>
        <View className='field'>
          <Text className='field-label'>站长（接受站长邀请后出现在这里）</Text>
          <View className='chips'>
            <View id='edit-keeper-none' className={`chip ${form.keeperUserId === null ? 'chip-on' : ''}`} onClick={() => set({ keeperUserId: null })}>不指定</View>
            {keepers.map((k) => (
              <View key={k.userId} id={`edit-keeper-${k.userId}`} className={`chip ${form.keeperUserId === k.userId ? 'chip-on' : ''}`} onClick={() => set({ keeperUserId: k.userId })}>
                {k.displayName}（{k.org.name}）
              </View>
            ))}
          </View>
          <FieldError id='err-keeperUserId' message={fieldErrors.keeperUserId} />
        </View>
        <Button kind='primary' id='edit-save' loading={busy} disabled={busy} onClick={() => void save()}>保存</Button>
      </View>

      {station && (
        <View className='card'>
          <Text className='card-title'>照片（最多{MAX_STATION_PHOTOS}张，JPEG/PNG/WebP，不超过2MB）</Text>
          <View className='st-photos'>
            {station.photos.map((p) => (
              <View key={p}>
                <Image className='st-photo' src={apiUrl(p)} mode='aspectFill' />
                <Text className='link' onClick={() => void removePhoto(p)}>删除</Text>
              </View>
            ))}
          </View>
          {station.photos.length < MAX_STATION_PHOTOS && <Button kind='plain' size='small' id='edit-photo-add' disabled={busy} onClick={() => void addPhoto()}>上传照片</Button>}
        </View>
      )}
      {station && (
        <View className='card' id='edit-keeper-invite'>
          <Text className='card-title'>邀请站长</Text>
          <View className='muted'>生成一次性站长邀请码（24小时内有效，仅可使用一次），请当面交给站长本人，在“我的驿站”页面输入。接受邀请的账号将替换当前站长。</View>
          {invite ? (
            <View>
              <View className='card-title' id='edit-invite-code' style={{ wordBreak: 'break-all' }}>{invite.code}</View>
              <View className='muted'>有效期至 {formatShanghai(invite.expiresAt)}</View>
            </View>
          ) : (
            <Button kind='plain' size='small' id='edit-invite-create' disabled={busy} onClick={() => void makeInvite()}>生成站长邀请码</Button>
          )}
        </View>
      )}
      {station && (
        <View className='card'>
          <Text className='card-title'>门口二维码</Text>
          <Qr text={station.url} size={220} />
          <View className='muted' id='edit-url' style={{ wordBreak: 'break-all' }}>{station.url}</View>
        </View>
      )}
    </Page>
  );
}
