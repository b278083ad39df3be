import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { EntityManager } from 'typeorm';
import {
  formatFen,
  BankResultReport, CreateOneOffPayoutRequest, CreatePayoutBatchRequest, HardshipLevel, ImportRowError, Page, PAYOUT_STATUSES,
  PayoutBatchView, PayoutStatus, PayoutView, shanghaiPeriod, yuanToFen, findUnsafeChar, UNSAFE_TEXT_MESSAGE,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { DomainError } from '../../common/domain-error';
import { assertApprovedVersion, assertFourEyes, assertSeenVersion, contentHash, FourEyesErrors } from '../../common/four-eyes';
import { pageParams, toPage } from '../../common/paging.dto';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { AidErrors as E } from './aid.errors';
import { AidRepository } from './aid.repository';
import { PayoutListQueryDto } from './dto/aid.dto';
import { Payout, PayoutBatch } from './entities/payout.entity';
import { HouseholdsService } from './households.service';
import { isDuplicateKey } from '../../common/db-errors';
import { MESSAGE_TEXTS } from '../messages/message-texts';
import { MessagesService } from '../messages/messages.service';


const BANK_HEADERS: Record<string, string> = {
  household: 'household', householdid: 'household', householdcode: 'household', 户码: 'household', 帮扶码: 'household', 家庭编号: 'household', 档案编号: 'household',
  amount: 'amount', 金额: 'amount', '金额(元)': 'amount',
  status: 'status', 状态: 'status', 结果: 'status',
  bankref: 'bankRef', 银行流水号: 'bankRef', 流水号: 'bankRef',
  date: 'date', 日期: 'date', 交易日期: 'date',
  reason: 'reason', 失败原因: 'reason',
};
const RESULT_WORDS: Record<string, 'success' | 'failed'> = { success: 'success', 成功: 'success', paid: 'success', failed: 'failed', fail: 'failed', 失败: 'failed' };

/** Approval fields of a new batch: version 1, nobody has changed or approved it yet. */
const UNAPPROVED_V1 = { version: 1, lastEditedById: null, lastEditedAt: null, approvedVersion: null, approvedHash: null } as const;

/**
 * Payouts (发放): monthly batches over a subtree's active households, one-off payouts for one household,
 * four-eyes approval, and the bank's result file. Money-moving actions are audited. "One payout per
 * household, type and period" is the unique index on aid_payouts; the bank reference is unique in
 * aid_bank_records, so a file imported twice changes nothing the second time.
 * {@link createOneOff} is callable from other modules (e.g. approved online aid applications).
 */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly repo: AidRepository,
    private readonly households: HouseholdsService,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly codes: SignedCodeService,
    private readonly audit: AuditService,
    private readonly messages: MessagesService,
  ) {}

  /**
   * A monthly batch: one pending payout per active household of the subtree that has none for this
   * type and period (a second batch for the same period skips them); failed payouts of the period are
   * moved into the new batch to be retried (and of earlier periods with `includeEarlierFailed`).
   * @throws 409 BATCH_EMPTY when nobody is left to pay; 404 ORG_NOT_FOUND outside the subtree.
   */
  async createBatch(actor: User, dto: CreatePayoutBatchRequest): Promise<PayoutBatchView> {
    const org = await this.households.targetOrg(actor, dto.orgCode);
    const amounts = dto.amountsByLevel;
    try {
      const batch = await this.repo.transaction(async (em) => {
        const now = new Date();
        const b = await this.repo.insertBatch(em, {
          kind: 'monthly', orgId: org.id, period: dto.period, aidType: dto.aidType, amountSevereFen: amounts.severe,
          amountRelativeFen: amounts.relative, amountSuddenFen: amounts.sudden, status: 'pending', note: null,
          createdById: actor.id, createdAt: now, approvedById: null, approvedAt: null, ...UNAPPROVED_V1,
        });
        const args = { batchId: b.id, scopePath: org.path, aidType: dto.aidType, period: dto.period, amounts, now, actorId: actor.id };
        await this.repo.moveFailedIntoBatch(em, { ...args, earlier: !!dto.includeEarlierFailed });
        await this.repo.insertMonthlyPayouts(em, args);
        const count = await this.repo.countBatchPayouts(em, b.id);
        if (!count) throw E.batchEmpty();
        await this.audit.record(actor.id, 'create_batch', 'payout_batch', [b.id], ['period', 'aidType', 'amountsByLevel', `count:${count}`], em);
        return b;
      });
      return this.batchView(batch);
    } catch (e) {
      if (isDuplicateKey(e)) throw E.payoutExists();
      throw e;
    }
  }

  /**
   * A one-off payout (medical, education, festival…) for one active household, as a batch of one that
   * a second staff member approves. A failed payout of the same type and period is re-used.
   * With `em`, runs inside the caller's transaction (e.g. the confirmation of an aid application), so the
   * caller's other writes and this batch commit or roll back together.
   * @throws 404 HOUSEHOLD_NOT_FOUND; 409 HOUSEHOLD_NOT_ACTIVE; 409 PAYOUT_EXISTS.
   */
  async createOneOff(actor: User, dto: CreateOneOffPayoutRequest, note?: string, em?: EntityManager): Promise<PayoutBatchView> {
    const h = await this.households.inScope(actor, dto.householdId, em);
    if (h.status !== 'active') throw E.notActive();
    const period = dto.period ?? shanghaiPeriod();
    try {
      const batch = await this.repo.within(em, async (em) => {
        const now = new Date();
        const existing = await this.repo.findPayoutFor(h.id, dto.aidType, period, em);
        if (existing && existing.status !== 'failed') throw E.payoutExists();
        const b = await this.repo.insertBatch(em, {
          kind: 'one_off', orgId: h.orgId, period, aidType: dto.aidType, amountSevereFen: null, amountRelativeFen: null, amountSuddenFen: null,
          status: 'pending', note: dto.note ?? note ?? null, createdById: actor.id, createdAt: now, approvedById: null, approvedAt: null, ...UNAPPROVED_V1,
        });
        if (existing) {
          // settled or moved by a concurrent request since it was read
          if (!(await this.repo.moveFailedPayout(em, existing, b.id, dto.amountFen, now, actor.id))) throw E.payoutExists();
        } else {
          await this.repo.insertPayout(em, {
            batchId: b.id, householdId: h.id, orgId: h.orgId, aidType: dto.aidType, period, level: h.level, amountFen: dto.amountFen,
            status: 'pending', bankRef: null, bankDate: null, failReason: null, lastEditedById: null, createdAt: now, updatedAt: now,
          });
        }
        await this.audit.record(actor.id, 'create_one_off', 'payout_batch', [b.id], ['householdId', 'aidType', 'period', 'amountFen'], em);
        return b;
      });
      return this.batchView(batch);
    } catch (e) {
      if (isDuplicateKey(e)) throw E.payoutExists();
      throw e;
    }
  }

  async listBatches(actor: User, q: { period?: string; page?: number; pageSize?: number }): Promise<Page<PayoutBatchView>> {
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listBatches(await this.orgs.scopePath(actor), q.period, skip, take);
    await this.audit.record(actor.id, 'read', 'payout_batch', rows.map((b) => b.id), ['totals']);
    return toPage(await this.batchViews(rows), total, q);
  }

  async getBatch(actor: User, id: number): Promise<PayoutBatchView> {
    const b = await this.batchInScope(actor, id);
    await this.audit.record(actor.id, 'read', 'payout_batch', [id], ['totals']);
    return this.batchView(b);
  }

  /** The payouts of a batch with the households' names (audited as a read of those files). */
  async listPayouts(actor: User, batchId: number, q: PayoutListQueryDto): Promise<Page<PayoutView>> {
    await this.batchInScope(actor, batchId);
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listPayouts(batchId, q.status, skip, take);
    await this.audit.record(actor.id, 'read', 'household', rows.map((p) => p.householdId), ['headName', 'payout']);
    return toPage(await this.payoutViews(rows), total, q);
  }

  /** Payouts of one household for staff (audited). */
  async householdPayouts(actor: User, householdId: number): Promise<PayoutView[]> {
    await this.households.inScope(actor, householdId);
    const rows = await this.repo.householdPayouts(householdId);
    await this.audit.record(actor.id, 'read', 'household', [householdId], ['headName', 'payout']);
    return this.payoutViews(rows);
  }

  /**
   * Changes a pending payout's amount before approval. The change is a new version of the batch with
   * the actor as its last editor and the payout's editor, so the actor cannot approve it (四眼原则);
   * an approval of the previous version still in flight fails. Approved content is never changed.
   * @throws 404 PAYOUT_NOT_FOUND; 409 PAYOUT_NOT_PENDING once the batch is approved or the payout settled.
   */
  async updateAmount(actor: User, payoutId: number, amountFen: number): Promise<PayoutView> {
    const p = await this.repo.findPayout(payoutId);
    if (!p) throw E.payoutNotFound();
    await this.batchInScope(actor, p.batchId).catch(() => { throw E.payoutNotFound(); });
    await this.repo.transaction(async (em) => {
      const now = new Date();
      if (!(await this.repo.bumpPendingBatch(em, p.batchId, actor.id, now))) throw E.payoutNotPending();
      if (!(await this.repo.updatePendingPayoutAmount(em, payoutId, amountFen, actor.id, now))) throw E.payoutNotPending();
      await this.audit.record(actor.id, 'amend', 'payout', [payoutId], [`amountFen:${p.amountFen}->${amountFen}`, `batch:${p.batchId}`], em);
    });
    return (await this.payoutViews([(await this.repo.findPayout(payoutId))!]))[0];
  }

  /**
   * Approval by a staff member who neither created the batch nor changed it or any of its payouts
   * (四眼原则, common/four-eyes.ts): the batch and its pending payouts become approved, and the batch
   * records the approver, the version approved and the SHA-256 of its payouts (id, household, type,
   * period, fen). `seenVersion` (optional) is the version the approver looked at.
   * @throws 403 FOUR_EYES_REQUIRED for a maker; 409 BATCH_NOT_PENDING; 409 APPROVAL_STALE when the batch
   *   changed since `seenVersion` or while approving.
   */
  async approveBatch(actor: User, id: number, seenVersion?: number): Promise<PayoutBatchView> {
    await this.batchInScope(actor, id);
    await this.repo.transaction(async (em) => {
      const b = (await this.repo.findBatch(id, em))!;
      if (b.status !== 'pending') throw E.batchNotPending();
      assertFourEyes('发放批次', actor.id, [b.createdById, b.lastEditedById, ...(await this.repo.payoutEditors(em, id))]);
      assertSeenVersion('发放批次', b.version, seenVersion);
      const hash = contentHash(await this.repo.batchContent(em, id));
      if (!(await this.repo.approveBatch(em, id, { approverId: actor.id, now: new Date(), version: b.version, hash }))) throw FourEyesErrors.stale('发放批次');
      await this.audit.record(actor.id, 'approve', 'payout_batch', [id], ['status', `version:${b.version}`, `sha256:${hash}`], em);
    });
    return this.batchView((await this.repo.findBatch(id))!);
  }

  /**
   * Applies the bank's result file to an approved batch. Rows are checked (household in the batch,
   * amount equal to the payout's, status, unique bank reference, date); valid rows are applied in one
   * transaction. A row whose bank reference was already imported for the same payout is skipped, so
   * importing the same file again changes nothing.
   */
  async importBankResults(actor: User, batchId: number, text: string): Promise<BankResultReport> {
    const batch = await this.batchInScope(actor, batchId);
    if (batch.status !== 'approved') throw E.batchNotApproved();
    assertApprovedVersion('发放批次', batch.version, batch.approvedVersion);
    const records = this.parseBankCsv(text);
    await this.resolveCodes(records);
    const byHousehold = await this.repo.batchPayoutIds(batchId);
    const existing = new Map((await this.repo.findBankRecords(records.map((r) => r.bankRef ?? '').filter(Boolean))).map((r) => [r.bankRef, r]));
    const errors: ImportRowError[] = [];
    const apply: Array<{ payout: Payout; result: 'success' | 'failed'; bankRef: string; date: string; amountFen: number; reason: string | null }> = [];
    const refsInFile = new Map<string, number>();
    const payoutsInFile = new Map<number, number>();
    let alreadyImported = 0;
    for (const [i, r] of records.entries()) {
      const row = i + 1;
      const err = (field: string, reason: string) => errors.push({ row, field, reason });
      const before = errors.length;
      const householdId = this.householdIdOf(r.household ?? '');
      const payout = householdId ? byHousehold.get(householdId) : undefined;
      if (!householdId) err('household', '户码或家庭编号无效');
      else if (!payout) err('household', '该家庭不在本批次中');
      const amountFen = yuanToFen(r.amount ?? '');
      if (amountFen === null) err('amount', '金额应为元，最多两位小数');
      else if (payout && amountFen !== payout.amountFen) err('amount', `金额与批次不符（应为${formatFen(payout.amountFen)}元）`);
      const result = RESULT_WORDS[(r.status ?? '').trim().toLowerCase()];
      if (!result) err('status', '状态应为success/failed（成功/失败）');
      const bankRef = (r.bankRef ?? '').trim();
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(bankRef)) err('bankRef', '银行流水号应为1至64位字母、数字、下划线或连字符');
      else if (refsInFile.has(bankRef)) err('bankRef', `与第${refsInFile.get(bankRef)}行银行流水号重复`);
      const date = (r.date ?? '').trim();
      if (!/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) err('date', '日期格式应为YYYY-MM-DD');
      if (r.reason && findUnsafeChar(r.reason) !== null) err('reason', `退回原因${UNSAFE_TEXT_MESSAGE}`); // the shared free-text rule, as for DTO fields
      if (errors.length > before) continue;
      refsInFile.set(bankRef, row);
      const done = existing.get(bankRef);
      if (done) {
        if (done.payoutId === payout!.id) alreadyImported++;
        else err('bankRef', '该银行流水号已用于其他发放记录');
        continue;
      }
      if (payoutsInFile.has(payout!.id)) {
        err('household', `与第${payoutsInFile.get(payout!.id)}行是同一家庭`);
        continue;
      }
      payoutsInFile.set(payout!.id, row);
      if (payout!.status !== 'approved') {
        err('household', '该发放记录已有银行结果');
        continue;
      }
      apply.push({ payout: payout!, result: result!, bankRef, date, amountFen: amountFen!, reason: result === 'failed' ? (Array.from(r.reason?.trim() ?? '').slice(0, 200).join('') || '银行退回') : null });
    }
    let paid = 0;
    let failed = 0;
    if (apply.length) {
      await this.repo.transaction(async (em: EntityManager) => {
        const now = new Date();
        for (const a of apply) {
          await this.repo.insertBankRecord(em, { bankRef: a.bankRef, payoutId: a.payout.id, batchId, result: a.result, amountFen: a.amountFen, bankDate: a.date, importedById: actor.id, importedAt: now });
          const ok = await this.repo.settlePayout(em, a.payout, { status: a.result === 'success' ? 'paid' : 'failed', bankRef: a.bankRef, bankDate: a.date, failReason: a.reason });
          if (!ok) throw new DomainError('CONFLICT', '发放记录已被其他导入处理，请重新导入', 409);
          if (a.result === 'success') paid++;
          else failed++;
          // the amount goes only to the accounts bound to the household; a return goes to the staff covering the batch's org
          const key = `aid_payout:${a.payout.id}:${a.bankRef}`;
          if (a.result === 'success') {
            await this.messages.enqueueTo(em, await this.messages.boundAccounts(em, a.payout.householdId), 'aid_payout_paid', key,
              MESSAGE_TEXTS.payoutPaid({ period: a.payout.period, amountYuan: formatFen(a.amountFen) }), now);
          } else {
            await this.messages.enqueueTo(em, await this.messages.staffCovering(em, batch.orgId), 'aid_payout_returned', key,
              MESSAGE_TEXTS.payoutReturned({ batchId, householdId: a.payout.householdId, reason: a.reason ?? '银行退回' }), now);
          }
        }
        await this.audit.record(actor.id, 'bank_result', 'payout', apply.map((a) => a.payout.id), ['status', 'bankRef'], em);
      });
    }
    await this.audit.record(actor.id, 'bank_import', 'payout_batch', [batchId], [`rows:${records.length}`, `paid:${paid}`, `failed:${failed}`, `skipped:${alreadyImported}`]);
    return { totalRows: records.length, paid, failed, alreadyImported, errors };
  }

  private householdIdOf(value: string): number | null {
    const v = value.trim();
    if (/^\d{1,10}$/.test(v)) return Number(v);
    return null;
  }

  private parseBankCsv(text: string): Array<Record<string, string>> {
    let records: Array<Record<string, string>>;
    try {
      records = parse(text, {
        bom: true, skip_empty_lines: true, trim: true,
        columns: (header: string[]) => header.map((h) => BANK_HEADERS[h.trim().replace(/（/g, '(').replace(/）/g, ')').toLowerCase()] ?? BANK_HEADERS[h.trim()] ?? h),
      });
    } catch (e: any) {
      throw E.fileInvalid(`CSV格式有误（${String(e?.message ?? e).slice(0, 100)}）`);
    }
    if (!records.length) throw E.fileInvalid('文件中没有数据行');
    if (records.length > 200_000) throw E.fileInvalid('一次最多导入200000行');
    const missing = ['household', 'amount', 'status', 'bankRef', 'date'].filter((c) => !(c in records[0]));
    if (missing.length) throw E.fileInvalid(`缺少必填列：${missing.join('、')}`);
    return records;
  }

  /** Resolves household codes in a bank file to household ids (any version: banks may carry an old card). */
  private async resolveCodes(records: Array<Record<string, string>>): Promise<void> {
    for (const r of records) {
      const v = (r.household ?? '').trim();
      if (!v || /^\d+$/.test(v)) continue;
      try {
        const { body } = this.codes.verify('household', v, E.codeErrors);
        const code = await this.repo.findCodeByBody(body);
        if (code) r.household = String(code.householdId);
      } catch {
        // left as is: reported as an invalid household by the row checks
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private async batchInScope(actor: User, id: number): Promise<PayoutBatch> {
    const b = await this.repo.findBatch(id);
    if (!b) throw E.batchNotFound();
    const org = await this.orgsRepo.findById(b.orgId);
    if (!org || !(await this.orgs.inScope(actor, org))) throw E.batchNotFound();
    return b;
  }

  private async batchView(b: PayoutBatch): Promise<PayoutBatchView> {
    return (await this.batchViews([b]))[0];
  }

  private async batchViews(rows: PayoutBatch[]): Promise<PayoutBatchView[]> {
    const orgs = await this.orgsRepo.findByIds(rows.map((b) => b.orgId));
    const totals = await this.repo.batchTotals(rows.map((b) => b.id));
    const editors = await this.repo.payoutEditorsOf(rows.map((b) => b.id));
    return rows.map((b) => {
      const mine = totals.filter((t) => t.batchId === b.id);
      const counts = Object.fromEntries(PAYOUT_STATUSES.map((s) => [s, mine.find((t) => t.status === s)?.count ?? 0])) as Record<PayoutStatus, number>;
      const amounts: Record<HardshipLevel, number> | null = b.kind === 'monthly'
        ? { severe: b.amountSevereFen ?? 0, relative: b.amountRelativeFen ?? 0, sudden: b.amountSuddenFen ?? 0 } : null;
      return {
        id: b.id, kind: b.kind, period: b.period, aidType: b.aidType, amountsByLevel: amounts, org: toOrgSummary(orgs.get(b.orgId)!),
        status: b.status, note: b.note, createdById: b.createdById, createdAt: b.createdAt.toISOString(), approvedById: b.approvedById,
        approvedAt: b.approvedAt?.toISOString() ?? null, version: b.version, approvedVersion: b.approvedVersion, approvedHash: b.approvedHash,
        lastEditedById: b.lastEditedById, lastEditedAt: b.lastEditedAt?.toISOString() ?? null,
        makerIds: [...new Set([b.createdById, ...(b.lastEditedById ? [b.lastEditedById] : []), ...(editors.get(b.id) ?? [])])], counts,
        totalFen: mine.reduce((s, t) => s + t.amountFen, 0), paidFen: mine.find((t) => t.status === 'paid')?.amountFen ?? 0,
      };
    });
  }

  private async payoutViews(rows: Payout[]): Promise<PayoutView[]> {
    const households = new Map((await this.repo.findHouseholds(rows.map((p) => p.householdId))).map((h) => [h.id, h]));
    const orgs = await this.orgsRepo.findByIds(rows.map((p) => p.orgId));
    return rows.map((p) => ({
      id: p.id, batchId: p.batchId, householdId: p.householdId, headName: households.get(p.householdId)?.headName ?? '', orgName: orgs.get(p.orgId)?.name ?? '',
      aidType: p.aidType, period: p.period, level: p.level, amountFen: p.amountFen, status: p.status, bankRef: p.bankRef, bankDate: p.bankDate, failReason: p.failReason,
    }));
  }
}
