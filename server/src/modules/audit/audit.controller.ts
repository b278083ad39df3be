import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit.entity';
import { Roles } from '../../common/auth.decorators';
import { pageParams, toPage } from '../../common/paging.dto';
import { AuditQueryDto } from './audit.dto';

/**
 * Admins search the audit trail (who read or moved what, when). Read-only by design:
 * there is no route that changes or deletes an entry.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @Roles('admin')
  async search(@Query() q: AuditQueryDto) {
    const qb = this.db.getRepository(AuditLog).createQueryBuilder('a');
    if (q.actorUserId !== undefined) qb.andWhere('a.actorUserId = :actor', { actor: q.actorUserId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.entityType) qb.andWhere('a.entityType = :type', { type: q.entityType });
    if (q.entityId) qb.andWhere('a.entityId = :eid', { eid: q.entityId });
    if (q.from) qb.andWhere('a.at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.at < :to', { to: new Date(q.to) });
    const { skip, take } = pageParams(q);
    const [rows, total] = await qb.orderBy('a.id', 'DESC').skip(skip).take(take).getManyAndCount();
    return toPage(rows.map((r) => ({ ...r, at: r.at.toISOString() })), total, q);
  }
}
