import { Injectable } from '@nestjs/common';
import {
  AID_TYPE_LABELS, AidMonitoring, AidType, CountRow, EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, HARDSHIP_CAUSE_LABELS, HARDSHIP_CAUSES,
  HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS, INCOME_BANDS, lastPeriods, NEED_TAG_LABELS, NEED_TAGS, REVIEW_INTERVAL_MONTHS,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { CsvCell, fenColumn, writeCsv } from '../../common/csv';
import type { User } from '../auth/user.entity';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { AidRepository, MonitoringScope } from './aid.repository';
import { monthsAgo } from './households.service';

/**
 * Monitoring (监测): aggregate statistics over the caller's subtree (narrowed by `orgCode`).
 * Every figure but two is read from the scope's roll-up rows (aid-tallies.ts: kept for every union and its ancestors
 * in the same transaction as each household or payout change), so the cost does not grow with the number of unions
 * or households under it; the per-union list reads each union's own `status` tallies, and "overdue review" depends
 * on the clock and is an indexed count.
 * Measured in `pnpm bench:aid`. Counts only, no personal data: each read is audited once (entity `aid_monitoring`),
 * not per household. Open files = not exited.
 */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly repo: AidRepository,
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The figures of the caller's subtree, or of the union `orgCode` inside it.
   * @throws 404 ORG_NOT_FOUND (orgCode outside the caller's scope), 403 when the account belongs to no union.
   */
  async summary(actor: User, orgCode?: string): Promise<AidMonitoring> {
    const scopeOrg = orgCode ? await this.orgs.getInScope(actor, orgCode) : null;
    const path = scopeOrg ? scopeOrg.path : await this.orgs.scopePath(actor);
    const scope: MonitoringScope = { orgId: scopeOrg ? scopeOrg.id : path === null ? 0 : actor.orgId!, path };
    const periods = lastPeriods(12);
    const from = periods[0];
    // the scope's roll-ups, the per-union open counts and the overdue index, and the audit record written meanwhile
    // (its commit waits for the disk): no figure leaves unless it was recorded
    const [rollups, perOrg, payouts, overdue] = await Promise.all([
      this.repo.householdRollups(scope, from),
      this.repo.openByOrg(scope),
      this.repo.payoutRollups(scope, from),
      this.repo.overdueCount(scope, monthsAgo(REVIEW_INTERVAL_MONTHS)),
      this.audit.record(actor.id, 'read', 'aid_monitoring', [scopeOrg?.id ?? actor.orgId ?? null], ['aggregates']),
    ]);
    const dim = (d: string) => rollups.get(d) ?? new Map<string, number>();
    const countOf = (d: string, v: string) => dim(d).get(v) ?? 0;
    const sortDesc = (rows: CountRow[]) => rows.sort((a, b) => b.count - a.count);
    const payoutRows: AidMonitoring['payoutsByMonth'] = [];
    for (const p of payouts) {
      let row = payoutRows.find((r) => r.period === p.period && r.aidType === p.aidType);
      if (!row) payoutRows.push((row = { period: p.period, aidType: p.aidType as AidType, count: 0, amountFen: 0, paidCount: 0, paidFen: 0 }));
      row.count += p.count;
      row.amountFen += p.amountFen;
      if (p.status === 'paid') {
        row.paidCount += p.count;
        row.paidFen += p.amountFen;
      }
    }
    payoutRows.sort((a, b) => a.period.localeCompare(b.period) || a.aidType.localeCompare(b.aidType));
    return {
      scope: scopeOrg ? toOrgSummary(scopeOrg) : null,
      totals: { registered: countOf('status', 'registered'), active: countOf('status', 'active'), exited: countOf('status', 'exited'), overdue },
      byLevel: HARDSHIP_LEVELS.map((l) => ({ key: l, label: HARDSHIP_LEVEL_LABELS[l], count: countOf('level', l) })),
      byCause: HARDSHIP_CAUSES.map((c) => ({ key: c, label: HARDSHIP_CAUSE_LABELS[c], count: countOf('cause', c) })),
      byOrg: sortDesc(perOrg.map((o) => ({ key: o.code, label: o.name, count: o.open }))),
      byRegion: sortDesc([...dim('region')].filter(([, n]) => n > 0).map(([v, n]) => {
        const [city, district] = JSON.parse(v) as [string, string];
        return { key: `${city}/${district}`, label: `${city}${district}`, count: n };
      })),
      byIncomeBand: INCOME_BANDS.map((b) => ({ key: b.key, label: b.label, count: countOf('band', b.key) })),
      byEmployment: EMPLOYMENT_STATUSES.map((e) => ({ key: e, label: EMPLOYMENT_STATUS_LABELS[e], count: countOf('employment', e) })),
      byNeed: NEED_TAGS.map((n) => ({ key: n, label: NEED_TAG_LABELS[n], count: countOf('need', n) })),
      payoutsByMonth: payoutRows,
      registrationsByMonth: periods.map((period) => ({ period, registered: countOf('reg', period), exited: countOf('exit', period) })),
    };
  }

  /** The same figures as one long CSV table: section, item, count, amount (yuan). */
  async exportCsv(actor: User, orgCode?: string): Promise<string> {
    const m = await this.summary(actor, orgCode);
    const rows: CsvCell[][] = [
      ['在档总数', '待审核', m.totals.registered, ''], ['在档总数', '在档', m.totals.active, ''], ['在档总数', '已解困', m.totals.exited, ''],
      ['在档总数', '逾期未复核', m.totals.overdue, ''],
    ];
    const add = (section: string, list: CountRow[]) => list.forEach((r) => rows.push([section, r.label, r.count, '']));
    add('困难类别', m.byLevel); add('致困原因', m.byCause); add('所属工会', m.byOrg); add('地区', m.byRegion);
    add('人均月收入', m.byIncomeBand); add('就业状况', m.byEmployment); add('帮扶需求', m.byNeed);
    for (const p of m.payoutsByMonth) rows.push([`发放 ${p.period}`, AID_TYPE_LABELS[p.aidType], p.count, p.amountFen]);
    for (const r of m.registrationsByMonth) rows.push([`建档与解困 ${r.period}`, '新建档', r.registered, ''], [`建档与解困 ${r.period}`, '解困', r.exited, '']);
    return writeCsv(['分类', '项目', '数量', fenColumn('金额(元)')], rows);
  }
}
