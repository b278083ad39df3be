/**
 * Pages of the vouchers module, registered in app.config.ts as the weapp subpackage rooted at `pages/vouchers`
 * (page `detail` = path `pages/vouchers/detail`). Paths stored in messages (`pages/vouchers/detail`,
 * `pages/vouchers/lottery`, ...) are public contracts: keep them.
 *
 * WeChat forbids a main-package page under a subpackage root, so the member pages (index, mine, detail) go with
 * their folder; the home page preloads this subpackage (app.config.ts `preloadRule`). See docs/miniapp.md.
 */
export const VOUCHERS_SUBPACKAGE = {
  root: 'pages/vouchers',
  pages: [
    'index',
    'mine',
    'detail',
    'merchants',
    'apply',
    'redeem',
    'today',
    'review',
    'campaigns',
    'stats',
    'live',
    'lottery',
    'settlement',
  ],
};

/** The same pages as full paths (`pages/vouchers/detail`, ...). */
export const VOUCHERS_PAGES: string[] = VOUCHERS_SUBPACKAGE.pages.map((p) => `${VOUCHERS_SUBPACKAGE.root}/${p}`);
