import { HttpStatus, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isDuplicateKey } from './db-errors';
import { DomainError } from './domain-error';
import { SignedCodeService } from './signed-code.service';
import { UsedInvite } from './used-invite.entity';

/** Lifetime of an invite code: 24 hours. */
export const INVITE_TTL_SECONDS = 24 * 3600;

export type InviteKind = 'clerk_invite' | 'keeper_invite';

/** The error codes and wording of one kind of invite. */
export interface InviteErrors {
  notFoundCode: string;
  expiredCode: string;
  usedCode: string;
  /** What the invite is called in messages, e.g. 店员邀请码. */
  what: string;
}

export interface ReadInvite {
  /** What the invite grants access to (e.g. a merchant or station id), as given to {@link OneTimeInviteService.issue}. */
  subject: string;
  nonce: string;
}

/**
 * THE one-time invite (merchant clerk invites, station keeper invites): a signed code (SignedCodeService, kind =
 * the invite kind) of body `<subject>~<nonce>` valid 24 h, and a used-marker row (`used_invites`, unique per
 * kind and nonce) written in the same transaction as the effect of accepting it, so an invite works once only,
 * even when two accounts accept it at the same moment.
 */
@Injectable()
export class OneTimeInviteService {
  constructor(private readonly codes: SignedCodeService) {}

  /** A new invite for `subject` (must not contain `.` or `~`). Returns the code and its expiry (now + 24 h). */
  issue(kind: InviteKind, subject: string): { code: string; expiresAt: Date } {
    if (/[.~]/.test(subject)) throw new Error(`invite subject must not contain . or ~: ${subject}`);
    const { code, expiresAt } = this.codes.sign(kind, `${subject}~${this.codes.randomBody()}`, INVITE_TTL_SECONDS);
    return { code, expiresAt: expiresAt! };
  }

  /**
   * Verifies an invite's signature and expiry (not yet whether it was used: see {@link consume}).
   * @throws 404 `errors.notFoundCode` (malformed, tampered), 410 `errors.expiredCode`.
   */
  read(kind: InviteKind, code: string, errors: InviteErrors): ReadInvite {
    const { body } = this.codes.verify(kind, code, errors);
    const cut = body.lastIndexOf('~');
    if (cut <= 0 || cut === body.length - 1) throw new DomainError(errors.notFoundCode, `${errors.what}无效`, HttpStatus.NOT_FOUND);
    return { subject: body.slice(0, cut), nonce: body.slice(cut + 1) };
  }

  /**
   * Marks the invite used by `userId`, inside the caller's transaction `em` (so the marker and the effect of the
   * invite commit or roll back together). Call it after the effect's own checks, so an account's own conflict
   * (e.g. already a clerk) is answered first.
   * @throws 409 `errors.usedCode` when the invite has been used already.
   */
  async consume(em: EntityManager, kind: InviteKind, invite: ReadInvite, userId: number, errors: InviteErrors): Promise<void> {
    try {
      await em.insert(UsedInvite, { kind, nonce: invite.nonce, usedByUserId: userId, usedAt: new Date() });
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainError(errors.usedCode, `${errors.what}已被使用，请向对方索取新的邀请码`, HttpStatus.CONFLICT);
      throw e;
    }
  }
}
