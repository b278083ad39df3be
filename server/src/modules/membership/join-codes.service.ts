import { Inject, Injectable } from '@nestjs/common';
import * as QRCode from 'qrcode';
import { JoinCodeLookup, JoinCodeView, Page } from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { UnionOrg } from '../orgs/org.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService } from '../orgs/orgs.service';
import { CreateJoinCodeDto } from './dto/membership.dto';
import { JoinCode } from './entities/join-code.entity';
import { MembershipErrors as E } from './membership.errors';
import { MembershipRepository } from './membership.repository';

/**
 * Join codes (扫码入会): signed, unguessable codes naming a grassroots org. Their QR content
 * is the H5 join page URL `/#/pages/join/index?code=…`, which the weapp also reads with scanCode.
 */
@Injectable()
export class JoinCodesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: MembershipRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly codes: SignedCodeService,
  ) {}

  /** @throws 404 ORG_NOT_FOUND outside the caller's subtree; 400 ORG_NOT_GRASSROOTS; 400 when `expiresAt` is past. */
  async create(user: User, dto: CreateJoinCodeDto): Promise<JoinCodeView> {
    const org = await this.orgs.getInScope(user, dto.orgCode);
    if (org.level !== 'grassroots') throw E.orgNotGrassroots();
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw E.expiresInPast();
    const body = this.codes.randomBody();
    const jc = await this.repo.saveJoinCode({
      body, code: this.codes.sign('join', body).code, orgId: org.id, label: dto.label ?? null,
      expiresAt, revokedAt: null, createdById: user.id, createdAt: new Date(),
    });
    return this.view(jc, org);
  }

  async list(user: User, q: { page?: number; pageSize?: number }): Promise<Page<JoinCodeView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listJoinCodes(await this.orgs.scopePath(user), skip, take);
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    return toPage(rows.map((r) => this.view(r, orgs.get(r.orgId)!)), total, q);
  }

  /**
   * Resolves a code that must still accept applications.
   * @throws 404 JOIN_CODE_NOT_FOUND (unknown or tampered), 410 JOIN_CODE_REVOKED, 410 JOIN_CODE_EXPIRED.
   */
  async resolveActive(code: string): Promise<{ joinCode: JoinCode; org: UnionOrg }> {
    const found = await this.resolve(code);
    if (found.joinCode.revokedAt) throw E.joinCodeRevoked();
    if (found.joinCode.expiresAt && found.joinCode.expiresAt.getTime() <= Date.now()) throw E.joinCodeExpired();
    return found;
  }

  /** Public look-up: the org's name. Errors as {@link resolveActive}. */
  async lookup(code: string): Promise<JoinCodeLookup> {
    const { org } = await this.resolveActive(code);
    return { orgName: org.name, orgCode: org.code, acceptsApplications: true };
  }

  /** The code's QR as a PNG (512 px) whose content is the join page URL. Staff of the subtree only. */
  async qrPng(user: User, code: string): Promise<Buffer> {
    const { joinCode } = await this.resolveInScope(user, code);
    return QRCode.toBuffer(this.url(joinCode.code), { type: 'png', width: 512, margin: 2, errorCorrectionLevel: 'M' });
  }

  /** Stops a code at once. Idempotent. */
  async revoke(user: User, code: string): Promise<JoinCodeView> {
    const { joinCode, org } = await this.resolveInScope(user, code);
    if (!joinCode.revokedAt) {
      joinCode.revokedAt = new Date();
      await this.repo.revokeJoinCode(joinCode.id, joinCode.revokedAt);
    }
    return this.view(joinCode, org);
  }

  private async resolve(code: string): Promise<{ joinCode: JoinCode; org: UnionOrg }> {
    const { body } = this.codes.verify('join', code, E.joinErrors);
    const joinCode = await this.repo.findJoinCodeByBody(body);
    if (!joinCode) throw E.joinCodeNotFound();
    const org = await this.orgsRepo.findById(joinCode.orgId);
    if (!org) throw E.joinCodeNotFound();
    return { joinCode, org };
  }

  private async resolveInScope(user: User, code: string) {
    const found = await this.resolve(code);
    if (!(await this.orgs.inScope(user, found.org))) throw E.joinCodeNotFound();
    return found;
  }

  private url(code: string): string {
    return `${this.config.publicBaseUrl}/#/pages/join/index?code=${encodeURIComponent(code)}`;
  }

  private view(jc: JoinCode, org: UnionOrg): JoinCodeView {
    return {
      code: jc.code, url: this.url(jc.code), orgName: org.name, orgCode: org.code, label: jc.label,
      expiresAt: jc.expiresAt?.toISOString() ?? null, revoked: !!jc.revokedAt, createdAt: jc.createdAt.toISOString(),
    };
  }
}
