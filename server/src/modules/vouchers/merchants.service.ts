import { Injectable } from '@nestjs/common';
import { IdempotencyService, type RecordKey } from '../../common/idempotency';
import { ClerkInviteView, ClerkView, maskMobile, MerchantView, Page } from '@union/shared';
import { AuditService } from '../../common/audit.service';
import { PersonalDataCipher } from '../../common/crypto.service';
import { pageParams, toPage } from '../../common/paging.dto';
import { INVITE_TTL_SECONDS, OneTimeInviteService } from '../../common/one-time-invite.service';
import type { User } from '../auth/user.entity';
import { UsersRepository } from '../auth/users.repository';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService, toOrgSummary } from '../orgs/orgs.service';
import { CreateMerchantDto, MerchantListQueryDto } from './dto/vouchers.dto';
import { Merchant, MerchantClerk } from './entities/merchant.entity';
import { isDuplicateKey } from '../../common/db-errors';
import { VoucherErrors as E } from './vouchers.errors';
import { VouchersRepository } from './vouchers.repository';

/** Lifetime of a clerk invite code: 24 hours (the one-time invite's). */
export const CLERK_INVITE_TTL_SECONDS = INVITE_TTL_SECONDS;

/**
 * Merchants (商户): application, review by staff of the org where the merchant trades, and clerks
 * (店员) bound to one merchant each (`merchant_clerks.userId` unique). The applicant is bound as the
 * owner clerk at once, so an account applies for one merchant at a time; a rejection releases it.
 */
