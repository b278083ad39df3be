import { Injectable } from '@nestjs/common';
import {
  AID_TYPE_LABELS, AidMonitoring, AidType, CountRow, EMPLOYMENT_STATUS_LABELS, EMPLOYMENT_STATUSES, HARDSHIP_CAUSE_LABELS, HARDSHIP_CAUSES,
  HARDSHIP_LEVEL_LABELS, HARDSHIP_LEVELS, INCOME_BANDS, lastPeriods, NEED_TAG_LABELS, NEED_TAGS, REVIEW_INTERVAL_MONTHS,
} from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { CsvCell, fenColumn, writeCsv } from '../../common/csv';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { AidRepository } from './aid.repository';
import { monthsAgo } from './households.service';

/**
 * Monitoring (监测): aggregate statistics over the caller's subtree (narrowed by `orgCode`).
 * Every figure but one is a sum of the monitoring tallies of the subtree's orgs (aid-tallies.ts: kept per org in the
 * same transaction as each household or payout change); "overdue review" depends on the clock and is an indexed count.
 * Measured in `pnpm bench:aid`. Counts only, no personal data: each read is audited once (entity `aid_monitoring`),
 * not per household. Open files = not exited.
 */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly repo: AidRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly audit: AuditService,
  ) {}

  async summary(actor: User, orgCode?: string): Promise<AidMonitoring> {
    const scopeOrg = orgCode ? await this.orgs.getInScope(actor, orgCode) : null;
    const scope = scopeOrg ? scopeOrg.path : await this.orgs.scopePath(actor);
    const periods = lastPeriods(12);
    const from = periods[0];
    const orgIds = await this.repo.subtreeOrgIds(scope);
    // three reads of the tallies and the overdue index, and the audit record written meanwhile (its commit waits for
    // the disk): no figure leaves unless it was recorded
    const [tallies, payouts, overdue] = await Promise.all([
      this.repo.householdTallies(orgIds, from),
      this.repo.payoutTallies(orgIds, from),
      this.repo.overdueCount(orgIds, monthsAgo(REVIEW_INTERVAL_MONTHS)),
      this.audit.record(actor.id, 'read', 'aid_monitoring', [scopeOrg?.id ?? actor.orgId ?? null], ['aggregates']),
    ]);
    const dim = (d: string) => tallies.byDim.get(d) ?? new Map<string, number>();
    const countOf = (d: string, v: string) => dim(d).get(v) ?? 0;
    const openByOrg = [...tallies.statusByOrg].map(([id, m]) => [id, (m.get('registered') ?? 0) + (m.get('active') ?? 0)] as const).filter(([, n]) => n > 0);
    const orgs = await this.orgsRepo.findByIds(openByOrg.map(([id]) => id));
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
      byOrg: sortDesc(openByOrg.map(([id, n]) => ({ key: orgs.get(id)?.code ?? String(id), label: orgs.get(id)?.name ?? String(id), count: n }))),
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
