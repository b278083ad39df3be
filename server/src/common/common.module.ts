import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuditService } from './audit.service';
import { IdempotencyService } from './idempotency';
import { InvalidationBus } from './invalidation-bus';
import { OneTimeInviteService } from './one-time-invite.service';
import { PersonalDataCipher } from './crypto.service';
import { RedisConnection } from './redis.provider';
import { SignedCodeService } from './signed-code.service';

/** Config and the cross-cutting services every module uses. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: RedisConnection, useFactory: () => new RedisConnection(config.redisUrl) },
      PersonalDataCipher,
      SignedCodeService,
      AuditService,
      OneTimeInviteService,
      IdempotencyService,
      InvalidationBus,
    ];
    return { module: CommonModule, providers, exports: providers };
  }
}
