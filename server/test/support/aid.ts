import { shanghaiPeriod } from '@union/shared';
import { newIdNumber, newMobile, TestApp } from './app';

export const WM = 'HB-HS-HSG-WM'; // 黄石市网约配送员工会联合会 (grassroots under 黄石市总工会)
export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

const SURNAMES = '汪李张刘陈杨黄赵吴周';
const GIVEN = '建国秀英明华丽娟志强海燕桂兰';
let nameSeq = 0;
/** A valid, distinct Chinese name (2–3 characters). */
export function newName(): string {
  nameSeq++;
  return SURNAMES[nameSeq % SURNAMES.length] + GIVEN[nameSeq % GIVEN.length] + GIVEN[(nameSeq * 7 + 3) % GIVEN.length];
}

/** A valid household registration body; override any field. */
export function householdBody(over: Record<string, unknown> = {}) {
  return {
    headName: newName(), idNumber: newIdNumber(), mobile: newMobile(), province: '湖北省', city: '黄石市', district: '黄石港区', street: '胜阳港街道',
    addressDetail: '某小区3栋2单元', householdSize: 3, monthlyIncomeFen: 250_001, level: 'severe', causes: ['illness', 'unemployment'],
    employmentStatus: 'flexible', needs: ['job', 'medical'], needsNote: '希望就近找工作', orgCode: WM, ...over,
  };
}

/** The current Asia/Shanghai period, e.g. `2026-11`. */
export const thisPeriod = () => shanghaiPeriod();

export async function count(t: TestApp, table: string, where = '1=1'): Promise<number> {
  return Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))[0].n);
}

/** Registers (staff A) and activates (staff B) a household; returns its view. */
export async function activeHousehold(t: TestApp, a: string, b: string, over: Record<string, unknown> = {}) {
  const body = householdBody(over);
  const reg = await t.http().post('/api/aid/households').set(auth(a)).send(body);
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const act = await t.http().post(`/api/aid/households/${reg.body.id}/activate`).set(auth(b));
  if (act.status !== 200) throw new Error(`activate: ${act.status} ${JSON.stringify(act.body)}`);
  return { ...act.body, body } as { id: number; code: string; headName: string; body: ReturnType<typeof householdBody> } & Record<string, any>;
}

/** A CSV text from header and rows (no quoting needed for our values). */
export const csvOf = (rows: Array<Array<string | number>>) => rows.map((r) => r.join(',')).join('\n') + '\n';
