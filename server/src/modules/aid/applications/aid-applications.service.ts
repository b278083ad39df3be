import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AID_APPLICATION_OPEN_STATUSES, AID_HELP_KIND_LABELS, AidApplicationEventType, AidApplicationListItem, AidApplicationOrgOption,
  AidApplicationStaffView, AidApplicationStatus, AidApplicationView, AidDocumentView, AidHelpKind, AidNoticeView, AidTodoCounts, ageHours,
  CreateHouseholdRequest, HardshipCause, isAcceptOverdue, maskIdNumber, maskMobile, maskName, NeedTag, ONE_OFF_AID_TYPES, Page,
  perCapitaIncomeFen, shanghaiPeriod, UNION_HOTLINE, validateHouseholdMembers, ACCEPT_WITHIN_HOURS,
} from '@union/shared';
import { AuditService } from '../../../common/audit.service';
import { PersonalDataCipher } from '../../../common/crypto.service';
import { assertFourEyes } from '../../../common/four-eyes';
import { pageParams, toPage } from '../../../common/paging.dto';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import type { User } from '../../auth/user.entity';
import { MembershipRepository } from '../../membership/membership.repository';
import { UnionOrg } from '../../orgs/org.entity';
import { OrgsRepository } from '../../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../../orgs/orgs.service';
import { AidErrors } from '../aid.errors';
import { AidRepository } from '../aid.repository';
import { HouseholdsService } from '../households.service';
import { PayoutsService } from '../payouts.service';
import { AidApplicationErrors as E } from './aid-applications.errors';
import { AidApplicationsRepository } from './aid-applications.repository';
import { Clock } from './clock';
import {
  AidApplicationListQueryDto, AidDecisionDto, AidNoticeQueryDto, AidOrgQueryDto, CreateAidApplicationDto, RecordAidVisitDto, ScheduleAidVisitDto,
} from './dto/aid-applications.dto';
import { AidApplication, AidApplicationDocument, AidApplicationEvent } from './entities/aid-application.entity';

/** Fields of an application a staff read touches (named in the audit trail). */
export const APPLICATION_READ_FIELDS = ['name', 'idNumber', 'mobile', 'employer', 'address', 'household', 'income', 'causes', 'account', 'documents'];
const ELIGIBLE_LEVELS = ['city', 'district', 'grassroots'];
const STAFF_ROLES = ['union_staff', 'admin'];

const isDuplicate = (e: any) => {
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || String(code).startsWith('SQLITE_CONSTRAINT');
};
const tagList = (tags: readonly string[] | undefined) => `|${(tags ?? []).join('|')}${tags?.length ? '|' : ''}`;
const tagsOf = <T extends string>(stored: string | null): T[] => (stored ?? '').split('|').filter(Boolean) as T[];

/**
 * Online aid applications: submission by the worker, the staff to-do (accept, ask for more information,
 * home visit, decision), four-eyes confirmation that creates or updates the household file and the
 * one-off payout through the aid module's own services, and the public notice.
 * Every state change is one conditional UPDATE (`… WHERE status IN (…)`), so two staff members cannot
 * both accept an application and a decision cannot be confirmed twice.
 */
