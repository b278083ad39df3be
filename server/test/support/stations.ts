import type { StationInput } from '@union/shared';
import { newIdNumber, newMobile, TestApp } from './app';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
/** 黄石市网约配送员工会联合会: a grassroots org under 黄石市总工会 (HB-HS). */
export const WM = 'HB-HS-HSG-WM';

let stationSeq = 0;
/** A valid station near 黄石 open every day 08:00–20:00. */
export function stationInput(over: Partial<StationInput> = {}): StationInput {
  stationSeq += 1;
  return {
    name: `测试驿站${stationSeq}`, orgCode: WM, address: `黄石市黄石大道${stationSeq}号`, lat: 30.21 + stationSeq * 1e-4, lng: 115.06,
    amenities: ['rest', 'water', 'charging'],
    hours: { is24h: false, weekly: { mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'], thu: ['08:00-20:00'], fri: ['08:00-20:00'], sat: ['08:00-20:00'], sun: ['08:00-20:00'] } },
    phone: '0714-6200000', description: '测试', ...over,
  };
}

/** Creates a station through the API as `staff` and returns the admin view. */
export async function createStation(t: TestApp, staff: string, over: Partial<StationInput> = {}) {
  const res = await t.http().post('/api/stations').set(auth(staff)).send(stationInput(over));
  if (res.status !== 201) throw new Error(`create station: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; code: string; url: string; name: string };
}

/** Makes `userKey` an approved member of 黄石市网约配送员工会联合会 through the membership API; returns its token. */
export async function makeMember(t: TestApp, staff: string, userKey: string, occupation = 'food_delivery'): Promise<string> {
  const token = await t.login(userKey);
  const jc = await t.http().post('/api/membership/join-codes').set(auth(staff)).send({ orgCode: WM, label: 'stations test' });
  const app = await t.http().post('/api/membership/applications').set(auth(token)).send({
    joinCode: jc.body.code, name: '骑手小王', idNumber: newIdNumber(), mobile: newMobile(), occupation, platform: '美团', workCity: '黄石', consent: true,
  });
  if (app.status !== 201) throw new Error(`apply: ${app.status} ${JSON.stringify(app.body)}`);
  const ok = await t.http().post(`/api/membership/applications/${app.body.id}/approve`).set(auth(staff));
  if (ok.status !== 200) throw new Error(`approve: ${ok.status} ${JSON.stringify(ok.body)}`);
  return token;
}

export const count = async (t: TestApp, table: string) => Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

/** A tiny valid PNG (1×1) and JPEG header bytes padded to `size`. */
export const PNG_1x1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8a8a70000000049454e44ae426082', 'hex');
export function jpegOfSize(size: number): Buffer {
  const b = Buffer.alloc(size, 0);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}
