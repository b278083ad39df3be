import { Injectable } from '@nestjs/common';
import { formatFen, ReconciliationDifference, ReconciliationReport, SettlementView, shanghaiDate } from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { CsvCell, fenColumn, writeCsv } from '../../common/csv';
import type { User } from '../auth/user.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { SettlementQueryDto } from './dto/vouchers.dto';
import { MerchantsService } from './merchants.service';
import { VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

const DAY_MS = 86_400_000;

/**
 * Settlement (结算): per merchant per Asia/Shanghai day, the active redemptions' count, face value
 * total (what the union owes the merchant) and order total. Lines are computed from the redemption
 * ledger, so a same-day reversal simply leaves the line. Reconciliation (对账) cross-checks the
 * ledger against the vouchers: every redeemed voucher in exactly one line, amounts and totals equal.
 */
@Injectable()
export class SettlementService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly merchants: MerchantsService,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Staff see their subtree's merchants (optionally one), clerks their own merchant. */
  async settlement(user: User, q: SettlementQueryDto): Promise<SettlementView> {
    const now = new Date();
    const to = q.to ?? shanghaiDate(now);
    const from = q.from ?? shanghaiDate(new Date(now.getTime() - 30 * DAY_MS));
    if (from > to) throw E.invalid('from', '开始日期不能晚于结束日期');
    let scopePath: string | null = null;
    let merchantId = q.merchantId;
    if (user.role === 'merchant_clerk') merchantId = (await this.merchants.requireClerk(user)).merchant.id;
    else scopePath = await this.orgs.scopePath(user);
    const raw = await this.repo.settlementLines({ scopePath, merchantId, from, to });
    const merchants = await this.repo.findMerchants(raw.map((l) => l.merchantId));
    const orgs = await this.orgsRepo.findByIds([...merchants.values()].map((m) => m.orgId));
    const lines = raw.map((l) => {
      const m = merchants.get(l.merchantId)!;
      return { ...l, merchantName: m.name, org: toOrgSummary(orgs.get(m.orgId)!) };
    });
    return {
      from, to, lines,
      totals: lines.reduce((t, l) => ({ count: t.count + l.count, faceValueFen: t.faceValueFen + l.faceValueFen, orderAmountFen: t.orderAmountFen + l.orderAmountFen }), { count: 0, faceValueFen: 0, orderAmountFen: 0 }),
    };
  }

  /** The settlement as CSV (UTF-8 with BOM for Excel), amounts in yuan with two decimals; audited as an export. */
  async exportCsv(user: User, q: SettlementQueryDto): Promise<string> {
    const s = await this.settlement(user, q);
    await this.audit.record(user.id, 'export', 'settlement', [null], [`${s.from}..${s.to}`, `lines:${s.lines.length}`]);
    const rows: CsvCell[][] = s.lines.map((l) => [l.date, l.merchantId, l.merchantName, l.org.name, l.count, l.faceValueFen, l.orderAmountFen]);
    rows.push(['合计', null, null, null, s.totals.count, s.totals.faceValueFen, s.totals.orderAmountFen]);
    return writeCsv(['日期', '商户ID', '商户名称', '所属工会', '核销笔数', fenColumn('券面金额(元)'), fenColumn('订单金额(元)')], rows);
  }

  /**
   * Reconciliation over campaigns of `scopePath` (null = everything): lists every difference; `ok`
   * only when there is none.
   */
  async reconcile(scopePath: string | null): Promise<ReconciliationReport> {
    const f = await this.repo.reconciliationFacts(scopePath);
    const diffs: ReconciliationDifference[] = [
      ...f.unsettled.map((voucherId: number) => ({ kind: 'VOUCHER_NOT_SETTLED' as const, voucherId, message: `券 ${voucherId} 已核销，但不在任何结算行中` })),
      ...f.many.map((m: { voucherId: number; count: number }) => ({ kind: 'VOUCHER_IN_MANY_LINES' as const, voucherId: m.voucherId, message: `券 ${m.voucherId} 出现在 ${m.count} 条有效核销中` })),
      ...f.notRedeemed.map((r: { redemptionId: number; voucherId: number; status: string }) => ({ kind: 'REDEMPTION_VOUCHER_NOT_REDEEMED' as const, voucherId: r.voucherId, redemptionId: r.redemptionId, message: `核销 ${r.redemptionId} 有效，但券 ${r.voucherId} 状态为 ${r.status}` })),
      ...f.faceMismatch.map((r: { redemptionId: number; voucherId: number; redemptionFen: number; voucherFen: number }) => ({ kind: 'FACE_VALUE_MISMATCH' as const, voucherId: r.voucherId, redemptionId: r.redemptionId, message: `核销 ${r.redemptionId} 结算面额 ${formatFen(r.redemptionFen)} 元，与券面 ${formatFen(r.voucherFen)} 元不符` })),
    ];
    if (f.redeemed.count !== f.settled.count || f.redeemed.faceValueFen !== f.settled.faceValueFen) {
      diffs.push({
        kind: 'TOTAL_MISMATCH',
        message: `已核销券 ${f.redeemed.count} 张 / ${formatFen(f.redeemed.faceValueFen)} 元，结算 ${f.settled.count} 笔 / ${formatFen(f.settled.faceValueFen)} 元`,
      });
    }
    return {
      checkedAt: new Date().toISOString(), redeemedVouchers: f.redeemed.count, settledCount: f.settled.count,
      redeemedFaceValueFen: f.redeemed.faceValueFen, settledFaceValueFen: f.settled.faceValueFen, ok: diffs.length === 0, differences: diffs,
    };
  }

  async reconcileFor(user: User): Promise<ReconciliationReport> {
    const report = await this.reconcile(await this.orgs.scopePath(user));
    await this.audit.record(user.id, 'reconcile', 'settlement', [null], [`differences:${report.differences.length}`]);
    return report;
  }
}
