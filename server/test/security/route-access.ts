import type { Role } from '@union/shared';

/**
 * THE ACCESS TABLE: who may call each route the server registers, written from the controllers and the
 * services behind them (not copied from the guard metadata — route-inventory.e2e.spec.ts compares the two).
 *
 * - `access`: 'public' (no token, @Public), 'any_user' (any valid token, no @Roles), or the roles of @Roles.
 * - `scope`: what the service additionally confines the caller to:
 *     'none'    – nothing beyond the role (or the route only ever answers about the caller themself);
 *     'subtree' – staff see/change only resources of orgs inside their own org's subtree (admins: everything);
 *     'owner'   – only the owning user / merchant (its clerks) / station (its keeper) / applicant.
 * - `requires`: service-enforced conditions on the caller (member, bound household, clerk of the merchant,
 *   keeper of the station, applicant of the application).
 * - `ownedBy`: for 'owner' routes, and for 'subtree' routes where a non-staff role is confined to its own
 *   resource (keepers on station routes, clerks on settlement routes).
 */
export type Access = 'public' | 'any_user' | Role[];
export type Scope = 'none' | 'subtree' | 'owner';
export type Requirement = 'member' | 'bound_household' | 'clerk_of_merchant' | 'keeper_of_station' | 'applicant';
export interface RouteAccess {
  access: Access;
  scope: Scope;
  requires?: Requirement[];
  ownedBy?: 'user' | 'merchant' | 'station' | 'applicant';
  note?: string;
}

