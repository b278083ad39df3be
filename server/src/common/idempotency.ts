import { createParamDecorator, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Column, DataSource, Entity, EntityManager, Index, PrimaryGeneratedColumn } from 'typeorm';
import { batchedRead } from './batched-reads';
import { PersonalDataCipher } from './crypto.service';
import { isDuplicateKey, isRetryableLock } from './db-errors';
import { DomainError } from './domain-error';

/**
 * THE idempotency mechanism of the API (voucher claims and redemptions, aid applications, household files,
 * merchant applications): a request carries an `Idempotency-Key` header; the key is recorded as
 * (userId, scope, key) → (fingerprint of the request, id of the result) inside the transaction that produced the
 * result, so a key exists exactly when its result does. A retry with the same key and the same request gets the
 * first result back and creates nothing; the same key with a different request is refused (422).
 */
@Entity('idempotency_keys')
@Index(['userId', 'scope', 'key'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) userId: number;
  /** What the key was used for, ≤ 16 characters: `claim`, `redeem`, `aid_application`, `household`, `merchant`. */
  @Column({ type: 'varchar', length: 16 }) scope: string;
  @Column({ type: 'varchar', length: 64 }) key: string;
  /** What the request asked for (e.g. `type:12`, or a keyed hash of the body: {@link IdempotencyService.request}), so a reused key with another request is refused. */
  @Column({ type: 'varchar', length: 128 }) fingerprint: string;
  /** Id of the row the request produced (voucher, redemption, application, household, merchant). */
  @Column({ type: 'int' }) resultId: number;
  @Column({ type: 'datetime' }) createdAt: Date;
}

/** The scopes in use (column `scope`, ≤ 16 characters). */
export type IdempotencyScope = 'claim' | 'redeem' | 'aid_application' | 'household' | 'merchant';

/** Error codes and messages of the mechanism (same codes as `VoucherErrorCode` in @union/shared). */
export const IdempotencyErrors = {
  /** 400: the header is missing (where required) or malformed. */
  keyRequired: () =>
    new DomainError('IDEMPOTENCY_KEY_REQUIRED', '请求缺少有效的 Idempotency-Key（8–64位字母、数字、-或_）', HttpStatus.BAD_REQUEST, [{ field: 'Idempotency-Key', message: '缺少或格式无效' }]),
  /** 422: the key was already used by this user for a different request. */
  keyReused: () => new DomainError('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个请求', HttpStatus.UNPROCESSABLE_ENTITY),
};

const KEY = /^[A-Za-z0-9_-]{8,64}$/;

function headerKey(ctx: ExecutionContext, required: boolean): string | undefined {
  const value = ctx.switchToHttp().getRequest().headers['idempotency-key'];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) throw IdempotencyErrors.keyRequired();
  return value;
}

/**
 * The request's `Idempotency-Key` header: 8–64 characters of `A–Z a–z 0–9 - _` (a UUID fits).
 * @throws 400 IDEMPOTENCY_KEY_REQUIRED when missing or malformed (after the auth guard ran).
 */
export const IdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext): string => headerKey(ctx, true)!);

/**
 * The request's `Idempotency-Key` header where it is optional (create endpoints older clients call without one):
 * undefined when absent. @throws 400 IDEMPOTENCY_KEY_REQUIRED when present but malformed.
 */
