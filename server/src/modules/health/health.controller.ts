import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth.decorators';
import { DomainError } from '../../common/domain-error';

/** `GET /api/health`: 200 `{ status: 'ok', database }` when the database answers, else 503 DB_UNAVAILABLE. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Public()
  @Get()
  async health() {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new DomainError('DB_UNAVAILABLE', '数据库暂时不可用', HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', database: this.db.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql' };
  }
}
