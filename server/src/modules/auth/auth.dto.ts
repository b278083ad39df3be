import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DevLoginRequest, Role, ROLES, WechatLoginRequest } from '@union/shared';
import { SafeText } from '../../common/safe-text';

/** Body of `POST /api/auth/wechat`: the temporary code from `wx.login` (valid 5 minutes, single use). */
export class WechatLoginDto implements WechatLoginRequest {
  @ApiProperty({ description: 'wx.login code' })
  @IsString({ message: '登录凭证无效' }) @SafeText({ minLength: 1, maxLength: 128, message: '登录凭证无效' })
  code: string;
}

/** Body of `POST /api/auth/dev-login` (demo and tests only). */
export class DevLoginDto implements DevLoginRequest {
  @ApiProperty({ description: 'Stable key: the same key is always the same user' })
  @IsString() @Matches(/^[A-Za-z0-9_.:@-]{1,64}$/, { message: 'userKey 只能包含字母、数字和 _.:@-，最长64位' })
  userKey: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[], { message: '角色无效' })
  role: Role;

  @ApiPropertyOptional({ description: 'Org code; required for union_staff' })
  @IsOptional() @IsString() @SafeText({ minLength: 1, maxLength: 64 })
  orgCode?: string;
}
