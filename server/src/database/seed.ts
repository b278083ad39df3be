import { DataSource } from 'typeorm';
import type { OrgLevel } from '@union/shared';
import { UnionOrg } from '../modules/orgs/org.entity';
// The union tree of ../shared/data/union-orgs.csv (real federation names from the reports, same org codes,
// GCJ-02 city coordinates), kept as JSON so the compiler ships it with the build.
import ORG_TREE from './union-orgs.json';

interface OrgRow { code: string; name: string; level: OrgLevel; parentCode: string | null; city: string | null; lat: number | null; lng: number | null }

/** The union tree shipped with the server, parents before children. */
export function readOrgTree(): OrgRow[] {
  return ORG_TREE as OrgRow[];
}

/** Loads the union tree when the org table is empty (first start). Idempotent. */
export async function seedOrgTree(db: DataSource): Promise<number> {
  const repo = db.getRepository(UnionOrg);
  if ((await repo.count()) > 0) return 0;
  return db.transaction(async (em) => {
    const byCode = new Map<string, UnionOrg>();
    for (const row of readOrgTree()) {
      const parent = row.parentCode ? byCode.get(row.parentCode) : undefined;
      if (row.parentCode && !parent) throw new Error(`org ${row.code}: parent ${row.parentCode} must come first`);
      const org = em.create(UnionOrg, {
        code: row.code,
        name: row.name,
        level: row.level,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${row.code}/`,
        city: row.city,
        lat: row.lat,
        lng: row.lng,
        autoApprove: false,
        createdAt: new Date(),
      });
      byCode.set(row.code, await em.save(org));
    }
    return byCode.size;
  });
}
