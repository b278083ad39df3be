import { Text, View } from '@tarojs/components';
import Taro, { useDidHide, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { MERCHANT_SCOPE_LABELS, type RedemptionCodeView, type VoucherView } from '@union/shared';
import { ApiError, errorMessage, retryDelayMs } from '../../api/client';
import { getMyVoucher, getRedemptionCode } from '../../api/vouchers';
import { Banner, Button, DateText, Empty, ErrorState, Loading, LoginPanel, Page, Qr } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { useSession } from '../../session';
import { VoucherTicket } from './voucher-ticket';
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
  /** Failures in a row: the automatic retry backs off (retryDelayMs) and stops on an answer that cannot change. */
  const failures = useRef(0);

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
      failures.current = 0;
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
      const wait = retryDelayMs(e, failures.current++);
      if (wait !== null) timer.current = setTimeout(() => void load(), wait);
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
      <Page title='券详情'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  if (!(id > 0)) {
    return (
      <Page title='券详情'>
        <Empty text='没有找到这张券，请从「我的券」打开'>
          <Button id='voucher-go-mine' onClick={() => void Taro.redirectTo({ url: '/pages/vouchers/mine' })}>
            去我的券
          </Button>
        </Empty>
      </Page>
    );
  }
  if (!voucher) {
    return <Page title='券详情'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <Loading />}</Page>;
  }

  const left = code ? Math.max(0, Math.ceil((new Date(code.expiresAt).getTime() - now) / 1000)) : 0;
  return (
    <Page title='券详情'>
      <VoucherTicket voucher={voucher} statusId='voucher-status' />
      {voucher.status === 'unused' && (
        <View className='card qr-box'>
          {code ? (
            <View id='voucher-qr'>
              <Qr text={code.code} size={220} />
              <View className='v-qr-note'>
                请向商户出示此码核销，<Text className='nowrap'>{left} 秒</Text>后自动刷新
              </View>
            </View>
          ) : (
            <Loading text='正在生成核销码…' />
          )}
          <Banner message={error ? `${error}，正在重试…` : null} />
        </View>
      )}
      <View className='card'>
        <View className='row'>
          <Text className='row-label'>领取时间</Text>
          <View className='row-value'>
            <DateText value={voucher.claimedAt} />
          </View>
        </View>
        <View className='row'>
          <Text className='row-label'>有效期</Text>
          <View className='row-value'>
            <DateText value={voucher.validFrom} mode='date' /> 至 <DateText value={voucher.validUntil} />
          </View>
        </View>
        {voucher.redeemedAt && (
          <View className='row'>
            <Text className='row-label'>核销时间</Text>
            <View className='row-value'>
              <DateText value={voucher.redeemedAt} />
            </View>
          </View>
        )}
        <View className='row'>
          <Text className='row-label'>适用商户</Text>
          <Text className='row-value'>{MERCHANT_SCOPE_LABELS[voucher.merchantScope]}</Text>
        </View>
        <Button kind='plain' id='voucher-merchants' onClick={() => void Taro.navigateTo({ url: `/pages/vouchers/merchants?campaignId=${voucher.campaignId}` })}>
          查看可用商户
        </Button>
      </View>
    </Page>
  );
}
