import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from './audit.entity';

/** Rows of one multi-row INSERT of grouped audit entries, at most (keeps one statement well under max_allowed_packet). */
const GROUP_MAX_ROWS = 500;

type AuditRow = Pick<AuditLog, 'actorUserId' | 'action' | 'entityType' | 'entityId' | 'fields' | 'at'>;
interface Waiter {
  rows: AuditRow[];
  done: (error?: unknown) => void;
}

/** Writes the audit trail of staff reads of personal data (and of public look-ups on hot paths). */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private queue: Waiter[] = [];
  private flushing: Promise<void> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records that `actorUserId` performed `action` on each of `entityIds` of `entityType`, touching `fields`. */
  async record(actorUserId: number, action: string, entityType: string, entityIds: Array<number | null>, fields: string[], em: EntityManager = this.db.manager): Promise<void> {
    if (!entityIds.length) return;
    await em.insert(AuditLog, toRows(actorUserId, action, entityType, entityIds, fields));
  }

  /**
   * The same entry as `record`, written by group commit for hot paths: the rows of every concurrent
   * caller go into one multi-row INSERT (at most one in flight; callers arriving meanwhile form the
   * next one), and the returned promise resolves once the caller's rows are committed. A caller that
   * answers only after awaiting it has its entry durable before its answer, so a crash loses no entry
   * of an answered request, while concurrent callers no longer queue up behind one INSERT each.
   * Never inside a caller's transaction (the group commits on its own). Rejects with the INSERT's error.
   */
  recordGrouped(actorUserId: number, action: string, entityType: string, entityIds: Array<number | null>, fields: string[]): Promise<void> {
    if (!entityIds.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows: toRows(actorUserId, action, entityType, entityIds, fields), done: (e) => (e ? reject(e) : resolve()) });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Nest calls this before closing the database pool: every queued entry is written first. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    // Let the callers of the current tick join the first group.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length) {
        const group: Waiter[] = [];
        let rows = 0;
        while (this.queue.length && (rows === 0 || rows + this.queue[0].rows.length <= GROUP_MAX_ROWS)) {
          const w = this.queue.shift()!;
          group.push(w);
          rows += w.rows.length;
        }
        try {
          await this.db.manager.insert(AuditLog, group.flatMap((w) => w.rows));
          for (const w of group) w.done();
        } catch (e) {
          for (const w of group) w.done(e);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}

function toRows(actorUserId: number, action: string, entityType: string, entityIds: Array<number | null>, fields: string[]): AuditRow[] {
  const at = new Date();
  return entityIds.map((entityId) => ({ actorUserId, action, entityType, entityId, fields: fields.join(','), at }));
}
