import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, resolve } from 'path';

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

const SERVER_ROOT = resolve(__dirname, '..', '..');
/** Secrets the repository ships for tests; production refuses them. */
const KNOWN_DEFAULT_SECRETS = ['change-me', 'dev-secret', 'test-secret'];

const toBool = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : value === true || value === 'true' || value === '1' ? true : value === false || value === 'false' || value === '0' ? false : value;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** Raw environment, validated at start-up. Names are the environment variable names. */
class EnvSchema {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, { message: 'DATABASE_URL must be sqlite:<path> or mysql://user:password@host:port/db' })
  DATABASE_URL?: string;
  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' }) JWT_SECRET?: string;
  @IsOptional() @IsString() @Matches(/^[^,\s]{32,}(,[^,\s]{32,})*$/, { message: 'JWT_PREVIOUS_SECRETS must be comma-separated secrets of at least 32 characters' }) JWT_PREVIOUS_SECRETS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(300) @Max(30 * 86400) JWT_TTL_SECONDS?: number;
  @IsOptional() @IsString() @MinLength(32, { message: 'CODE_SECRET must be at least 32 characters' }) CODE_SECRET?: string;
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'DATA_ENCRYPTION_KEY must be 32 bytes in base64 (44 characters)' })
  DATA_ENCRYPTION_KEY?: string;
  @IsOptional() @IsString() KEY_FILE?: string;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'AUTH_DEV_LOGIN must be true or false' }) AUTH_DEV_LOGIN?: boolean;
  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'WECHAT_API_BASE must be an http(s) URL' }) WECHAT_API_BASE?: string;
  @IsOptional() @IsString() WECHAT_APPID?: string;
  @IsOptional() @IsString() WECHAT_SECRET?: string;
  @IsOptional() @Matches(/^([a-z_]+=[\w-]{1,128})(,[a-z_]+=[\w-]{1,128})*$/, { message: 'WECHAT_TEMPLATES must be topic=templateId pairs separated by commas' }) WECHAT_TEMPLATES?: string;
  @IsOptional() @IsIn(['formal', 'trial', 'developer']) WECHAT_MINIPROGRAM_STATE?: string;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'NOTIFY_DISPATCH must be true or false' }) NOTIFY_DISPATCH?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'NOTIFY_SCHEDULE must be true or false' }) NOTIFY_SCHEDULE?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(60000) NOTIFY_POLL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) NOTIFY_BATCH?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600) NOTIFY_RETRY_BASE_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(7 * 86400) NOTIFY_FAIL_AFTER_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(3600) NOTIFY_LEASE_SECONDS?: number;
  @IsOptional() @IsString() H5_DIR?: string;
  @IsOptional() @IsString() UPLOAD_DIR?: string;
  @IsOptional() @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://host:port' }) REDIS_URL?: string;
  @IsOptional() @Matches(/^(https?:\/\/[^,\s]+)(,https?:\/\/[^,\s]+)*$/, { message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins' }) CORS_ORIGINS?: string;
  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'PUBLIC_BASE_URL must be an http(s) URL' }) PUBLIC_BASE_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(5) @Max(3600) CARD_CODE_TTL_SECONDS?: number;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'SEED_DEMO must be true or false' }) SEED_DEMO?: boolean;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @IsString() LOG_FILE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) RATE_LIMIT_WINDOW_SECONDS?: number;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'SUBMISSION_RATE_LIMITS must be true or false' }) SUBMISSION_RATE_LIMITS?: boolean;
  @IsOptional() @Matches(/^[\w:.-]{0,64}$/, { message: 'RATE_LIMIT_KEY_PREFIX must be up to 64 letters, digits, _ : . -' }) RATE_LIMIT_KEY_PREFIX?: string;
  @IsOptional() @Transform(toInt) @IsInt({ message: 'AID_NOTICE_DAYS must be a whole number of days' }) @Min(1) @Max(90) AID_NOTICE_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt({ message: 'HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds' }) @Min(1) @Max(3600) HTTP_KEEP_ALIVE_SECONDS?: number;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'FAST_ROUTES must be true or false' }) FAST_ROUTES?: boolean;
}

