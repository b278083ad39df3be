import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthErrorCode, LoginResponse, UserView } from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { DomainError } from '../../common/domain-error';
import { OrgsRepository } from '../orgs/orgs.repository';
import { toOrgSummary } from '../orgs/orgs.service';
import { DevLoginDto } from './auth.dto';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { WechatClient } from './wechat.client';

/** What an access token states: `sub` = user id, the role and org at signing time. */
export function accessTokenClaims(user: Pick<User, 'id' | 'role' | 'orgId'>): { sub: number; role: string; orgId: number | null } {
  return { sub: user.id, role: user.role, orgId: user.orgId };
}

/** Logs users in (WeChat or dev login) and issues JWTs (`sub` = user id, 7 days). */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly orgs: OrgsRepository,
    private readonly wechat: WechatClient,
    private readonly jwt: JwtService,
  ) {}

  /** WeChat login: code2session → openid → user (created on first login). Errors: see {@link WechatClient}. */
  async wechatLogin(code: string): Promise<LoginResponse> {
    const session = await this.wechat.code2session(code);
    const user = await this.users.findOrCreate({ openid: session.openid }, { displayName: '微信用户', role: 'user', orgId: null });
    return this.issue(user);
  }

  /**
   * Dev login: the same `userKey` is always the same user; role and org follow the request.
   * @throws 403 DEV_LOGIN_DISABLED when AUTH_DEV_LOGIN is off; 400 ORG_REQUIRED; 404 ORG_NOT_FOUND.
   */
  async devLogin(dto: DevLoginDto): Promise<LoginResponse> {
    if (!this.config.devLogin) throw new DomainError(AuthErrorCode.DEV_LOGIN_DISABLED, '开发登录未开启', HttpStatus.FORBIDDEN);
    let orgId: number | null = null;
    if (dto.orgCode) {
      const org = await this.orgs.findByCode(dto.orgCode);
      if (!org) throw new DomainError('ORG_NOT_FOUND', '工会组织不存在', HttpStatus.NOT_FOUND);
      orgId = org.id;
    } else if (dto.role !== 'user' && dto.role !== 'admin') {
      throw new DomainError('ORG_REQUIRED', '该角色需要选择所属工会组织', HttpStatus.BAD_REQUEST);
    }
    const user = await this.users.findOrCreate({ devKey: dto.userKey }, { displayName: dto.userKey, role: dto.role, orgId });
    if (user.role !== dto.role || user.orgId !== orgId) {
      await this.users.update(user.id, { role: dto.role, orgId });
      Object.assign(user, { role: dto.role, orgId });
    }
    return this.issue(user);
  }

  async view(user: User): Promise<UserView> {
    const member = await this.users.memberOf(user.id);
    const org = user.orgId ? await this.orgs.findById(user.orgId) : member ? await this.orgs.findById(member.orgId) : null;
    return {
      id: user.id,
      displayName: member?.name ?? user.displayName,
      roles: member ? [user.role, 'member'] : [user.role],
      org: org ? toOrgSummary(org) : null,
      memberNo: member?.memberNo ?? null,
    };
  }

  private async issue(user: User): Promise<LoginResponse> {
    // role and orgId as claims: hot paths trust them until the account's claims change (TokenClaimsWatch)
    const accessToken = await this.jwt.signAsync(accessTokenClaims(user));
    return { accessToken, user: await this.view(user) };
  }
}
