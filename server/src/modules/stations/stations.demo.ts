import { INestApplication } from '@nestjs/common';
import { Amenity, amenityMask, OpeningHours } from '@union/shared';
import { SignedCodeService } from '../../common/signed-code.service';
import { UsersRepository } from '../auth/users.repository';
import { OrgsRepository } from '../orgs/orgs.repository';
import { StationsRepository } from './stations.repository';

/** Demo cities: org receiving the stations, centre (GCJ-02), how many, and a street name pool. */
const CITIES: Array<{ org: string; city: string; lat: number; lng: number; count: number; area: string; streets: string[] }> = [
  { org: 'HB-HS-HSG-WM', city: '黄石', area: '0714', lat: 30.2150, lng: 115.0600, count: 14, streets: ['桂林北路', '湖滨大道', '颐阳路', '杭州东路', '磁湖路', '武汉路', '天津路'] },
  { org: 'HN-CS-WM', city: '长沙', area: '0731', lat: 28.1960, lng: 112.9720, count: 12, streets: ['五一大道', '芙蓉中路', '解放西路', '韶山北路', '人民中路', '劳动西路'] },
  { org: 'JS-XZ-GL-CYY', city: '徐州', area: '0516', lat: 34.2720, lng: 117.1905, count: 8, streets: ['淮海东路', '中山北路', '建国西路', '复兴南路'] },
  { org: 'HB-XY-FC-LG', city: '襄阳', area: '0710', lat: 32.0420, lng: 112.1400, count: 4, streets: ['人民路', '长虹路', '春园路'] },
  { org: 'ZJ-HZ-LP-XJY', city: '杭州', area: '0571', lat: 30.4210, lng: 120.3020, count: 4, streets: ['迎宾路', '南苑街', '临平大道'] },
];
const KINDS = ['爱心驿站', '户外劳动者服务站', '工会驿站', '骑手加油站'];
const DAY: OpeningHours = { is24h: false, weekly: { mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'], thu: ['08:00-20:00'], fri: ['08:00-20:00'], sat: ['09:00-18:00'], sun: ['09:00-18:00'] } };
const NIGHT: OpeningHours = { is24h: false, weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['10:00-14:00', '17:00-02:00']])) };
const ALL_DAY: OpeningHours = { is24h: true, weekly: {} };
const AMENITY_SETS: Amenity[][] = [
  ['rest', 'water', 'charging', 'microwave', 'restroom'],
  ['rest', 'water', 'restroom'],
  ['rest', 'water', 'charging', 'wifi', 'first_aid'],
  ['rest', 'water', 'microwave', 'fridge'],
  ['rest', 'charging', 'battery_swap'],
  ['rest', 'water', 'charging', 'microwave', 'restroom', 'fridge', 'first_aid', 'wifi'],
  ['water', 'restroom', 'first_aid'],
];

/** A small deterministic generator so every demo database looks the same. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * Demo stations around the demo cities (黄石, 长沙, 徐州, 襄阳, 杭州) with varied amenities and hours
 * (daytime, past midnight, 24 h; one temporarily closed), and a keeper account `demo-keeper`
 * (黄石市总工会) running the first 黄石 station. Runs once: skipped when any station exists.
 */
export async function seedDemoStations(app: INestApplication): Promise<void> {
  const repo = app.get(StationsRepository);
  const [, existing] = await repo.listStations({ scopePath: null, skip: 0, take: 1 });
  if (existing > 0) return;
  const orgs = app.get(OrgsRepository);
  const codes = app.get(SignedCodeService);
  const hs = await orgs.findByCode('HB-HS');
  const keeper = hs ? await app.get(UsersRepository).findOrCreate({ devKey: 'demo-keeper' }, { displayName: '黄石驿站站长', role: 'station_keeper', orgId: hs.id }) : null;
  const next = rng(20240501);
  let n = 0;
  for (const c of CITIES) {
    const org = await orgs.findByCode(c.org);
    if (!org) continue;
    for (let i = 0; i < c.count; i++, n++) {
      // within about 6 km of the centre
      const r = 0.004 + next() * 0.05;
      const a = next() * 2 * Math.PI;
      const hours = i % 4 === 1 ? ALL_DAY : i % 4 === 2 ? NIGHT : DAY;
      const closed = i === 5;
      const now = new Date();
      await repo.insertStation({
        orgId: org.id, keeperUserId: i === 0 && c.city === '黄石' ? keeper?.id ?? null : null,
        name: `${c.city}${c.streets[i % c.streets.length]}${KINDS[i % KINDS.length]}${i >= c.streets.length ? `（${i + 1}号）` : ''}`,
        address: `${c.city}市${c.streets[i % c.streets.length]}${10 + Math.floor(next() * 300)}号`,
        lat: Math.round((c.lat + r * Math.sin(a)) * 1e6) / 1e6, lng: Math.round((c.lng + r * Math.cos(a) * 1.15) * 1e6) / 1e6,
        amenityMask: amenityMask(AMENITY_SETS[(i + n) % AMENITY_SETS.length]), hours, closedDates: [],
        status: closed ? 'temporarily_closed' : 'open', closedNote: closed ? '设备检修，暂停开放' : null, closedUntil: null,
        phone: `${c.area}-${6000000 + n * 137}`, description: '工会为户外劳动者提供歇脚、喝水、充电、热饭等暖心服务。',
        codeBody: codes.randomBody(), createdAt: now, updatedAt: now,
      });
    }
  }
}
