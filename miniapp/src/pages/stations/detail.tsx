import { Image, Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import {
  describeHours, formatShanghai, MAX_RATING_COMMENT, REPORT_KIND_LABELS, REPORT_KINDS, STATION_STATUS_LABELS,
  type Amenity, type CheckInView, type RatingView, type ReportKind, type StationMyStatus, type StationView,
} from '@union/shared';
import { ApiError, errorMessage, getToken } from '../../api/client';
import { apiUrl, checkIn, getMyStationStatus, getStation, getStationByCode, listRatings, rateStation, reportProblem } from '../../api/stations';
import { Banner, Button, ErrorState, Loading, LoginPanel, Page, ScanButton } from '../../components';
import { useSession } from '../../session';
import { AmenityBadges, AmenityPicker, dayWords, extractStationCode, NavigateButton, OpenTag } from './StationParts';
import './stations.css';

/**
 * A station: hours, amenities, rating, 导航, 打卡 (one tap when opened from the door QR `?s=<code>`,
 * otherwise scan or type the code), 评价 (after a check-in), 反馈问题.
 */
export default function StationDetailPage() {
  const router = useRouter();
  const codeParam = router.params.s ? decodeURIComponent(router.params.s) : null;
  const idParam = router.params.id ? Number(router.params.id) : null;
  const { user, refresh } = useSession();
  const [station, setStation] = useState<StationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<StationMyStatus | null>(null);
  const [ratings, setRatings] = useState<RatingView[]>([]);
  const [used, setUsed] = useState<Amenity[]>([]);
  const [typedCode, setTypedCode] = useState('');
  const [checkInResult, setCheckInResult] = useState<CheckInView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [reportKind, setReportKind] = useState<ReportKind | null>(null);
  const [reportNote, setReportNote] = useState('');
  const [reportSent, setReportSent] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const s = codeParam ? await getStationByCode(codeParam) : idParam ? await getStation(idParam) : null;
      if (!s) throw new Error('缺少驿站参数');
      setStation(s);
      void Taro.setNavigationBarTitle({ title: s.name.slice(0, 16) });
      listRatings(s.id, { pageSize: 5 }).then((r) => setRatings(r.items)).catch(() => setRatings([]));
      if (getToken()) setStatus(await getMyStationStatus(s.id).catch(() => null));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? '驿站不存在或二维码无效' : errorMessage(e));
    }
  }, [codeParam, idParam]);

  useEffect(() => {
    void load();
  }, [load, user?.id]);

  const doCheckIn = async (code: string) => {
    setBusy('checkin');
    setBanner(null);
    try {
      const res = await checkIn({ code, amenities: used.length ? used : undefined });
      setCheckInResult(res);
      setBanner({ kind: 'success', text: res.created ? `打卡成功 ${formatShanghai(res.at)}` : `30分钟内已打过卡（${formatShanghai(res.at)}），无需重复打卡` });
      if (station) setStatus(await getMyStationStatus(station.id).catch(() => status));
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const submitRating = async () => {
    if (!station) return;
    if (stars < 1) {
      setBanner({ kind: 'error', text: '请选择星级' });
      return;
    }
    setBusy('rate');
    setBanner(null);
    try {
      await rateStation(station.id, { stars, comment: comment.trim() || undefined });
      setBanner({ kind: 'success', text: '感谢您的评价' });
      setStars(0);
      setComment('');
      await load();
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const submitReport = async () => {
    if (!station || !reportKind) return;
    if (reportKind === 'other' && !reportNote.trim()) {
      setBanner({ kind: 'error', text: '请描述遇到的问题' });
      return;
    }
    const { confirm } = await Taro.showModal({ title: '反馈问题', content: `确认向站长反馈「${REPORT_KIND_LABELS[reportKind]}」？`, confirmText: '提交' });
    if (!confirm) return;
    setBusy('report');
    setBanner(null);
    try {
      await reportProblem(station.id, { kind: reportKind, note: reportNote.trim() || undefined });
      setReportSent(true);
      setReportKind(null);
      setReportNote('');
      setBanner({ kind: 'success', text: '已反馈给站长，谢谢' });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  if (error) return <Page title='驿站详情'><ErrorState message={error} onRetry={() => void load()} /></Page>;
  if (!station) return <Page title='驿站详情'><Loading /></Page>;
  const recently = !!(checkInResult || status?.checkedInRecently);

  return (
    <Page title='驿站详情'>
      <View className='card'>
        <Text className='card-title' id='detail-name'>{station.name}</Text>
        <View className='st-meta'>
          <OpenTag station={station} id='detail-open' />
          <Text id='detail-rating'>{station.ratingCount > 0 ? `★ ${station.ratingAverage}（${station.ratingCount}条评价）` : '暂无评价'}</Text>
        </View>
        {station.status === 'temporarily_closed' && (
          <Banner kind='info' message={`${STATION_STATUS_LABELS.temporarily_closed}${station.closedUntil ? `至${dayWords(station.closedUntil)}` : ''}${station.closedNote ? `：${station.closedNote}` : ''}`} />
        )}
        <View className='row'>
          <Text className='row-label'>地址</Text>
          <Text className='row-value'>{station.address}</Text>
        </View>
        {station.phone && (
          <View className='row'>
            <Text className='row-label'>电话</Text>
            <Text className='row-value link' onClick={() => void Taro.makePhoneCall({ phoneNumber: station.phone! }).catch(() => undefined)}>{station.phone}</Text>
          </View>
        )}
        <View className='row'>
          <Text className='row-label'>所属工会</Text>
          <Text className='row-value'>{station.org.name}</Text>
        </View>
        <AmenityBadges amenities={station.amenities} id='detail-amenities' />
        <NavigateButton station={station} id='detail-navigate' />
      </View>

      <View className='card' id='detail-hours'>
        <Text className='card-title'>营业时间</Text>
        {describeHours(station.hours).map((line) => (
          <View key={line} className='st-hours-line'>{line}</View>
        ))}
        {station.closedDates.length > 0 && <View className='muted'>休息日：{station.closedDates.map((d) => dayWords(d)).join('、')}</View>}
      </View>

      {station.photos.length > 0 && (
        <View className='card'>
          <View className='st-photos'>
            {station.photos.map((p) => <Image key={p} className='st-photo' src={apiUrl(p)} mode='aspectFill' />)}
          </View>
        </View>
      )}
      {station.description && <View className='card muted'>{station.description}</View>}

      {banner && <Banner id='detail-banner' kind={banner.kind} message={banner.text} />}

      <View className='card st-checkin' id='detail-checkin-card'>
        <Text className='card-title'>打卡</Text>
        {!user ? (
          <View>
            <View className='muted'>登录后打卡、评价和反馈问题</View>
            <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
          </View>
        ) : status && !status.isMember ? (
          <View className='muted' id='detail-not-member'>打卡和评价仅限工会会员。<Text className='link' onClick={() => void Taro.navigateTo({ url: '/pages/join/index' })}>扫码入会</Text></View>
        ) : (
          <View>
            {checkInResult || status?.checkedInRecently ? (
              <View id='detail-checked-in' className='muted'>
                {status?.lastCheckInAt ? `已于 ${formatShanghai(status.lastCheckInAt)} 打卡` : '已打卡'}
              </View>
            ) : null}
            <View className='muted' style={{ margin: '8px 0' }}>本次使用的设施（可选）</View>
            <AmenityPicker value={used} onChange={setUsed} idPrefix='checkin-amenity' />
            {codeParam ? (
              <View>
                <Button
                  kind='primary'
                  id='detail-checkin'
                  loading={busy === 'checkin'}
                  disabled={!!busy || recently}
                  onClick={() => void doCheckIn(codeParam)}
                >
                  打卡
                </Button>
                {recently && <View className='st-why' id='detail-checkin-why'>30分钟内已经打过卡，现在不用再打</View>}
              </View>
            ) : (
              <View>
                <ScanButton
                  id='detail-scan-checkin'
                  label='扫驿站门口的二维码打卡'
                  primary
                  disabled={!!busy || recently}
                  onScan={(text) => void doCheckIn(extractStationCode(text))}
                  fallbackHint='请在下面的输入框里粘贴驿站二维码的链接后打卡。'
                />
                <View className='muted' style={{ marginTop: '12px' }}>扫不了码时，粘贴驿站二维码的链接：</View>
                <Input className='input' id='detail-code-input' value={typedCode} placeholder='驿站二维码链接或编码' onInput={(e) => setTypedCode(e.detail.value)} />
                <Button
                  kind='plain'
                  id='detail-code-checkin'
                  loading={busy === 'checkin'}
                  disabled={!!busy || recently || !typedCode.trim()}
                  onClick={() => void doCheckIn(extractStationCode(typedCode))}
                >
                  打卡
                </Button>
                {(recently || !typedCode.trim()) && (
                  <View className='st-why' id='detail-code-why'>{recently ? '30分钟内已经打过卡，现在不用再打' : '先在上面粘贴二维码链接，才能打卡'}</View>
                )}
              </View>
            )}
          </View>
        )}
      </View>

      {user && status?.isMember && (
        <View className='card' id='detail-rate-card'>
          <Text className='card-title'>评价</Text>
          {status.ratedToday ? (
            <View className='muted' id='detail-rated'>今天已评价，谢谢</View>
          ) : !status.canRate ? (
            <View className='muted'>打卡后即可评价</View>
          ) : (
            <View>
              <View className='st-stars'>
                {[1, 2, 3, 4, 5].map((n) => (
                  <Text key={n} id={`rate-star-${n}`} className={`st-star ${n <= stars ? 'st-star-on' : ''}`} onClick={() => setStars(n)}>★</Text>
                ))}
              </View>
              <Textarea className='textarea' id='rate-comment' value={comment} maxlength={MAX_RATING_COMMENT} placeholder={`说说你的感受（选填，最多${MAX_RATING_COMMENT}字）`} onInput={(e) => setComment(e.detail.value)} />
              <Button kind='primary' id='rate-submit' loading={busy === 'rate'} disabled={!!busy} onClick={() => void submitRating()}>
                提交评价
              </Button>
            </View>
          )}
        </View>
      )}

      {ratings.length > 0 && (
        <View className='card' id='detail-ratings'>
          <Text className='card-title'>最近评价</Text>
          {ratings.map((r) => (
            <View key={r.id} style={{ marginBottom: '12px' }}>
              <View className='row'>
                <Text>{r.memberNameMasked} {'★'.repeat(r.stars)}</Text>
                <Text className='muted'>{dayWords(r.day)}</Text>
              </View>
              {r.comment && <View className='muted'>{r.comment}</View>}
            </View>
          ))}
        </View>
      )}

      {user && (
        <View className='card' id='detail-report-card'>
          <Text className='card-title'>反馈问题</Text>
          {reportSent && <View className='muted' id='detail-report-sent'>已反馈，站长会尽快处理</View>}
          <View className='chips'>
            {REPORT_KINDS.map((k) => (
              <View key={k} id={`report-kind-${k}`} className={`chip ${reportKind === k ? 'chip-on' : ''}`} onClick={() => setReportKind(k)}>
                {REPORT_KIND_LABELS[k]}
              </View>
            ))}
          </View>
          {reportKind && (
            <View>
              <Textarea className='textarea' id='report-note' value={reportNote} maxlength={200} placeholder={reportKind === 'other' ? '请描述问题（必填）' : '补充说明（选填）'} onInput={(e) => setReportNote(e.detail.value)} />
              <Button kind='plain' id='report-submit' loading={busy === 'report'} disabled={!!busy} onClick={() => void submitReport()}>
                提交反馈
              </Button>
            </View>
          )}
        </View>
      )}
    </Page>
  );
}