/** The server's typed configuration. Durations in seconds. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  database: { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };
  /** Signs new access tokens. */
  jwtSecret: string;
  /** Earlier signing secrets still accepted for verification while their tokens expire (key rotation). */
  jwtPreviousSecrets: string[];
  /** Access token lifetime, seconds (default 7 days). */
  jwtTtlSeconds: number;
  codeSecret: string;
  /** 32-byte AES-256-GCM key for personal data at rest. */
  dataKey: Buffer;
  devLogin: boolean;
  wechat: {
    apiBase: string;
    appId: string;
    secret: string;
    /** Subscribe-message template ids by topic (`WECHAT_TEMPLATES=membership=abc,voucher=def`); a topic without one is in-app only. */
    templates: Partial<Record<string, string>>;
    /** `miniprogram_state` of subscribe sends: which build a notice opens (formal, trial, developer). */
    miniprogramState: 'formal' | 'trial' | 'developer';
  };
  /** The outbox dispatcher and the reminder schedule (modules/messages). Durations in seconds unless named ms. */
  notify: {
    dispatch: boolean; schedule: boolean; pollMs: number; batch: number; retryBaseSeconds: number; failAfterSeconds: number;
    /** How long a claimed outbox row stays with its dispatcher before another may recover it (a dead process's rows). */
    leaseSeconds: number;
  };
  h5Dir: string;
  /** Redis for state shared between processes (rate-limit counters); null → process memory (single process only). */
  redisUrl: string | null;
  /** Origins allowed by CORS; empty → no cross-origin access (the H5 app is same-origin, weapp needs none). */
  corsOrigins: string[];
  /** Folder for uploaded files (station photos, aid documents); created on demand. */
  uploadDir: string;
  publicBaseUrl: string;
  cardCodeTtlSeconds: number;
  seedDemo: boolean;
  logLevel: string;
  /** Append JSON log lines to this file instead of stdout (used to scan a whole test run's logs). */
  logFile: string | null;
  /** Requests per client and route within `rateLimitWindowSeconds` on login and public code look-ups. */
  rateLimit: number;
  rateLimitWindowSeconds: number;
  /** Prefix of the submission rate-limit counters' keys (rate-limit.policies.ts), so deployments or test runs sharing one Redis do not collide. */
  rateLimitKeyPrefix: string;
  /**
   * Whether the submission rate-limit table applies (default true; must be true in production). The test harness
   * turns it off by default, as it raises RATE_LIMIT, so suites firing hundreds of submissions from one address
   * test what they test; the rate-limit suites turn it on and assert the production table.
   */
  submissionRateLimits: boolean;
  /** Days an approved aid application stays on the public notice (公示), default 5. */
  aidNoticeDays: number;
  /**
   * Seconds an idle keep-alive connection stays open (Node's `server.keepAliveTimeout`), default 65: longer than
   * the idle timeout of the load balancer or proxy in front (nginx and most cloud balancers: 60 s), so the server
   * never closes a socket the proxy is about to reuse. `headersTimeout` is set one second longer, as Node requires.
   */
  httpKeepAliveSeconds: number;
  /**
   * Hot routes marked `@FastRoute()` skip Express's router and middleware stack (common/fast-routes.ts), default
   * true. `FAST_ROUTES=false` sends them through Express like every other route: same answers, more CPU.
   */
  fastRoutes: boolean;
}

/** Thrown when the environment is invalid; the message names every offending variable. */
export class ConfigError extends Error {}

