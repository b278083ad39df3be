import { HttpStatus, Injectable } from '@nestjs/common';
import { ORG_LEVELS, OrgSummary, OrgView, Page } from '@union/shared';
import { conflict, DomainError, forbidden, notFound } from '../../common/domain-error';
import { pageParams, toPage } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { UnionOrg } from './org.entity';
import { CreateOrgDto, OrgListQueryDto, UpdateOrgDto } from './orgs.dto';
import { OrgsRepository } from './orgs.repository';

export const toOrgSummary = (o: UnionOrg): OrgSummary => ({ code: o.code, name: o.name, level: o.level });
export const toOrgView = (o: UnionOrg, parentCode: string | null): OrgView => ({
  ...toOrgSummary(o), parentCode, city: o.city, lat: o.lat, lng: o.lng, autoApprove: o.autoApprove,
});

/**
 * The union tree and the scope rule every module relies on:
 * staff act on their org's whole subtree and nothing outside it; admins act everywhere.
 */
@Injectable()
export class OrgsService {
  constructor(private readonly orgs: OrgsRepository) {}

  /** The path prefix of the caller's scope; null for admins (everything). @throws 403 for other roles. */
  async scopePath(user: User): Promise<string | null> {
    if (user.role === 'admin') return null;
    if (!user.orgId) throw forbidden('账号未归属任何工会组织');
    const org = await this.orgs.findById(user.orgId);
    if (!org) throw forbidden('账号所属组织不存在');
    return org.path;
  }

  /** Whether `org` lies in the caller's subtree. */
  async inScope(user: User, org: UnionOrg): Promise<boolean> {
    const scope = await this.scopePath(user);
    return scope === null || org.path.startsWith(scope);
  }

  /**
   * The org with `code` if it lies in the caller's scope.
   * @throws 404 ORG_NOT_FOUND when it does not exist or is outside the scope (no existence leak).
   */
  async getInScope(user: User, code: string): Promise<UnionOrg> {
    const org = await this.orgs.findByCode(code);
    if (!org || !(await this.inScope(user, org))) throw notFound('工会组织', 'ORG_NOT_FOUND');
    return org;
  }

  async getByCode(code: string): Promise<UnionOrg> {
    const org = await this.orgs.findByCode(code);
    if (!org) throw notFound('工会组织', 'ORG_NOT_FOUND');
    return org;
  }

  async list(user: User, q: OrgListQueryDto): Promise<Page<OrgView>> {
    const scope = await this.scopePath(user);
    let parentId: number | undefined;
    if (q.parentCode) parentId = (await this.getInScope(user, q.parentCode)).id;
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.orgs.list({ subtreePath: scope, level: q.level, parentId, q: q.q, skip, take });
    const parents = await this.orgs.findByIds(rows.map((r) => r.parentId).filter((x): x is number => x !== null));
    return toPage(rows.map((o) => toOrgView(o, o.parentId ? parents.get(o.parentId)?.code ?? null : null)), total, q);
  }

  /** Creates an org under `parentCode` (admin). @throws 409 ORG_CODE_TAKEN, 400 ORG_LEVEL_INVALID. */
  async create(dto: CreateOrgDto): Promise<OrgView> {
    if (await this.orgs.findByCode(dto.code)) throw conflict('ORG_CODE_TAKEN', '组织代码已存在');
    const parent = dto.parentCode ? await this.getByCode(dto.parentCode) : null;
    const levelIndex = ORG_LEVELS.indexOf(dto.level);
    if (parent ? ORG_LEVELS.indexOf(parent.level) >= levelIndex : levelIndex !== 0) {
      throw new DomainError('ORG_LEVEL_INVALID', '组织层级必须低于上级组织', HttpStatus.BAD_REQUEST);
    }
    const org = await this.orgs.save({
      code: dto.code, name: dto.name, level: dto.level, parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${dto.code}/`, city: dto.city ?? null, lat: dto.lat ?? null, lng: dto.lng ?? null,
      autoApprove: false, createdAt: new Date(),
    });
    return toOrgView(org, parent?.code ?? null);
  }

  /** Renames (admin) or switches auto-approval (admin or staff of the subtree). */
  async update(user: User, code: string, dto: UpdateOrgDto): Promise<OrgView> {
    const org = await this.getInScope(user, code);
    if (dto.name !== undefined && user.role !== 'admin') throw forbidden('只有管理员可以修改组织名称');
    await this.orgs.update(org.id, { ...(dto.name !== undefined && { name: dto.name }), ...(dto.autoApprove !== undefined && { autoApprove: dto.autoApprove }) });
    const updated = (await this.orgs.findById(org.id))!;
    const parent = updated.parentId ? await this.orgs.findById(updated.parentId) : null;
    return toOrgView(updated, parent?.code ?? null);
  }
}
