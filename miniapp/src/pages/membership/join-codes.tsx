import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { JoinCodeView } from '@union/shared';
import { errorMessage } from '../../api/client';
import { createJoinCode, listJoinCodes, revokeJoinCode } from '../../api/membership';
import { Banner, Button, DateText, Empty, Field, FieldError, OrgChips, Page, PagedList, Qr, StatusTag, type StatusTone } from '../../components';
import { useLoadOnShow } from '../../hooks';
import { isH5, printPage } from '../../platform';
import { hasRole, useSession } from '../../session';

const PAGE_SIZE = 20;

function codeState(jc: JoinCodeView): { label: string; tone: StatusTone } {
  if (jc.revoked) return { label: '已停用', tone: 'danger' };
  if (jc.expiresAt && new Date(jc.expiresAt).getTime() < Date.now()) return { label: '已过期', tone: 'danger' };
  return { label: '使用中', tone: 'success' };
}

function JoinCodeQr({ jc }: { jc: JoinCodeView }) {
  return (
    <View className='qr-box' id='jc-print-area'>
      <Qr text={jc.url} size={220} />
      <View className='card-title' style={{ marginTop: '12px' }}>
        {jc.orgName}
      </View>
      <View className='muted'>微信扫一扫，申请加入工会{jc.label ? ` · ${jc.label}` : ''}</View>
    </View>
  );
}

export default function JoinCodesPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff');

  const [orgCode, setOrgCode] = useState('');
  const [label, setLabel] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<JoinCodeView | null>(null);

  const [codes, setCodes] = useState<JoinCodeView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [listError, setListError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [shownCode, setShownCode] = useState<string | null>(null);

  const loadCodes = useCallback(async () => {
    setListError(null);
    try {
      const res = await listJoinCodes({ page: 1, pageSize: PAGE_SIZE });
      setCodes(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      setListError(errorMessage(e));
    }
  }, []);

  useLoadOnShow(() => {
    void loadCodes();
  }, isStaff);

  /** The next page; PagedList shows a failure and lets the user press 加载更多 again. */
  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const res = await listJoinCodes({ page: page + 1, pageSize: PAGE_SIZE });
      setCodes((prev) => {
        const seen = new Set((prev ?? []).map((c) => c.code));
        return [...(prev ?? []), ...res.items.filter((c) => !seen.has(c.code))];
      });
      setTotal(res.total);
      setPage(res.page);
    } finally {
      setLoadingMore(false);
    }
  };

  const create = async () => {
    setFormError(null);
    if (!orgCode) {
      setFormError('请选择基层工会');
      return;
    }
    if (label.trim().length > 50) {
      setFormError('备注不超过50字');
      return;
    }
    setCreating(true);
    try {
      const jc = await createJoinCode({ orgCode, label: label.trim() || undefined });
      setCreated(jc);
      setLabel('');
      setCodes((prev) => [jc, ...(prev ?? []).filter((c) => c.code !== jc.code)]);
      setTotal((t) => t + 1);
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setCreating(false);
    }
  };

  const revoke = async (jc: JoinCodeView) => {
    const { confirm } = await Taro.showModal({
      title: '停用入会二维码',
      content: `停用后，扫描此码将无法再申请加入「${jc.orgName}」。确认停用？`,
      confirmText: '停用',
    });
    if (!confirm) return;
    setBanner(null);
    try {
      const updated = await revokeJoinCode(jc.code);
      setCodes((prev) => (prev ?? []).map((c) => (c.code === jc.code ? { ...c, ...updated, revoked: true } : c)));
      if (created?.code === jc.code) setCreated({ ...created, revoked: true });
    } catch (e) {
      setBanner(errorMessage(e));
    }
  };

  const copy = (url: string) => {
    void Taro.setClipboardData({ data: url }).catch(() => undefined);
  };

  const print = () => {
    if (!printPage()) void Taro.showToast({ title: '请在电脑浏览器中打印', icon: 'none' });
  };

  if (!isStaff) {
    return (
      <Page title='入会二维码'>
        <Empty text='仅工会工作人员可管理入会二维码。如需开通，请联系所在工会。' />
      </Page>
    );
  }

  return (
    <Page title='入会二维码'>
      <View className='card no-print'>
        <Text className='card-title'>生成入会二维码</Text>
        <Field id='jc-org-field' label='基层工会' required>
          <OrgChips
            idPrefix='jc-org'
            label='基层工会'
            level='grassroots'
            value={orgCode}
            onChange={setOrgCode}
            emptyText='你管辖的范围内没有基层工会'
            onLoaded={(first, total) => setOrgCode((current) => current || (total === 1 ? first[0].code : ''))}
          />
        </Field>
        <Field id='jc-label' label='备注' placeholder='如 2025年春季骑手入会活动' maxlength={50} value={label} onInput={setLabel} />
        <FieldError id='jc-error' message={formError} />
        <Button id='jc-create' loading={creating} onClick={() => void create()}>
          生成二维码
        </Button>
      </View>

      {created && (
        <View className='card' id='jc-created'>
          <Text className='card-title no-print'>新的入会二维码</Text>
          <JoinCodeQr jc={created} />
          <View className='muted no-print' style={{ marginTop: '12px' }}>
            链接：
          </View>
          <View className='no-print jc-url' id='jc-url' style={{ wordBreak: 'break-all' }}>
            {created.url}
          </View>
          <View className='btn-row no-print'>
            {isH5 && (
              <Button size='small' id='jc-print' onClick={print}>
                打印
              </Button>
            )}
            <Button kind='plain' size='small' id='jc-copy' onClick={() => copy(created.url)}>
              复制链接
            </Button>
          </View>
        </View>
      )}

      <View className='no-print'>
        <View className='card-title'>已生成的二维码</View>
        <Banner message={banner} />
        <PagedList
          id='jc-list'
          list={{ items: codes, total, error: listError, loadingMore, loadMore }}
          onRetry={() => void loadCodes()}
          moreId='jc-more'
          emptyText='还没有入会二维码，在上面选择基层工会即可生成'
          renderItem={(jc) => {
            const st = codeState(jc);
            return (
              <View className='card' key={jc.code} data-testid={`jc-item-${jc.code}`}>
                <View className='row'>
                  <Text className='card-title'>{jc.orgName}</Text>
                  <StatusTag text={st.label} tone={st.tone} />
                </View>
                {jc.label && <View className='muted'>{jc.label}</View>}
                <View className='muted'>
                  创建于 <DateText value={jc.createdAt} />
                </View>
                {jc.expiresAt && (
                  <View className='muted'>
                    有效期至 <DateText value={jc.expiresAt} />
                  </View>
                )}
                {shownCode === jc.code && <JoinCodeQr jc={jc} />}
                <View className='btn-row'>
                  <Button kind='plain' size='small' testId={`show-${jc.code}`} onClick={() => setShownCode(shownCode === jc.code ? null : jc.code)}>
                    {shownCode === jc.code ? '收起二维码' : '显示二维码'}
                  </Button>
                  {!jc.revoked && (
                    <Button kind='danger' size='small' testId={`revoke-${jc.code}`} onClick={() => void revoke(jc)}>
                      停用
                    </Button>
                  )}
                </View>
              </View>
            );
          }}
        />
      </View>
    </Page>
  );
}
