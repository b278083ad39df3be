import { AuditLog } from '../common/audit.entity';
import { IdempotencyKey } from '../common/idempotency';
import { UsedInvite } from '../common/used-invite.entity';
import { AID_ENTITIES } from '../modules/aid/entities';
import { User } from '../modules/auth/user.entity';
import { JoinCode } from '../modules/membership/entities/join-code.entity';
import { MESSAGES_ENTITIES } from '../modules/messages/entities/message.entity';
import { MembershipApplication } from '../modules/membership/entities/application.entity';
import { Member, MembershipHistory } from '../modules/membership/entities/member.entity';
import { UnionOrg } from '../modules/orgs/org.entity';
import { STATIONS_ENTITIES } from '../modules/stations/entities';
import { VOUCHERS_ENTITIES } from '../modules/vouchers/entities';

/** Entities every module stands on: orgs, accounts, audit, one-time invites, idempotency keys, membership. */
export const CORE_ENTITIES: Function[] = [UnionOrg, User, AuditLog, UsedInvite, IdempotencyKey, JoinCode, MembershipApplication, Member, MembershipHistory];

/** Entities per domain module, so a migration can be generated for one module at a time. */
export const MODULE_ENTITIES: Record<string, Function[]> = {
  aid: AID_ENTITIES,
  stations: STATIONS_ENTITIES,
  vouchers: VOUCHERS_ENTITIES,
  messages: MESSAGES_ENTITIES,
};

/** Every entity of the application; the migrations must create exactly these tables. */
export const ENTITIES: Function[] = [...CORE_ENTITIES, ...Object.values(MODULE_ENTITIES).flat()];
