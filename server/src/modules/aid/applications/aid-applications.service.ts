import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';
import { EntityManager } from 'typeorm';
import {
  AID_APPLICATION_OPEN_STATUSES, AID_HELP_KIND_LABELS, AidApplicationEventType, AidApplicationListItem, AidApplicationOrgOption,
  AidApplicationStaffView, AidApplicationStatus, AidApplicationView, AidDocumentView, AidHelpKind, AidNoticeView, AidTodoCounts, ageHours,
  CreateHouseholdRequest, HardshipCause, isAcceptOverdue, maskIdNumber, maskMobile, maskName, NeedTag, ONE_OFF_AID_TYPES, Page,
  perCapitaIncomeFen, shanghaiPeriod, UNION_HOTLINE, validateHouseholdMembers, ACCEPT_WITHIN_HOURS,
} from '@union/shared';
import { AuditService } from '../../../common/audit.service';
import { PersonalDataCipher } from '../../../common/crypto.service';
import { assertFourEyes, assertSeenVersion } from '../../../common/four-eyes';
import { pageParams, toPage } from '../../../common/paging.dto';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import type { User } from '../../auth/user.entity';
import { MembershipRepository } from '../../membership/membership.repository';
import { UnionOrg } from '../../orgs/org.entity';
import { OrgsRepository } from '../../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../../orgs/orgs.service';
import { AidErrors } from '../aid.errors';
import { Household } from '../entities/household.entity';
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
import { isDuplicateKey } from '../../../common/db-errors';
import { IdempotencyService, type RecordKey } from '../../../common/idempotency';
import { MESSAGE_TEXTS } from '../../messages/message-texts';
import { MessagesService } from '../../messages/messages.service';

/** Fields of an application a staff read touches (named in the audit trail). */
export const APPLICATION_READ_FIELDS = ['name', 'idNumber', 'mobile', 'employer', 'address', 'household', 'income', 'causes', 'account', 'documents'];
const ELIGIBLE_LEVELS = ['city', 'district', 'grassroots'];
const STAFF_ROLES = ['union_staff', 'admin'];

/**
 * The unique key of an open application: one per account and ID number (not per ID number, so an application
 * someone else made with your ID number never blocks yours). Null once decided or withdrawn.
 */