const STAFF: Role[] = ['union_staff', 'admin'];
const MANAGERS: Role[] = ['union_staff', 'admin', 'station_keeper'];
const pub = (note?: string): RouteAccess => ({ access: 'public', scope: 'none', ...(note && { note }) });
const anyUser = (scope: Scope = 'none', more: Partial<RouteAccess> = {}): RouteAccess => ({ access: 'any_user', scope, ...more });
const staff = (scope: Scope = 'subtree', more: Partial<RouteAccess> = {}): RouteAccess => ({ access: STAFF, scope, ...more });
/** Staff of the station's subtree, or the station's own keeper. */
const managers = (note?: string): RouteAccess => ({ access: MANAGERS, scope: 'subtree', ownedBy: 'station', requires: ['keeper_of_station'], note: note ?? 'staff: subtree; keepers: only stations they keep (StationsService.getManaged/canManage)' });

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  // ---------------------------------------------------------------- platform
  'GET /api/health': pub('liveness/readiness, no data'),
  'GET /api/auth/config': pub('whether dev login is enabled'),
  'POST /api/auth/dev-login': pub('dev/test login, rate-limited per client; off in production'),
  'POST /api/auth/wechat': pub('wx.login code exchange, rate-limited per client'),
  'GET /api/me': anyUser('none', { note: 'the caller only' }),
  'GET /api/audit': { access: ['admin'], scope: 'none', note: 'admins search the whole audit trail; read-only' },
  'GET /api/orgs': staff('subtree', { note: 'lists only the caller\'s subtree' }),
  'POST /api/orgs': { access: ['admin'], scope: 'none' },
  'PATCH /api/orgs/{code}': staff('subtree', { note: 'getInScope(code); renaming is admin-only inside the service' }),

  // ---------------------------------------------------------------- membership
  'POST /api/membership/join-codes': staff('subtree', { note: 'orgCode must be in the subtree' }),
  'GET /api/membership/join-codes': staff(),
  'GET /api/membership/join-codes/{code}': pub('look-up of a join code (org name only), rate-limited per client'),
  'GET /api/membership/join-codes/{code}/qr': staff(),
  'POST /api/membership/join-codes/{code}/revoke': staff(),
  'POST /api/membership/applications': anyUser('none', { note: 'the caller applies for themself with a join code' }),
  'GET /api/membership/applications/mine': anyUser('owner', { ownedBy: 'user', note: 'the caller\'s own applications' }),
  'GET /api/membership/applications': staff(),
  'GET /api/membership/applications/{id}': staff(),
  'POST /api/membership/applications/{id}/approve': staff(),
  'POST /api/membership/applications/{id}/reject': staff(),
  'POST /api/membership/transfers': anyUser('owner', { ownedBy: 'user', requires: ['member'], note: 'the caller\'s own membership moves' }),
  'GET /api/membership/card': anyUser('owner', { ownedBy: 'user', requires: ['member'] }),
  'POST /api/membership/card/verify': { access: ['union_staff', 'station_keeper', 'merchant_clerk', 'admin'], scope: 'none', note: 'a signed card code; answers a masked summary, audited' },
  'GET /api/membership/members': staff(),
  'GET /api/membership/members/export.csv': staff(),
  'GET /api/membership/stats': staff(),

  // ---------------------------------------------------------------- aid: household files, codes, payouts
  'POST /api/aid/households': staff('subtree', { note: 'orgCode must be in the subtree' }),
  'GET /api/aid/households': staff(),
  'GET /api/aid/households/export.csv': staff(),
  'POST /api/aid/households/import': staff('subtree', { note: 'rows outside the subtree are refused row by row' }),
  'GET /api/aid/households/{id}': staff(),
  'PATCH /api/aid/households/{id}': staff(),
  'POST /api/aid/households/{id}/activate': staff('subtree', { note: 'four eyes: not the registering staff' }),
  'POST /api/aid/households/{id}/review': staff(),
  'POST /api/aid/households/{id}/exit': staff(),
  'GET /api/aid/households/{id}/card': staff(),
  'POST /api/aid/households/{id}/code/reissue': staff(),
  'GET /api/aid/households/{id}/payouts': staff(),
  'GET /api/aid/household-codes/{code}': pub('look-up of a household code (masked head name only), rate-limited per client'),
  'POST /api/aid/bindings': anyUser('owner', { ownedBy: 'user', note: 'binds the caller to the household of a code after name + ID last 6 match; rate-limited per client' }),
  'GET /api/aid/my': anyUser('owner', { ownedBy: 'user', requires: ['bound_household'], note: 'the households bound to the caller' }),
  'POST /api/aid/payout-batches': staff('subtree', { note: 'orgCode must be in the subtree' }),
  'GET /api/aid/payout-batches': staff(),
  'GET /api/aid/payout-batches/{id}': staff(),
  'GET /api/aid/payout-batches/{id}/payouts': staff(),
  'POST /api/aid/payout-batches/{id}/approve': staff('subtree', { note: 'four eyes: not the creating staff' }),
  'POST /api/aid/payout-batches/{id}/bank-results': staff(),
  'POST /api/aid/payouts/one-off': staff('subtree', { note: 'householdId must be in the subtree' }),
  'PATCH /api/aid/payouts/{id}': staff(),
  'GET /api/aid/monitoring': staff(),
  'GET /api/aid/monitoring/export.csv': staff(),

  // ---------------------------------------------------------------- aid: applications (worker → staff)
  'GET /api/aid/application-orgs': anyUser('none', { note: 'org names to apply to; no personal data' }),
  'POST /api/aid/applications': { access: ['user'], scope: 'none', note: 'workers (role user) apply for themselves' },
  'GET /api/aid/applications/mine': anyUser('owner', { ownedBy: 'applicant' }),
  'GET /api/aid/applications/todo-counts': staff(),
  'GET /api/aid/applications': staff(),
  'GET /api/aid/applications/{id}': anyUser('subtree', { ownedBy: 'applicant', requires: ['applicant'], note: 'staff of the subtree (staff view, audited) or the applicant (own view); 404 to anyone else' }),
  'POST /api/aid/applications/{id}/documents': anyUser('subtree', { ownedBy: 'applicant', requires: ['applicant'], note: 'the applicant (materials) or the handling staff (visit photos)' }),
  'GET /api/aid/applications/{id}/documents/{docId}': anyUser('subtree', { ownedBy: 'applicant', requires: ['applicant'], note: 'staff of the subtree, or the applicant for their own materials' }),
  'POST /api/aid/applications/{id}/answer': anyUser('owner', { ownedBy: 'applicant', requires: ['applicant'] }),
  'POST /api/aid/applications/{id}/withdraw': anyUser('owner', { ownedBy: 'applicant', requires: ['applicant'], note: 'the applicant, while undecided; deletes the documents; 404 to anyone else' }),
  'DELETE /api/aid/applications/{id}/documents/{docId}': anyUser('owner', { ownedBy: 'applicant', requires: ['applicant'], note: 'the applicant, own materials, unless approved (kept); 404 to anyone else' }),
  'POST /api/aid/applications/{id}/accept': staff(),
  'POST /api/aid/applications/{id}/request-info': staff('subtree', { note: 'and the handler only' }),
  'POST /api/aid/applications/{id}/visit-schedule': staff('subtree', { note: 'and the handler only' }),
  'POST /api/aid/applications/{id}/visit': staff('subtree', { note: 'and the handler only' }),
  'POST /api/aid/applications/{id}/decision': staff('subtree', { note: 'and the handler only' }),
  'POST /api/aid/applications/{id}/confirm': staff('subtree', { note: 'four eyes: not the handler' }),
  'GET /api/aid/notices': anyUser('subtree', { note: 'public notice of an org: staff of related orgs, members and applicants of its subtree; names masked' }),

  // ---------------------------------------------------------------- stations
  'GET /api/stations/nearby': pub('public map search, rate-limited'),
  'GET /api/stations/by-code/{code}': pub('door-code look-up, public view only, rate-limited per client'),
  'GET /api/stations/photos/{name}': pub('station photos are public'),
  'GET /api/stations/{id}': pub('public station detail, rate-limited'),
  'GET /api/stations/{id}/ratings': pub('public ratings (member names masked), rate-limited'),
  'GET /api/stations/keepers': staff(),
  'POST /api/stations/keepers': anyUser('none', { note: 'accepts a signed one-time keeper invite (OneTimeInviteService); the caller becomes keeper of the invite\'s station' }),
  'GET /api/stations/mine': { access: ['station_keeper'], scope: 'owner', ownedBy: 'station', requires: ['keeper_of_station'], note: 'the keeper\'s own stations' },
  'GET /api/stations/stats': staff(),
  'GET /api/stations/export.csv': staff(),
  'POST /api/stations/import': staff('subtree', { note: 'rows outside the subtree are refused' }),
  'GET /api/stations/reports': managers('staff: reports of the subtree; keepers: of their stations'),
  'POST /api/stations/reports/{id}/handle': managers(),
  'POST /api/stations/checkins': anyUser('none', { requires: ['member'], note: 'a member checks in with a door code' }),
  'GET /api/stations': staff(),
  'POST /api/stations': staff('subtree', { note: 'orgCode and keeper must be in the subtree' }),
  'GET /api/stations/{id}/admin': managers(),
  'PATCH /api/stations/{id}': staff(),
  'PATCH /api/stations/{id}/operations': managers(),
  'GET /api/stations/{id}/qr': managers(),
  'POST /api/stations/{id}/keeper-invites': staff('subtree', { note: 'a one-time keeper invite (24 h) for a station of the subtree' }),
  'POST /api/stations/{id}/photos': managers(),
  'DELETE /api/stations/{id}/photos/{name}': managers(),
  'GET /api/stations/{id}/my-status': anyUser('none', { note: 'the caller\'s own status at a public station (canManage is computed for the caller)' }),
  'POST /api/stations/{id}/ratings': anyUser('none', { requires: ['member'], note: 'members who checked in at this (public) station' }),
  'POST /api/stations/{id}/reports': anyUser('none', { note: 'anyone may report a problem at a public station' }),
  'GET /api/stations/{id}/visits': managers(),

  // ---------------------------------------------------------------- vouchers
  'POST /api/vouchers/manage/campaigns': staff('subtree', { note: 'orgCode must be in the subtree' }),
  'GET /api/vouchers/manage/campaigns': staff(),
  'GET /api/vouchers/manage/campaigns/{id}': staff(),
  'PATCH /api/vouchers/manage/campaigns/{id}': staff(),
  'POST /api/vouchers/manage/campaigns/{id}/publish': staff(),
  'POST /api/vouchers/manage/campaigns/{id}/close': staff(),
  'POST /api/vouchers/manage/campaigns/{id}/pause': staff(),
  'POST /api/vouchers/manage/campaigns/{id}/resume': staff(),
  'POST /api/vouchers/manage/campaigns/{id}/types/{typeId}/stock': staff(),
  'GET /api/vouchers/manage/campaigns/{id}/stats': staff(),
  'GET /api/vouchers/manage/campaigns/{id}/stats/employers': staff(),
  'GET /api/vouchers/manage/campaigns/{id}/stats/employers.csv': staff('subtree', { note: 'export, audited' }),
  'GET /api/vouchers/manage/campaigns/{id}/stats/merchants': staff(),
  'GET /api/vouchers/manage/campaigns/{id}/stats/merchants.csv': staff('subtree', { note: 'export, audited' }),
  'GET /api/vouchers/manage/campaigns/{id}/live': staff('subtree', { note: 'the staff campaign page (活动实况)' }),
  'GET /api/vouchers/manage/campaigns/{id}/lottery': staff('subtree', { note: 'the lottery of a campaign: rules, commitment, registrations count; the seed only once drawn' }),
  'POST /api/vouchers/manage/campaigns/{id}/lottery/draw': staff('subtree', { note: 'once, not before drawAt; audited' }),
  'GET /api/vouchers/campaigns/{id}/lottery': anyUser('subtree', { requires: ['member'], note: 'only members whose org lineage holds the campaign\'s org; the caller\'s own registration' }),
  'POST /api/vouchers/campaigns/{id}/lottery/registrations': anyUser('subtree', { requires: ['member'], note: 'eligible members of the campaign\'s subtree register themselves, once' }),
  'GET /api/vouchers/campaigns/{id}/lottery/proof': pub('the published proof of a drawn lottery (seed, pseudonymous registrations, winners); nothing before the draw'),
  'GET /api/vouchers/campaigns': anyUser('subtree', { requires: ['member'], note: 'campaigns of the member\'s org lineage' }),
  'POST /api/vouchers/campaigns/{id}/claims': anyUser('subtree', { requires: ['member'], note: 'only members whose org lineage holds the campaign\'s org' }),
  'GET /api/vouchers/campaigns/{id}/merchants': anyUser('subtree', { requires: ['member'], note: 'only members whose org lineage holds the campaign\'s org' }),
  'GET /api/vouchers/my/vouchers': anyUser('owner', { ownedBy: 'user' }),
  'GET /api/vouchers/my/vouchers/{id}': anyUser('owner', { ownedBy: 'user' }),
  'GET /api/vouchers/my/vouchers/{id}/code': anyUser('owner', { ownedBy: 'user' }),
  'POST /api/vouchers/merchants': anyUser('none', { note: 'any user applies; becomes the owner clerk' }),
  'GET /api/vouchers/merchants/mine': anyUser('owner', { ownedBy: 'user' }),
  'GET /api/vouchers/merchants': staff(),
  'POST /api/vouchers/merchants/{id}/approve': staff(),
  'POST /api/vouchers/merchants/{id}/reject': staff(),
  'POST /api/vouchers/merchants/clerk-invites': { access: ['merchant_clerk'], scope: 'owner', ownedBy: 'merchant', requires: ['clerk_of_merchant'], note: 'the owner clerk of an approved merchant' },
  'POST /api/vouchers/merchants/clerks': anyUser('none', { note: 'accepts a signed invite code' }),
  'GET /api/vouchers/clerk/me': { access: ['merchant_clerk'], scope: 'owner', ownedBy: 'merchant', requires: ['clerk_of_merchant'] },
  'POST /api/vouchers/redemptions': { access: ['merchant_clerk'], scope: 'owner', ownedBy: 'merchant', requires: ['clerk_of_merchant'], note: 'signed redemption code; the voucher must be usable at the clerk\'s merchant' },
  'GET /api/vouchers/redemptions/today': { access: ['merchant_clerk'], scope: 'owner', ownedBy: 'merchant', requires: ['clerk_of_merchant'] },
  'POST /api/vouchers/redemptions/{id}/reverse': { access: ['merchant_clerk'], scope: 'owner', ownedBy: 'merchant', requires: ['clerk_of_merchant'], note: 'only a clerk of the redeeming merchant, same day' },
  'GET /api/vouchers/settlements': { access: ['union_staff', 'admin', 'merchant_clerk'], scope: 'subtree', ownedBy: 'merchant', note: 'staff: merchants of the subtree; clerks: their own merchant only' },
  'GET /api/vouchers/settlements/export.csv': { access: ['union_staff', 'admin', 'merchant_clerk'], scope: 'subtree', ownedBy: 'merchant', note: 'as settlements' },
  'GET /api/vouchers/reconciliation': staff(),
  'POST /api/vouchers/campaigns/{id}/reminders': anyUser('subtree', { requires: ['member'], note: '提醒我: only members whose org lineage holds the campaign\'s org; the reminder is the caller\'s own' }),

  // ---------------------------------------------------------------- messages (消息)
  'GET /api/messages': anyUser('owner', { ownedBy: 'user', note: 'the caller\'s own messages only' }),
  'GET /api/messages/unread-count': anyUser('owner', { ownedBy: 'user' }),
  'POST /api/messages/{id}/read': anyUser('owner', { ownedBy: 'user', note: 'another account\'s message answers 404 MESSAGE_NOT_FOUND' }),
  'POST /api/messages/read-all': anyUser('owner', { ownedBy: 'user', note: 'marks only the caller\'s own messages' }),
  'GET /api/messages/subscribe-templates': anyUser('none', { note: 'configured template ids by topic, no personal data' }),
  'POST /api/messages/subscriptions': anyUser('owner', { ownedBy: 'user', note: 'records the caller\'s own subscribe grants' }),
  'GET /api/messages/failed-deliveries': staff('subtree', { note: 'recipients whose member org (else account org) lies in the subtree' }),
};
