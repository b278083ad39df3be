import { startApp, TestApp } from '../support/app';
import { listRoutes, RegisteredRoute } from '../support/routes';
import { ROUTE_ACCESS } from './route-access';

/**
 * Route inventory: every route the server registers has an entry in the access table (route-access.ts),
 * no entry names a route that does not exist, and the table agrees with the guard metadata:
 * public ⇔ @Public(), role list ⇔ @Roles(...), any_user ⇔ neither. A new route cannot slip in unguarded.
 */
describe('route inventory', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    t = await startApp();
    routes = listRoutes(t.app);
  });
  afterAll(() => t.close());

  it('has an access-table entry for every registered route and no stale entries', () => {
    const registered = new Set(routes.map((r) => r.key));
    const missing = [...registered].filter((k) => !ROUTE_ACCESS[k]);
    const stale = Object.keys(ROUTE_ACCESS).filter((k) => !registered.has(k));
    const duplicates = routes.map((r) => r.key).filter((k, i, all) => all.indexOf(k) !== i);
    const byAccess = (pred: (a: (typeof ROUTE_ACCESS)[string]) => boolean) => routes.filter((r) => ROUTE_ACCESS[r.key] && pred(ROUTE_ACCESS[r.key])).length;
    process.stdout.write(
      `route inventory: ${routes.length} routes registered, ${Object.keys(ROUTE_ACCESS).length} in the access table\n` +
      `  public ${byAccess((a) => a.access === 'public')}, any user ${byAccess((a) => a.access === 'any_user')}, role-restricted ${byAccess((a) => Array.isArray(a.access))}\n` +
      `  scope: none ${byAccess((a) => a.scope === 'none')}, subtree ${byAccess((a) => a.scope === 'subtree')}, owner ${byAccess((a) => a.scope === 'owner')}\n`,
    );
    expect({ missing, stale, duplicates }).toEqual({ missing: [], stale: [], duplicates: [] });
    expect(routes.length).toBeGreaterThan(100);
  });

  it('agrees with the guard metadata of every route', () => {
    const disagreements: string[] = [];
    for (const r of routes) {
      const entry = ROUTE_ACCESS[r.key];
      if (!entry) continue;
      const { access } = entry;
      if ((access === 'public') !== r.isPublic) disagreements.push(`${r.key}: table says ${JSON.stringify(access)}, @Public is ${r.isPublic}`);
      if (Array.isArray(access)) {
        if (!r.roles || [...access].sort().join() !== [...r.roles].sort().join()) disagreements.push(`${r.key}: table roles ${access.join(',')}, @Roles ${r.roles?.join(',') ?? '(none)'}`);
      } else if (r.roles) {
        disagreements.push(`${r.key}: table says ${access}, but @Roles(${r.roles.join(',')})`);
      }
      if (access === 'any_user' && (r.isPublic || r.roles)) disagreements.push(`${r.key}: any_user needs a token and no @Roles`);
      if (r.isPublic && r.roles) disagreements.push(`${r.key}: both @Public and @Roles`);
      if (entry.scope === 'owner' && !entry.ownedBy) disagreements.push(`${r.key}: owner scope without ownedBy`);
    }
    expect(disagreements).toEqual([]);
  });
});
