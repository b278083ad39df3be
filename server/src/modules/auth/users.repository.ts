import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Member } from '../membership/entities/member.entity';
import { User } from './user.entity';

/** Queries on accounts. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: number): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ id });
  }

  /**
   * Finds the user by a unique key or creates it; safe under concurrent first logins
   * (a lost insert race re-reads the winner's row).
   */
  async findOrCreate(key: { openid: string } | { devKey: string }, create: Omit<User, 'id' | 'openid' | 'devKey' | 'createdAt'>): Promise<User> {
    const repo = this.db.getRepository(User);
    const existing = await repo.findOneBy(key);
    if (existing) return existing;
    try {
      return await repo.save(repo.create({ openid: null, devKey: null, ...key, ...create, createdAt: new Date() }));
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

  async update(id: number, patch: Partial<Pick<User, 'role' | 'orgId' | 'displayName'>>): Promise<void> {
    await this.db.getRepository(User).update({ id }, patch);
  }
}
