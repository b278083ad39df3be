import { Injectable } from '@nestjs/common';
import {
  BIND_LOCK_MINUTES, BIND_MAX_FAILURES, BindHouseholdRequest, HouseholdCodeLookup, lastPeriods, maskName, MonthAidStatus, MyAidView,
  MyHouseholdView, UNION_HOTLINE,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { PersonalDataCipher } from '../../common/crypto.service';
import { SignedCodeService } from '../../common/signed-code.service';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { AidErrors as E } from './aid.errors';
import { AidRepository } from './aid.repository';
import { Household, HouseholdCode } from './entities/household.entity';

/**
 * The public side of the household code: the scan page (masked name, org, month-by-month status,
 * no amounts), binding an account to its household, and 我的帮扶 for bound accounts.
 * Public look-ups are audited with actor 0 (the audit log's actor column is not nullable and core
 * entities stay unchanged) under entity type `household_code_lookup`, by group commit (see `lookup`).
 */
@Injectable()
export class HouseholdCodesService {
  constructor(
    private readonly repo: AidRepository,
    private readonly orgsRepo: OrgsRepository,
    private readonly codes: SignedCodeService,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditService,
  ) {}

  /**
   * The current code's household. @throws 404 HOUSEHOLD_CODE_NOT_FOUND (tampered, unknown);
   * 410 HOUSEHOLD_CODE_REVOKED (reissued, or the household exited).
   */
  async resolve(code: string): Promise<{ household: Household; code: HouseholdCode }> {
    const { body } = this.codes.verify('household', code, E.codeErrors);
    const row = await this.repo.findCodeByBody(body);
    if (!row) throw E.codeNotFound();
    if (row.revokedAt || row.activeKey === null) throw E.codeRevoked();
    const household = await this.repo.findHousehold(row.householdId);
    if (!household) throw E.codeNotFound();
    return { household, code: row };
  }

  /**
   * Public scan: masked head name, org, last 12 months' status (paid / in progress / none); never amounts.
   * One SQL read (`AidRepository.scanView`) and one audit row written by group commit
   * (`AuditService.recordGrouped`): the answer leaves only after its audit row is committed.
   * Nothing is cached, so a reissue, a revocation, an exit or a rename shows on the next scan in every process.
   * @throws 404 HOUSEHOLD_CODE_NOT_FOUND, 410 HOUSEHOLD_CODE_REVOKED (as `resolve`).
   */
  async lookup(code: string): Promise<HouseholdCodeLookup> {
    const { body } = this.codes.verify('household', code, E.codeErrors);
    const periods = lastPeriods(12);
    const view = await this.repo.scanView(body, periods[0]);
    if (!view) throw E.codeNotFound();
    if (view.revoked) throw E.codeRevoked();
    const household = view.household;
    if (!household) throw E.codeNotFound();
    const monthStatus = (period: string): MonthAidStatus => {
      const mine = view.statuses.filter((s) => s.period === period);
      if (mine.some((s) => s.status === 'paid')) return 'paid';
      if (mine.some((s) => s.status === 'pending' || s.status === 'approved')) return 'in_progress';
      return 'none';
    };
    await this.audit.recordGrouped(0, 'lookup', 'household_code_lookup', [view.householdId], ['headNameMasked', 'monthStatus']);
    return {
      headNameMasked: maskName(household.headName), orgName: household.orgName, hotline: UNION_HOTLINE, active: household.status === 'active',
      months: periods.map((period) => ({ period, status: monthStatus(period) })),
    };
  }

  /**
   * Binds the caller's account to the code's household when the name and the last 6 ID characters
   * match. Failures are recorded; the 5th failure within an hour locks binding for that account and
   * household for an hour (423 BIND_LOCKED). Attempts of the same pair are serialised by a guard row.
   * @throws 400 BIND_MISMATCH (with the remaining tries), 423 BIND_LOCKED, 404/410 for bad codes.
   */
  async bind(user: User, dto: BindHouseholdRequest): Promise<MyHouseholdView> {
    const { household } = await this.resolve(dto.code);
    if (await this.repo.findBinding(user.id, household.id)) return (await this.views(user.id, [household.id]))[0];
    await this.repo.ensureBindGuard(user.id, household.id);
    const lockMs = BIND_LOCK_MINUTES * 60_000;
    const outcome = await this.repo.transaction(async (em) => {
      const now = new Date();
      await this.repo.lockBindGuard(em, user.id, household.id, now);
      const failures = await this.repo.failuresSince(em, user.id, household.id, new Date(now.getTime() - 2 * lockMs));
      const lockedUntil = lockEnd(failures, lockMs);
      if (lockedUntil && lockedUntil > now) return { kind: 'locked' as const, until: lockedUntil };
      const idNumber = this.cipher.decrypt(household.idNumberEnc);
      const ok = dto.name.trim() === household.headName.trim() && dto.idLast6.trim().toUpperCase() === idNumber.slice(-6).toUpperCase();
      await this.repo.insertBindAttempt(em, { userId: user.id, householdId: household.id, ok, at: now });
      if (ok) {
        if (!(await this.repo.findBinding(user.id, household.id, em))) await this.repo.insertBinding(em, user.id, household.id, now);
        return { kind: 'bound' as const };
      }
      const recent = [now, ...failures].filter((t) => t.getTime() > now.getTime() - lockMs);
      if (recent.length >= BIND_MAX_FAILURES) return { kind: 'locked' as const, until: new Date(now.getTime() + lockMs) };
      return { kind: 'mismatch' as const, remaining: BIND_MAX_FAILURES - recent.length };
    });
    if (outcome.kind === 'locked') throw E.bindLocked(outcome.until);
    if (outcome.kind === 'mismatch') throw E.bindMismatch(outcome.remaining);
    return (await this.views(user.id, [household.id]))[0];
  }

  /** 我的帮扶: the caller's bound households with every payout (type, period, amount, status, date). */
  async my(user: User): Promise<MyAidView> {
    const bindings = await this.repo.bindingsOfUser(user.id);
    return { households: await this.views(user.id, bindings.map((b) => b.householdId)) };
  }

  private async views(userId: number, householdIds: number[]): Promise<MyHouseholdView[]> {
    const households = await this.repo.findHouseholds(householdIds);
    const orgs = await this.orgsRepo.findByIds(households.map((h) => h.orgId));
    const out: MyHouseholdView[] = [];
    for (const h of households) {
      const binding = await this.repo.findBinding(userId, h.id);
      const payouts = await this.repo.householdPayouts(h.id);
      out.push({
        householdId: h.id, headName: h.headName, idNumberMasked: h.idNumberMasked, status: h.status, level: h.level, householdSize: h.householdSize,
        orgName: orgs.get(h.orgId)?.name ?? '', lastReviewedAt: h.lastReviewedAt?.toISOString() ?? null, boundAt: (binding?.boundAt ?? new Date()).toISOString(),
        payouts: payouts.map((p) => ({ id: p.id, aidType: p.aidType, period: p.period, amountFen: p.amountFen, status: p.status, bankDate: p.bankDate })),
        paidTotalFen: payouts.filter((p) => p.status === 'paid').reduce((s, p) => s + p.amountFen, 0),
      });
    }
    return out;
  }
}

/**
 * When binding is locked until, given failure times (newest first): the newest failure starts a lock
 * when it was at least the 5th within the hour before it; no attempts are recorded during a lock.
 */
export function lockEnd(failuresNewestFirst: Date[], lockMs: number): Date | null {
  const newest = failuresNewestFirst[0];
  if (!newest) return null;
  const inWindow = failuresNewestFirst.filter((t) => t.getTime() > newest.getTime() - lockMs);
  return inWindow.length >= BIND_MAX_FAILURES ? new Date(newest.getTime() + lockMs) : null;
}
