import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { TypeOrmModule } from '@nestjs/typeorm';
import { existsSync } from 'fs';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/config';
import { CommonModule } from './common/common.module';
import { ErrorEnvelopeFilter } from './common/error.filter';
import { httpLogDestination, httpLogOptions } from './common/http-logging';
import { RedisConnection } from './common/redis.provider';
import { resolveDataSourceOptions } from './database/data-source';
import { AuthModule } from './modules/auth/auth.module';
import { HealthController } from './modules/health/health.controller';
import { AidModule } from './modules/aid/aid.module';
import { AuditModule } from './modules/audit/audit.module';
import { MessagesModule } from './modules/messages/messages.module';
import { MembershipModule } from './modules/membership/membership.module';
import { StationsModule } from './modules/stations/stations.module';
import { VouchersModule } from './modules/vouchers/vouchers.module';
import { OrgsModule } from './modules/orgs/orgs.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const staticSite = existsSync(config.h5Dir)
      ? [ServeStaticModule.forRoot({ rootPath: config.h5Dir, exclude: ['/api/{*path}'] })]
      : [];
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: [httpLogOptions(config), httpLogDestination(config)],
        }),
        TypeOrmModule.forRootAsync({ useFactory: async () => ({ ...(await resolveDataSourceOptions(config)), retryAttempts: 3, retryDelay: 1000 }) }),
        ThrottlerModule.forRootAsync({
          inject: [RedisConnection],
          useFactory: (redis: RedisConnection) => ({
            throttlers: [{ name: 'default', ttl: config.rateLimitWindowSeconds * 1000, limit: config.rateLimit }],
            // Counters shared by every API process when Redis is configured; process memory otherwise.
            ...(redis.client ? { storage: new ThrottlerStorageRedisService(redis.client) } : {}),
          }),
        }),
        ...staticSite,
        DiscoveryModule,
        AuthModule,
        OrgsModule,
        MembershipModule,
        AidModule,
        StationsModule,
        VouchersModule,
        AuditModule,
        MessagesModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ErrorEnvelopeFilter }],
    };
  }
}
