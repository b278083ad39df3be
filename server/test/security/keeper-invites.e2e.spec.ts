import { SignedCodeService } from '../../src/common/signed-code.service';
import { startApp, TestApp } from '../support/app';
import { auth, createStation } from '../support/stations';
import { voucherFixtures } from '../support/vouchers-fixtures';

/**
 * Issue 11: station keepers are appointed with a one-time invite, the same mechanism as merchant clerks
 * (common/one-time-invite.service.ts): a signed code valid 24 h that works ONCE — a second account (or a
 * concurrent one) presenting a used invite is refused and gains nothing.
 */
describe('one-time invites for station keepers and merchant clerks', () => {
  let t: TestApp;
  let staff: string; // 黄石市总工会
  let jxStaff: string; // another subtree
  let seq = 0;
  /** The caller's id and its account role (roles from /api/me, without the derived `member`). */
  const me = async (token: string) => {
    const body = (await t.http().get('/api/me').set(auth(token))).body as { id: number; roles: string[] };
    return { id: body.id, role: body.roles.filter((r) => r !== 'member').join(',') };
  };
  const user = () => t.login(`ki-user-${++seq}`);
  const invite = (stationId: number, token = staff) => t.http().post(`/api/stations/${stationId}/keeper-invites`).set(auth(token));
  const accept = (token: string, inviteCode: string) => t.http().post('/api/stations/keepers').set(auth(token)).send({ inviteCode });
  const keeperOf = async (stationId: number) => Number((await t.db.query(`SELECT keeperUserId AS k FROM stations WHERE id = ${stationId}`))[0].k);

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('ki-staff-hs', 'union_staff', 'HB-HS');
    jxStaff = await t.login('ki-staff-jx', 'union_staff', 'JX');
  });
  afterAll(() => t.close());

  it('appoints the keeper who accepts the invite; the invite then works for nobody else', async () => {
    const station = await createStation(t, staff);
    const created = await invite(station.id);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stationId: station.id, stationName: station.name });
    const ttl = Date.parse(created.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);

    const keeper = await user();
    const ok = await accept(keeper, created.body.code);
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ stationId: station.id, stationName: station.name });
    const keeperMe = await me(keeper);
    expect(keeperMe.role).toBe('station_keeper');
    expect(await keeperOf(station.id)).toBe(keeperMe.id);
    expect((await t.http().patch(`/api/stations/${station.id}/operations`).set(auth(keeper)).send({ status: 'open' })).status).toBe(200);

    // used: another account presenting the same invite gets nothing
    const latecomer = await user();
    const again = await accept(latecomer, created.body.code);
    expect([again.status, again.body.code]).toEqual([409, 'KEEPER_INVITE_USED']);
    expect((await me(latecomer)).role).toBe('user');
    expect(await keeperOf(station.id)).toBe(keeperMe.id);
    expect((await t.http().patch(`/api/stations/${station.id}/operations`).set(auth(latecomer)).send({ status: 'open' })).status).toBe(403);
    // ... and neither does the keeper presenting it twice
    expect((await accept(keeper, created.body.code)).body.code).toBe('KEEPER_INVITE_USED');
  });

  it('lets exactly one of several concurrent accepts through', async () => {
    const station = await createStation(t, staff);
    const { code } = (await invite(station.id)).body;
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => user()));
    const results = await Promise.all(tokens.map((tok) => accept(tok, code)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'KEEPER_INVITE_USED')).toHaveLength(4);
    const roles = await Promise.all(tokens.map(me));
    expect(roles.filter((r) => r.role === 'station_keeper')).toHaveLength(1);
    expect(await keeperOf(station.id)).toBe(roles.find((r) => r.role === 'station_keeper')!.id);
  });

  it('refuses tampered, expired and foreign invites, staff outside the subtree and non-staff', async () => {
    const station = await createStation(t, staff);
    const { code } = (await invite(station.id)).body;
    const u = await user();
    expect((await accept(u, code.slice(0, -2) + (code.endsWith('xx') ? 'yy' : 'xx'))).body.code).toBe('KEEPER_INVITE_INVALID');
    const expired = t.app.get(SignedCodeService).sign('keeper_invite', `${station.id.toString(36)}~abcdefgh`, 24 * 3600, Date.now() - 25 * 3600_000).code;
    expect([(await accept(u, expired)).status, (await accept(u, expired)).body.code]).toEqual([410, 'KEEPER_INVITE_EXPIRED']);
    // a clerk invite is not a keeper invite (the kind is part of the signature)
    const clerkKind = t.app.get(SignedCodeService).sign('clerk_invite', `${station.id.toString(36)}~abcdefgh`, 3600).code;
    expect((await accept(u, clerkKind)).status).toBe(404);
    expect((await accept(u, '')).status).toBe(400);
    expect((await me(u)).role).toBe('user');
    expect((await invite(station.id, jxStaff)).status).toBe(404);
    expect((await invite(station.id, u)).status).toBe(403);
    // staff accounts are not made keepers
    const other = await t.login('ki-staff-2', 'union_staff', 'HB-HS');
    expect([(await accept(other, code)).status, (await accept(other, code)).body.code]).toEqual([409, 'KEEPER_ROLE_CONFLICT']);
    expect((await me(other)).role).toBe('union_staff');
    // the invite was not used up by the refusals
    expect((await accept(u, code)).status).toBe(201);
  });

  it('makes merchant clerk invites one-time too (the same mechanism)', async () => {
    const fx = voucherFixtures(t, staff);
    const { token: owner } = await fx.merchant();
    const { code } = (await t.http().post('/api/vouchers/merchants/clerk-invites').set(auth(owner))).body;
    const first = await user();
    expect((await t.http().post('/api/vouchers/merchants/clerks').set(auth(first)).send({ inviteCode: code })).status).toBe(201);
    const second = await user();
    const reused = await t.http().post('/api/vouchers/merchants/clerks').set(auth(second)).send({ inviteCode: code });
    expect([reused.status, reused.body.code]).toEqual([409, 'CLERK_INVITE_USED']);
    expect((await me(second)).role).toBe('user');
    expect((await t.http().get('/api/vouchers/clerk/me').set(auth(second))).status).toBe(403);
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM used_invites'))[0].n)).toBeGreaterThanOrEqual(3);
  });
});
