import { readFileSync } from 'fs';
import { join } from 'path';
import { DataSource } from 'typeorm';
import type { OrgLevel } from '@union/shared';
import { UnionOrg } from '../modules/orgs/org.entity';

interface OrgRow { code: string; name: string; level: OrgLevel; parent_code: string; city: string; lat: string; lng: string }

/** Parses the union tree CSV shipped with the server (copied from the reports' federations). */
export function readOrgTree(): OrgRow[] {
  const text = readFileSync(join(__dirname, '..', '..', 'seed', 'union-orgs.csv'), 'utf8').trim();
  const [header, ...lines] = text.split(/\r?\n/);
  const cols = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [cols[i], v.trim()])) as unknown as OrgRow);
}

/** Loads the union tree when the org table is empty (first start). Idempotent. */
export async function seedOrgTree(db: DataSource): Promise<number> {
  const repo = db.getRepository(UnionOrg);
  if ((await repo.count()) > 0) return 0;
  return db.transaction(async (em) => {
    const byCode = new Map<string, UnionOrg>();
    for (const row of readOrgTree()) {
      const parent = row.parent_code ? byCode.get(row.parent_code) : undefined;
      if (row.parent_code && !parent) throw new Error(`org ${row.code}: parent ${row.parent_code} must come first`);
      const org = em.create(UnionOrg, {
        code: row.code,
        name: row.name,
        level: row.level,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${row.code}/`,
        city: row.city || null,
        lat: row.lat ? Number(row.lat) : null,
        lng: row.lng ? Number(row.lng) : null,
        autoApprove: false,
        createdAt: new Date(),
      });
      byCode.set(row.code, await em.save(org));
    }
    return byCode.size;
  });
}