/**
 * Reads and validates the environment.
 * In development and test, missing secrets come from a key file created on first start
 * (`KEY_FILE`, default `server/data/keys.json`). In production every secret must be set,
 * must not be a known default, and dev login must be off.
 * @throws ConfigError naming each wrong or missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvSchema, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(raw, { whitelist: true, forbidUnknownValues: false });
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const nodeEnv = (raw.NODE_ENV ?? 'development') as AppConfig['env'];
  const production = nodeEnv === 'production';
  const dbUrl = raw.DATABASE_URL;
  const database: AppConfig['database'] = !dbUrl
    ? { type: 'sqlite', path: resolve(SERVER_ROOT, 'data', 'union.sqlite') }
    : dbUrl.startsWith('sqlite:')
      ? { type: 'sqlite', path: resolve(dbUrl.slice('sqlite:'.length)) }
      : { type: 'mysql', url: dbUrl };

  let jwtSecret = raw.JWT_SECRET;
  let codeSecret = raw.CODE_SECRET;
  let dataKeyB64 = raw.DATA_ENCRYPTION_KEY;
  const devLogin = raw.AUTH_DEV_LOGIN ?? !production;

  if (production) {
    const missing = [
      !jwtSecret && 'JWT_SECRET',
      !codeSecret && 'CODE_SECRET',
      !dataKeyB64 && 'DATA_ENCRYPTION_KEY',
      !raw.WECHAT_APPID && 'WECHAT_APPID',
      !raw.WECHAT_SECRET && 'WECHAT_SECRET',
    ].filter(Boolean);
    if (missing.length) throw new ConfigError(`Invalid configuration: production requires ${missing.join(', ')}`);
    for (const [name, value] of [['JWT_SECRET', jwtSecret], ['CODE_SECRET', codeSecret]] as const) {
      if (KNOWN_DEFAULT_SECRETS.some((d) => value!.includes(d))) throw new ConfigError(`Invalid configuration: ${name} is a default secret; set your own`);
    }
    if (devLogin) throw new ConfigError('Invalid configuration: AUTH_DEV_LOGIN must be false in production');
    if (raw.SUBMISSION_RATE_LIMITS === false) throw new ConfigError('Invalid configuration: SUBMISSION_RATE_LIMITS must be true in production');
  } else if (!jwtSecret || !codeSecret || !dataKeyB64) {
    const keys = readOrCreateKeyFile(raw.KEY_FILE ? resolve(raw.KEY_FILE) : resolve(SERVER_ROOT, 'data', 'keys.json'));
    jwtSecret ??= keys.jwtSecret;
    codeSecret ??= keys.codeSecret;
    dataKeyB64 ??= keys.dataKey;
  }
  const port = raw.PORT ?? 3000;
  return {
    env: nodeEnv,
    port,
    database,
    jwtSecret: jwtSecret!,
    jwtPreviousSecrets: raw.JWT_PREVIOUS_SECRETS ? raw.JWT_PREVIOUS_SECRETS.split(',') : [],
    jwtTtlSeconds: raw.JWT_TTL_SECONDS ?? 7 * 86400,
    codeSecret: codeSecret!,
    dataKey: Buffer.from(dataKeyB64!, 'base64'),
    devLogin,
    wechat: {
      apiBase: (raw.WECHAT_API_BASE ?? 'https://api.weixin.qq.com').replace(/\/$/, ''),
      appId: raw.WECHAT_APPID ?? 'wx-dev-appid',
      secret: raw.WECHAT_SECRET ?? 'wx-dev-secret',
      templates: Object.fromEntries((raw.WECHAT_TEMPLATES ?? '').split(',').filter(Boolean).map((p) => p.split('=') as [string, string])),
      miniprogramState: (raw.WECHAT_MINIPROGRAM_STATE ?? (production ? 'formal' : 'developer')) as 'formal' | 'trial' | 'developer',
    },
    notify: {
      dispatch: raw.NOTIFY_DISPATCH ?? nodeEnv !== 'test',
      schedule: raw.NOTIFY_SCHEDULE ?? nodeEnv !== 'test',
      pollMs: raw.NOTIFY_POLL_MS ?? 1000,
      batch: raw.NOTIFY_BATCH ?? 50,
      retryBaseSeconds: raw.NOTIFY_RETRY_BASE_SECONDS ?? 30,
      failAfterSeconds: raw.NOTIFY_FAIL_AFTER_SECONDS ?? 24 * 3600,
      leaseSeconds: raw.NOTIFY_LEASE_SECONDS ?? 60,
    },
    h5Dir: raw.H5_DIR ? resolve(raw.H5_DIR) : resolve(SERVER_ROOT, '..', 'miniapp', 'dist', 'h5'),
    redisUrl: raw.REDIS_URL ?? null,
    corsOrigins: raw.CORS_ORIGINS ? raw.CORS_ORIGINS.split(',') : [],
    uploadDir: raw.UPLOAD_DIR ? resolve(raw.UPLOAD_DIR) : resolve(SERVER_ROOT, 'data', 'uploads'),
    publicBaseUrl: (raw.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    cardCodeTtlSeconds: raw.CARD_CODE_TTL_SECONDS ?? 60,
    seedDemo: raw.SEED_DEMO ?? database.type === 'sqlite',
    logFile: raw.LOG_FILE ? resolve(raw.LOG_FILE) : null,
    logLevel: raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    rateLimit: raw.RATE_LIMIT ?? 30,
    rateLimitWindowSeconds: raw.RATE_LIMIT_WINDOW_SECONDS ?? 60,
    rateLimitKeyPrefix: raw.RATE_LIMIT_KEY_PREFIX ?? 'union:',
    submissionRateLimits: raw.SUBMISSION_RATE_LIMITS ?? true,
    aidNoticeDays: raw.AID_NOTICE_DAYS ?? 5,
    httpKeepAliveSeconds: raw.HTTP_KEEP_ALIVE_SECONDS ?? 65,
    fastRoutes: raw.FAST_ROUTES ?? true,
  };
}

interface KeyFile {
  jwtSecret: string;
  codeSecret: string;
  dataKey: string;
}

/** The embedded demo's own secrets, generated once and kept so encrypted data stays readable across restarts. */
function readOrCreateKeyFile(path: string): KeyFile {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  mkdirSync(dirname(path), { recursive: true });
  const keys: KeyFile = {
    jwtSecret: randomBytes(32).toString('base64'),
    codeSecret: randomBytes(32).toString('base64'),
    dataKey: randomBytes(32).toString('base64'),
  };
  writeFileSync(path, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
