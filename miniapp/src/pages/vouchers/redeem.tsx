import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, useState } from 'react';
import { formatFen, formatShanghai, parseYuanToFen, REDEEM_ERROR_MESSAGES, type RedemptionView } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { newIdempotencyKey, redeemVoucher } from '../../api/vouchers';
import { FieldError, LoginPanel, ScanButton } from '../../components';
import { hasRole, useSession } from '../../session';
import './vouchers.css';

/** 扫码核销: scan (camera on both platforms; typing or pasting as the fallback) the member's code, enter the order amount in yuan, confirm, see the result. */
export default function RedeemPage() {
  const { user, refresh } = useSession();
  const [code, setCode] = useState('');
  const [amount, setAmount] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RedemptionView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const key = useRef<string | null>(null); // kept until a definite answer, so a retry after a network error cannot redeem twice

  const submit = async () => {
    setResult(null);
    setFailure(null);
    const c = code.trim();
    const parsed = parseYuanToFen(amount);
    setCodeError(c ? null : '请扫描或粘贴核销码');
    setAmountError(parsed.error ?? null);
    if (!c || parsed.fen === undefined) return;
    const { confirm } = await Taro.showModal({ title: '确认核销', content: `订单金额 ¥${formatFen(parsed.fen)}，确认核销该券？`, confirmText: '核销' });
    if (!confirm) return;
    setBusy(true);
    key.current ??= newIdempotencyKey();
    try {
      const r = await redeemVoucher({ redemptionCode: c, orderAmountFen: parsed.fen }, key.current);
      key.current = null;
      setResult(r);
      setCode('');
      setAmount('');
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NETWORK')) key.current = null;
      setFailure(e instanceof ApiError ? REDEEM_ERROR_MESSAGES[e.code] ?? e.message : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!user) {
    return (
      <View className='page'>
        <LoginPanel roles={['merchant_clerk']} onLoggedIn={() => void refresh()} />
      </View>
    );
  }
  if (!hasRole(user, 'merchant_clerk')) {
    return (
      <View className='page'>
        <View className='v-result-err'>仅商户店员可以核销消费券</View>
      </View>
    );
  }
  return (
    <View className='page'>
      {result && (
        <View className='v-result-ok' id='redeem-result'>
          <View>核销成功</View>
          <View>{result.typeName} · 券面 ¥{formatFen(result.faceValueFen)}</View>
          <View>订单金额 ¥{formatFen(result.orderAmountFen)}</View>
          <View className='muted'>{formatShanghai(result.redeemedAt)} · {result.merchant.name}</View>
        </View>
      )}
      {failure && (
        <View className='v-result-err' id='redeem-error'>
          核销失败：{failure}
        </View>
      )}
      <View className='card'>
        <View className='field'>
          <Text className='field-label'>核销码</Text>
          <ScanButton id='redeem-scan' label='扫顾客的核销码' onScan={(text) => { setCode(text); setCodeError(null); }} fallbackHint='请在下面的输入框里输入顾客出示的核销码。' />
          <Input id='redeem-code' className={`input ${codeError ? 'input-invalid' : ''}`} value={code} placeholder='粘贴顾客出示的核销码' onInput={(e) => { setCode(e.detail.value); setCodeError(null); }} />
          <FieldError id='redeem-code-error' message={codeError} />
        </View>
        <View className='field'>
          <Text className='field-label'>订单金额（元）</Text>
          <Input id='redeem-amount' className={`input ${amountError ? 'input-invalid' : ''}`} type='digit' value={amount} placeholder='例如 128.50' onInput={(e) => { setAmount(e.detail.value); setAmountError(null); }} />
          <FieldError id='redeem-amount-error' message={amountError} />
        </View>
        <Button className='btn btn-primary' id='redeem-submit' loading={busy || undefined} disabled={busy || undefined} onClick={submit}>
          确认核销
        </Button>
      </View>
      <Button className='btn btn-plain' id='redeem-go-today' onClick={() => Taro.navigateTo({ url: '/pages/vouchers/today' })}>
        今日核销
      </Button>
    </View>
  );
}
