import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from './audit.entity';

/** Writes the audit trail of staff reads of personal data. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records that `actorUserId` performed `action` on each of `entityIds` of `entityType`, touching `fields`. */
  async record(actorUserId: number, action: string, entityType: string, entityIds: Array<number | null>, fields: string[], em: EntityManager = this.db.manager): Promise<void> {
    if (!entityIds.length) return;
    const at = new Date();
    await em.insert(
      AuditLog,
      entityIds.map((entityId) => ({ actorUserId, action, entityType, entityId, fields: fields.join(','), at })),
    );
  }
}
