import { creditCodeCheckChar } from '@union/shared';
import { newIdNumber, newMobile, TestApp } from './app';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid, random unified social credit code (GB 32100 check character). */
export function newLicenceNo(): string {
  let body = '91420200';
  for (let i = 0; i < 9; i++) body += CHARS[Math.floor(Math.random() * CHARS.length)];
  return body + creditCodeCheckChar(body);
}

let keySeq = 0;
/** A fresh Idempotency-Key. */
export const idemKey = () => `k-${Date.now().toString(36)}-${++keySeq}-${Math.random().toString(36).slice(2, 8)}`;

export const merchantForm = (over: object = {}) => ({
  name: '黄石好味餐馆', category: 'catering', address: '黄石港区天虹路1号', lat: 30.2151, lng: 115.0602, licenceNo: newLicenceNo(),
  contactName: '李老板', contactMobile: newMobile(), orgCode: 'HB-HS-HSG', discountNote: '会员再享9折', ...over,
});

/** Campaign request with an open window and fixed validity; override any field. */
export function campaignForm(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    name: '黄石职工消费季', description: '会员专享', budgetFen: 1_000_000,
    types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 1 }],
    perMemberLimit: 2, claimStartAt: new Date(now - 60_000).toISOString(), claimEndAt: new Date(now + 86_400_000).toISOString(),
    validityKind: 'fixed', validFrom: new Date(now - 60_000).toISOString(), validUntil: new Date(now + 30 * 86_400_000).toISOString(),
    merchantScope: 'all', ...over,
  };
}

/**
 * Helpers that go through the real API: members (join code → application → approval),
 * approved merchants with their owner clerk, published campaigns.
 */
export function voucherFixtures(t: TestApp, staff: string) {
  let n = 0;
  const joinCodes = new Map<string, string>();
  const joinCode = async (orgCode: string, token: string) => {
    if (!joinCodes.has(orgCode)) {
      const res = await t.http().post('/api/membership/join-codes').set(auth(token)).send({ orgCode });
      if (res.status !== 201) throw new Error(`join code: ${res.status} ${JSON.stringify(res.body)}`);
      joinCodes.set(orgCode, res.body.code);
    }
    return joinCodes.get(orgCode)!;
  };
  return {
    /** A member of `orgCode` (default 黄石市网约配送员工会联合会) through the real membership API; `platform` = their employer. */
    async member(opts: { orgCode?: string; occupation?: string; reviewer?: string; platform?: string } = {}) {
      const reviewer = opts.reviewer ?? staff;
      const key = `vm-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 6)}`;
      const token = await t.login(key);
      const app = await t.http().post('/api/membership/applications').set(auth(token)).send({
        joinCode: await joinCode(opts.orgCode ?? 'HB-HS-HSG-WM', reviewer), name: '测试会员', idNumber: newIdNumber(), mobile: newMobile(),
        occupation: opts.occupation ?? 'food_delivery', consent: true, ...(opts.platform && { platform: opts.platform }),
      });
      if (app.status !== 201) throw new Error(`apply: ${app.status} ${JSON.stringify(app.body)}`);
      const ok = await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(reviewer));
      if (ok.status !== 200) throw new Error(`approve: ${ok.status} ${JSON.stringify(ok.body)}`);
      return token;
    },
    /** An approved merchant and its owner clerk's token. */
    async merchant(over: object = {}, reviewer = staff) {
      const key = `vc-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 6)}`;
      const token = await t.login(key, 'merchant_clerk', 'HB-HS');
      const res = await t.http().post('/api/vouchers/merchants').set(auth(token)).send(merchantForm(over));
      if (res.status !== 201) throw new Error(`merchant: ${res.status} ${JSON.stringify(res.body)}`);
      const ok = await t.http().post(`/api/vouchers/merchants/${res.body.id}/approve`).set(auth(reviewer));
      if (ok.status !== 200) throw new Error(`approve merchant: ${ok.status} ${JSON.stringify(ok.body)}`);
      return { token, merchant: ok.body as { id: number; name: string } };
    },
    /** A published campaign. */
    async campaign(over: Record<string, unknown> = {}, token = staff) {
      const res = await t.http().post('/api/vouchers/manage/campaigns').set(auth(token)).send(campaignForm(over));
      if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
      const pub = await t.http().post(`/api/vouchers/manage/campaigns/${res.body.id}/publish`).set(auth(token));
      if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${JSON.stringify(pub.body)}`);
      return pub.body as { id: number; types: Array<{ id: number; faceValueFen: number; minSpendFen: number }> };
    },
  };
}
