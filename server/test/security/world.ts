import { maskIdNumber, maskMobile } from '@union/shared';
import { newIdNumber, newMobile, TestApp } from '../support/app';
import { activeHousehold, auth, thisPeriod, WM } from '../support/aid';
import { applicationBody, FILES } from '../support/aid-applications';
import { createStation, PNG_1x1 } from '../support/stations';
import { idemKey, voucherFixtures } from '../support/vouchers-fixtures';

/** The victim org subtree (黄石市总工会) and the attackers' other subtree (江西省总工会). */
export const HOME = 'HB-HS';
export const OTHER = 'JX';
const OTHER_GRASSROOTS = 'JX-YT-GX-ZG';

export interface World {
  tokens: {
    staffA: string; staffB: string; member: string; worker: string; keeper: string; clerk: string;
    /** attackers */
    otherStaff: string; otherUser: string; otherClerk: string; otherKeeper: string;
  };
  ids: Record<string, number | string>;
  /** Plaintext personal data (and its masks) of the victims: must never appear in an attacker's response. */
  personal: string[];
  /** Whether the aid-application routes exist (they are being finished concurrently). */
  hasAidApplications: boolean;
}

const ok = (what: string, res: { status: number; body: any }, ...expected: number[]) => {
  if (!(expected.length ? expected : [200, 201]).includes(res.status)) throw new Error(`world: ${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
};

/**
 * Builds a small world in 黄石 (HB-HS) through the real API: join code, membership applications (one
 * approved member, one pending), an active household (registered by staff A, activated by staff B) bound to
 * the member, a pending payout batch, a station with its keeper, a photo, a check-in, a rating and a report,
 * an approved merchant with its clerk, a published campaign with a claimed and a redeemed voucher, and an aid
 * application with a document (when those routes exist). Plus the attackers: staff of 江西 (JX), a member of
 * a JX grassroots union, the clerk of another 黄石 merchant and the keeper of another 黄石 station.
 */
export async function buildWorld(t: TestApp, hasAidApplications: boolean): Promise<World> {
  const http = () => t.http();
  const staffA = await t.login('sec-staff-a', 'union_staff', HOME);
  const staffB = await t.login('sec-staff-b', 'union_staff', HOME);
  const otherStaff = await t.login('sec-staff-jx', 'union_staff', OTHER);
  const keeper = await t.login('sec-keeper', 'station_keeper', 'HB-HS-HSG');
  const otherKeeper = await t.login('sec-keeper-2', 'station_keeper', 'HB-HS-HSG');
  const userId = async (token: string) => ok('me', await http().get('/api/me').set(auth(token))).id as number;
  const personal: string[] = [];
  const remember = (idNumber: string, mobile: string) => personal.push(idNumber, mobile, maskIdNumber(idNumber), maskMobile(mobile));
  const ids: Record<string, number | string> = {};

  // --- membership: a join code, an approved member, a pending application
  const jc = ok('join code', await http().post('/api/membership/join-codes').set(auth(staffA)).send({ orgCode: WM, label: 'security world' }));
  ids.joinCode = jc.code;
  const apply = async (key: string) => {
    const token = await t.login(key);
    const idNumber = newIdNumber();
    const mobile = newMobile();
    remember(idNumber, mobile);
    const app = ok('apply', await http().post('/api/membership/applications').set(auth(token)).send({
      joinCode: jc.code, name: '骑手安全', idNumber, mobile, occupation: 'food_delivery', platform: '美团', workCity: '黄石', consent: true,
    }));
    return { token, app };
  };
  const m = await apply('sec-member');
  ok('approve member', await http().post(`/api/membership/applications/${m.app.id}/approve`).set(auth(staffA)));
  const member = m.token;
  ids.memberApplication = m.app.id;
  ids.pendingApplication = (await apply('sec-applicant')).app.id;

  // --- aid: an active household bound to the member, a pending payout batch
  const h = await activeHousehold(t, staffA, staffB);
  remember(h.body.idNumber, h.body.mobile);
  personal.push(h.body.headName);
  ids.household = h.id;
  ids.householdCode = h.code;
  ok('bind', await http().post('/api/aid/bindings').set(auth(member)).send({ code: h.code, name: h.body.headName, idLast6: h.body.idNumber.slice(-6) }));
  const batch = ok('batch', await http().post('/api/aid/payout-batches').set(auth(staffA)).send({ period: thisPeriod(), aidType: 'living', amountsByLevel: { severe: 50_000, relative: 30_000, sudden: 20_000 }, orgCode: WM }));
  ids.batch = batch.id;
  const payouts = ok('payouts', await http().get(`/api/aid/payout-batches/${batch.id}/payouts`).set(auth(staffA)));
  ids.payout = payouts.items.find((p: any) => p.household?.id === h.id || p.householdId === h.id)?.id ?? payouts.items[0].id;

  // --- stations: one with our keeper (photo, check-in, rating, report), another with the other keeper
  const keeperId = await userId(keeper);
  const station = await createStation(t, staffA, { keeperUserId: keeperId });
  await createStation(t, staffA, { keeperUserId: await userId(otherKeeper) });
  ids.station = station.id;
  ids.stationCode = station.code;
  const photo = ok('photo', await http().post(`/api/stations/${station.id}/photos`).set(auth(keeper)).attach('file', PNG_1x1, { filename: 'door.png', contentType: 'image/png' }));
  ids.photo = String(photo.photos[0]).split('/').pop()!;
  ok('check-in', await http().post('/api/stations/checkins').set(auth(member)).send({ code: station.code }));
  ok('rating', await http().post(`/api/stations/${station.id}/ratings`).set(auth(member)).send({ stars: 5, comment: '很好' }));
  ids.report = ok('report', await http().post(`/api/stations/${station.id}/reports`).set(auth(member)).send({ kind: 'other', note: '饮水机坏了' })).id;

  // --- vouchers: our merchant and clerk, another merchant's clerk, a published campaign, a claimed and a redeemed voucher
  const fx = voucherFixtures(t, staffA);
  const { token: clerk, merchant } = await fx.merchant();
  const { token: otherClerk } = await fx.merchant();
  ids.merchant = merchant.id;
  const campaign = await fx.campaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 100, perMemberLimit: 2 }], perMemberLimit: 2 });
  ids.campaign = campaign.id;
  ids.voucherType = campaign.types[0].id;
  const claim = async () => ok('claim', await http().post(`/api/vouchers/campaigns/${campaign.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: campaign.types[0].id }));
  ids.voucher = (await claim()).id;
  const redeemed = (await claim()).id;
  const code = ok('redemption code', await http().get(`/api/vouchers/my/vouchers/${redeemed}/code`).set(auth(member))).code;
  // a lottery campaign in its registration window, with the member registered
  const now = Date.now();
  const lottery = await fx.campaign({ allocation: 'lottery', lottery: { registrationEndAt: new Date(now + 3_600_000).toISOString(), drawAt: new Date(now + 3_600_000).toISOString() } });
  ids.lottery = lottery.id;
  ok('lottery registration', await http().post(`/api/vouchers/campaigns/${lottery.id}/lottery/registrations`).set(auth(member)));
  ids.redemption = ok('redeem', await http().post('/api/vouchers/redemptions').set(auth(clerk)).set('Idempotency-Key', idemKey()).send({ redemptionCode: code, orderAmountFen: 12_000 })).id;

  // --- messages: the member's own (membership approved, voucher receipt …)
  const messages = ok('messages', await http().get('/api/messages').set(auth(member)));
  ids.message = messages.items[0]?.id;

  // --- aid application with a document (when the routes exist)
  const worker = await t.login('sec-worker');
  if (hasAidApplications) {
    const body = applicationBody();
    remember(body.idNumber as string, body.mobile as string);
    personal.push(body.name as string);
    const app = ok('aid application', await http().post('/api/aid/applications').set(auth(worker)).send(body));
    ids.aidApplication = app.id;
    ids.aidDocument = ok('aid document', await http().post(`/api/aid/applications/${app.id}/documents`).set(auth(worker)).attach('file', FILES.jpeg, 'proof.jpg')).id;
  }

  // --- the other user: a member of a grassroots union in 江西
  const otherUser = await voucherFixtures(t, otherStaff).member({ orgCode: OTHER_GRASSROOTS });

  return { tokens: { staffA, staffB, member, worker, keeper, clerk, otherStaff, otherUser, otherClerk, otherKeeper }, ids, personal, hasAidApplications };
}