@Injectable()
export class AidApplicationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AidApplicationsRepository,
    private readonly aidRepo: AidRepository,
    private readonly households: HouseholdsService,
    private readonly payouts: PayoutsService,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly membership: MembershipRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------- the applicant

  /**
   * Submits an application to the chosen org. If the ID number already has an open household file,
   * the application is linked to it and goes to the file's org.
   * @throws 404 ORG_NOT_FOUND; 400 ORG_NOT_ELIGIBLE / VALIDATION_FAILED; 409 APPLICATION_OPEN_EXISTS.
   */
  async create(user: User, dto: CreateAidApplicationDto): Promise<AidApplicationView> {
    let org = await this.orgs.getByCode(dto.orgCode);
    if (!ELIGIBLE_LEVELS.includes(org.level)) throw E.orgNotEligible();
    const members = validateHouseholdMembers(dto.householdSize, dto.illMembers, dto.disabledMembers);
    if (members) throw E.invalid(dto.illMembers > dto.householdSize ? 'illMembers' : 'disabledMembers', members);
    const idNumberHash = this.cipher.lookupHash('id', dto.idNumber);
    const open = await this.repo.findOpenByIdHash(idNumberHash);
    if (open) throw E.openExists(await this.orgName(open.orgId));
    const household = await this.aidRepo.findOpenByIdHash(idNumberHash);
    if (household) org = (await this.orgsRepo.findById(household.orgId)) ?? org;
    const now = this.clock.now();
    try {
      const app = await this.repo.transaction(async (em) => {
        const a = await this.repo.insertApplication(em, {
          status: 'submitted', userId: user.id, orgId: org.id, householdId: household?.id ?? null, linkedToHousehold: !!household,
          applicantName: dto.name, idNumberEnc: this.cipher.encrypt(dto.idNumber), idNumberHash, idNumberMasked: maskIdNumber(dto.idNumber),
          openKey: idNumberHash, mobileEnc: this.cipher.encrypt(dto.mobile), mobileHash: this.cipher.lookupHash('mobile', dto.mobile),
          mobileMasked: maskMobile(dto.mobile), employer: dto.employer, province: dto.province, city: dto.city, district: dto.district,
          street: dto.street, addressDetail: dto.addressDetail || null, employmentStatus: dto.employmentStatus, householdSize: dto.householdSize,
          monthlyIncomeFen: dto.monthlyIncomeFen, illMembers: dto.illMembers, disabledMembers: dto.disabledMembers, causes: tagList(dto.causes),
          helpKinds: tagList(dto.helpKinds), needs: tagList(dto.needs), account: dto.account, consentAt: now, createdAt: now, updatedAt: now,
          handlerId: null, acceptedAt: null, question: null,
        });
        await this.event(em, a.id, 'submitted', user.id, 'applicant', null, now);
        return a;
      });
      return (await this.applicantViews([app]))[0];
    } catch (e) {
      if (isDuplicate(e)) throw E.openExists(org.name);
      throw e;
    }
  }

  /** 我的申请: the caller's applications, newest first, each with its timeline. */
  async mine(user: User, q: { page?: number; pageSize?: number }): Promise<Page<AidApplicationView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listMine(user.id, skip, take);
    return toPage(await this.applicantViews(rows), total, q);
  }

  /**
   * One application: staff of the org's subtree get the full view (audited); the applicant their own
   * view. @throws 404 APPLICATION_NOT_FOUND to anyone else (no existence leak).
   */
  async get(user: User, id: number): Promise<AidApplicationView | AidApplicationStaffView> {
    const { app, asStaff } = await this.readable(user, id);
    if (!asStaff) return (await this.applicantViews([app]))[0];
    await this.audit.record(user.id, 'read', 'aid_application', [app.id], APPLICATION_READ_FIELDS);
    return this.staffView(app, user);
  }

  /** The applicant answers a request for more information; the application returns to the handler. */
  async answer(user: User, id: number, answer: string): Promise<AidApplicationView> {
    const app = await this.repo.findApplication(id);
    if (!app || app.userId !== user.id) throw E.notFound();
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.transition(em, id, ['info_requested'], { status: 'accepted', question: null, updatedAt: now }))) throw E.state('补充说明');
      await this.event(em, id, 'info_answered', user.id, 'applicant', answer, now);
    });
    return (await this.applicantViews([(await this.repo.findApplication(id))!]))[0];
  }

  // ---------------------------------------------------------------- the staff to-do

  /** The to-do list of the caller's subtree (default: open applications), oldest first; each listed application is audited as read. */
  async list(user: User, q: AidApplicationListQueryDto): Promise<Page<AidApplicationListItem>> {
    const scopePath = await this.orgs.scopePath(user);
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listForStaff({
      scopePath, statuses: q.status ? [q.status] : q.overdue ? undefined : AID_APPLICATION_OPEN_STATUSES,
      submittedBefore: q.overdue ? this.overdueBefore() : undefined, handlerId: q.mine ? user.id : undefined,
    }, skip, take);
    await this.audit.record(user.id, 'read', 'aid_application', rows.map((r) => r.id), ['name', 'idNumber']);
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    const now = this.clock.now();
    return toPage(rows.map((a) => ({
      id: a.id, status: a.status, name: a.applicantName, idNumberMasked: a.idNumberMasked, org: toOrgSummary(orgs.get(a.orgId)!),
      causes: tagsOf<HardshipCause>(a.causes), helpKinds: tagsOf<AidHelpKind>(a.helpKinds), submittedAt: a.createdAt.toISOString(),
      ageHours: ageHours(a.createdAt, now), overdue: isAcceptOverdue(a.status, a.createdAt, now), handlerId: a.handlerId,
      mine: a.handlerId === user.id, linkedToHousehold: a.linkedToHousehold,
    })), total, q);
  }

  /** Counts for 工作台: waiting, overdue, handled by me, waiting for my confirmation. No personal data. */
  async todoCounts(user: User): Promise<AidTodoCounts> {
    const scopePath = await this.orgs.scopePath(user);
    const [submitted, overdue, mine, toConfirm] = await Promise.all([
      this.repo.countForStaff({ scopePath, statuses: ['submitted'] }),
      this.repo.countForStaff({ scopePath, submittedBefore: this.overdueBefore() }),
      this.repo.countForStaff({ scopePath, statuses: AID_APPLICATION_OPEN_STATUSES, handlerId: user.id }),
      this.repo.countForStaff({ scopePath, statuses: ['proposed'] }, (qb) => qb.andWhere('a.proposedById <> :me', { me: user.id })),
    ]);
    return { submitted, overdue, mine, toConfirm };
  }

  /**
   * A staff member takes the application and becomes its handler. One conditional UPDATE: of two staff
   * accepting at once, one wins and the other gets 409 APPLICATION_TAKEN.
   */
  async accept(user: User, id: number): Promise<AidApplicationStaffView> {
    await this.inScope(user, id);
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['submitted'], { status: 'accepted', handlerId: user.id, acceptedAt: now, updatedAt: now }, { handlerIsNull: true });
      if (!ok) {
        const current = await this.repo.findApplication(id, em);
        throw current?.handlerId && current.handlerId !== user.id ? E.taken() : E.state('受理');
      }
      await this.event(em, id, 'accepted', user.id, 'staff', null, now);
      await this.audit.record(user.id, 'accept', 'aid_application', [id], ['status', 'handler'], em);
    });
    return this.reread(user, id);
  }

  /** The handler asks the applicant for more information (the question appears in the applicant's thread). */
  async requestInfo(user: User, id: number, question: string): Promise<AidApplicationStaffView> {
    await this.asHandler(user, id);
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['accepted', 'visiting'], { status: 'info_requested', question, updatedAt: now }, { handlerId: user.id });
      if (!ok) throw E.state('要求补充材料');
      await this.event(em, id, 'info_requested', user.id, 'staff', question, now);
      await this.audit.record(user.id, 'request_info', 'aid_application', [id], ['question'], em);
    });
    return this.reread(user, id);
  }

  /** The handler schedules the home visit (入户核实); the applicant sees the date. */
  async scheduleVisit(user: User, id: number, dto: ScheduleAidVisitDto): Promise<AidApplicationStaffView> {
    await this.asHandler(user, id);
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['accepted', 'visiting'], {
        status: 'visiting', visitScheduledDate: dto.date, visitScheduleNote: dto.note || null, updatedAt: now,
      }, { handlerId: user.id });
      if (!ok) throw E.state('安排入户核实');
      await this.event(em, id, 'visit_scheduled', user.id, 'staff', `入户核实日期：${dto.date}`, now);
      await this.audit.record(user.id, 'schedule_visit', 'aid_application', [id], ['visit'], em);
    });
    return this.reread(user, id);
  }

  /** The handler records the home visit as verified (findings stay with staff; photos are `visit` documents). */
  async recordVisit(user: User, id: number, dto: RecordAidVisitDto): Promise<AidApplicationStaffView> {
    await this.asHandler(user, id);
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['accepted', 'visiting'], {
        status: 'visiting', visitDate: dto.visitDate, visitors: dto.visitors, visitFindings: dto.findings,
        verifiedHouseholdSize: dto.verifiedHouseholdSize, verifiedMonthlyIncomeFen: dto.verifiedMonthlyIncomeFen, visitRecordedAt: now, updatedAt: now,
      }, { handlerId: user.id });
      if (!ok) throw E.state('记录入户核实');
      await this.event(em, id, 'visit_recorded', user.id, 'staff', null, now);
      await this.audit.record(user.id, 'record_visit', 'aid_application', [id], ['visit', 'income', 'household'], em);
    });
    return this.reread(user, id);
  }

  /**
   * The handler's decision after the visit. Reject closes the application with the reason. Approve is a
   * proposal (level, causes, verified income, optional one-off payout) that a second staff member confirms.
   * @throws 409 VISIT_REQUIRED; 400 VALIDATION_FAILED for a missing reason / level or a monthly aid type.
   */
  async decide(user: User, id: number, dto: AidDecisionDto): Promise<AidApplicationStaffView> {
    const app = await this.asHandler(user, id);
    if (!app.visitRecordedAt) throw E.visitRequired();
    const now = this.clock.now();
    if (dto.decision === 'reject') {
      if (!dto.reason) throw E.invalid('reason', '请填写不予批准的原因');
      await this.repo.transaction(async (em) => {
        const ok = await this.repo.transition(em, id, ['accepted', 'visiting', 'proposed'], {
          status: 'rejected', openKey: null, decision: 'reject', rejectReason: dto.reason, proposedById: user.id, proposedAt: now, decidedAt: now, updatedAt: now,
        }, { handlerId: user.id });
        if (!ok) throw E.state('作出决定');
        await this.event(em, id, 'rejected', user.id, 'staff', dto.reason!, now);
        await this.audit.record(user.id, 'reject', 'aid_application', [id], ['decision'], em);
      });
      return this.reread(user, id);
    }
    if (!dto.level) throw E.invalid('level', '请选择困难类别');
    if (dto.payout && !ONE_OFF_AID_TYPES.includes(dto.payout.aidType)) throw E.invalid('payout.aidType', '一次性救助类型应为医疗救助、助学或送温暖');
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['accepted', 'visiting', 'proposed'], {
        status: 'proposed', decision: 'approve', decisionLevel: dto.level, decisionCauses: tagList(dto.causes ?? tagsOf(app.causes)),
        decisionIncomeFen: dto.monthlyIncomeFen ?? app.verifiedMonthlyIncomeFen ?? app.monthlyIncomeFen,
        payoutAidType: dto.payout?.aidType ?? null, payoutAmountFen: dto.payout?.amountFen ?? null, rejectReason: null,
        proposedById: user.id, proposedAt: now, updatedAt: now,
      }, { handlerId: user.id });
      if (!ok) throw E.state('提出审批意见');
      await this.event(em, id, 'decision_proposed', user.id, 'staff', null, now);
      await this.audit.record(user.id, 'propose_approval', 'aid_application', [id], ['decision'], em);
    });
    return this.reread(user, id);
  }

  /**
   * A second staff member confirms the proposed approval (four-eyes). In one transaction: the application
   * is approved and put on notice, and the household file is created (registered by the handler) or the
   * linked open file updated. Then the new file is activated by the confirmer (the aid module's own
   * four-eyes) and the one-off payout is created by the handler as a one-household batch awaiting approval.
   * @throws 403 FOUR_EYES_REQUIRED for the proposer, the handler or the applicant (common/four-eyes.ts); 409 APPLICATION_STATE; 409 PAYOUT_EXISTS / HOUSEHOLD_NOT_ACTIVE up front.
   */
  async confirm(user: User, id: number): Promise<AidApplicationStaffView> {
    const app = await this.inScope(user, id);
    if (app.status !== 'proposed' || app.decision !== 'approve') throw E.state('复核确认');
    assertFourEyes('帮扶申请的审批意见', user.id, [app.proposedById, app.handlerId, app.userId]);
    const handler = await this.repo.findUser(app.proposedById!);
    if (!handler) throw E.state('复核确认');
    const linked = app.householdId ? await this.aidRepo.findHousehold(app.householdId) : null;
    const linkedOpen = linked && linked.status !== 'exited' ? linked : null;
    const period = shanghaiPeriod(this.clock.now());
    if (app.payoutAidType && linkedOpen) {
      if (linkedOpen.status !== 'active') throw AidErrors.notActive();
      const existing = await this.aidRepo.findPayoutFor(linkedOpen.id, app.payoutAidType, period);
      if (existing && existing.status !== 'failed') throw AidErrors.payoutExists();
    }
    const org = (await this.orgsRepo.findById(app.orgId))!;
    const now = this.clock.now();
    const householdId = await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['proposed'], {
        status: 'approved', openKey: null, confirmedById: user.id, decidedAt: now, updatedAt: now,
        noticeUntil: new Date(now.getTime() + this.config.aidNoticeDays * 86400_000),
      }, { notProposedBy: user.id });
      if (!ok) throw E.state('复核确认');
      let hid: number;
      const size = app.verifiedHouseholdSize ?? app.householdSize;
      const income = app.decisionIncomeFen ?? app.monthlyIncomeFen;
      if (linkedOpen) {
        hid = linkedOpen.id;
        await this.aidRepo.updateHousehold(em, hid, {
          householdSize: size, monthlyIncomeFen: income, perCapitaIncomeFen: perCapitaIncomeFen(income, size),
          level: app.decisionLevel!, causes: app.decisionCauses!,
        });
        await this.audit.record(user.id, 'update', 'household', [hid], ['householdSize', 'monthlyIncomeFen', 'level', 'causes', `application:${id}`], em);
      } else {
        const h = await this.households.registerIn(em, handler, this.householdRequest(app, size, income), org);
        hid = h.id;
      }
      await this.repo.linkResults(id, { householdId: hid }, em);
      await this.event(em, id, 'approved', user.id, 'staff', null, now);
      await this.audit.record(user.id, 'confirm_approval', 'aid_application', [id], ['decision', `household:${hid}`], em);
      return hid;
    });
    if (!linkedOpen) await this.households.activate(user, householdId);
    if (app.payoutAidType && app.payoutAmountFen) {
      const batch = await this.payouts.createOneOff(handler, {
        householdId, aidType: app.payoutAidType, amountFen: app.payoutAmountFen, period, note: `帮扶申请#${id}`,
      });
      await this.repo.linkResults(id, { payoutBatchId: batch.id });
    }
    return this.reread(user, id);
  }

  // ---------------------------------------------------------------- public notice and org choice

  /**
   * 公示: approved applications of the org's subtree still within their notice period, masked names only.
   * Readable by admins, staff whose org is inside the subtree or whose scope covers it, members of an org
   * in the subtree, and workers who applied to an org in it. @throws 403 NOTICE_FORBIDDEN otherwise.
   */
  async notices(user: User, q: AidNoticeQueryDto): Promise<AidNoticeView> {
    const memberOrg = await this.memberOrg(user);
    let org: UnionOrg | null = null;
    if (q.orgCode) org = await this.orgs.getByCode(q.orgCode);
    else if (user.orgId) org = await this.orgsRepo.findById(user.orgId);
    else if (memberOrg) org = memberOrg;
    else {
      const latest = await this.repo.latestOfUser(user.id);
      if (latest) org = await this.orgsRepo.findById(latest.orgId);
    }
    if (!org) throw E.noticeForbidden();
    if (!(await this.mayReadNotice(user, org, memberOrg))) throw E.noticeForbidden();
    const { skip, take, page, pageSize } = pageParams(q);
    const [rows, total] = await this.repo.listNotices(org.path, this.clock.now(), skip, take);
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    return {
      org: toOrgSummary(org), days: this.config.aidNoticeDays, supervisionPhone: UNION_HOTLINE, total, page, pageSize,
      items: rows.map((a) => ({
        id: a.id, nameMasked: maskName(a.applicantName), orgName: orgs.get(a.orgId)?.name ?? '', causes: tagsOf<HardshipCause>(a.decisionCauses ?? a.causes),
        level: a.decisionLevel!, aidType: a.payoutAidType, approvedAt: a.decidedAt!.toISOString(), until: a.noticeUntil!.toISOString(),
      })),
    };
  }

  /** Orgs an application can go to (city, district and grassroots unions), searchable by name or city. */
  async applicationOrgs(q: AidOrgQueryDto): Promise<Page<AidApplicationOrgOption>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listApplicationOrgs(q.q, skip, take);
    const parents = await this.orgsRepo.findByIds(rows.map((r) => r.parentId).filter((x): x is number => x !== null));
    return toPage(rows.map((o) => ({ ...toOrgSummary(o), city: o.city, parentName: o.parentId ? parents.get(o.parentId)?.name ?? null : null })), total, q);
  }

  // ---------------------------------------------------------------- access rules shared with the documents service

  /**
   * Who may read an application: staff (or admin) whose scope covers its org → staff view; else its
   * applicant → applicant view. @throws 404 APPLICATION_NOT_FOUND to anyone else.
   */
  async readable(user: User, id: number): Promise<{ app: AidApplication; asStaff: boolean }> {
    const app = await this.repo.findApplication(id);
    if (!app) throw E.notFound();
    if (STAFF_ROLES.includes(user.role)) {
      const org = await this.orgsRepo.findById(app.orgId);
      if (org && (await this.orgs.inScope(user, org))) return { app, asStaff: true };
    }
    if (app.userId === user.id) return { app, asStaff: false };
    throw E.notFound();
  }

  /** The application if its org lies in the staff member's subtree. @throws 404 otherwise. */
  async inScope(user: User, id: number): Promise<AidApplication> {
    const app = await this.repo.findApplication(id);
    if (!app) throw E.notFound();
    const org = await this.orgsRepo.findById(app.orgId);
    if (!org || !(await this.orgs.inScope(user, org))) throw E.notFound();
    return app;
  }

  /** The application if the caller (in scope) is its handler. @throws 404 / 403 NOT_HANDLER. */
  async asHandler(user: User, id: number): Promise<AidApplication> {
    const app = await this.inScope(user, id);
    if (app.handlerId !== user.id) throw app.handlerId === null && app.status === 'submitted' ? E.state('办理（请先受理）') : E.notHandler();
    return app;
  }

  async event(em: EntityManager, applicationId: number, type: AidApplicationEventType, actorId: number, actorRole: 'applicant' | 'staff', note: string | null, at: Date): Promise<void> {
    await this.repo.insertEvent(em, { applicationId, type, actorId, actorRole, note, at });
  }

  // ---------------------------------------------------------------- views

  documentView(d: AidApplicationDocument): AidDocumentView {
    return {
      id: d.id, kind: d.kind, name: d.originalName, contentType: d.contentType, bytes: d.bytes, uploadedAt: d.createdAt.toISOString(),
      url: `/api/aid/applications/${d.applicationId}/documents/${d.id}`,
    };
  }

  private async applicantViews(rows: AidApplication[]): Promise<AidApplicationView[]> {
    const ids = rows.map((r) => r.id);
    const [orgs, events, docs] = await Promise.all([this.orgsRepo.findByIds(rows.map((r) => r.orgId)), this.repo.eventsOf(ids), this.repo.documentsOf(ids)]);
    return rows.map((a) => this.baseView(a, orgs.get(a.orgId)!, events.get(a.id) ?? [], (docs.get(a.id) ?? []).filter((d) => d.kind === 'applicant')));
  }

  private baseView(a: AidApplication, org: UnionOrg, events: AidApplicationEvent[], docs: AidApplicationDocument[]): AidApplicationView {
    const approved = a.status === 'approved';
    return {
      id: a.id, status: a.status, org: toOrgSummary(org), name: a.applicantName, idNumberMasked: a.idNumberMasked, mobileMasked: a.mobileMasked,
      employer: a.employer, province: a.province, city: a.city, district: a.district, street: a.street, addressDetail: a.addressDetail,
      employmentStatus: a.employmentStatus, householdSize: a.householdSize, monthlyIncomeFen: a.monthlyIncomeFen, illMembers: a.illMembers,
      disabledMembers: a.disabledMembers, causes: tagsOf<HardshipCause>(a.causes), helpKinds: tagsOf<AidHelpKind>(a.helpKinds), needs: tagsOf<NeedTag>(a.needs),
      account: a.account, consentAt: a.consentAt.toISOString(), submittedAt: a.createdAt.toISOString(), question: a.question,
      rejectReason: a.status === 'rejected' ? a.rejectReason : null, approvedLevel: approved ? a.decisionLevel : null,
      approvedPayout: approved && a.payoutAidType && a.payoutAmountFen ? { aidType: a.payoutAidType, amountFen: a.payoutAmountFen } : null,
      linkedToHousehold: a.linkedToHousehold, documents: docs.map((d) => this.documentView(d)),
      events: events.map((e) => ({ id: e.id, type: e.type, actor: e.actorRole, note: e.note, at: e.at.toISOString() })),
    };
  }

  private async staffView(a: AidApplication, _user: User): Promise<AidApplicationStaffView> {
    const [org, events, docs] = await Promise.all([this.orgsRepo.findById(a.orgId), this.repo.eventsOf([a.id]), this.repo.documentsOf([a.id])]);
    const now = this.clock.now();
    return {
      ...this.baseView(a, org!, events.get(a.id) ?? [], docs.get(a.id) ?? []),
      userId: a.userId, householdId: a.householdId, handlerId: a.handlerId, acceptedAt: a.acceptedAt?.toISOString() ?? null,
      ageHours: ageHours(a.createdAt, now), overdue: isAcceptOverdue(a.status, a.createdAt, now), payoutBatchId: a.payoutBatchId,
      visit: {
        scheduledDate: a.visitScheduledDate, scheduleNote: a.visitScheduleNote, visitDate: a.visitDate, visitors: a.visitors, findings: a.visitFindings,
        verifiedHouseholdSize: a.verifiedHouseholdSize, verifiedMonthlyIncomeFen: a.verifiedMonthlyIncomeFen, recordedAt: a.visitRecordedAt?.toISOString() ?? null,
      },
      decision: a.decision ? {
        decision: a.decision, level: a.decisionLevel, causes: tagsOf<HardshipCause>(a.decisionCauses), monthlyIncomeFen: a.decisionIncomeFen,
        payout: a.payoutAidType && a.payoutAmountFen ? { aidType: a.payoutAidType, amountFen: a.payoutAmountFen } : null, reason: a.rejectReason,
        proposedById: a.proposedById!, proposedAt: a.proposedAt!.toISOString(), confirmedById: a.confirmedById, confirmedAt: a.status === 'approved' ? a.decidedAt?.toISOString() ?? null : null,
      } : null,
    };
  }

  /** The staff view after a change (the change itself is audited; this re-read is part of it). */
  private async reread(user: User, id: number): Promise<AidApplicationStaffView> {
    return this.staffView((await this.repo.findApplication(id))!, user);
  }

  private householdRequest(a: AidApplication, householdSize: number, monthlyIncomeFen: number): CreateHouseholdRequest {
    return {
      headName: a.applicantName, idNumber: this.cipher.decrypt(a.idNumberEnc), mobile: this.cipher.decrypt(a.mobileEnc),
      province: a.province, city: a.city, district: a.district, street: a.street, addressDetail: a.addressDetail ?? undefined,
      householdSize, monthlyIncomeFen, level: a.decisionLevel!, causes: tagsOf<HardshipCause>(a.decisionCauses ?? a.causes),
      employmentStatus: a.employmentStatus, needs: tagsOf<NeedTag>(a.needs),
      needsNote: `帮扶申请#${a.id}：${tagsOf<AidHelpKind>(a.helpKinds).map((k) => AID_HELP_KIND_LABELS[k]).join('、')}`.slice(0, 500),
    };
  }

  private overdueBefore(): Date {
    return new Date(this.clock.now().getTime() - ACCEPT_WITHIN_HOURS * 3600_000);
  }

  private async memberOrg(user: User): Promise<UnionOrg | null> {
    const member = await this.membership.findMemberByUser(user.id);
    return member && member.status === 'active' ? this.orgsRepo.findById(member.orgId) : null;
  }

  private async mayReadNotice(user: User, org: UnionOrg, memberOrg: UnionOrg | null): Promise<boolean> {
    if (user.role === 'admin') return true;
    if (user.role === 'union_staff' && user.orgId) {
      const own = await this.orgsRepo.findById(user.orgId);
      if (own && (own.path.startsWith(org.path) || org.path.startsWith(own.path))) return true;
    }
    if (memberOrg && memberOrg.path.startsWith(org.path)) return true;
    return this.repo.userAppliedInSubtree(user.id, org.path);
  }

  private async orgName(orgId: number): Promise<string> {
    return (await this.orgsRepo.findById(orgId))?.name ?? '其他工会';
  }
}
