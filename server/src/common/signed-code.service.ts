import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError } from './domain-error';

/** Kinds of signed codes; the kind is part of the signature so a code of one kind never passes as another. */
export type SignedCodeKind = 'join' | 'card' | 'household' | 'station' | 'redemption' | 'clerk_invite' | 'keeper_invite';

export interface DecodedCode {
  /** The payload given to {@link SignedCodeService.sign}. */
  body: string;
  /** Expiry as Unix seconds, or null for codes without one. */
  expiresAt: number | null;
}

/**
 * The one signed-code helper (join, card, household, station and redemption codes).
 * Format: `<body>.<exp base36 or 0>.<signature>`, signature = first 16 bytes of
 * HMAC-SHA256(CODE_SECRET, kind:body.exp) in base64url. Codes are URL-safe.
 */
@Injectable()
export class SignedCodeService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A random, unguessable body: 12 bytes (96 bits) in base64url. */
  randomBody(): string {
    return randomBytes(12).toString('base64url');
  }

  /** Signs `body` (must not contain `.`); `ttlSeconds` omitted → no expiry in the code itself. */
  sign(kind: SignedCodeKind, body: string, ttlSeconds?: number, now = Date.now()): { code: string; expiresAt: Date | null } {
    const exp = ttlSeconds ? Math.floor(now / 1000) + ttlSeconds : 0;
    const payload = `${body}.${exp.toString(36)}`;
    return { code: `${payload}.${this.mac(kind, payload)}`, expiresAt: exp ? new Date(exp * 1000) : null };
  }

  /**
   * Verifies a code.
   * @throws DomainError `${notFoundCode}` (404) when malformed or the signature does not match (tampered);
   *         `${expiredCode}` (410) when past its expiry.
   */
  verify(kind: SignedCodeKind, code: string, errors: { notFoundCode: string; expiredCode: string; what: string }, now = Date.now()): DecodedCode {
    const parts = typeof code === 'string' ? code.split('.') : [];
    const invalid = () => new DomainError(errors.notFoundCode, `${errors.what}无效`, HttpStatus.NOT_FOUND);
    if (parts.length !== 3 || !parts[0] || code.length > 200) throw invalid();
    const [body, exp36, sig] = parts;
    const expected = Buffer.from(this.mac(kind, `${body}.${exp36}`));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    const exp = parseInt(exp36, 36);
    if (Number.isNaN(exp)) throw invalid();
    if (exp && exp * 1000 < now) throw new DomainError(errors.expiredCode, `${errors.what}已过期，请刷新后重试`, HttpStatus.GONE);
    return { body, expiresAt: exp || null };
  }

  private mac(kind: string, payload: string): string {
    return createHmac('sha256', this.config.codeSecret).update(`${kind}:${payload}`).digest().subarray(0, 16).toString('base64url');
  }
}
