import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@union/shared';
import type { User } from '../modules/auth/user.entity';

export const PUBLIC_KEY = 'isPublic';
export const ROLES_KEY = 'roles';

/** The route needs no login. Every other route requires a valid bearer token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The route is open only to accounts holding one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated user, loaded fresh from the database for this request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): User => ctx.switchToHttp().getRequest().user);
