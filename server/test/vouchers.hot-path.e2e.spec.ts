import { startApp, TestApp } from './support/app';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * The claim rush's hot path (issue 12), on SQLite and MySQL, through real HTTP:
 * - SQL per answer, counted for real through TypeORM's per-statement logger hook: an issued claim ≤ 4 data
 *   statements (no user row, no campaign/type re-read, no held-count read), a sold-out answer ≤ 1 and no write;
 * - the in-memory sold-out flag is cleared by a stock top-up;
 * - a close, an edit (claim end moved) and a top-up made by ANOTHER app instance on the same database (no Redis:
 *   the 1 s bound of the rules cache) are honoured within 1 s while claims keep arriving;
 * - a role change made by another instance revokes the claims of older tokens within 1 s on a token-identity route.
 * Times here are behaviour bounds (the issue's "within 1 s"), not speeds.
 */
const TX_CONTROL = /^\s*(START\s+TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;
const BACKGROUND = /claimsChangedAt/; // the token-claims watch's poll (twice a second per process), not part of any request
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claim hot path (in-memory rules, sold-out flag, token identity)', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let other: TestApp;
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;
  const seen: string[] = [];
  let recording = false;

  beforeAll(async () => {
    t = await startApp();
    // a second instance on the same database: its own memory, no Redis (the 1 s bounds must hold anyway)
    other = await startApp({}, { databaseUrl: t.databaseUrl, keyFile: t.keyFile });
    staff = await t.login('hp-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
    const logger = t.db.logger as any;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (q: string, p: unknown, r: unknown) => {
      if (recording && !BACKGROUND.test(q)) seen.push(q.replace(/\s+/g, ' ').slice(0, 160));
      return original(q, p, r);
    };
  }, 120_000);
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const claim = (base: TestApp, token: string, campaignId: number, typeId: number, key = idemKey()) =>
    base.http().post(`/api/vouchers/campaigns/${campaignId}/claims`).set(auth(token)).set('Idempotency-Key', key).send({ voucherTypeId: typeId });
  /** The statements the app sent during `work` (data statements and transaction control apart). */
  const recorded = async <T>(work: () => Promise<T>) => {
    seen.length = 0;
    recording = true;
    try {
      const result = await work();
      return { result, data: seen.filter((q) => !TX_CONTROL.test(q)), tx: seen.filter((q) => TX_CONTROL.test(q)), all: [...seen] };
    } finally {
      recording = false;
    }
  };

  it('an issued claim costs at most 4 SQL statements, a sold-out answer at most 1 and no write; a top-up clears the flag', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 2, perMemberLimit: 1 }], perMemberLimit: 1 });
    const typeId = c.types[0].id;
    const [a, b, cc, d] = [await fx.member(), await fx.member(), await fx.member(), await fx.member()];
    expect((await claim(t, a, c.id, typeId)).status).toBe(201); // loads the campaign's rules into memory

    const issued = await recorded(() => claim(t, b, c.id, typeId));
    process.stdout.write(`issued claim: ${issued.data.length} data statements + ${issued.tx.length} transaction control\n${issued.all.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
    expect(issued.result.status).toBe(201);
    expect(issued.data.length).toBeLessThanOrEqual(4);
    expect(issued.all.some((q) => /FROM [`"]?users[`"]?/i.test(q))).toBe(false); // the guard read no user row

    expect((await claim(t, cc, c.id, typeId)).body.code).toBe('SOLD_OUT'); // the database refuses: the process learns it
    const soldOut = await recorded(() => claim(t, d, c.id, typeId));
    process.stdout.write(`sold-out answer: ${soldOut.data.length} data statements + ${soldOut.tx.length} transaction control\n${soldOut.all.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
    expect(soldOut.result.status).toBe(409);
    expect(soldOut.result.body.code).toBe('SOLD_OUT');
    expect(soldOut.data.length).toBeLessThanOrEqual(1);
    expect(soldOut.tx).toEqual([]);
    expect(soldOut.data.some((q) => /^(INSERT|UPDATE|DELETE)/i.test(q))).toBe(false);

    // a top-up in this process clears the flag at once
    const top = await t.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${typeId}/stock`).set(auth(staff)).send({ quantity: 3 });
    expect(top.status).toBe(200);
    expect((await claim(t, d, c.id, typeId)).status).toBe(201);
    const [[row]] = [await t.db.query(`SELECT claimed, quantity FROM voucher_types WHERE id = ${typeId}`)];
    expect([Number(row.claimed), Number(row.quantity)]).toEqual([3, 3]);
    expect(Number((await t.db.query(`SELECT COUNT(*) AS n FROM vouchers WHERE voucherTypeId = ${typeId}`))[0].n)).toBe(3);
  });

  it('a replay after the stock is gone still returns its voucher (one key look-up), and a reused key for another type is 422', async () => {
    const c = await fx.campaign({ types: [
      { name: '甲', faceValueFen: 1000, minSpendFen: 5000, quantity: 1, perMemberLimit: 1 },
      { name: '乙', faceValueFen: 1000, minSpendFen: 5000, quantity: 5, perMemberLimit: 1 },
    ], perMemberLimit: 2 });
    const [m, n] = [await fx.member(), await fx.member()];
    const key = idemKey();
    const first = await claim(t, m, c.id, c.types[0].id, key);
    expect(first.status).toBe(201);
    expect((await claim(t, n, c.id, c.types[0].id)).body.code).toBe('SOLD_OUT');
    const replay = await claim(t, m, c.id, c.types[0].id, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    const reused = await claim(t, m, c.id, c.types[1].id, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(Number((await t.db.query(`SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ${c.id}`))[0].n)).toBe(1);
  });

  /** Claims on `t` from `tokens` in a loop until `stop`, each answer stamped with when its request started. */
  const rush = (tokens: string[], campaignId: number, typeId: number, until: () => boolean) => {
    const answers: Array<{ startedAt: number; status: number; code: string }> = [];
    const done = Promise.all(tokens.map(async (token) => {
      while (!until()) {
        const startedAt = Date.now();
        const res = await claim(t, token, campaignId, typeId);
        answers.push({ startedAt, status: res.status, code: res.status === 201 ? 'issued' : String(res.body.code) });
        await sleep(20);
      }
    }));
    return { answers, done };
  };

  it('a close made by another instance mid-rush is honoured within 1 s', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 50, perMemberLimit: 1 }], perMemberLimit: 1 });
    const tokens = [await fx.member(), await fx.member(), await fx.member()];
    let stop = false;
    const r = rush(tokens, c.id, c.types[0].id, () => stop);
    await sleep(600);
    const closed = await other.http().post(`/api/vouchers/manage/campaigns/${c.id}/close`).set(auth(staff));
    expect(closed.status).toBe(200);
    const at = Date.now();
    await sleep(1800);
    stop = true;
    await r.done;
    const before = r.answers.filter((a) => a.startedAt < at);
    const after = r.answers.filter((a) => a.startedAt >= at + 1000);
    expect(before.some((a) => a.code === 'issued')).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((a) => `${a.status} ${a.code}`))).toEqual(new Set(['410 ENDED']));
  });

  it('an edit of the claim end made by another instance mid-rush is honoured within 1 s', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 50, perMemberLimit: 1 }], perMemberLimit: 1 });
    const tokens = [await fx.member(), await fx.member(), await fx.member()];
    let stop = false;
    const r = rush(tokens, c.id, c.types[0].id, () => stop);
    await sleep(600);
    const edited = await other.http().patch(`/api/vouchers/manage/campaigns/${c.id}`).set(auth(staff)).send({ claimEndAt: new Date(Date.now() - 1000).toISOString() });
    expect(edited.status).toBe(200);
    const at = Date.now();
    await sleep(1800);
    stop = true;
    await r.done;
    expect(r.answers.filter((a) => a.startedAt < at).some((a) => a.code === 'issued')).toBe(true);
    const after = r.answers.filter((a) => a.startedAt >= at + 1000);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((a) => `${a.status} ${a.code}`))).toEqual(new Set(['410 ENDED']));
  });

  it('a stock top-up made by another instance after a sell-out is honoured within 1 s', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 1, perMemberLimit: 1 }], perMemberLimit: 1 });
    const typeId = c.types[0].id;
    const tokens = [await fx.member(), await fx.member(), await fx.member()];
    expect((await claim(t, tokens[0], c.id, typeId)).status).toBe(201);
    expect((await claim(t, tokens[1], c.id, typeId)).body.code).toBe('SOLD_OUT'); // this instance now answers from memory
    const top = await other.http().post(`/api/vouchers/manage/campaigns/${c.id}/types/${typeId}/stock`).set(auth(staff)).send({ quantity: 3 });
    expect(top.status).toBe(200);
    await sleep(1000);
    expect((await claim(t, tokens[1], c.id, typeId)).status).toBe(201);
    expect((await claim(t, tokens[2], c.id, typeId)).status).toBe(201);
    expect((await claim(t, await fx.member(), c.id, typeId)).body.code).toBe('SOLD_OUT');
  });

  it('a role change made by another instance revokes the claims of older tokens within 1 s', async () => {
    const { token } = await fx.merchant();
    const redeem = () => t.http().post('/api/vouchers/redemptions').set(auth(token)).set('Idempotency-Key', idemKey()).send({ redemptionCode: 'not-a-code', orderAmountFen: 10000 });
    const before = await redeem();
    expect(before.status).not.toBe(403); // a clerk: the role claim lets it through to the code check
    expect(before.status).not.toBe(401);
    // the same account logs in elsewhere as a plain user: its role changes in the database, through the other instance
    const key = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: number }).sub;
    const [u] = await t.db.query(`SELECT devKey FROM users WHERE id = ${key}`);
    await other.login(u.devKey, 'user');
    await sleep(1000);
    const after = await redeem();
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('FORBIDDEN');
  });
});
