import { startApp, TestApp } from './support/app';
import { auth, count, householdBody } from './support/aid';
import { applicationBody } from './support/aid-applications';
import { idemKey, merchantForm } from './support/vouchers-fixtures';

/**
 * The create endpoints behind the mini-program's long forms (aid application, household file, merchant application)
 * take an optional `Idempotency-Key` through the same mechanism as voucher claims (common/idempotency.ts): a replay
 * answers the first result and creates nothing, the same key with another body is refused, a different user's same
 * key is that user's own. SQLite or MySQL (TEST_DB).
 */
/** A body with its instants at whole seconds: MySQL keeps DATETIME to the second, so the replay (read back) shows .000. */
const toSeconds = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/(T\d{2}:\d{2}:\d{2})\.\d{3}Z/g, '$1.000Z'));

describe('idempotent creates over HTTP', () => {
  let t: TestApp;
  let staff: string;
  const keyRows = (scope: string) => count(t, 'idempotency_keys', `scope = '${scope}'`);

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('idem-staff', 'union_staff', 'HB-HS');
  });
  afterAll(() => t.close());

  it('aid application: a replay answers the first application and creates nothing; another body with the key is refused', async () => {
    const worker = await t.login('idem-worker');
    const body = applicationBody();
    const key = idemKey();
    const post = (b: object, k = key, who = worker) => t.http().post('/api/aid/applications').set({ ...auth(who), 'Idempotency-Key': k }).send(b);
    const before = await count(t, 'aid_applications');

    const first = await post(body);
    expect(first.status).toBe(201);
    // without the key, the same body is refused as a second open application: the replay must not reach that check
    const replay = await post(body);
    expect(replay.status).toBe(201);
    expect(toSeconds(replay.body)).toEqual(toSeconds(first.body));
    expect(await count(t, 'aid_applications')).toBe(before + 1);
    expect(await count(t, 'aid_application_events', `applicationId = ${first.body.id}`)).toBe(1);

    const other = await post({ ...body, employer: '另一家配送站' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(t, 'aid_applications')).toBe(before + 1);

    // the fingerprint is not the body: personal data never reaches the keys table in the clear
    const row = (await t.db.query(`SELECT fingerprint FROM idempotency_keys WHERE scope = 'aid_application' AND resultId = ${first.body.id}`))[0];
    expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    // another user's same key is theirs: a new application of their own
    const second = await t.login('idem-worker-2');
    const theirs = await post(applicationBody(), key, second);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);

    // no key: unchanged behaviour (409 for the caller's second open application with the same ID number)
    const plain = await t.http().post('/api/aid/applications').set(auth(worker)).send(body);
    expect(plain.status).toBe(409);
    expect(plain.body.code).toBe('APPLICATION_OPEN_EXISTS');
  });

  it('aid application: concurrent twins with one key make one application', async () => {
    const worker = await t.login('idem-worker-twins');
    const body = applicationBody();
    const key = idemKey();
    const before = await count(t, 'aid_applications');
    const answers = await Promise.all([1, 2, 3].map(() => t.http().post('/api/aid/applications').set({ ...auth(worker), 'Idempotency-Key': key }).send(body)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await count(t, 'aid_applications')).toBe(before + 1);
  });

  it('refuses a malformed key with 400 IDEMPOTENCY_KEY_REQUIRED and creates nothing', async () => {
    const worker = await t.login('idem-worker-bad');
    const before = await count(t, 'aid_applications');
    const res = await t.http().post('/api/aid/applications').set({ ...auth(worker), 'Idempotency-Key': 'short' }).send(applicationBody());
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await count(t, 'aid_applications')).toBe(before);
  });

  it('household file: a replay answers the first file and creates nothing; another body with the key is refused', async () => {
    const body = householdBody();
    const key = idemKey();
    const post = (b: object) => t.http().post('/api/aid/households').set({ ...auth(staff), 'Idempotency-Key': key }).send(b);
    const before = await count(t, 'aid_households');
    const keysBefore = await keyRows('household');

    const first = await post(body);
    expect(first.status).toBe(201);
    const replay = await post(body);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.body.headName).toBe(first.body.headName);
    expect(await count(t, 'aid_households')).toBe(before + 1);
    expect(await keyRows('household')).toBe(keysBefore + 1);

    const other = await post({ ...body, householdSize: 4 });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(t, 'aid_households')).toBe(before + 1);
  });

  it('merchant application: a replay answers the first merchant and creates nothing; another body with the key is refused', async () => {
    const owner = await t.login('idem-merchant-owner');
    const body = merchantForm();
    const key = idemKey();
    const post = (b: object) => t.http().post('/api/vouchers/merchants').set({ ...auth(owner), 'Idempotency-Key': key }).send(b);
    const before = await count(t, 'merchants');

    const first = await post(body);
    expect(first.status).toBe(201);
    // without the key the account, now a clerk, would be refused (ALREADY_CLERK)
    const replay = await post(body);
    expect(replay.status).toBe(201);
    expect(toSeconds(replay.body)).toEqual(toSeconds(first.body));
    expect(await count(t, 'merchants')).toBe(before + 1);
    expect(await count(t, 'merchant_clerks', `merchantId = ${first.body.id}`)).toBe(1);

    const other = await post({ ...body, name: '另一家餐馆' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(t, 'merchants')).toBe(before + 1);
  });
});
