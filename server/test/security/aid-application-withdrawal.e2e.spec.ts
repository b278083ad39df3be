import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import { startApp, TestApp } from '../support/app';
import { auth, count } from '../support/aid';
import { applicationBody, FILES } from '../support/aid-applications';

/**
 * Issue 11: the applicant withdraws an undecided application and deletes uploaded documents (PIPL art. 47):
 * rows and files go, every deletion is audited, documents of an approved application are kept; nobody else can
 * do either, and bad input is a 400 that writes nothing.
 */
describe('withdrawing aid applications and deleting documents', () => {
  let t: TestApp;
  let staffA: string;
  let staffB: string;
  let worker: string;
  let workerId: number;
  let other: string;
  let jx: string;
  const http = () => t.http();
  const dir = () => join(t.config.uploadDir, 'aid-applications');
  const files = () => (existsSync(dir()) ? readdirSync(dir()).sort() : []);
  const upload = (token: string, id: number, buf: Buffer, name: string) => http().post(`/api/aid/applications/${id}/documents`).set(auth(token)).attach('file', buf, name);
  const withdraw = (token: string, id: number, body: object = {}) => http().post(`/api/aid/applications/${id}/withdraw`).set(auth(token)).send(body);
  const del = (token: string, id: number, docId: number | string) => http().delete(`/api/aid/applications/${id}/documents/${docId}`).set(auth(token));
  const fileNameOf = async (docId: number) => (await t.db.query(`SELECT fileName FROM aid_application_documents WHERE id = ${docId}`))[0]?.fileName as string | undefined;
  /** Everything a refused call must leave as it was. */
  const state = async (id: number) => ({
    app: JSON.stringify(await t.db.query(`SELECT status, openKey, updatedAt FROM aid_applications WHERE id = ${id}`)),
    docs: await count(t, 'aid_application_documents', `applicationId = ${id}`),
    events: await count(t, 'aid_application_events', `applicationId = ${id}`),
    audits: await count(t, 'audit_logs', `action IN ('delete', 'withdraw')`),
    files: files(),
  });

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('wd-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('wd-staff-b', 'union_staff', 'HB-HS');
    jx = await t.login('wd-staff-jx', 'union_staff', 'JX');
    worker = await t.login('wd-worker');
    other = await t.login('wd-other');
    workerId = (await http().get('/api/me').set(auth(worker))).body.id;
  });
  afterAll(() => t.close());

  async function applicationWithDocuments() {
    const body = applicationBody();
    const app = await http().post('/api/aid/applications').set(auth(worker)).send(body);
    expect(app.status).toBe(201);
    const d1 = await upload(worker, app.body.id, FILES.pdf, '诊断证明.pdf');
    const d2 = await upload(worker, app.body.id, FILES.png, '收入证明.png');
    expect([d1.status, d2.status]).toEqual([201, 201]);
    return { id: app.body.id as number, idNumber: body.idNumber, docs: [d1.body.id as number, d2.body.id as number] };
  }

  it('lets nobody but the applicant withdraw or delete (404; 403 for staff who may read it), and changes nothing', async () => {
    const { id, docs } = await applicationWithDocuments();
    const before = await state(id);
    for (const token of [other, jx]) {
      expect((await withdraw(token, id)).body.code).toBe('APPLICATION_NOT_FOUND');
      expect((await del(token, id, docs[0])).body.code).toBe('APPLICATION_NOT_FOUND');
    }
    expect((await withdraw(staffA, id)).body.code).toBe('NOT_APPLICANT');
    expect((await del(staffA, id, docs[0])).body.code).toBe('NOT_APPLICANT');
    expect(await state(id)).toEqual(before);
    // a document of another application under this id, and a visit photo, are not the applicant's to delete
    const mine2 = await http().post('/api/aid/applications').set(auth(other)).send(applicationBody());
    const foreignDoc = (await upload(other, mine2.body.id, FILES.jpeg, 'x.jpg')).body.id;
    const before2 = await state(id);
    expect((await del(worker, id, foreignDoc)).status).toBe(404);
    expect(await state(id)).toEqual(before2);
    expect(before2.docs).toBe(before.docs);
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const { id, docs } = await applicationWithDocuments();
    const before = await state(id);
    for (const body of [{ reason: '长'.repeat(201) }, { reason: 5 }, { status: 'approved' }, { reason: 'ok', extra: 1 }]) {
      const res = await withdraw(worker, id, body);
      expect([JSON.stringify(body).slice(0, 30), res.status, typeof res.body.code]).toEqual([JSON.stringify(body).slice(0, 30), 400, 'string']);
    }
    for (const docId of ['abc', '0', '-1', '1.5', '99999999999']) {
      const res = await del(worker, id, docId);
      expect([docId, res.status]).toEqual([docId, 400]);
    }
    expect((await http().post('/api/aid/applications/abc/withdraw').set(auth(worker)).send({})).status).toBe(400);
    expect(await state(id)).toEqual(before);
    expect(before.docs).toBe(docs.length);
  });

  it('deletes one document: row and file gone, audited, on the timeline', async () => {
    const { id, docs } = await applicationWithDocuments();
    const fileName = (await fileNameOf(docs[0]))!;
    expect(files()).toContain(fileName);
    const res = await del(worker, id, docs[0]);
    expect(res.status).toBe(204);
    expect(await count(t, 'aid_application_documents', `id = ${docs[0]}`)).toBe(0);
    expect(files()).not.toContain(fileName);
    expect(await count(t, 'audit_logs', `action = 'delete' AND entityType = 'aid_application_document' AND entityId = ${docs[0]} AND actorUserId = ${workerId}`)).toBe(1);
    const view = (await http().get(`/api/aid/applications/${id}`).set(auth(worker))).body;
    expect(view.documents.map((d: any) => d.id)).toEqual([docs[1]]);
    expect(view.events.map((e: any) => e.type)).toContain('document_deleted');
    expect((await http().get(`/api/aid/applications/${id}/documents/${docs[0]}`).set(auth(staffA))).status).toBe(404);
    expect((await del(worker, id, docs[0])).status).toBe(404);
  });

  it('withdraws an undecided application: status withdrawn, documents deleted and audited, the ID free again', async () => {
    const { id, docs, idNumber } = await applicationWithDocuments();
    await http().post(`/api/aid/applications/${id}/accept`).set(auth(staffA)).expect(200);
    const visitPhoto = (await upload(staffA, id, FILES.jpeg, '入户.jpg')).body.id as number;
    const names = await Promise.all([...docs, visitPhoto].map(fileNameOf));
    const res = await withdraw(worker, id, { reason: '情况已好转' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', documents: [] });
    expect(res.body.events.map((e: any) => e.type)).toContain('withdrawn');
    expect(await count(t, 'aid_application_documents', `applicationId = ${id}`)).toBe(0);
    for (const n of names) expect(files()).not.toContain(n);
    expect(await count(t, 'audit_logs', `action = 'delete' AND entityType = 'aid_application_document' AND entityId IN (${[...docs, visitPhoto].join(',')})`)).toBe(3);
    expect(await count(t, 'audit_logs', `action = 'withdraw' AND entityType = 'aid_application' AND entityId = ${id} AND actorUserId = ${workerId}`)).toBe(1);
    expect(await count(t, 'aid_applications', `id = ${id} AND openKey IS NULL`)).toBe(1);
    // decided now: a second withdrawal, an upload or an accept are refused
    expect([(await withdraw(worker, id)).status, (await withdraw(worker, id)).body.code]).toEqual([409, 'APPLICATION_STATE']);
    expect((await upload(worker, id, FILES.pdf, 'late.pdf')).status).toBe(409);
    expect((await http().get('/api/aid/applications?pageSize=100').set(auth(staffA))).body.items.map((x: any) => x.id)).not.toContain(id);
    // the same ID can apply again
    expect((await http().post('/api/aid/applications').set(auth(worker)).send(applicationBody({ idNumber }))).status).toBe(201);
  });

  it('refuses to delete a document once the application is approved (409 DOCUMENT_RETAINED), file kept', async () => {
    const body = applicationBody();
    const app = await http().post('/api/aid/applications').set(auth(worker)).send(body);
    const id = app.body.id as number;
    const docId = (await upload(worker, id, FILES.pdf, '证明.pdf')).body.id as number;
    for (const [action, b] of [['accept', {}], ['visit', { visitDate: '2025-11-20', visitors: '张工', findings: '属实', verifiedHouseholdSize: 3, verifiedMonthlyIncomeFen: 100_000 }], ['decision', { decision: 'approve', level: 'relative' }]] as const) {
      await http().post(`/api/aid/applications/${id}/${action}`).set(auth(staffA)).send(b).expect(200);
    }
    await http().post(`/api/aid/applications/${id}/confirm`).set(auth(staffB)).expect(200);
    const before = await state(id);
    const res = await del(worker, id, docId);
    expect([res.status, res.body.code]).toEqual([409, 'DOCUMENT_RETAINED']);
    expect(await state(id)).toEqual(before);
    expect(files()).toContain(await fileNameOf(docId));
    const w = await withdraw(worker, id);
    expect([w.status, w.body.code]).toEqual([409, 'APPLICATION_STATE']);
    expect(await state(id)).toEqual(before);
  });
});
