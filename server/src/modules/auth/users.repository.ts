import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InvalidationBus } from '../../common/invalidation-bus';
import { Member } from '../membership/entities/member.entity';
import { User } from './user.entity';

/** The patch plus `claimsChangedAt` = now when it touches `role` or `orgId` (every writer of those columns must use it). */
export function withClaimsStamp(patch: Partial<User>): Partial<User> {
  return 'role' in patch || 'orgId' in patch ? { ...patch, claimsChangedAt: new Date() } : patch;
}

/** Queries on accounts. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly bus: InvalidationBus) {}

  findById(id: number): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ id });
  }

  /**
   * Finds the user by a unique key or creates it; safe under concurrent first logins
   * (a lost insert race re-reads the winner's row).
   */
  async findOrCreate(key: { openid: string } | { devKey: string }, create: Omit<User, 'id' | 'openid' | 'devKey' | 'createdAt' | 'claimsChangedAt'>): Promise<User> {
    const repo = this.db.getRepository(User);
    const existing = await repo.findOneBy(key);
    if (existing) return existing;
    try {
      return await repo.save(repo.create({ openid: null, devKey: null, ...key, ...create, createdAt: new Date(), claimsChangedAt: null }));
    } catch (e) {
      const again = await repo.findOneBy(key);
      if (again) return again;
      throw e;
    }
  }

  /** The account's membership, if it has one (a user is a member through at most one row). */
  memberOf(userId: number): Promise<Member | null> {
    return this.db.getRepository(Member).findOneBy({ userId });
  }

  /** Changes an account; a change of role or org stamps `claimsChangedAt`, which revokes the claims of its older tokens. */
  async update(id: number, patch: Partial<Pick<User, 'role' | 'orgId' | 'displayName'>>): Promise<void> {
    await this.db.getRepository(User).update({ id }, withClaimsStamp(patch));
    if ('role' in patch || 'orgId' in patch) this.bus.publish('user', id);
  }
}
