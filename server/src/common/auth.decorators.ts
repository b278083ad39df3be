import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@union/shared';
import type { User } from '../modules/auth/user.entity';

export const PUBLIC_KEY = 'isPublic';
export const ROLES_KEY = 'roles';
export const IDENTITY_FROM_TOKEN_KEY = 'identityFromToken';

/** The route needs no login. Every other route requires a valid bearer token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The route is open only to accounts holding one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Hot path: the guard takes the caller's id, role and org from the access token's claims instead of
 * reading the user row, unless the account's role or org changed since the token was signed
 * (TokenClaimsWatch, ≤ 1 s in every process). The handler then gets only `{ id, role, orgId }`.
 */
export const IdentityFromToken = () => SetMetadata(IDENTITY_FROM_TOKEN_KEY, true);

/** The authenticated user, loaded fresh from the database for this request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): User => ctx.switchToHttp().getRequest().user);