export const applicationOpenKey = (userId: number, idNumberHash: string) => createHash('sha256').update(`aid-open:${userId}:${idNumberHash}`).digest('hex');
/** Where application documents are stored: `<UPLOAD_DIR>/aid-applications/`, never served statically. */
export const applicationDocumentsDir = (config: AppConfig) => join(config.uploadDir, 'aid-applications');
const undecided = (a: AidApplication) => AID_APPLICATION_OPEN_STATUSES.includes(a.status);
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
    private readonly messages: MessagesService,
    private readonly idem: IdempotencyService,
  ) {}

  // ---------------------------------------------------------------- the applicant

  /**
   * Submits an application to the chosen org. The answer is the same whatever the ID number matches: the
   * application is never linked to, routed by or refused because of a household file or another account's
   * application with the same ID number (staff see the match, `householdMatch`, and choose to merge or reject).
   * @throws 404 ORG_NOT_FOUND; 400 ORG_NOT_ELIGIBLE / VALIDATION_FAILED; 409 APPLICATION_OPEN_EXISTS only for
   * the caller's own open application with the same ID number.
   * With an `Idempotency-Key` (optional), a retry of the same body answers the first application and creates
   * nothing (the open-application check is not reached); the same key with another body: 422 IDEMPOTENCY_KEY_REUSED.
   */
  async create(user: User, dto: CreateAidApplicationDto, idempotencyKey?: string): Promise<AidApplicationView> {
    return this.idem.once(
      this.idem.request(user.id, 'aid_application', idempotencyKey, dto),
      (record) => this.createOnce(user, dto, record),
      async (id) => (await this.applicantViews([(await this.repo.findApplication(id))!]))[0],
    );
  }

  private async createOnce(user: User, dto: CreateAidApplicationDto, record: RecordKey): Promise<AidApplicationView> {
    const org = await this.orgs.getByCode(dto.orgCode);
    if (!ELIGIBLE_LEVELS.includes(org.level)) throw E.orgNotEligible();
    const members = validateHouseholdMembers(dto.householdSize, dto.illMembers, dto.disabledMembers);
    if (members) throw E.invalid(dto.illMembers > dto.householdSize ? 'illMembers' : 'disabledMembers', members);
    const idNumberHash = this.cipher.lookupHash('id', dto.idNumber);
    const openKey = applicationOpenKey(user.id, idNumberHash);
    const open = await this.repo.findOpenByKey(openKey);
    if (open) throw E.openExists(await this.orgName(open.orgId));
    const now = this.clock.now();
    try {
      const app = await this.repo.transaction(async (em) => {
        const a = await this.repo.insertApplication(em, {
          status: 'submitted', userId: user.id, orgId: org.id, householdId: null, linkedToHousehold: false,
          applicantName: dto.name, idNumberEnc: this.cipher.encrypt(dto.idNumber), idNumberHash, idNumberMasked: maskIdNumber(dto.idNumber),
          openKey, mobileEnc: this.cipher.encrypt(dto.mobile), mobileHash: this.cipher.lookupHash('mobile', dto.mobile),
          mobileMasked: maskMobile(dto.mobile), employer: dto.employer, province: dto.province, city: dto.city, district: dto.district,
          street: dto.street, addressDetail: dto.addressDetail || null, employmentStatus: dto.employmentStatus, householdSize: dto.householdSize,
          monthlyIncomeFen: dto.monthlyIncomeFen, illMembers: dto.illMembers, disabledMembers: dto.disabledMembers, causes: tagList(dto.causes),
          helpKinds: tagList(dto.helpKinds), needs: tagList(dto.needs), account: dto.account, consentAt: now, createdAt: now, updatedAt: now,
          handlerId: null, acceptedAt: null, question: null,
        });
        await this.event(em, a.id, 'submitted', user.id, 'applicant', null, now);
        await record(em, a.id);
        return a;
      });
      return (await this.applicantViews([app]))[0];
    } catch (e) {
      if (isDuplicateKey(e)) throw E.openExists(org.name);
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

  /**
   * The applicant withdraws an undecided application (撤回申请). In one transaction: the status becomes
   * `withdrawn` (conditional UPDATE, so a concurrent confirmation and the withdrawal cannot both win), the
   * open key is released, and every document row (the applicant's and the visit photos) is deleted, each
   * deletion audited (`delete`, `aid_application_document`); then the files are removed from disk. The
   * purpose of processing has ended, so the documents go (PIPL art. 47); the application record stays, masked.
   * @throws 403 NOT_APPLICANT to staff of the subtree; 404 APPLICATION_NOT_FOUND to anyone else; 409 APPLICATION_STATE once decided.
   */
  async withdraw(user: User, id: number, reason?: string): Promise<AidApplicationView> {
    await this.asApplicant(user, id);
    const now = this.clock.now();
    const removed = await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, AID_APPLICATION_OPEN_STATUSES, {
        status: 'withdrawn', openKey: null, householdId: null, linkedToHousehold: false, updatedAt: now,
      }, { ownerId: user.id });
      if (!ok) throw E.state('撤回');
      const docs = await this.repo.documentsIn(em, id);
      await this.repo.deleteDocuments(em, docs.map((d) => d.id));
      await this.event(em, id, 'withdrawn', user.id, 'applicant', reason || null, now);
      await this.audit.record(user.id, 'withdraw', 'aid_application', [id], ['status', ...(docs.length ? ['documents'] : [])], em);
      await this.audit.record(user.id, 'delete', 'aid_application_document', docs.map((d) => d.id), ['document', `application:${id}`, 'withdrawn'], em);
      return docs;
    });
    await this.removeDocumentFiles(removed.map((d) => d.fileName));
    return (await this.applicantViews([(await this.repo.findApplication(id))!]))[0];
  }

  /** Removes stored document files (after the rows are gone; a file already missing is fine). */
  async removeDocumentFiles(fileNames: string[]): Promise<void> {
    const dir = applicationDocumentsDir(this.config);
    await Promise.all(fileNames.map((f) => fs.rm(join(dir, f), { force: true })));
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
    const matched = await this.repo.idHashesWithOpenHousehold(rows.filter(undecided).map((r) => r.idNumberHash));
    const now = this.clock.now();
    return toPage(rows.map((a) => ({
      id: a.id, status: a.status, name: a.applicantName, idNumberMasked: a.idNumberMasked, org: toOrgSummary(orgs.get(a.orgId)!),
      causes: tagsOf<HardshipCause>(a.causes), helpKinds: tagsOf<AidHelpKind>(a.helpKinds), submittedAt: a.createdAt.toISOString(),
      ageHours: ageHours(a.createdAt, now), overdue: isAcceptOverdue(a.status, a.createdAt, now), handlerId: a.handlerId,
      mine: a.handlerId === user.id, linkedToHousehold: a.linkedToHousehold, matchesHousehold: undecided(a) && matched.has(a.idNumberHash),
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
          status: 'rejected', openKey: null, decision: 'reject', rejectReason: dto.reason, householdId: null, linkedToHousehold: false, proposedById: user.id, proposedAt: now, decidedAt: now, updatedAt: now,
        }, { handlerId: user.id });
        if (!ok) throw E.state('作出决定');
        await this.event(em, id, 'rejected', user.id, 'staff', dto.reason!, now);
        await this.audit.record(user.id, 'reject', 'aid_application', [id], ['decision'], em);
      });
      return this.reread(user, id);
    }
    if (!dto.level) throw E.invalid('level', '请选择困难类别');
    if (dto.payout && !ONE_OFF_AID_TYPES.includes(dto.payout.aidType)) throw E.invalid('payout.aidType', '一次性救助类型应为医疗救助、助学或送温暖');
    const merge = await this.mergeTarget(user, app, dto.mergeIntoHousehold);
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['accepted', 'visiting', 'proposed'], {
        status: 'proposed', decision: 'approve', decisionLevel: dto.level, decisionCauses: tagList(dto.causes ?? tagsOf(app.causes)),
        decisionIncomeFen: dto.monthlyIncomeFen ?? app.verifiedMonthlyIncomeFen ?? app.monthlyIncomeFen,
        payoutAidType: dto.payout?.aidType ?? null, payoutAmountFen: dto.payout?.amountFen ?? null, rejectReason: null,
        householdId: merge?.id ?? null, linkedToHousehold: !!merge, proposedById: user.id, proposedAt: now, updatedAt: now,
      }, { handlerId: user.id });
      if (!ok) throw E.state('提出审批意见');
      await this.event(em, id, 'decision_proposed', user.id, 'staff', merge ? '拟并入已有困难职工档案' : null, now);
      await this.audit.record(user.id, 'propose_approval', 'aid_application', [id], ['decision', ...(merge ? [`merge_household:${merge.id}`] : [])], em);
    });
    return this.reread(user, id);
  }

  /**
   * A second staff member confirms the proposed approval (four-eyes). Everything happens in ONE transaction,
   * so a failure anywhere leaves the application `proposed` and nothing else written: the application is
   * approved and put on notice; a new household file is registered (registrar = the handler) and activated by
   * the confirmer (the aid module's own four-eyes), or, only when the handler chose to merge
   * (`mergeIntoHousehold`), the matched open file is updated (audited `merge_application` + `update`); the
   * one-off payout is created by the handler as a one-household batch awaiting its own approval.
   * @throws 403 FOUR_EYES_REQUIRED for the proposer, the handler or the applicant (common/four-eyes.ts); 409 APPLICATION_STATE; 409 PAYOUT_EXISTS / HOUSEHOLD_NOT_ACTIVE
   * up front; 409 HOUSEHOLD_MATCH_CHANGED when the merge target closed; 409 HOUSEHOLD_ALREADY_REGISTERED when a
   * file for the ID number appeared since the proposal (re-decide with the merge choice); 403 HOUSEHOLD_MERGE_FORBIDDEN;
   * any error of the household or payout services (e.g. 404 when the handler no longer covers the org).
   */
  async confirm(user: User, id: number, seenProposedAt?: string): Promise<AidApplicationStaffView> {
    const app = await this.inScope(user, id);
    if (app.status !== 'proposed' || app.decision !== 'approve') throw E.state('复核确认');
    assertFourEyes('帮扶申请的审批意见', user.id, [app.proposedById, app.handlerId, app.userId]);
    assertSeenVersion('帮扶申请的审批意见', app.proposedAt!.getTime(), seenProposedAt === undefined ? undefined : Date.parse(seenProposedAt));
    const handler = await this.repo.findUser(app.proposedById!);
    if (!handler) throw E.state('复核确认');
    // nothing is written into an existing file unless the handler explicitly chose to merge into it
    const linked = app.linkedToHousehold && app.householdId ? await this.aidRepo.findHousehold(app.householdId) : null;
    if (app.linkedToHousehold && (!linked || linked.status === 'exited')) throw E.matchChanged();
    if (linked) await this.households.inScope(user, linked.id).catch(() => { throw E.mergeForbidden(); });
    const period = shanghaiPeriod(this.clock.now());
    if (app.payoutAidType && linked) {
      if (linked.status !== 'active') throw AidErrors.notActive();
      const existing = await this.aidRepo.findPayoutFor(linked.id, app.payoutAidType, period);
      if (existing && existing.status !== 'failed') throw AidErrors.payoutExists();
    }
    const org = (await this.orgsRepo.findById(app.orgId))!;
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      const ok = await this.repo.transition(em, id, ['proposed'], {
        status: 'approved', openKey: null, confirmedById: user.id, decidedAt: now, updatedAt: now,
        noticeUntil: new Date(now.getTime() + this.config.aidNoticeDays * 86400_000),
      }, { notProposedBy: user.id, proposedAt: app.proposedAt! });
      // the proposal changed between the read above and this write: what was read is not what would be applied
      if (!ok) throw E.state('复核确认');
      // written first, so that a failure of the household or payout steps below takes the applicant's message with it
      await this.event(em, id, 'approved', user.id, 'staff', null, now);
      let hid: number;
      const size = app.verifiedHouseholdSize ?? app.householdSize;
      const income = app.decisionIncomeFen ?? app.monthlyIncomeFen;
      if (linked) {
        hid = linked.id;
        await this.aidRepo.updateHousehold(em, hid, {
          householdSize: size, monthlyIncomeFen: income, perCapitaIncomeFen: perCapitaIncomeFen(income, size),
          level: app.decisionLevel!, causes: app.decisionCauses!,
        });
        await this.audit.record(user.id, 'merge_application', 'household', [hid], [`application:${id}`, `proposedBy:${handler.id}`], em);
        await this.audit.record(user.id, 'update', 'household', [hid], ['householdSize', 'monthlyIncomeFen', 'level', 'causes', `application:${id}`], em);
      } else {
        const h = await this.households.registerIn(em, handler, this.householdRequest(app, size, income), org);
        hid = h.id;
        await this.households.activate(user, hid, em);
      }
      let payoutBatchId: number | null = null;
      if (app.payoutAidType && app.payoutAmountFen) {
        const batch = await this.payouts.createOneOff(handler, {
          householdId: hid, aidType: app.payoutAidType, amountFen: app.payoutAmountFen, period, note: `帮扶申请#${id}`,
        }, undefined, em);
        payoutBatchId = batch.id;
      }
      await this.repo.linkResults(id, { householdId: hid, payoutBatchId }, em);
      await this.audit.record(user.id, 'confirm_approval', 'aid_application', [id], ['decision', `household:${hid}`], em);
    });
    return this.reread(user, id);
  }

  /**
   * The household file an approval merges into: the open file matching the applicant's ID number, only when
   * the handler chose `mergeIntoHousehold: true` and their scope covers the file.
   * @throws 400 VALIDATION_FAILED (choice missing, or a merge without a match); 403 HOUSEHOLD_MERGE_FORBIDDEN.
   */
  private async mergeTarget(user: User, app: AidApplication, choice: boolean | undefined): Promise<Household | null> {
    const match = await this.aidRepo.findOpenByIdHash(app.idNumberHash);
    if (!match) {
      if (choice) throw E.invalid('mergeIntoHousehold', '该申请没有匹配的困难职工档案');
      return null;
    }
    if (choice !== true) throw E.mergeChoiceRequired();
    await this.households.inScope(user, match.id).catch(() => { throw E.mergeForbidden(); });
    return match;
  }

  // ---------------------------------------------------------------- public notice and org choice

  /**
   * 公示: approved applications still within their notice period, masked names only. The notice is posted
   * where the worker applied, for the people who know the household and can object:
   * - staff (union_staff) whose scope covers the org, and admins: the org's whole subtree (their work area);
   * - everyone else only the org itself, not its subtree, and only if they are an active member of that org,
   *   applied to that org, or are bound to a household file of that org. Nobody reads upward (a member of a
   *   grassroots union cannot read the city's notice) or sideways.
   * @throws 403 NOTICE_FORBIDDEN otherwise; 404 ORG_NOT_FOUND for an unknown code.
   */
  async notices(user: User, q: AidNoticeQueryDto): Promise<AidNoticeView> {
    const memberOrg = await this.memberOrg(user);
    const asStaff = STAFF_ROLES.includes(user.role);
    let org: UnionOrg | null = null;
    if (q.orgCode) org = await this.orgs.getByCode(q.orgCode);
    else if (asStaff && user.orgId) org = await this.orgsRepo.findById(user.orgId);
    else if (memberOrg) org = memberOrg;
    else {
      const latest = await this.repo.latestOfUser(user.id);
      const orgId = latest?.orgId ?? (await this.repo.boundHouseholdOrgIds(user.id))[0];
      if (orgId) org = await this.orgsRepo.findById(orgId);
    }
    if (!org) throw E.noticeForbidden();
    const subtree = asStaff && (await this.orgs.inScope(user, org));
    if (!subtree && !(await this.readsNoticeOf(user, org, memberOrg))) throw E.noticeForbidden();
    const { skip, take, page, pageSize } = pageParams(q);
    const [rows, total] = await this.repo.listNotices(org, subtree, this.clock.now(), skip, take);
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

  /**
   * The application if the caller is its applicant. @throws 403 NOT_APPLICANT to staff who may read it (they
   * learn nothing new), 404 APPLICATION_NOT_FOUND to anyone else.
   */
  async asApplicant(user: User, id: number): Promise<AidApplication> {
    const { app } = await this.readable(user, id);
    if (app.userId !== user.id) throw E.notApplicant();
    return app;
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

  /**
   * Records a step of the application's thread and, in the same transaction, the messages it earns: to the
   * applicant on submission (received), more information requested, visit scheduled, approved, rejected; to the
   * staff whose subtree covers the application's org on submission (a new application in their queue).
   */
  async event(em: EntityManager, applicationId: number, type: AidApplicationEventType, actorId: number, actorRole: 'applicant' | 'staff', note: string | null, at: Date): Promise<void> {
    await this.repo.insertEvent(em, { applicationId, type, actorId, actorRole, note, at });
    if (!['submitted', 'info_requested', 'visit_scheduled', 'approved', 'rejected'].includes(type)) return;
    const a = (await this.repo.findApplication(applicationId, em))!;
    const key = `aid_application:${applicationId}:${type}:${at.getTime()}`;
    const id = applicationId;
    switch (type) {
      case 'submitted': {
        const orgName = await this.orgName(a.orgId);
        await this.messages.enqueueTo(em, [a.userId], 'aid_application_received', key, MESSAGE_TEXTS.aidReceived({ id, orgName }), at);
        const staff = (await this.messages.staffCovering(em, a.orgId)).filter((u) => u !== a.userId);
        await this.messages.enqueueTo(em, staff, 'aid_application_queued', key, MESSAGE_TEXTS.aidQueued({ id, orgName, nameMasked: maskName(a.applicantName) }), at);
        return;
      }
      case 'info_requested':
        return void (await this.messages.enqueueTo(em, [a.userId], 'aid_application_info_requested', key, MESSAGE_TEXTS.aidInfoRequested({ id, question: a.question ?? note ?? '' }), at));
      case 'visit_scheduled':
        return void (await this.messages.enqueueTo(em, [a.userId], 'aid_application_visit_scheduled', key, MESSAGE_TEXTS.aidVisitScheduled({ id, date: a.visitScheduledDate ?? '' }), at));
      case 'approved':
        return void (await this.messages.enqueueTo(em, [a.userId], 'aid_application_approved', key, MESSAGE_TEXTS.aidApproved({ id }), at));
      case 'rejected':
        return void (await this.messages.enqueueTo(em, [a.userId], 'aid_application_rejected', key, MESSAGE_TEXTS.aidRejected({ id, reason: a.rejectReason ?? note ?? '' }), at));
    }
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
      linkedToHousehold: approved && a.linkedToHousehold, documents: docs.map((d) => this.documentView(d)),
      events: events.map((e) => ({ id: e.id, type: e.type, actor: e.actorRole, note: e.note, at: e.at.toISOString() })),
    };
  }

  private async staffView(a: AidApplication, user: User): Promise<AidApplicationStaffView> {
    const [org, events, docs] = await Promise.all([this.orgsRepo.findById(a.orgId), this.repo.eventsOf([a.id]), this.repo.documentsOf([a.id])]);
    const now = this.clock.now();
    return {
      ...this.baseView(a, org!, events.get(a.id) ?? [], docs.get(a.id) ?? []),
      linkedToHousehold: a.linkedToHousehold, householdMatch: await this.householdMatch(a, user),
      sameIdOpenApplications: undecided(a) ? await this.repo.countOtherOpenWithIdHash(a.idNumberHash, a.userId) : 0,
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

  /** 匹配到已有困难职工档案: the open file with the applicant's ID number, while the application is undecided. */
  private async householdMatch(a: AidApplication, user: User): Promise<AidApplicationStaffView['householdMatch']> {
    if (!undecided(a)) return null;
    const h = await this.aidRepo.findOpenByIdHash(a.idNumberHash);
    if (!h) return null;
    const org = await this.orgsRepo.findById(h.orgId);
    const covered = !!org && (await this.orgs.inScope(user, org));
    return { householdId: covered ? h.id : null, org: toOrgSummary(org!) };
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

  /** Whether a non-staff reader belongs to the notice's own org: active member of it, applicant to it, or bound to a file of it. */
  private async readsNoticeOf(user: User, org: UnionOrg, memberOrg: UnionOrg | null): Promise<boolean> {
    if (memberOrg?.id === org.id) return true;
    if (await this.repo.userAppliedTo(user.id, org.id)) return true;
    return (await this.repo.boundHouseholdOrgIds(user.id)).includes(org.id);
  }

  private async orgName(orgId: number): Promise<string> {
    return (await this.orgsRepo.findById(orgId))?.name ?? '其他工会';
  }
}