@Injectable()
export class MerchantsService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly orgs: OrgsService,
    private readonly orgsRepo: OrgsRepository,
    private readonly users: UsersRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly invites: OneTimeInviteService,
    private readonly audit: AuditService,
    private readonly idem: IdempotencyService,
  ) {}

  /** @throws 404 ORG_NOT_FOUND; 409 ALREADY_CLERK; 409 LICENCE_TAKEN. */
  async apply(user: User, dto: CreateMerchantDto, idempotencyKey?: string): Promise<MerchantView> {
    return this.idem.once(this.idem.request(user.id, 'merchant', idempotencyKey, dto), (record) => this.applyOnce(user, dto, record), async (id) => {
      const m = await this.repo.findMerchant(id);
      if (!m) throw E.merchantNotFound();
      return this.view(m);
    });
  }

  private async applyOnce(user: User, dto: CreateMerchantDto, record: RecordKey): Promise<MerchantView> {
    const org = await this.orgs.getByCode(dto.orgCode);
    if (await this.repo.findClerkByUser(user.id)) throw E.alreadyClerk();
    const merchant = await this.repo.transaction(async (em) => {
      let m: Merchant;
      try {
        m = await this.repo.insertMerchant(em, {
          name: dto.name, category: dto.category, address: dto.address, lat: dto.lat, lng: dto.lng, licenceNo: dto.licenceNo,
          licenceKey: dto.licenceNo, contactName: dto.contactName, contactMobileEnc: this.cipher.encrypt(dto.contactMobile),
          contactMobileMasked: maskMobile(dto.contactMobile), orgId: org.id, status: 'pending', discountNote: dto.discountNote || null,
          applicantUserId: user.id, rejectReason: null, reviewedById: null, reviewedAt: null, createdAt: new Date(),
        });
      } catch (e) {
        if (isDuplicateKey(e)) throw E.licenceTaken();
        throw e;
      }
      try {
        await this.repo.insertClerk(em, { merchantId: m.id, userId: user.id, role: 'owner', createdAt: new Date() });
      } catch (e) {
        if (isDuplicateKey(e)) throw E.alreadyClerk();
        throw e;
      }
      await record(em, m.id);
      return m;
    });
    return this.view(merchant);
  }

  async mine(user: User): Promise<MerchantView[]> {
    return this.views(await this.repo.listMerchantsOfApplicant(user.id));
  }

  /** Staff list of the subtree (contact mobile masked; the read is audited). */
  async list(user: User, q: MerchantListQueryDto): Promise<Page<MerchantView>> {
    const scopePath = await this.orgs.scopePath(user);
    const { skip, take } = pageParams(q);
    const [rows, total] = await this.repo.listMerchants({ scopePath, status: q.status, skip, take });
    await this.audit.record(user.id, 'read', 'merchant', rows.map((r) => r.id), ['contactName', 'contactMobile']);
    return toPage(await this.views(rows), total, q);
  }

  /** Approves; the applicant account becomes a merchant clerk. @throws 404 outside the scope, 409 MERCHANT_NOT_PENDING. */
  async approve(user: User, id: number): Promise<MerchantView> {
    const m = await this.inScope(user, id);
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.closeMerchant(em, id, { status: 'approved', reviewedById: user.id }))) throw E.merchantNotPending();
      await this.audit.record(user.id, 'approve', 'merchant', [id], ['status'], em);
    });
    const applicant = await this.users.findById(m.applicantUserId);
    if (applicant && applicant.role === 'user') await this.users.update(applicant.id, { role: 'merchant_clerk' });
    return this.view((await this.repo.findMerchant(id))!);
  }

  /** Rejects and releases the applicant's clerk binding. @throws 409 MERCHANT_NOT_PENDING. */
  async reject(user: User, id: number, reason: string): Promise<MerchantView> {
    await this.inScope(user, id);
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.closeMerchant(em, id, { status: 'rejected', reviewedById: user.id, rejectReason: reason }))) throw E.merchantNotPending();
      await this.repo.deleteClerksOf(em, id);
    });
    return this.view((await this.repo.findMerchant(id))!);
  }

  /**
   * The caller's clerk binding and its approved merchant.
   * @throws 403 NOT_A_CLERK without a binding, 403 MERCHANT_NOT_APPROVED while pending.
   */
  async requireClerk(user: User): Promise<{ clerk: MerchantClerk; merchant: Merchant }> {
    const clerk = await this.repo.findClerkByUser(user.id);
    if (!clerk) throw E.notAClerk();
    const merchant = await this.repo.findMerchant(clerk.merchantId);
    if (!merchant || merchant.status !== 'approved') throw E.merchantNotApproved();
    return { clerk, merchant };
  }

  async clerkMe(user: User): Promise<ClerkView> {
    const { clerk, merchant } = await this.requireClerk(user);
    return { merchant: await this.view(merchant), role: clerk.role };
  }

  /** A one-time invite code (kind `clerk_invite`, 24 h, OneTimeInviteService) naming the owner's merchant. @throws 403 NOT_OWNER. */
  async createInvite(user: User): Promise<ClerkInviteView> {
    const { clerk, merchant } = await this.requireClerk(user);
    if (clerk.role !== 'owner') throw E.notOwner();
    const { code, expiresAt } = this.invites.issue('clerk_invite', merchant.id.toString(36));
    return { code, expiresAt: expiresAt.toISOString(), merchantName: merchant.name };
  }

  /**
   * Accepts an invite: the caller becomes a clerk of that merchant, and the invite is used up (one transaction).
   * @throws 404/410 bad code; 409 ALREADY_CLERK; 409 CLERK_INVITE_USED (someone accepted it already).
   */
  async acceptInvite(user: User, inviteCode: string): Promise<ClerkView> {
    const invite = this.invites.read('clerk_invite', inviteCode, E.inviteErrors);
    const merchantId = parseInt(invite.subject, 36);
    const merchant = Number.isFinite(merchantId) ? await this.repo.findMerchant(merchantId) : null;
    if (!merchant || merchant.status !== 'approved') throw E.inviteInvalid();
    try {
      await this.repo.transaction(async (em) => {
        await this.repo.insertClerk(em, { merchantId, userId: user.id, role: 'clerk', createdAt: new Date() });
        await this.invites.consume(em, 'clerk_invite', invite, user.id, E.inviteErrors);
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw E.alreadyClerk();
      throw e;
    }
    if (user.role === 'user') await this.users.update(user.id, { role: 'merchant_clerk' });
    return { merchant: await this.view(merchant), role: 'clerk' };
  }

  private async inScope(user: User, id: number): Promise<Merchant> {
    const m = await this.repo.findMerchant(id);
    if (!m) throw E.merchantNotFound();
    const org = await this.orgsRepo.findById(m.orgId);
    if (!org || !(await this.orgs.inScope(user, org))) throw E.merchantNotFound();
    return m;
  }

  async view(m: Merchant): Promise<MerchantView> {
    return (await this.views([m]))[0];
  }

  async views(rows: Merchant[]): Promise<MerchantView[]> {
    const orgs = await this.orgsRepo.findByIds(rows.map((r) => r.orgId));
    return rows.map((m) => ({
      id: m.id, name: m.name, category: m.category, address: m.address, lat: m.lat, lng: m.lng, licenceNo: m.licenceNo,
      contactName: m.contactName, contactMobileMasked: m.contactMobileMasked, org: toOrgSummary(orgs.get(m.orgId)!), status: m.status,
      discountNote: m.discountNote, rejectReason: m.rejectReason, createdAt: m.createdAt.toISOString(), reviewedAt: m.reviewedAt?.toISOString() ?? null,
    }));
  }
}
