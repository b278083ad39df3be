import { newIdNumber, newMobile, TestApp } from './app';
import { newName, WM } from './aid';

/** A valid aid application body (to 黄石市网约配送员工会联合会); override any field. */
export function applicationBody(over: Record<string, unknown> = {}) {
  return {
    orgCode: WM, name: newName(), idNumber: newIdNumber(), mobile: newMobile(), employer: '某某配送站', province: '湖北省', city: '黄石市',
    district: '黄石港区', street: '胜阳港街道', addressDetail: '某小区3栋2单元', employmentStatus: 'flexible', householdSize: 3,
    monthlyIncomeFen: 180_000, illMembers: 1, disabledMembers: 0, causes: ['illness'], helpKinds: ['medical', 'living'], needs: ['job'],
    account: '爱人患病住院，医疗费用负担重，孩子上学。', consent: true, ...over,
  };
}

/** Smallest files each type check recognises (magic bytes + padding). */
export const FILES = {
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), Buffer.alloc(200, 1)]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 2)]),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  gif: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(100, 3)]),
};

export const VISIT_BODY = { visitDate: '2025-11-20', visitors: '张工、李工', findings: '家中确有病人，收入属实', verifiedHouseholdSize: 3, verifiedMonthlyIncomeFen: 150_000 };

/**
 * Takes an application through submit → accept (staff A) → visit → decision (staff A); returns its id.
 * `decision` defaults to a plain approval; throws on any unexpected status.
 */
export async function proposedApplication(
  t: TestApp, applicant: string, staffA: string, over: Record<string, unknown> = {}, decision: Record<string, unknown> = { decision: 'approve', level: 'relative' },
): Promise<{ id: number; body: any }> {
  const authz = { Authorization: `Bearer ${staffA}` };
  const app = await t.http().post('/api/aid/applications').set({ Authorization: `Bearer ${applicant}` }).send(applicationBody(over));
  if (app.status !== 201) throw new Error(`apply: ${app.status} ${JSON.stringify(app.body)}`);
  const id = app.body.id as number;
  for (const [action, body] of [['accept', {}], ['visit', VISIT_BODY], ['decision', decision]] as const) {
    const res = await t.http().post(`/api/aid/applications/${id}/${action}`).set(authz).send(body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { id, body: app.body };
}

/** {@link proposedApplication}, then confirmed by staff B: an approved application on the notice. */
export async function approvedApplication(t: TestApp, applicant: string, staffA: string, staffB: string, over: Record<string, unknown> = {}): Promise<number> {
  const { id } = await proposedApplication(t, applicant, staffA, over);
  const res = await t.http().post(`/api/aid/applications/${id}/confirm`).set({ Authorization: `Bearer ${staffB}` });
  if (res.status !== 200) throw new Error(`confirm: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}
