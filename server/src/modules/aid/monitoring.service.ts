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
    await this.audit.record(actor.id, 'read', 'aid_monitoring', [scopeOrg?.id ?? actor.orgId ?? null], ['aggregates']);
    const periods = lastPeriods(12);
    const from = periods[0];
    const [byStatus, byLevel, byEmployment, byOrg, byRegion, causes, needs, bands, overdue, registrations, exits, payouts] = await Promise.all([
      this.repo.householdsGroupedBy(scope, ['status'], false),
      this.repo.householdsGroupedBy(scope, ['level']),
      this.repo.householdsGroupedBy(scope, ['employmentStatus']),
      this.repo.householdsGroupedBy(scope, ['orgId']),
      this.repo.householdsGroupedBy(scope, ['city', 'district']),
      this.repo.householdsWithTags(scope, 'causes', HARDSHIP_CAUSES),
      this.repo.householdsWithTags(scope, 'needs', NEED_TAGS),
      this.repo.incomeBands(scope, INCOME_BANDS.slice(1).map((b) => b.minFen)),
      this.repo.overdueCount(scope, monthsAgo(REVIEW_INTERVAL_MONTHS)),
      this.repo.registrationsByMonth(scope, from),
      this.repo.exitsByMonth(scope, from),
      this.repo.payoutsByMonth(scope, from),
    ]);
    const count = (rows: Array<{ keys: string[]; count: number }>, key: string) => rows.find((r) => r.keys[0] === key)?.count ?? 0;
    const orgs = await this.orgsRepo.findByIds(byOrg.map((r) => Number(r.keys[0])));
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
      totals: { registered: count(byStatus, 'registered'), active: count(byStatus, 'active'), exited: count(byStatus, 'exited'), overdue },
      byLevel: HARDSHIP_LEVELS.map((l) => ({ key: l, label: HARDSHIP_LEVEL_LABELS[l], count: count(byLevel, l) })),
      byCause: HARDSHIP_CAUSES.map((c) => ({ key: c, label: HARDSHIP_CAUSE_LABELS[c], count: causes[c] ?? 0 })),
      byOrg: sortDesc(byOrg.map((r) => ({ key: orgs.get(Number(r.keys[0]))?.code ?? r.keys[0], label: orgs.get(Number(r.keys[0]))?.name ?? r.keys[0], count: r.count }))),
      byRegion: sortDesc(byRegion.map((r) => ({ key: `${r.keys[0]}/${r.keys[1]}`, label: `${r.keys[0]}${r.keys[1]}`, count: r.count }))),
      byIncomeBand: INCOME_BANDS.map((b, i) => ({ key: b.key, label: b.label, count: bands[i] ?? 0 })),
      byEmployment: EMPLOYMENT_STATUSES.map((e) => ({ key: e, label: EMPLOYMENT_STATUS_LABELS[e], count: count(byEmployment, e) })),
      byNeed: NEED_TAGS.map((n) => ({ key: n, label: NEED_TAG_LABELS[n], count: needs[n] ?? 0 })),
      payoutsByMonth: payoutRows,
      registrationsByMonth: periods.map((period) => ({
        period, registered: registrations.find((r) => r.period === period)?.count ?? 0, exited: exits.find((r) => r.period === period)?.count ?? 0,
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
