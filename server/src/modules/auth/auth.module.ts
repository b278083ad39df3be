import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { OrgsModule } from '../orgs/orgs.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { TokenClaimsWatch } from './token-claims.watch';
import { UsersRepository } from './users.repository';
import { WechatClient } from './wechat.client';

@Global()
@Module({
  imports: [
    OrgsModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { expiresIn: config.jwtTtlSeconds } }),
    }),
  ],
  controllers: [AuthController],
  providers: [UsersRepository, WechatClient, AuthService, TokenClaimsWatch, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersRepository],
})
export class AuthModule {}
