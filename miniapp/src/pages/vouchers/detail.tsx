import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatFen, formatShanghai, MERCHANT_SCOPE_LABELS, VOUCHER_STATUS_LABELS, type RedemptionCodeView, type VoucherView } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { getMyVoucher, getRedemptionCode } from '../../api/vouchers';
import { ErrorState, Loading, LoginPanel, Qr } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';
import './vouchers.css';

/** Fetch a new code at ~80% of its life (fallback: the lifetime alone when the clock is skewed). */
function refreshDelayMs(c: RedemptionCodeView): number {
  const ttl = c.ttlSeconds * 1000;
  const d = new Date(c.expiresAt).getTime() - Date.now() - ttl * 0.2;
  return !Number.isFinite(d) || d < 1000 || d > ttl ? Math.max(1000, ttl * 0.8) : d;
}

/** 券详情: the voucher and, while unused, its rotating redemption QR (signed, 60 s). */
export default function VoucherDetailPage() {
  const { user, refresh } = useSession();
  const id = Number(useRouter().params.id);
  const [voucher, setVoucher] = useState<VoucherView | null>(null);
  const [code, setCode] = useState<RedemptionCodeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const active = useRef(true);

  const stop = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };

  const load = useCallback(async () => {
    active.current = true;
    stop();
    try {
      const v = await getMyVoucher(id);
      if (!active.current) return;
      setVoucher(v);
      setError(null);
      if (v.status !== 'unused') {
        setCode(null);
        return;
      }
      const c = await getRedemptionCode(id);
      if (!active.current) return;
      setCode(c);
      timer.current = setTimeout(() => void load(), refreshDelayMs(c));
    } catch (e) {
      if (!active.current) return;
      if (e instanceof ApiError && e.code === 'VOUCHER_NOT_USABLE') {
        setCode(null);
        setVoucher(await getMyVoucher(id).catch(() => null));
        return;
      }
      setError(errorMessage(e));
      timer.current = setTimeout(() => void load(), 5000);
    }
  }, [id]);

  useLoadOnShow(() => void load(), !!user && id > 0);
  useDidHide(() => {
    active.current = false;
    stop();
  });
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(t);
      active.current = false;
      stop();
    };
  }, []);

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (!(id > 0)) return <ErrorState message='券不存在' />;
  if (!voucher && error) return <ErrorState message={error} onRetry={() => void load()} />;
  if (!voucher) return <Loading />;

  const left = code ? Math.max(0, Math.ceil((new Date(code.expiresAt).getTime() - now) / 1000)) : 0;
  return (
    <View className='page'>
      <View className={`v-ticket ${voucher.status !== 'unused' ? 'v-ticket-used' : ''}`}>
        <View className='row'>
          <Text className='v-ticket-face'>¥{formatFen(voucher.faceValueFen)}</Text>
          <Text id='voucher-status'>{VOUCHER_STATUS_LABELS[voucher.status]}</Text>
        </View>
        <View>{voucher.typeName} · {voucher.minSpendFen ? `满${formatFen(voucher.minSpendFen)}元可用` : '无门槛'}</View>
        <View className='muted'>{voucher.campaignName}</View>
      </View>
      {voucher.status === 'unused' && (
        <View className='card qr-box'>
          {code ? (
            <View id='voucher-qr'>
              <Qr text={code.code} size={220} />
              <View className='muted' style={{ marginTop: '8px' }}>
                请向商户出示此码核销，{left} 秒后自动刷新
              </View>
            </View>
          ) : (
            <Loading text='正在生成核销码…' />
          )}
          {error && <View className='banner banner-error'>{error}，正在重试…</View>}
        </View>
      )}
      <View className='card'>
        <View className='row'>
          <Text className='row-label'>领取时间</Text>
          <Text className='row-value'>{formatShanghai(voucher.claimedAt)}</Text>
        </View>
        <View className='row'>
          <Text className='row-label'>有效期</Text>
          <Text className='row-value'>{formatShanghai(voucher.validFrom, false)} 至 {formatShanghai(voucher.validUntil)}</Text>
        </View>
        {voucher.redeemedAt && (
          <View className='row'>
            <Text className='row-label'>核销时间</Text>
            <Text className='row-value'>{formatShanghai(voucher.redeemedAt)}</Text>
          </View>
        )}
        <View className='row'>
          <Text className='row-label'>适用商户</Text>
          <Text className='row-value'>{MERCHANT_SCOPE_LABELS[voucher.merchantScope]}</Text>
        </View>
        <Button className='btn btn-plain' id='voucher-merchants' onClick={() => Taro.navigateTo({ url: `/pages/vouchers/merchants?campaignId=${voucher.campaignId}` })}>
          查看可用商户
        </Button>
      </View>
    </View>
  );
}
