import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { OrgLevel } from '@union/shared';
import { UnionOrg } from './org.entity';
import { likeContains, likePrefix, sqlLike } from '../../database/dialect';
import { BatchedMap, batchedMap } from '../../common/batched-reads';

/** Queries on the union tree. A subtree is every org whose `path` starts with the root's path. */
@Injectable()
export class OrgsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findByCode(code: string): Promise<UnionOrg | null> {
    return this.db.getRepository(UnionOrg).findOneBy({ code });
  }

  findById(id: number, em: EntityManager = this.db.manager): Promise<UnionOrg | null> {
    return em.getRepository(UnionOrg).findOneBy({ id });
  }

  /** The same as {@link findByIds}, the query shared by the concurrent callers of one event-loop round (outside transactions only: batchedMap). */
  readonly findByIdsShared: BatchedMap<number, UnionOrg> = batchedMap((ids) => this.findByIds(ids));

  async findByIds(ids: number[]): Promise<Map<number, UnionOrg>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.getRepository(UnionOrg).findBy({ id: In(unique) });
    return new Map(rows.map((o) => [o.id, o]));
  }

  /** Paged orgs under `subtreePath` (null = all), optionally filtered, ordered by path. */
  async list(filter: { subtreePath: string | null; level?: OrgLevel; parentId?: number; q?: string; skip: number; take: number }): Promise<[UnionOrg[], number]> {
    const qb = this.db.getRepository(UnionOrg).createQueryBuilder('o');
    if (filter.q) qb.andWhere(`(${sqlLike('o.name', ':q')} OR ${sqlLike('o.code', ':q')} OR ${sqlLike('o.city', ':q')})`, { q: likeContains(filter.q) });
    if (filter.subtreePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(filter.subtreePath) });
    if (filter.level) qb.andWhere('o.level = :level', { level: filter.level });
    if (filter.parentId !== undefined) qb.andWhere('o.parentId = :pid', { pid: filter.parentId });
    return qb.orderBy('o.path', 'ASC').skip(filter.skip).take(filter.take).getManyAndCount();
  }

  save(org: Partial<UnionOrg>): Promise<UnionOrg> {
    const repo = this.db.getRepository(UnionOrg);
    return repo.save(repo.create(org));
  }

  async update(id: number, patch: Partial<Pick<UnionOrg, 'name' | 'autoApprove'>>): Promise<void> {
    await this.db.getRepository(UnionOrg).update({ id }, patch);
  }
}
