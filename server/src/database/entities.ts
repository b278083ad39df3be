import { AuditLog } from '../common/audit.entity';
import { User } from '../modules/auth/user.entity';
import { JoinCode } from '../modules/membership/entities/join-code.entity';
import { MembershipApplication } from '../modules/membership/entities/application.entity';
import { Member, MembershipHistory } from '../modules/membership/entities/member.entity';
import { UnionOrg } from '../modules/orgs/org.entity';

/** Every entity of the application; the migrations must create exactly these tables. */
export const ENTITIES = [UnionOrg, User, AuditLog, JoinCode, MembershipApplication, Member, MembershipHistory];