export interface ResourceCall {
  path: string;
  body?: object;
  /** multipart upload of one `file` instead of a JSON body */
  file?: { buffer: Buffer; name: string; type: string };
  headers?: Record<string, string>;
}

/**
 * For every route with a resource id or code scoped to a subtree or an owner: the request that touches the
 * world's real resource, with a VALID body (so a refusal comes from the access rule, not from validation).
 */
export function resourceCalls(w: World): Record<string, ResourceCall> {
  const i = w.ids;
  const calls: Record<string, ResourceCall> = {
    'PATCH /api/orgs/{code}': { path: `/api/orgs/${HOME}`, body: { autoApprove: true } },
    'GET /api/membership/join-codes/{code}/qr': { path: `/api/membership/join-codes/${i.joinCode}/qr` },
    'POST /api/membership/join-codes/{code}/revoke': { path: `/api/membership/join-codes/${i.joinCode}/revoke` },
    'GET /api/membership/applications/{id}': { path: `/api/membership/applications/${i.memberApplication}` },
    'POST /api/membership/applications/{id}/approve': { path: `/api/membership/applications/${i.pendingApplication}/approve` },
    'POST /api/membership/applications/{id}/reject': { path: `/api/membership/applications/${i.pendingApplication}/reject`, body: { reason: '资料不全' } },

    'GET /api/aid/households/{id}': { path: `/api/aid/households/${i.household}` },
    'PATCH /api/aid/households/{id}': { path: `/api/aid/households/${i.household}`, body: { needsNote: '被改写' } },
    'POST /api/aid/households/{id}/activate': { path: `/api/aid/households/${i.household}/activate` },
    'POST /api/aid/households/{id}/review': { path: `/api/aid/households/${i.household}/review` },
    'POST /api/aid/households/{id}/exit': { path: `/api/aid/households/${i.household}/exit`, body: { reason: '已就业' } },
    'GET /api/aid/households/{id}/card': { path: `/api/aid/households/${i.household}/card` },
    'POST /api/aid/households/{id}/code/reissue': { path: `/api/aid/households/${i.household}/code/reissue` },
    'GET /api/aid/households/{id}/payouts': { path: `/api/aid/households/${i.household}/payouts` },
    'GET /api/aid/payout-batches/{id}': { path: `/api/aid/payout-batches/${i.batch}` },
    'GET /api/aid/payout-batches/{id}/payouts': { path: `/api/aid/payout-batches/${i.batch}/payouts` },
    'POST /api/aid/payout-batches/{id}/approve': { path: `/api/aid/payout-batches/${i.batch}/approve` },
    'POST /api/aid/payout-batches/{id}/bank-results': { path: `/api/aid/payout-batches/${i.batch}/bank-results`, body: { csv: 'householdCode,amountFen,status,bankRef\n' } },
    'PATCH /api/aid/payouts/{id}': { path: `/api/aid/payouts/${i.payout}`, body: { amountFen: 1 } },

    'GET /api/stations/{id}/admin': { path: `/api/stations/${i.station}/admin` },
    'PATCH /api/stations/{id}': { path: `/api/stations/${i.station}`, body: { name: '被改名的驿站' } },
    'PATCH /api/stations/{id}/operations': { path: `/api/stations/${i.station}/operations`, body: { status: 'temporarily_closed', closedNote: '被关闭' } },
    'GET /api/stations/{id}/qr': { path: `/api/stations/${i.station}/qr` },
    'POST /api/stations/{id}/keeper-invites': { path: `/api/stations/${i.station}/keeper-invites` },
    'POST /api/stations/{id}/photos': { path: `/api/stations/${i.station}/photos`, file: { buffer: PNG_1x1, name: 'x.png', type: 'image/png' } },
    'DELETE /api/stations/{id}/photos/{name}': { path: `/api/stations/${i.station}/photos/${i.photo}` },
    'GET /api/stations/{id}/visits': { path: `/api/stations/${i.station}/visits` },
    'POST /api/stations/reports/{id}/handle': { path: `/api/stations/reports/${i.report}/handle` },

    'GET /api/vouchers/manage/campaigns/{id}': { path: `/api/vouchers/manage/campaigns/${i.campaign}` },
    'PATCH /api/vouchers/manage/campaigns/{id}': { path: `/api/vouchers/manage/campaigns/${i.campaign}`, body: { description: '被改写' } },
    'POST /api/vouchers/manage/campaigns/{id}/publish': { path: `/api/vouchers/manage/campaigns/${i.campaign}/publish` },
    'POST /api/vouchers/manage/campaigns/{id}/close': { path: `/api/vouchers/manage/campaigns/${i.campaign}/close` },
    'POST /api/vouchers/manage/campaigns/{id}/pause': { path: `/api/vouchers/manage/campaigns/${i.campaign}/pause`, body: {} },
    'POST /api/vouchers/manage/campaigns/{id}/resume': { path: `/api/vouchers/manage/campaigns/${i.campaign}/resume` },
    'POST /api/vouchers/manage/campaigns/{id}/types/{typeId}/stock': { path: `/api/vouchers/manage/campaigns/${i.campaign}/types/${i.voucherType}/stock`, body: { quantity: 500 } },
    'GET /api/vouchers/manage/campaigns/{id}/stats': { path: `/api/vouchers/manage/campaigns/${i.campaign}/stats` },
    'GET /api/vouchers/manage/campaigns/{id}/stats/employers': { path: `/api/vouchers/manage/campaigns/${i.campaign}/stats/employers` },
    'GET /api/vouchers/manage/campaigns/{id}/stats/employers.csv': { path: `/api/vouchers/manage/campaigns/${i.campaign}/stats/employers.csv` },
    'GET /api/vouchers/manage/campaigns/{id}/stats/merchants': { path: `/api/vouchers/manage/campaigns/${i.campaign}/stats/merchants` },
    'GET /api/vouchers/manage/campaigns/{id}/stats/merchants.csv': { path: `/api/vouchers/manage/campaigns/${i.campaign}/stats/merchants.csv` },
    'GET /api/vouchers/manage/campaigns/{id}/live': { path: `/api/vouchers/manage/campaigns/${i.campaign}/live` },
    'POST /api/vouchers/campaigns/{id}/claims': { path: `/api/vouchers/campaigns/${i.campaign}/claims`, body: { voucherTypeId: i.voucherType }, headers: { 'Idempotency-Key': idemKey() } },
    'GET /api/vouchers/campaigns/{id}/merchants': { path: `/api/vouchers/campaigns/${i.campaign}/merchants` },
    'GET /api/vouchers/manage/campaigns/{id}/lottery': { path: `/api/vouchers/manage/campaigns/${i.lottery}/lottery` },
    'POST /api/vouchers/manage/campaigns/{id}/lottery/draw': { path: `/api/vouchers/manage/campaigns/${i.lottery}/lottery/draw` },
    'GET /api/vouchers/campaigns/{id}/lottery': { path: `/api/vouchers/campaigns/${i.lottery}/lottery` },
    'POST /api/vouchers/campaigns/{id}/lottery/registrations': { path: `/api/vouchers/campaigns/${i.lottery}/lottery/registrations` },
    'GET /api/vouchers/my/vouchers/{id}': { path: `/api/vouchers/my/vouchers/${i.voucher}` },
    'POST /api/vouchers/campaigns/{id}/reminders': { path: `/api/vouchers/campaigns/${i.campaign}/reminders` },
    'POST /api/messages/{id}/read': { path: `/api/messages/${i.message}/read` },
    'GET /api/vouchers/my/vouchers/{id}/code': { path: `/api/vouchers/my/vouchers/${i.voucher}/code` },
    'POST /api/vouchers/merchants/{id}/approve': { path: `/api/vouchers/merchants/${i.merchant}/approve` },
    'POST /api/vouchers/merchants/{id}/reject': { path: `/api/vouchers/merchants/${i.merchant}/reject`, body: { reason: '资料不符' } },
    'POST /api/vouchers/redemptions/{id}/reverse': { path: `/api/vouchers/redemptions/${i.redemption}/reverse` },
  };
  if (w.hasAidApplications) {
    const a = i.aidApplication;
    Object.assign(calls, {
      'GET /api/aid/applications/{id}': { path: `/api/aid/applications/${a}` },
      'POST /api/aid/applications/{id}/documents': { path: `/api/aid/applications/${a}/documents`, file: { buffer: FILES.jpeg, name: 'x.jpg', type: 'image/jpeg' } },
      'GET /api/aid/applications/{id}/documents/{docId}': { path: `/api/aid/applications/${a}/documents/${i.aidDocument}` },
      'POST /api/aid/applications/{id}/answer': { path: `/api/aid/applications/${a}/answer`, body: { answer: '补充说明' } },
      'DELETE /api/aid/applications/{id}/documents/{docId}': { path: `/api/aid/applications/${a}/documents/${i.aidDocument}` },
      'POST /api/aid/applications/{id}/withdraw': { path: `/api/aid/applications/${a}/withdraw`, body: { reason: '不再需要' } },
      'POST /api/aid/applications/{id}/accept': { path: `/api/aid/applications/${a}/accept` },
      'POST /api/aid/applications/{id}/request-info': { path: `/api/aid/applications/${a}/request-info`, body: { question: '请补充证明' } },
      'POST /api/aid/applications/{id}/visit-schedule': { path: `/api/aid/applications/${a}/visit-schedule`, body: { date: '2030-01-02' } },
      'POST /api/aid/applications/{id}/visit': { path: `/api/aid/applications/${a}/visit`, body: { visitDate: '2025-11-20', visitors: '张工', findings: '属实', verifiedHouseholdSize: 3, verifiedMonthlyIncomeFen: 100_000 } },
      'POST /api/aid/applications/{id}/decision': { path: `/api/aid/applications/${a}/decision`, body: { decision: 'reject', reason: '不符合条件' } },
      'POST /api/aid/applications/{id}/confirm': { path: `/api/aid/applications/${a}/confirm` },
    });
  }
  return calls;
}

/**
 * Scoped routes with a path parameter that are deliberately not attacked with the world's ids, and why.
 * (Public routes are excluded wholesale: they are readable by anyone by design and rate-limited.)
 */
export const EXCLUDED: Record<string, string> = {
  'GET /api/stations/{id}/my-status': 'answers only about the caller (member status, canManage for the caller) at a public station',
  'POST /api/stations/{id}/ratings': 'any member who checked in may rate a public station; the rating is the caller\'s own',
  'POST /api/stations/{id}/reports': 'anyone may report a problem at a public station; the report is the caller\'s own',
};
