import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  formatShanghai, OCCUPATION_LABELS, REPORT_KIND_LABELS, validateClosedDates, validateOpeningHours,
  type Amenity, type KeeperDashboard, type StationStatus,
} from '@union/shared';
import { errorMessage } from '../../api/client';
import { acceptKeeperInvite, getKeeperDashboard, handleReport, updateOperations } from '../../api/stations';
import { Banner, Button, Empty, ErrorState, Loading, LoginPanel, Page, Qr } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { printPage } from '../../platform';
import { hasRole, useSession } from '../../session';
import { AmenityBadges, AmenityPicker, ClosedDatesEditor, DateChooser, fromDraft, HoursEditor, OpenTag, toDraft, type HoursDraft } from './StationParts';
import './stations.css';

type Station = KeeperDashboard['stations'][number];

interface Draft {
  hours: HoursDraft;
  amenities: Amenity[];
  status: StationStatus;
  closedNote: string;
  closedUntil: string;
  closedDates: string[];
}
const draftOf = (s: Station): Draft => ({
  hours: toDraft(s.hours), amenities: s.amenities, status: s.status, closedNote: s.closedNote ?? '', closedUntil: s.closedUntil ?? '', closedDates: s.closedDates,
});

/** 我的驿站 (station keeper): today's visits, open problem reports, and the day-to-day settings. */
export default function KeeperPage() {
  const { user, refresh } = useSession();
  const isKeeper = hasRole(user, 'station_keeper');
  const [data, setData] = useState<KeeperDashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [inviteCode, setInviteCode] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await getKeeperDashboard());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void load(), isKeeper);

  const markHandled = async (reportId: number) => {
    const { confirm } = await Taro.showModal({ title: '标记已处理', content: '确认该问题已处理？', confirmText: '已处理' });
    if (!confirm) return;
    setBusy(`report-${reportId}`);
    setBanner(null);
    try {
      await handleReport(reportId);
      setBanner({ kind: 'success', text: '已标记为已处理' });
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const save = async (s: Station) => {
    if (!draft) return;
    const hours = fromDraft(draft.hours);
    const closedDates = draft.closedDates;
    const problem = validateOpeningHours(hours) ?? validateClosedDates(closedDates);
    if (problem) {
      setBanner({ kind: 'error', text: problem });
      return;
    }
    setBusy(`save-${s.id}`);
    setBanner(null);
    try {
      await updateOperations(s.id, {
        hours, closedDates, amenities: draft.amenities, status: draft.status,
        closedNote: draft.status === 'temporarily_closed' ? draft.closedNote.trim() || null : null,
        closedUntil: draft.status === 'temporarily_closed' ? draft.closedUntil.trim() || null : null,
      });
      setBanner({ kind: 'success', text: '已保存' });
      setEditing(null);
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const acceptInvite = async () => {
    if (!inviteCode.trim()) {
      setBanner({ kind: 'error', text: '请输入站长邀请码' });
      return;
    }
    setBusy('invite');
    setBanner(null);
    try {
      const a = await acceptKeeperInvite({ inviteCode: inviteCode.trim() });
      setInviteCode('');
      setBanner({ kind: 'success', text: `已成为「${a.stationName}」的站长` });
      await refresh();
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  /** The one way to become a keeper: the one-time invite (24 h) staff create on the station's edit page. */
  const inviteCard = (
    <View className='card' id='keeper-invite'>
      <Text className='card-title'>接受站长邀请</Text>
      <View className='muted'>请输入工会工作人员提供的站长邀请码（24小时内有效，仅可使用一次）。</View>
      <Input id='keeper-invite-code' className='input' value={inviteCode} placeholder='站长邀请码' onInput={(e) => setInviteCode(e.detail.value)} />
      <Button kind='primary' id='keeper-invite-accept' loading={busy === 'invite'} disabled={!!busy} onClick={() => void acceptInvite()}>
        接受邀请
      </Button>
    </View>
  );

  if (!user) {
    return (
      <Page title='我的驿站'>
        <LoginPanel roles={['station_keeper', 'user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (!isKeeper) {
    if (!hasRole(user, 'user')) return <Page title='我的驿站'><Empty text='仅驿站站长可使用此页面' /></Page>;
    return (
      <Page title='我的驿站'>
        <Banner id='keeper-banner' kind={banner?.kind} message={banner?.text} />
        {inviteCard}
      </Page>
    );
  }
  if (error) return <Page title='我的驿站'><ErrorState message={error} onRetry={() => void load()} /></Page>;
  if (!data) return <Page title='我的驿站'><Loading /></Page>;
  if (data.stations.length === 0) {
    return (
      <Page title='我的驿站'>
        <Banner id='keeper-banner' kind={banner?.kind} message={banner?.text} />
        <Empty text='您还没有负责的驿站，请向所属工会索取站长邀请码' />
        {inviteCard}
      </Page>
    );
  }

  return (
    <Page title='我的驿站'>
      {banner && <Banner id='keeper-banner' kind={banner.kind} message={banner.text} />}
      {data.stations.map((s) => (
        <View key={s.id} data-testid={`keeper-station-${s.id}`}>
          <View className='card'>
            <Text className='card-title'>{s.name}</Text>
            <View className='st-meta'><OpenTag station={s} /> {s.ratingCount > 0 ? `★ ${s.ratingAverage}（${s.ratingCount}）` : '暂无评价'}</View>
            <View className='st-meta'>{s.address}</View>
            <AmenityBadges amenities={s.amenities} />
          </View>

          <View className='card' id={`keeper-visits-${s.id}`}>
            <Text className='card-title'>今日到访（{s.todayVisits.length}）</Text>
            {s.todayVisits.length === 0 ? (
              <View className='muted'>今天还没有人打卡</View>
            ) : (
              s.todayVisits.map((v) => (
                <View className='row' key={v.id} data-testid={`keeper-visit-${v.id}`}>
                  <Text>{v.memberNameMasked} · {OCCUPATION_LABELS[v.occupation] ?? v.occupation}</Text>
                  <Text className='muted'>{formatShanghai(v.at).slice(11)}</Text>
                </View>
              ))
            )}
          </View>

          <View className='card' id={`keeper-reports-${s.id}`}>
            <Text className='card-title'>待处理问题（{s.openReportList.length}）</Text>
            {s.openReportList.length === 0 ? (
              <View className='muted'>暂无待处理的问题</View>
            ) : (
              s.openReportList.map((r) => (
                <View key={r.id} data-testid={`keeper-report-${r.id}`} style={{ marginBottom: '16px' }}>
                  <View className='row'>
                    <Text>{REPORT_KIND_LABELS[r.kind]}</Text>
                    <Text className='muted'>{formatShanghai(r.createdAt)}</Text>
                  </View>
                  {r.note && <View className='muted'>{r.note}</View>}
                  <Button kind='plain' size='small' testId={`keeper-handle-${r.id}`} loading={busy === `report-${r.id}`} disabled={!!busy} onClick={() => void markHandled(r.id)}>
                    标记已处理
                  </Button>
                </View>
              ))
            )}
          </View>

          <View className='card'>
            <Text className='card-title'>营业设置</Text>
            {editing !== s.id || !draft ? (
              <Button kind='plain' id={`keeper-edit-${s.id}`} onClick={() => { setEditing(s.id); setDraft(draftOf(s)); setBanner(null); }}>
                修改营业时间、状态和设施
              </Button>
            ) : (
              <View>
                <Text className='field-label'>营业状态</Text>
                <View className='chips'>
                  {(['open', 'temporarily_closed'] as StationStatus[]).map((st) => (
                    <View key={st} id={`keeper-status-${st}`} className={`chip ${draft.status === st ? 'chip-on' : ''}`} onClick={() => setDraft({ ...draft, status: st })}>
                      {st === 'open' ? '正常营业' : '暂停营业'}
                    </View>
                  ))}
                </View>
                {draft.status === 'temporarily_closed' && (
                  <View>
                    <Input className='input' id='keeper-closed-note' value={draft.closedNote} placeholder='暂停原因（选填）' onInput={(e) => setDraft({ ...draft, closedNote: e.detail.value })} />
                    <Text className='field-label' style={{ marginTop: '8px' }}>暂停到哪天（含这一天）</Text>
                    <DateChooser id='keeper-closed-until' value={draft.closedUntil} emptyText='另行通知（点此选日期）' onChange={(v) => setDraft({ ...draft, closedUntil: v })} />
                  </View>
                )}
                <Text className='field-label' style={{ marginTop: '16px' }}>服务设施</Text>
                <AmenityPicker value={draft.amenities} onChange={(a) => setDraft({ ...draft, amenities: a })} idPrefix='keeper-amenity' />
                <Text className='field-label' style={{ marginTop: '16px' }}>营业时间</Text>
                <HoursEditor value={draft.hours} onChange={(h) => setDraft({ ...draft, hours: h })} idPrefix='keeper-hours' />
                <Text className='field-label'>休息日期</Text>
                <ClosedDatesEditor idPrefix='keeper-closed-dates' value={draft.closedDates} onChange={(v) => setDraft({ ...draft, closedDates: v })} />
                <View className='btn-row'>
                  <Button kind='primary' size='small' id={`keeper-save-${s.id}`} loading={busy === `save-${s.id}`} disabled={!!busy} onClick={() => void save(s)}>保存</Button>
                  <Button kind='plain' size='small' onClick={() => setEditing(null)}>取消</Button>
                </View>
              </View>
            )}
          </View>

          <View className='card'>
            <Text className='card-title'>门口二维码</Text>
            <View className='muted'>会员扫码即可打卡；打印后张贴在驿站门口</View>
            <Qr text={s.url} size={220} />
            <Button kind='plain' size='small' onClick={() => { if (!printPage()) void Taro.showToast({ title: '请在电脑端打印', icon: 'none' }); }}>打印</Button>
          </View>
        </View>
      ))}
    </Page>
  );
}
