import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { activeHousehold } from './support/aid';
import { startApp, TestApp } from './support/app';
import { LotteryDrawJob } from '../src/modules/vouchers/jobs/lottery-draw.job';
import { auth, campaignForm, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Issue 15 item 4, the lottery (摇号): lottery campaigns refuse claims; members register once during the window under a
 * pseudonymous id (weights from the published rules); the draw runs once, not before its time, never issues more than
 * the stock; the public proof recomputed by scripts/verify-lottery.mjs (a child process) gives exactly the issued
 * vouchers, and a changed seed or registration list is reported as a mismatch.
 */
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'verify-lottery.mjs');
const dir = mkdtempSync(join(tmpdir(), 'lottery-proof-'));
let proofSeq = 0;

/** Runs the verification script on a proof object; resolves with its exit code and output. */
function verify(proof: unknown, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, `proof-${++proofSeq}.json`);
  writeFileSync(file, JSON.stringify(proof));
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, file, ...args], (err, stdout, stderr) => resolve({ code: err ? Number((err as any).code ?? 1) : 0, stdout, stderr }));
  });
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

describe('voucher lottery (摇号)', () => {
  let t: TestApp;
  let staff: string;
  let staffB: string;
  let fx: ReturnType<typeof voucherFixtures>;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('lottery-staff', 'union_staff', 'HB-HS');
    staffB = await t.login('lottery-staff-b', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(() => t.close());

  const lotteryForm = (over: Record<string, unknown> = {}, lottery: Record<string, unknown> = {}) => {
    const now = Date.now();
    return campaignForm({
      allocation: 'lottery', lottery: { registrationEndAt: new Date(now + 3_600_000).toISOString(), drawAt: new Date(now + 3_600_000).toISOString(), ...lottery }, ...over,
    });
  };
  const create = (body: object) => t.http().post('/api/vouchers/manage/campaigns').set(auth(staff)).send(body);
  const publish = (id: number) => t.http().post(`/api/vouchers/manage/campaigns/${id}/publish`).set(auth(staff));
  /** A published lottery campaign (registration open for an hour, then the draw). */
  async function lotteryCampaign(over: Record<string, unknown> = {}, lottery: Record<string, unknown> = {}) {
    const res = await create(lotteryForm(over, lottery));
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    const pub = await publish(res.body.id);
    if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${JSON.stringify(pub.body)}`);
    return pub.body as { id: number; types: Array<{ id: number }> };
  }
  const register = (token: string, id: number) => t.http().post(`/api/vouchers/campaigns/${id}/lottery/registrations`).set(auth(token));
  const draw = (id: number, token = staff) => t.http().post(`/api/vouchers/manage/campaigns/${id}/lottery/draw`).set(auth(token));
  const proofOf = (id: number) => t.http().get(`/api/vouchers/campaigns/${id}/lottery/proof`);
  const mine = (token: string, id: number) => t.http().get(`/api/vouchers/campaigns/${id}/lottery`).set(auth(token));
  /** Moves registration end and draw time into the past (time passing, without waiting). */
  const closeRegistration = (id: number) =>
    t.db.query('UPDATE voucher_lotteries SET registrationEndAt = ?, drawAt = ? WHERE campaignId = ?', [sqlTime(new Date(Date.now() - 2000)), sqlTime(new Date(Date.now() - 1000)), id]);

  it('is created with the campaign (allocation lottery + registration end + draw time), checked, and commits to a seed when published', async () => {
    const missing = await create(campaignForm({ allocation: 'lottery' }));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'lottery' }] });
    const stray = await create(campaignForm({ lottery: { registrationEndAt: new Date(Date.now() + 60_000).toISOString(), drawAt: new Date(Date.now() + 60_000).toISOString() } }));
    expect(stray.status).toBe(400);
    const early = await create(lotteryForm({}, { drawAt: new Date(Date.now() + 60_000).toISOString() })); // draw before registration end
    expect(early.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'lottery.drawAt' }] });
    const late = await create(lotteryForm({}, { drawAt: new Date(Date.now() + 30 * 86_400_000).toISOString() })); // after the campaign ends
    expect(late.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'lottery.drawAt' }] });
    for (const bad of [{ hardshipWeight: 0 }, { hardshipWeight: 6 }, { hardshipWeight: 1.5 }, { drawAt: 'tomorrow' }, { previousCampaignId: 'x' }]) {
      expect([bad, (await create(lotteryForm({}, bad))).status]).toEqual([bad, 400]);
    }
    expect((await create({ ...lotteryForm(), allocation: 'raffle' })).status).toBe(400);

    const draft = await create(lotteryForm({}, { hardshipWeight: 2 }));
    expect(draft.status).toBe(201);
    expect(draft.body.allocation).toBe('lottery');
    const before = await t.http().get(`/api/vouchers/manage/campaigns/${draft.body.id}/lottery`).set(auth(staff));
    expect(before.body).toMatchObject({ state: 'draft', commitment: null, seed: null, rules: { algorithm: 'es-sha256-v1', hardshipWeight: 2, previousLoserWeight: 1, previousCampaignId: null } });
    expect((await publish(draft.body.id)).status).toBe(200);
    const after = (await t.http().get(`/api/vouchers/manage/campaigns/${draft.body.id}/lottery`).set(auth(staff))).body;
    expect(after).toMatchObject({ state: 'registering', registrations: 0, seed: null, drawnAt: null, winners: null });
    expect(after.commitment).toMatch(/^[0-9a-f]{64}$/);
    // a first-come campaign has no lottery
    const plain = await fx.campaign();
    expect((await t.http().get(`/api/vouchers/manage/campaigns/${plain.id}/lottery`).set(auth(staff))).body.code).toBe('NOT_A_LOTTERY');
  }, 60_000);

  it('refuses claims (409 LOTTERY_CAMPAIGN); a member registers once under a pseudonymous id, twice is refused, also concurrently', async () => {
    const c = await lotteryCampaign();
    const member = await fx.member();
    const claim = await t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(member)).set('Idempotency-Key', idemKey()).send({ voucherTypeId: c.types[0].id });
    expect(claim.status).toBe(409);
    expect(claim.body.code).toBe('LOTTERY_CAMPAIGN');
    // the member's campaign list says how the campaign allocates
    const list = await t.http().get('/api/vouchers/campaigns?pageSize=100').set(auth(member));
    expect(list.body.items.find((x: { id: number }) => x.id === c.id).allocation).toBe('lottery');

    expect((await mine(member, c.id)).body).toMatchObject({ state: 'registering', mine: null, ineligibleReason: null });
    const first = await register(member, c.id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ weight: 1, outcome: 'registered', voucherId: null });
    expect(first.body.pseudonymousId).toMatch(/^[0-9a-f]{16}$/);
    const twice = await register(member, c.id);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'LOTTERY_ALREADY_REGISTERED', details: { registration: { pseudonymousId: first.body.pseudonymousId } } });
    expect((await mine(member, c.id)).body).toMatchObject({ registrations: 1, mine: { pseudonymousId: first.body.pseudonymousId, outcome: 'registered' } });

    const racer = await fx.member();
    const answers = await Promise.all(Array.from({ length: 6 }, () => register(racer, c.id)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.body.code === 'LOTTERY_ALREADY_REGISTERED')).toBe(true);
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM voucher_lottery_registrations WHERE campaignId = ?', [c.id]))[0].n)).toBe(2);
    // the pseudonymous id is a keyed hash: the same member has another one in another lottery (not linkable across draws)
    const other = await lotteryCampaign();
    const again = await register(member, other.id);
    expect(again.status).toBe(201);
    expect(again.body.pseudonymousId).not.toBe(first.body.pseudonymousId);
  }, 120_000);

  it('ineligible members cannot register: other occupation (403), outside the subtree (404), not a member (403); not before the window (409)', async () => {
    const c = await lotteryCampaign({ occupations: ['courier'] });
    const delivery = await fx.member({ occupation: 'food_delivery' });
    const refused = await register(delivery, c.id);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_ELIGIBLE');
    expect((await mine(delivery, c.id)).body.ineligibleReason).toBeTruthy();
    const jxStaff = await t.login('lottery-jx-staff', 'union_staff', 'JX');
    const outsider = await fx.member({ orgCode: 'JX-YT-GX-ZG', reviewer: jxStaff, occupation: 'courier' });
    expect((await register(outsider, c.id)).status).toBe(404);
    const stranger = await t.login('lottery-stranger');
    expect((await register(stranger, c.id)).body.code).toBe('NOT_ELIGIBLE');
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM voucher_lottery_registrations WHERE campaignId = ?', [c.id]))[0].n)).toBe(0);

    const upcoming = await lotteryCampaign({ claimStartAt: new Date(Date.now() + 600_000).toISOString() });
    const courier = await fx.member({ occupation: 'courier' });
    expect((await register(courier, upcoming.id)).body.code).toBe('REGISTRATION_NOT_OPEN');
  }, 120_000);

  it('gives the published hardship weight to a member bound to an active hardship household', async () => {
    const c = await lotteryCampaign({}, { hardshipWeight: 2 });
    const needy = await fx.member();
    const h = await activeHousehold(t, staff, staffB);
    const bound = await t.http().post('/api/aid/bindings').set(auth(needy)).send({ code: h.code, name: h.headName, idLast6: h.body.idNumber.slice(-6) });
    expect(bound.status).toBeLessThan(300);
    const other = await fx.member();
    expect((await register(needy, c.id)).body.weight).toBe(2);
    expect((await register(other, c.id)).body.weight).toBe(1);
  }, 120_000);

  describe('the draw', () => {
    let c: { id: number; types: Array<{ id: number }> };
    const members: string[] = [];
    let proof: any;

    beforeAll(async () => {
      c = await lotteryCampaign({
        types: [
          { name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 3, perMemberLimit: 1 },
          { name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 2, perMemberLimit: 1 },
        ],
      });
      for (let i = 0; i < 9; i++) members.push(await fx.member());
      for (const m of members) expect((await register(m, c.id)).status).toBe(201);
    }, 180_000);

    it('is refused before the draw time, and nothing is published before it', async () => {
      const early = await draw(c.id);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('DRAW_TOO_EARLY');
      expect((await proofOf(c.id)).body.code).toBe('LOTTERY_NOT_DRAWN');
      expect((await t.http().get(`/api/vouchers/manage/campaigns/${c.id}/lottery`).set(auth(staff))).body.seed).toBeNull();
    }, 60_000);

    it('runs once at its time: winners get one voucher each, never more than the stock; registration is closed', async () => {
      await closeRegistration(c.id);
      expect((await register(await fx.member(), c.id)).body.code).toBe('REGISTRATION_CLOSED');
      const res = await draw(c.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'drawn', registrations: 9, winners: 5 });
      expect(sha256(res.body.seed)).toBe(res.body.commitment);
      expect((await draw(c.id)).body.code).toBe('ALREADY_DRAWN');

      const vouchers = await t.db.query('SELECT voucherTypeId, typeSlot, campaignSlot, claimDay, daySlot, status FROM vouchers WHERE campaignId = ?', [c.id]);
      expect(vouchers).toHaveLength(5);
      expect(vouchers.every((v: any) => Number(v.typeSlot) === 1 && Number(v.campaignSlot) === 1 && v.claimDay === null && v.daySlot === null && v.status === 'unused')).toBe(true);
      const types = await t.db.query('SELECT id, quantity, claimed FROM voucher_types WHERE campaignId = ? ORDER BY id', [c.id]);
      expect(types.map((x: any) => [Number(x.quantity), Number(x.claimed)])).toEqual([[3, 3], [2, 2]]);
      const audit = await t.db.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'draw'");
      expect(Number(audit[0].n)).toBeGreaterThanOrEqual(1);

      // every registrant is told the result once, in the message centre; winners are the voucher holders
      const inbox = async (token: string) => (await t.http().get('/api/messages?pageSize=50').set(auth(token))).body.items
        .filter((m: any) => m.kind === 'lottery_won' || m.kind === 'lottery_lost');
      const holders = new Set((await t.db.query('SELECT userId FROM vouchers WHERE campaignId = ?', [c.id])).map((v: any) => Number(v.userId)));
      const kinds: string[] = [];
      for (const m of members) {
        const mine = await inbox(m);
        expect(mine).toHaveLength(1);
        const me = (await t.http().get('/api/me').set(auth(m))).body;
        expect([mine[0].kind, mine[0].targetPage]).toEqual([holders.has(Number(me.id)) ? 'lottery_won' : 'lottery_lost', `pages/vouchers/lottery?id=${c.id}`]);
        kinds.push(mine[0].kind);
      }
      expect(kinds.filter((k) => k === 'lottery_won')).toHaveLength(5);
      expect(await inbox(await fx.member())).toHaveLength(0); // not registered: not told
    }, 120_000);

    it('the proof recomputed by scripts/verify-lottery.mjs equals the vouchers issued; members see 中签/未中签 with their id in the list', async () => {
      const res = await proofOf(c.id); // public: no token
      expect(res.status).toBe(200);
      proof = res.body;
      expect(proof.registrations).toHaveLength(9);
      expect(proof.registrations.map((r: any) => r.id)).toEqual([...proof.registrations.map((r: any) => r.id)].sort());
      expect(proof.stock).toEqual([{ voucherTypeId: c.types[0].id, quantity: 3 }, { voucherTypeId: c.types[1].id, quantity: 2 }]);
      expect(proof.winners).toHaveLength(5);

      const ok = await verify(proof);
      expect([ok.code, ok.stderr]).toEqual([0, expect.stringContaining('OK')]);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, registrations: 9, publishedWinners: 5, recomputedWinners: 5 });

      // every member: won ⇔ their pseudonymous id is a recomputed winner ⇔ they hold that type's voucher
      const winners = new Map<string, number>(proof.winners.map((w: any) => [w.id, w.voucherTypeId]));
      let won = 0;
      for (const m of members) {
        const view = (await mine(m, c.id)).body;
        expect(view.state).toBe('drawn');
        expect(view.seed).toBe(proof.seed);
        const id = view.mine.pseudonymousId;
        expect(proof.registrations.some((r: any) => r.id === id)).toBe(true);
        const held = (await t.http().get('/api/vouchers/my/vouchers').set(auth(m))).body.items.filter((v: any) => v.campaignId === c.id);
        if (winners.has(id)) {
          won++;
          expect(view.mine.outcome).toBe('won');
          expect(held.map((v: any) => [v.id, v.voucherTypeId])).toEqual([[view.mine.voucherId, winners.get(id)]]);
        } else {
          expect(view.mine.outcome).toBe('lost');
          expect(held).toEqual([]);
        }
        const you = JSON.parse((await verify(proof, ['--id', id])).stdout).you;
        expect(you).toMatchObject({ id, won: winners.has(id) });
      }
      expect(won).toBe(5);
    }, 180_000);

    it('a changed seed or a changed registration list makes the script report a mismatch', async () => {
      // another seed: its hash is not the commitment
      const otherSeed = await verify({ ...proof, seed: 'f'.repeat(64) });
      expect([otherSeed.code, otherSeed.stderr]).toEqual([1, expect.stringContaining('differs from the commitment')]);
      // the commitment the member noted before the draw does not match a proof whose seed and commitment were both replaced
      const seed = 'a'.repeat(64);
      const replaced = await verify({ ...proof, seed, commitment: sha256(seed) }, ['--commitment', proof.commitment]);
      expect(replaced.code).toBe(1);
      // …and its winners are not the published ones (recomputed from the replaced seed)
      expect(replaced.stderr).toMatch(/winner #\d+: published/);
      // a winner dropped from the registration list
      const dropped = await verify({ ...proof, registrations: proof.registrations.filter((r: any) => r.id !== proof.winners[0].id) });
      expect([dropped.code, dropped.stderr]).toEqual([1, expect.stringContaining('winner #1')]);
      // a winner's id replaced in the list
      const swapped = await verify({ ...proof, registrations: proof.registrations.map((r: any) => (r.id === proof.winners[0].id ? { ...r, id: `${r.id.slice(0, 15)}${r.id[15] === '0' ? '1' : '0'}` } : r)) });
      expect(swapped.code).toBe(1);
      // a duplicated registration
      const doubled = await verify({ ...proof, registrations: [...proof.registrations, proof.registrations.at(-1)] });
      expect([doubled.code, doubled.stderr]).toEqual([1, expect.stringContaining('sorted')]);
      // the untouched proof still passes
      expect((await verify(proof)).code).toBe(0);
    }, 120_000);
  });

  it('gives the published weight to those who lost the previous draw named in the rules', async () => {
    const first = await lotteryCampaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 1, perMemberLimit: 1 }] });
    const a = await fx.member();
    const b = await fx.member();
    for (const m of [a, b]) expect((await register(m, first.id)).status).toBe(201);
    await closeRegistration(first.id);
    expect((await draw(first.id)).body.winners).toBe(1);
    const [winner, loser] = (await mine(a, first.id)).body.mine.outcome === 'won' ? [a, b] : [b, a];
    expect((await mine(loser, first.id)).body.mine.outcome).toBe('lost');

    expect((await create(lotteryForm({}, { previousCampaignId: (await fx.campaign()).id, previousLoserWeight: 3 }))).body.code).toBe('VALIDATION_FAILED');
    const second = await lotteryCampaign({}, { previousCampaignId: first.id, previousLoserWeight: 3 });
    expect((await mine(loser, second.id)).body.rules).toMatchObject({ previousCampaignId: first.id, previousLoserWeight: 3 });
    expect((await register(loser, second.id)).body.weight).toBe(3);
    expect((await register(winner, second.id)).body.weight).toBe(1);
  }, 120_000);

  it('two concurrent draws: one draws, the other is refused; the vouchers are issued once', async () => {
    const c = await lotteryCampaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 2, perMemberLimit: 1 }] });
    for (let i = 0; i < 3; i++) expect((await register(await fx.member(), c.id)).status).toBe(201);
    await closeRegistration(c.id);
    const answers = await Promise.all([draw(c.id), draw(c.id, staffB), draw(c.id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'ALREADY_DRAWN')).toBe(true);
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ?', [c.id]))[0].n)).toBe(2);
    expect(Number((await t.db.query('SELECT claimed FROM voucher_types WHERE campaignId = ?', [c.id]))[0].claimed)).toBe(2);
    expect((await verify((await proofOf(c.id)).body)).code).toBe(0);
  }, 120_000);

  it('the job draws a lottery staff left undrawn 10 minutes past its time (drawnById null, audited as automatic), not one just due', async () => {
    const late = await lotteryCampaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 1, perMemberLimit: 1 }] });
    const justDue = await lotteryCampaign();
    for (const c of [late, justDue]) expect((await register(await fx.member(), c.id)).status).toBe(201);
    await closeRegistration(justDue.id);
    await t.db.query('UPDATE voucher_lotteries SET registrationEndAt = ?, drawAt = ? WHERE campaignId = ?', [sqlTime(new Date(Date.now() - 12 * 60_000)), sqlTime(new Date(Date.now() - 11 * 60_000)), late.id]);
    await t.app.get(LotteryDrawJob).run();
    const rows = await t.db.query('SELECT campaignId, drawnAt, drawnById, winners FROM voucher_lotteries WHERE campaignId IN (?, ?)', [late.id, justDue.id]);
    const byId = new Map(rows.map((r: any) => [Number(r.campaignId), r]));
    expect(byId.get(late.id)).toMatchObject({ drawnById: null });
    expect(Number((byId.get(late.id) as any).winners)).toBe(1);
    expect((byId.get(justDue.id) as any).drawnAt).toBeNull();
    const audit = await t.db.query("SELECT actorUserId, fields FROM audit_logs WHERE action = 'draw' AND entityId = ?", [late.id]);
    expect(audit).toHaveLength(1);
    expect(String(audit[0].fields)).toContain('automatic');
    expect((await verify((await proofOf(late.id)).body)).code).toBe(0);
    // staff find it drawn
    expect((await draw(late.id)).body.code).toBe('ALREADY_DRAWN');
  }, 120_000);

  it('with more stock than registrations every registrant wins; a lottery with no registration draws nothing', async () => {
    const c = await lotteryCampaign();
    const a = await fx.member();
    const b = await fx.member();
    for (const m of [a, b]) expect((await register(m, c.id)).status).toBe(201);
    await closeRegistration(c.id);
    expect((await draw(c.id)).body.winners).toBe(2);
    for (const m of [a, b]) expect((await mine(m, c.id)).body.mine.outcome).toBe('won');
    expect((await verify((await proofOf(c.id)).body)).code).toBe(0);

    const empty = await lotteryCampaign();
    await closeRegistration(empty.id);
    expect((await draw(empty.id)).body.winners).toBe(0);
    const p = (await proofOf(empty.id)).body;
    expect(p).toMatchObject({ registrations: [], winners: [] });
    expect((await verify(p)).code).toBe(0);
  }, 120_000);
});
