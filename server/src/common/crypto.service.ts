import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'crypto';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * Encryption of personal data at rest (ID numbers, mobile numbers).
 * Ciphertext format: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>` with AES-256-GCM.
 * `lookupHash` is an HMAC-SHA256 (key derived from the data key by HKDF) for uniqueness
 * look-ups without decrypting: equal input → equal hash.
 */
@Injectable()
export class PersonalDataCipher {
  private readonly key: Buffer;
  private readonly hashKey: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = config.dataKey;
    this.hashKey = Buffer.from(hkdfSync('sha256', config.dataKey, Buffer.alloc(0), 'union-lookup-hash', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** @throws Error when the ciphertext was altered or the key is wrong. */
  decrypt(stored: string): string {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1') throw new Error('unknown ciphertext version');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash (64 hex characters) of a normalised value, for unique indexes and look-ups. */
  lookupHash(kind: string, value: string): string {
    return createHmac('sha256', this.hashKey).update(`${kind}:${value}`).digest('hex');
  }
}
