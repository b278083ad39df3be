import { JwtService } from '@nestjs/jwt';
import { idNumberCheckChar, maskIdNumber, maskMobile, Occupation } from '@union/shared';
import { PersonalDataCipher } from '../../src/common/crypto.service';
import { UsersRepository } from '../../src/modules/auth/users.repository';
import { MembershipRepository } from '../../src/modules/membership/membership.repository';
import { OrgsRepository } from '../../src/modules/orgs/orgs.repository';
import type { TestApp } from './app';

export interface TestMember {
  userId: number;
  memberId: number;
  token: string;
}

let personSeq = Math.floor(Math.random() * 50_000);

/** A valid ID number unique per call within a run (birth dates walk through 1970–2000). */
export function factoryIdNumber(): string {
  const i = ++personSeq;
  const birth = new Date(Date.UTC(1970, 0, 1) + (i % 10_000) * 86_400_000);
  const ymd = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const first17 = `420202${ymd}${String(Math.floor(i / 10_000) % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/**
 * Creates `count` active members of `orgCode` quickly, through the app's own repositories and
 * cipher (encrypted ID and mobile numbers, member numbers, history), and a JWT for each from the
 * app's JwtService. For tests that need hundreds of members; small tests use the real HTTP journey.
 */
export async function createMembers(t: TestApp, count: number, opts: { orgCode: string; prefix: string; occupation?: Occupation }): Promise<TestMember[]> {
  const users = t.app.get(UsersRepository);
  const membership = t.app.get(MembershipRepository);
  const cipher = t.app.get(PersonalDataCipher);
  const jwt = t.app.get(JwtService);
  const org = (await t.app.get(OrgsRepository).findByCode(opts.orgCode))!;
  const out: TestMember[] = [];
  for (let i = 0; i < count; i++) {
    const user = await users.findOrCreate({ devKey: `${opts.prefix}-${i}` }, { displayName: `会员${i}`, role: 'user', orgId: null });
    const idNumber = factoryIdNumber();
    const mobile = `137${String(personSeq % 1e8).padStart(8, '0')}`;
    const member = await membership.transaction(async (em) => {
      const m = await membership.insertMember(em, {
        userId: user.id, orgId: org.id, name: `测试会员`, idNumberEnc: cipher.encrypt(idNumber), idNumberHash: cipher.lookupHash('id', idNumber),
        idNumberMasked: maskIdNumber(idNumber), mobileEnc: cipher.encrypt(mobile), mobileHash: cipher.lookupHash('mobile', mobile),
        mobileMasked: maskMobile(mobile), occupation: opts.occupation ?? 'food_delivery', platform: '美团', workCity: '黄石', status: 'active', joinedAt: new Date(),
      });
      await membership.addHistory(em, { memberId: m.id, orgId: org.id, event: 'joined', applicationId: null, at: new Date() });
      return m;
    });
    out.push({ userId: user.id, memberId: member.id, token: await jwt.signAsync({ sub: user.id }) });
  }
  return out;
}
