import { startApp, TestApp } from '../support/app';
import { auth, count } from '../support/aid';
import { proposedApplication } from '../support/aid-applications';

/**
 * Issue 11 (four-eyes): the confirmer approves the proposal they looked at, not whatever the handler decided since.
 * The confirmation names the proposal it saw (`proposedAt` of the staff view); a re-decision in between is
 * 409 APPROVAL_STALE and nothing is written. The same condition sits in the UPDATE that records the approval, so a
 * re-decision racing the confirmation cannot be applied under the old proposal either.
 */
describe('aid application confirmation applies only the proposal the confirmer saw', () => {
  let t: TestApp;
  let staffA: string;
  let staffB: string;
  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('stale-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('stale-staff-b', 'union_staff', 'HB-HS');
  });
  afterAll(() => t.close());

  const view = async (id: number) => (await t.http().get(`/api/aid/applications/${id}`).set(auth(staffB))).body;

  it('refuses a confirmation of a proposal the handler has changed since (409 APPROVAL_STALE), writes nothing, and confirms the current one', async () => {
    const worker = await t.login('stale-worker-1');
    const { id } = await proposedApplication(t, worker, staffA);
    const seen = (await view(id)).decision;
    expect(seen).toMatchObject({ decision: 'approve', level: 'relative' });
    await new Promise((r) => setTimeout(r, 1100)); // a later proposal time even where datetimes keep whole seconds
    const redo = await t.http().post(`/api/aid/applications/${id}/decision`).set(auth(staffA)).send({ decision: 'approve', level: 'severe' });
    expect(redo.status).toBe(200);
    const before = { households: await count(t, 'aid_households'), batches: await count(t, 'aid_payout_batches') };

    const stale = await t.http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB)).send({ proposedAt: seen.proposedAt });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('APPROVAL_STALE');
    const after = await view(id);
    expect(after.status).toBe('proposed');
    expect(after.decision.level).toBe('severe');
    expect({ households: await count(t, 'aid_households'), batches: await count(t, 'aid_payout_batches') }).toEqual(before);

    const ok = await t.http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB)).send({ proposedAt: after.decision.proposedAt });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.decision.level).toBe('severe');
  });

  it('answers a malformed proposedAt with 400 and nothing changed', async () => {
    const worker = await t.login('stale-worker-2');
    const { id } = await proposedApplication(t, worker, staffA);
    const res = await t.http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB)).send({ proposedAt: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await view(id)).status).toBe('proposed');
  });
});
