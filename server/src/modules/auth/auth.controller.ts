import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthConfig } from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { CurrentUser, Public } from '../../common/auth.decorators';
import { DevLoginDto, WechatLoginDto } from './auth.dto';
import { AuthService } from './auth.service';
import type { User } from './user.entity';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get('auth/config')
  authConfig(): AuthConfig {
    return { devLogin: this.config.devLogin };
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/wechat')
  @HttpCode(200)
  wechat(@Body() dto: WechatLoginDto) {
    return this.auth.wechatLogin(dto.code);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/dev-login')
  @HttpCode(200)
  devLogin(@Body() dto: DevLoginDto) {
    return this.auth.devLogin(dto);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: User) {
    return this.auth.view(user);
  }
}
