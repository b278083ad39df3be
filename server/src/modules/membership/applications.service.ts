import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApplicationView, IdNumberMatch, maskIdNumber, maskMobile, MembershipErrorCode as C, Page } from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { PersonalDataCipher } from '../../common/crypto.service';
import { isDuplicateKey } from '../../common/db-errors';
import { DomainError } from '../../common/domain-error';
import { pageParams, toPage } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { MESSAGE_TEXTS } from '../messages/message-texts';
import { MessagesService } from '../messages/messages.service';
import { UnionOrg } from '../orgs/org.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { ApplicationListQueryDto, CreateApplicationDto } from './dto/membership.dto';
import { MembershipApplication } from './entities/application.entity';
import { JoinCodesService } from './join-codes.service';
import { ID_NUMBER_UNAVAILABLE_MESSAGE, MembershipErrors as E } from './membership.errors';
import { MembershipRepository } from './membership.repository';

const AUDITED_FIELDS = ['name', 'idNumber', 'mobile', 'occupation', 'platform', 'workCity'];

/**
 * Membership applications (入会申请) and transfers (转会), and their review.
 * One pending application and one active membership per ID number, enforced by unique
 * indexes (`pendingKey`, `members.idNumberHash`) so concurrent submissions cannot slip past.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly repo: MembershipRepository,
    private readonly joinCodes: JoinCodesService,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditService,
    private readonly messages: MessagesService,
  ) {}

  /**
   * Submits an application to the org of `joinCode`; approved at once when the org auto-approves.
   * The caller's own account is answered plainly (409 ALREADY_MEMBER / ALREADY_PENDING naming the caller's own org).
   * An ID number held by another account — a member here or elsewhere, or another account's pending application —
   * gets one neutral answer, 409 ID_NUMBER_UNAVAILABLE naming no union (no oracle), and the refused attempt is kept
   * as a rejected application of the receiving org so its staff see it with the match (`idNumberMatch`).
   * @throws 404/410 for bad join codes; 409 ALREADY_MEMBER, ALREADY_PENDING (own account); 409 ID_NUMBER_UNAVAILABLE.
   */
  async apply(user: User, dto: CreateApplicationDto): Promise<ApplicationView> {
    const { joinCode, org } = await this.joinCodes.resolveActive(dto.joinCode);
    const idNumberHash = this.cipher.lookupHash('id', dto.idNumber);
    const fields: Partial<MembershipApplication> = {
      kind: 'join', userId: user.id, orgId: org.id, fromOrgId: null, joinCodeId: joinCode.id,
      name: dto.name, idNumberEnc: this.cipher.encrypt(dto.idNumber), idNumberHash, idNumberMasked: maskIdNumber(dto.idNumber),
      mobileEnc: this.cipher.encrypt(dto.mobile), mobileMasked: maskMobile(dto.mobile), occupation: dto.occupation,
      platform: dto.platform ?? null, workCity: dto.workCity ?? null, consentAt: new Date(),
      reviewedById: null, memberId: null,
    };
    await this.assertAccountFree(user);
    if (await this.idNumberTaken(idNumberHash)) return this.refuseTaken(fields);
    let app: MembershipApplication;
    try {
      app = await this.repo.transaction(async (em) => {
        const created = await this.repo.insertApplication(em, { ...fields, status: 'pending', pendingKey: idNumberHash, rejectReason: null, reviewedAt: null, createdAt: new Date() });
        if (org.autoApprove) await this.approveIn(em, created, null);
        return created;
      });
    } catch (e) {
      // a concurrent twin won (pendingKey unique index) or the number became a member meanwhile (auto-approval)
      if (!isDuplicateKey(e) && !(e instanceof DomainError && e.code === C.ALREADY_MEMBER)) throw e;
      await this.assertAccountFree(user);
      return this.refuseTaken(fields);
    }
    return this.view((await this.repo.findApplication(app.id))!);
  }

  /**
   * A member asks to move to the org of `joinCode` (转会); staff of the receiving org approve.
   * @throws 404 NOT_MEMBER; 409 SAME_ORG; 409 ALREADY_PENDING.
   */
  async requestTransfer(user: User, code: string): Promise<ApplicationView> {
    const { joinCode, org } = await this.joinCodes.resolveActive(code);
    const member = await this.repo.findMemberByUser(user.id);
    if (!member) throw E.notMember();
    if (member.orgId === org.id) throw E.sameOrg();
    const pending = await this.repo.findPendingByIdHash(member.idNumberHash);
    if (pending && pending.userId !== user.id) throw E.idNumberUnavailable();
    if (pending) throw E.alreadyPending(await this.orgName(pending.orgId));
    const app = await this.repo.transaction(async (em) => {
      const created = await this.insertOrConflict(em, {
      kind: 'transfer', status: 'pending', userId: user.id, orgId: org.id, fromOrgId: member.orgId, joinCodeId: joinCode.id,
      name: member.name, idNumberEnc: member.idNumberEnc, idNumberHash: member.idNumberHash, idNumberMasked: member.idNumberMasked,
      mobileEnc: member.mobileEnc, mobileMasked: member.mobileMasked, occupation: member.occupation, platform: member.platform,
      workCity: member.workCity, pendingKey: member.idNumberHash, consentAt: new Date(), rejectReason: null,
      reviewedById: null, reviewedAt: null, memberId: member.id, createdAt: new Date(),
      });
      if (org.autoApprove) await this.approveIn(em, created, null);
      return created;
    });
    return this.view((await this.repo.findApplication(app.id))!);
  }

  async mine(user: User, q: { page?: number; pageSize?: number }): Promise<Page<ApplicationView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listMyApplications(user.id, skip, take);
    return toPage(await this.views(rows), total, q);
  }

  /** Staff list, scoped to their subtree; every listed record is audited as read. */
  async list(user: User, q: ApplicationListQueryDto): Promise<Page<ApplicationView>> {
    const scopePath = await this.orgs.scopePath(user);
    const orgId = q.orgCode ? (await this.orgs.getInScope(user, q.orgCode)).id : undefined;
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listApplications({ scopePath, orgId, status: q.status, occupation: q.occupation, skip, take });
    await this.audit.record(user.id, 'read', 'membership_application', rows.map((r) => r.id), AUDITED_FIELDS);
    return toPage(await this.staffViews(user, rows), total, q);
  }

  /** One application for staff of its subtree (audited). @throws 404 APPLICATION_NOT_FOUND outside the scope. */
  async get(user: User, id: number): Promise<ApplicationView> {
    const app = await this.inScope(user, id);
    await this.audit.record(user.id, 'read', 'membership_application', [app.id], AUDITED_FIELDS);
    return (await this.staffViews(user, [app]))[0];
  }

  /**
   * Approves: a join creates the member (unique member number, join date); a transfer moves the
   * member keeping the number. One transaction. @throws 409 NOT_PENDING, 409 ALREADY_MEMBER.
   */
  async approve(user: User, id: number): Promise<ApplicationView> {
    const app = await this.inScope(user, id);
    await this.repo.transaction((em) => this.approveIn(em, app, user.id));
    return this.view((await this.repo.findApplication(id))!);
  }

  /** @throws 409 NOT_PENDING. */
  async reject(user: User, id: number, reason: string): Promise<ApplicationView> {
    await this.inScope(user, id);
    const ok = await this.repo.transaction(async (em) => {
      if (!(await this.repo.closeApplication(em, id, { status: 'rejected', reviewedById: user.id, rejectReason: reason }))) return false;
      const app = (await this.repo.findApplication(id, em))!;
      await this.messages.enqueueTo(em, [app.userId], 'membership_returned', `membership_application:${id}:returned`,
        MESSAGE_TEXTS.membershipReturned({ orgName: await this.orgName(app.orgId), reason }));
      return true;
    });
    if (!ok) throw E.notPending();
    return this.view((await this.repo.findApplication(id))!);
  }

  private async approveIn(em: EntityManager, app: MembershipApplication, reviewerId: number | null): Promise<void> {
    if (!(await this.repo.closeApplication(em, app.id, { status: 'approved', reviewedById: reviewerId }))) throw E.notPending();
    const now = new Date();
    if (app.kind === 'transfer') {
      await this.repo.moveMember(em, app.memberId!, app.orgId);
      await this.repo.addHistory(em, { memberId: app.memberId!, orgId: app.orgId, event: 'transferred_in', applicationId: app.id, at: now });
      await this.messages.enqueueTo(em, [app.userId], 'membership_transferred', `membership_application:${app.id}:transferred`,
        MESSAGE_TEXTS.membershipTransferred({ orgName: await this.orgName(app.orgId) }), now);
      return;
    }
    const existing = await this.repo.findMemberByIdHash(app.idNumberHash, em) ?? await this.repo.findMemberByUser(app.userId, em);
    if (existing) throw E.alreadyMember(await this.orgName(existing.orgId));
    const mobile = this.cipher.decrypt(app.mobileEnc);
    const member = await this.repo.insertMember(em, {
      userId: app.userId, orgId: app.orgId, name: app.name, idNumberEnc: app.idNumberEnc, idNumberHash: app.idNumberHash,
      idNumberMasked: app.idNumberMasked, mobileEnc: app.mobileEnc, mobileHash: this.cipher.lookupHash('mobile', mobile),
      mobileMasked: app.mobileMasked, occupation: app.occupation, platform: app.platform, workCity: app.workCity,
      status: 'active', joinedAt: now,
    });
    await this.repo.setApplicationMember(em, app.id, member.id);
    await this.repo.addHistory(em, { memberId: member.id, orgId: app.orgId, event: 'joined', applicationId: app.id, at: now });
    await this.messages.enqueueTo(em, [app.userId], 'membership_approved', `membership_application:${app.id}:approved`,
      MESSAGE_TEXTS.membershipApproved({ orgName: await this.orgName(app.orgId), memberNo: member.memberNo! }), now);
  }

  /** The caller's own account: not a member, nothing pending (answered plainly: it is the caller's own business). */
  private async assertAccountFree(user: User): Promise<void> {
    const member = await this.repo.findMemberByUser(user.id);
    if (member) throw E.alreadyMember(await this.orgName(member.orgId));
    const pending = await this.repo.findPendingByUser(user.id);
    if (pending) throw E.alreadyPending(await this.orgName(pending.orgId));
  }

  /** Whether the ID number is a member's or has a pending application (after assertAccountFree: another account's). */
  private async idNumberTaken(idNumberHash: string): Promise<boolean> {
    return !!((await this.repo.findMemberByIdHash(idNumberHash)) ?? (await this.repo.findPendingByIdHash(idNumberHash)));
  }

  /**
   * Keeps the refused attempt as a rejected application of the receiving org (its staff see the match) and
   * refuses with the one neutral answer. The applicant's own list shows the same neutral words.
   * @throws 409 ID_NUMBER_UNAVAILABLE, always.
   */
  private async refuseTaken(fields: Partial<MembershipApplication>): Promise<never> {
    const now = new Date();
    await this.repo.transaction((em) => this.repo.insertApplication(em, {
      ...fields, status: 'rejected', pendingKey: null, rejectReason: ID_NUMBER_UNAVAILABLE_MESSAGE, reviewedAt: now, createdAt: now,
    }));
    throw E.idNumberUnavailable();
  }

  /** Inserts; a unique-index violation on `pendingKey` (a concurrent twin) becomes 409 ALREADY_PENDING (the caller's own twin) or ID_NUMBER_UNAVAILABLE. */
  private async insertOrConflict(em: EntityManager, a: Partial<MembershipApplication>): Promise<MembershipApplication> {
    try {
      return await this.repo.insertApplication(em, a);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const twin = await this.repo.findPendingByIdHash(a.idNumberHash!);
      if (twin && twin.userId !== a.userId) throw E.idNumberUnavailable();
      throw E.alreadyPending(await this.orgName(twin?.orgId ?? a.orgId!));
    }
  }

  private async inScope(user: User, id: number): Promise<MembershipApplication> {
    const app = await this.repo.findApplication(id);
    if (!app) throw E.applicationNotFound();
    const org = await this.orgsRepo.findById(app.orgId);
    if (!org || !(await this.orgs.inScope(user, org))) throw E.applicationNotFound();
    return app;
  }

  private async orgName(orgId: number): Promise<string> {
    return (await this.orgsRepo.findById(orgId))?.name ?? '其他工会';
  }

  /**
   * Views for staff, with `idNumberMatch`: the member holding the same ID number (other than the application's own
   * member) or another pending application with it. The org is named only when it lies in the reader's subtree.
   * Each match read is audited (`read_id_number_match` on the matched member / application).
   */
  private async staffViews(user: User, rows: MembershipApplication[]): Promise<ApplicationView[]> {
    const views = await this.views(rows);
    const read: Record<'member' | 'membership_application', number[]> = { member: [], membership_application: [] };
    for (const [i, r] of rows.entries()) {
      let match: { kind: IdNumberMatch['kind']; id: number; orgId: number } | null = null;
      const member = await this.repo.findMemberByIdHash(r.idNumberHash);
      if (member && member.id !== r.memberId) match = { kind: 'member', id: member.id, orgId: member.orgId };
      else {
        const pending = await this.repo.findPendingByIdHash(r.idNumberHash);
        if (pending && pending.id !== r.id) match = { kind: 'pending_application', id: pending.id, orgId: pending.orgId };
      }
      if (!match) {
        views[i].idNumberMatch = null;
        continue;
      }
      read[match.kind === 'member' ? 'member' : 'membership_application'].push(match.id);
      const org = await this.orgsRepo.findById(match.orgId);
      views[i].idNumberMatch = { kind: match.kind, org: org && (await this.orgs.inScope(user, org)) ? toOrgSummary(org) : null };
    }
    for (const [entityType, ids] of Object.entries(read)) {
      if (ids.length) await this.audit.record(user.id, 'read_id_number_match', entityType, ids, ['idNumber', 'orgId']);
    }
    return views;
  }

  private async view(a: MembershipApplication): Promise<ApplicationView> {
    return (await this.views([a]))[0];
  }

  private async views(rows: MembershipApplication[]): Promise<ApplicationView[]> {
    const orgs = await this.orgsRepo.findByIds(rows.flatMap((r) => (r.fromOrgId ? [r.orgId, r.fromOrgId] : [r.orgId])));
    const members = new Map<number, string | null>();
    for (const r of rows) if (r.memberId && r.status === 'approved') members.set(r.memberId, (await this.repo.findMemberById(r.memberId))?.memberNo ?? null);
    const summary = (id: number) => toOrgSummary(orgs.get(id) as UnionOrg);
    return rows.map((r) => ({
      id: r.id, kind: r.kind, status: r.status, name: r.name, idNumberMasked: r.idNumberMasked, mobileMasked: r.mobileMasked,
      occupation: r.occupation, platform: r.platform, workCity: r.workCity, org: summary(r.orgId),
      fromOrg: r.fromOrgId ? summary(r.fromOrgId) : null, rejectReason: r.rejectReason,
      memberNo: r.memberId ? members.get(r.memberId) ?? null : null,
      createdAt: r.createdAt.toISOString(), reviewedAt: r.reviewedAt?.toISOString() ?? null,
    }));
  }
}
