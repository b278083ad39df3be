import { INestApplication } from '@nestjs/common';
import { idNumberCheckChar, Occupation } from '@union/shared';
import { UsersRepository } from '../modules/auth/users.repository';
import { ApplicationsService } from '../modules/membership/applications.service';
import { JoinCodesService } from '../modules/membership/join-codes.service';
import { MembershipRepository } from '../modules/membership/membership.repository';

const DEMO_PEOPLE: Array<[string, Occupation, string]> = [
  ['王建国', 'food_delivery', '美团'], ['李娟', 'food_delivery', '饿了么'], ['张伟', 'courier', '顺丰'],
  ['刘洋', 'courier', '京东'], ['陈静', 'ride_hailing', '滴滴'], ['杨帆', 'truck_driver', '货拉拉'],
  ['赵磊', 'food_delivery', '美团'], ['黄敏', 'courier', '中通'], ['周强', 'truck_driver', '满帮'], ['吴芳', 'other', '其他'],
];

/**
 * Demo people for the embedded demo, created through the real services (so they are encrypted
 * and audited like any other): a staff account `demo-staff` of 黄石市总工会, a join code for
 * 黄石市网约配送员工会联合会, eight approved members and two pending applications.
 * Runs once: skipped when any member exists. ID numbers are valid by checksum but fictitious.
 */
export async function seedDemoPeople(app: INestApplication): Promise<void> {
  await (await import('../modules/stations/stations.demo')).seedDemoStations(app);
  const membership = app.get(MembershipRepository);
  const [, members] = await membership.listMembers({ scopePath: null, skip: 0, take: 1 });
  if (members > 0) return;
  const users = app.get(UsersRepository);
  const hs = await membership.db.query("SELECT id FROM union_orgs WHERE code = 'HB-HS'");
  const staff = await users.findOrCreate({ devKey: 'demo-staff' }, { displayName: '黄石市总工会 工作人员', role: 'union_staff', orgId: hs[0].id });
  const joinCode = await app.get(JoinCodesService).create(staff, { orgCode: 'HB-HS-HSG-WM', label: '演示：站点海报' });
  const applications = app.get(ApplicationsService);
  for (const [i, [name, occupation, platform]] of DEMO_PEOPLE.entries()) {
    const rider = await users.findOrCreate({ devKey: `demo-rider-${i + 1}` }, { displayName: name, role: 'user', orgId: null });
    const first17 = `42020219${88 + (i % 10)}0${(i % 9) + 1}1${i}001`.slice(0, 17);
    const application = await applications.apply(rider, {
      joinCode: joinCode.code, name, idNumber: first17 + idNumberCheckChar(first17), mobile: `1390714${String(1000 + i).padStart(4, '0')}`,
      occupation, platform, workCity: '黄石', consent: true,
    });
    if (i < 8) await applications.approve(staff, application.id);
  }
}
