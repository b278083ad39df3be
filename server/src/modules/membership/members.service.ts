import { Inject, Injectable } from '@nestjs/common';
import {
  formatShanghai, maskName, MemberCardView, MemberSummary, MembershipStats, MemberView, Occupation, OCCUPATION_LABELS, Page,
} from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AuditService } from '../../common/audit.service';
import { writeCsv } from '../../common/csv';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { MemberListQueryDto } from './dto/membership.dto';
import { Member } from './entities/member.entity';
import { MembershipErrors as E } from './membership.errors';
import { MembershipRepository } from './membership.repository';

const EXPORT_LIMIT = 100_000;

/** The membership card with its rotating code, member lists, CSV export and statistics. */
@Injectable()
export class MembersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: MembershipRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly codes: SignedCodeService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The caller's card. `cardCode` is a signed token naming the member, valid CARD_CODE_TTL_SECONDS
   * (default 60 s), so a screenshot cannot be replayed later. @throws 404 NOT_MEMBER.
   */
  async card(user: User): Promise<MemberCardView> {
    const member = await this.repo.findMemberByUser(user.id);
    if (!member) throw E.notMember();
    const org = (await this.orgsRepo.findById(member.orgId))!;
    const ttl = this.config.cardCodeTtlSeconds;
    const { code, expiresAt } = this.codes.sign('card', `${member.id.toString(36)}~${this.codes.randomBody().slice(0, 8)}`, ttl);
    const history = await this.repo.history(member.id);
    const historyOrgs = await this.orgsRepo.findByIds(history.map((h) => h.orgId));
    return {
      memberNo: member.memberNo!, name: member.name, org: toOrgSummary(org), occupation: member.occupation, platform: member.platform,
      joinedAt: member.joinedAt.toISOString(), status: member.status, cardCode: code, cardCodeExpiresAt: expiresAt!.toISOString(),
      cardCodeTtlSeconds: ttl,
      history: history.map((h) => ({ org: toOrgSummary(historyOrgs.get(h.orgId)!), event: h.event, at: h.at.toISOString() })),
    };
  }

  /**
   * Checks a scanned card code (staff, station keepers, merchant clerks) → masked summary; audited.
   * @throws 404 CARD_CODE_INVALID (tampered or unknown member), 410 CARD_CODE_EXPIRED.
   */
  async verifyCard(user: User, cardCode: string): Promise<MemberSummary> {
    const { body } = this.codes.verify('card', cardCode, E.cardErrors);
    const memberId = parseInt(body.split('~')[0], 36);
    const member = Number.isFinite(memberId) ? await this.repo.findMemberById(memberId) : null;
    if (!member || member.status !== 'active') throw E.cardCodeInvalid();
    const org = (await this.orgsRepo.findById(member.orgId))!;
    await this.audit.record(user.id, 'verify', 'member', [member.id], ['name', 'memberNo']);
    return { memberNo: member.memberNo!, nameMasked: maskName(member.name), org: toOrgSummary(org), occupation: member.occupation, status: member.status };
  }

  /** Members of the caller's subtree, masked; audited. */
  async list(user: User, q: MemberListQueryDto): Promise<Page<MemberView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listMembers({ ...(await this.filter(user, q)), skip, take });
    await this.audit.record(user.id, 'read', 'member', rows.map((r) => r.id), ['name', 'idNumber', 'mobile']);
    return toPage(await this.views(rows), total, q);
  }

  /** CSV (UTF-8 with BOM for Excel) of the subtree's members, masked; audited as one export. */
  async exportCsv(user: User, q: MemberListQueryDto): Promise<string> {
    const [rows] = await this.repo.listMembers({ ...(await this.filter(user, q)), skip: 0, take: EXPORT_LIMIT });
    await this.audit.record(user.id, 'export', 'member', [null], ['name', 'idNumber', 'mobile', 'count:' + rows.length]);
    const views = await this.views(rows);
    return writeCsv(
      ['会员编号', '姓名', '身份证号', '手机号', '职业', '平台', '所属工会', '入会时间'],
      views.map((m) => [m.memberNo, m.name, m.idNumberMasked, m.mobileMasked, OCCUPATION_LABELS[m.occupation], m.platform, m.org.name, formatShanghai(m.joinedAt)]),
    );
  }

  /** Statistics of the caller's subtree. */
  async stats(user: User): Promise<MembershipStats> {
    const scope = await this.orgs.scopePath(user);
    const since = new Date(Date.now() - 30 * 86400_000);
    const [total, byOcc, byPlatform, byOrg, perDay, pending, avg] = await Promise.all([
      this.repo.countMembers(scope),
      this.repo.membersGroupedBy(scope, 'occupation'),
      this.repo.membersGroupedBy(scope, 'platform'),
      this.repo.membersGroupedBy(scope, 'orgId'),
      this.repo.applicationsPerDay(scope, since),
      this.repo.pendingCount(scope),
      this.repo.averageReviewSeconds(scope),
    ]);
    const orgs = await this.orgsRepo.findByIds(byOrg.map((r) => Number(r.key)));
    return {
      totalMembers: total,
      byOccupation: byOcc.map((r) => ({ occupation: r.key as Occupation, count: r.count })),
      byPlatform: byPlatform.map((r) => ({ platform: (r.key as string | null) ?? '未填写', count: r.count })),
      byOrg: byOrg.map((r) => ({ org: toOrgSummary(orgs.get(Number(r.key))!), count: r.count })),
      applicationsPerDay: perDay,
      pendingApplications: pending,
      averageApprovalSeconds: avg,
    };
  }

  private async filter(user: User, q: MemberListQueryDto) {
    const scopePath = await this.orgs.scopePath(user);
    const orgId = q.orgCode ? (await this.orgs.getInScope(user, q.orgCode)).id : undefined;
    return { scopePath, orgId, occupation: q.occupation };
  }

  private async views(rows: Member[]): Promise<MemberView[]> {
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    return rows.map((m) => ({
      id: m.id, memberNo: m.memberNo!, name: m.name, idNumberMasked: m.idNumberMasked, mobileMasked: m.mobileMasked,
      occupation: m.occupation, platform: m.platform, org: toOrgSummary(orgs.get(m.orgId)!), joinedAt: m.joinedAt.toISOString(),
    }));
  }
}
