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
 * Household figures come from one pass over the subtree's households (`AidRepository.householdFigures`), payouts from
 * one index-only read (`payoutsByMonth`); measured in `pnpm bench:aid`.
 * Counts only, no personal data: each read is audited once (entity `aid_monitoring`), not per household. Open files = not exited.
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
    const bandBounds = INCOME_BANDS.slice(1).map((b) => b.minFen);
    // One pass over the subtree's households for every household figure, one index-only read for the payouts, and
    // the audit record written meanwhile (its commit waits for the disk): no figure leaves unless it was recorded.
    const [groups, payouts] = await Promise.all([
      this.repo.householdFigures(scope, {
        levels: HARDSHIP_LEVELS, employment: EMPLOYMENT_STATUSES, causes: HARDSHIP_CAUSES, needs: NEED_TAGS, bandBounds,
        reviewedBefore: monthsAgo(REVIEW_INTERVAL_MONTHS), periods,
      }),
      this.repo.payoutsByMonth(scope, from),
      this.audit.record(actor.id, 'read', 'aid_monitoring', [scopeOrg?.id ?? actor.orgId ?? null], ['aggregates']),
    ]);
    const open = groups.filter((g) => g.status !== 'exited');
    const total = (list: typeof groups, pick: (g: (typeof groups)[number]) => number) => list.reduce((n, g) => n + pick(g), 0);
    const statusCount = (st: string) => total(groups.filter((g) => g.status === st), (g) => g.count);
    const countBy = (key: (g: (typeof groups)[number]) => string) => {
      const m = new Map<string, number>();
      for (const g of open) m.set(key(g), (m.get(key(g)) ?? 0) + g.count);
      return m;
    };
    const byOrgCounts = countBy((g) => String(g.orgId));
    const byRegionCounts = new Map<string, { city: string; district: string; count: number }>();
    for (const g of open) {
      const k = JSON.stringify([g.city, g.district]);
      const r = byRegionCounts.get(k) ?? { city: g.city, district: g.district, count: 0 };
      r.count += g.count;
      byRegionCounts.set(k, r);
    }
    const orgs = await this.orgsRepo.findByIds([...byOrgCounts.keys()].map(Number));
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
      totals: {
        registered: statusCount('registered'), active: statusCount('active'), exited: statusCount('exited'), overdue: total(groups, (g) => g.overdue),
      },
      byLevel: HARDSHIP_LEVELS.map((l, i) => ({ key: l, label: HARDSHIP_LEVEL_LABELS[l], count: total(open, (g) => g.levels[i]) })),
      byCause: HARDSHIP_CAUSES.map((c, i) => ({ key: c, label: HARDSHIP_CAUSE_LABELS[c], count: total(open, (g) => g.causes[i]) })),
      byOrg: sortDesc([...byOrgCounts].map(([id, n]) => ({ key: orgs.get(Number(id))?.code ?? id, label: orgs.get(Number(id))?.name ?? id, count: n }))),
      byRegion: sortDesc([...byRegionCounts.values()].map((r) => ({ key: `${r.city}/${r.district}`, label: `${r.city}${r.district}`, count: r.count }))),
      byIncomeBand: INCOME_BANDS.map((b, i) => ({ key: b.key, label: b.label, count: total(open, (g) => g.bands[i]) })),
      byEmployment: EMPLOYMENT_STATUSES.map((e, i) => ({ key: e, label: EMPLOYMENT_STATUS_LABELS[e], count: total(open, (g) => g.employment[i]) })),
      byNeed: NEED_TAGS.map((n, i) => ({ key: n, label: NEED_TAG_LABELS[n], count: total(open, (g) => g.needs[i]) })),
      payoutsByMonth: payoutRows,
      registrationsByMonth: periods.map((period, i) => ({
        period, registered: total(groups, (g) => g.registrations[i]), exited: total(groups.filter((g) => g.status === 'exited'), (g) => g.exits[i]),
      })),
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