export const OptionalIdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => headerKey(ctx, false));

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.keys(value as object).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, stable((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A request body as canonical JSON: keys sorted at every level, `undefined` dropped. */
export function canonicalJson(body: unknown): string {
  return JSON.stringify(stable(body));
}

/** One idempotent request: who, what for, the key, and the request's fingerprint. */
export interface IdempotentRequest {
  userId: number;
  scope: IdempotencyScope;
  key: string;
  fingerprint: string;
}

/** Records the key of the request being run, with the id of what it produced, in the producing transaction. */
export type RecordKey = (em: EntityManager, resultId: number) => Promise<void>;

/** Names a key look-up; lower-cased because MySQL's collation compares keys without case (SQLite's exactly). */
const lookupId = (userId: number, scope: string, key: string) => `${userId}\u0000${scope}\u0000${key.toLowerCase()}`;

/** Reads and records idempotency keys (table `idempotency_keys`); see {@link IdempotencyKey}. */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly cipher: PersonalDataCipher) {}

  /**
   * The request to pass to {@link once} for a create endpoint whose key header is optional: null without a key;
   * otherwise the fingerprint is a keyed hash (HMAC-SHA256, 64 hex characters) of the validated body's canonical
   * JSON, keyed because bodies hold personal data (ID and mobile numbers).
   */
  request(userId: number, scope: IdempotencyScope, key: string | undefined, body: unknown): IdempotentRequest | null {
    return key ? { userId, scope, key, fingerprint: this.cipher.lookupHash('request', canonicalJson(body)) } : null;
  }

  /** The id produced earlier under this key, or null. @throws 422 IDEMPOTENCY_KEY_REUSED for a different request. */
  async find(userId: number, scope: string, key: string, fingerprint: string): Promise<number | null> {
    const row = await this.lookups.load({ userId, scope, key });
    if (!row) return null;
    if (row.fingerprint !== fingerprint) throw IdempotencyErrors.keyReused();
    return row.resultId;
  }

  /** Records the key in the producing transaction; a concurrent twin makes this fail with a duplicate key. */
  async record(em: EntityManager, userId: number, scope: string, key: string, fingerprint: string, resultId: number): Promise<void> {
    const { sql, columns } = this.insertSql();
    const d = this.db.driver;
    const row: Omit<IdempotencyKey, 'id'> = { userId, scope, key, fingerprint, resultId, createdAt: new Date() };
    await em.query(sql, columns.map((c) => d.preparePersistentValue(row[c.prop], c.meta)));
  }

  /**
   * Runs a create once per key: with `req` null (no header) it simply runs `create`; otherwise an earlier result of
   * the same request is answered through `replay(id)` without running `create` again, and `create` gets the
   * {@link RecordKey} it must call inside its transaction with the new row's id. A concurrent twin that lost the
   * race on the unique key is answered with the winner's result.
   * @throws 422 IDEMPOTENCY_KEY_REUSED when the key was used for a different request; whatever `create` throws.
   */
  async once<T>(req: IdempotentRequest | null, create: (record: RecordKey) => Promise<T>, replay: (resultId: number) => Promise<T>): Promise<T> {
    if (!req) return create(async () => undefined);
    const { userId, scope, key, fingerprint } = req;
    const earlier = await this.find(userId, scope, key, fingerprint);
    if (earlier !== null) return replay(earlier);
    try {
      return await create((em, resultId) => this.record(em, userId, scope, key, fingerprint, resultId));
    } catch (e) {
      if (!isDuplicateKey(e) && !(e instanceof DomainError)) throw e;
      const twin = await this.find(userId, scope, key, fingerprint);
      if (twin !== null) return replay(twin);
      throw e;
    }
  }

  /** Runs a transaction again (up to 5 times) when the database chose it as a deadlock victim. */
  async retryOnLock<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (e) {
        if (attempt >= 5 || !isRetryableLock(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  // The insert is written once as plain SQL (values converted by the driver exactly as TypeORM persists them): it
  // runs on the voucher claim path, where the query builder's per-call work was a measurable share of the CPU.
  private insert?: { sql: string; columns: Array<{ prop: keyof Omit<IdempotencyKey, 'id'>; meta: any }> };
  private insertSql() {
    if (this.insert) return this.insert;
    const q = (name: string) => this.db.driver.escape(name);
    const props: Array<keyof Omit<IdempotencyKey, 'id'>> = ['userId', 'scope', 'key', 'fingerprint', 'resultId', 'createdAt'];
    const meta = this.db.getMetadata(IdempotencyKey);
    this.insert = {
      sql: `INSERT INTO ${q('idempotency_keys')} (${props.map(q).join(', ')}) VALUES (${props.map(() => '?').join(', ')})`,
      columns: props.map((prop) => ({ prop, meta: meta.findColumnWithPropertyPath(prop)! })),
    };
    return this.insert;
  }

  /**
   * The fingerprint and result of a key, or null. Concurrent look-ups (the sold-out answers of a rush, each checking
   * for a replay) share one query per event-loop round ({@link batchedRead}).
   */
  private readonly lookups = batchedRead<{ userId: number; scope: string; key: string }, { fingerprint: string; resultId: number }>(async (lookups) => {
    const q = (c: string) => this.db.driver.escape(c);
    const one = `(${q('userId')} = ? AND ${q('scope')} = ? AND ${q('key')} = ?)`;
    const rows: Array<{ userId: number | string; scope: string; key: string; fingerprint: string; resultId: number | string }> = await this.db.query(
      `SELECT ${['userId', 'scope', 'key', 'fingerprint', 'resultId'].map(q).join(', ')} FROM ${q('idempotency_keys')} WHERE ${lookups.map(() => one).join(' OR ')}`,
      lookups.flatMap((l) => [l.userId, l.scope, l.key]),
    );
    const found = new Map(rows.map((r) => [lookupId(Number(r.userId), r.scope, r.key), { fingerprint: r.fingerprint, resultId: Number(r.resultId) }]));
    return lookups.map((l) => found.get(lookupId(l.userId, l.scope, l.key)) ?? null);
  });
}
