import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** The audit trail's search for admins (entries are written by AuditService in CommonModule). */
@Module({ controllers: [AuditController] })
export class AuditModule {}
