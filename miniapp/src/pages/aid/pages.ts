/**
 * Pages of the aid module, registered in app.config.ts as the weapp subpackage rooted at `pages/aid`: a page named
 * `batch` here is the path `pages/aid/batch`, so no path changes. Page paths printed in QR codes (`pages/aid/code`)
 * and stored in messages (`pages/aid/application`, `pages/aid/my`, ...) are public contracts: keep them.
 *
 * WeChat forbids a main-package page under a subpackage root, so the household code page goes with its folder;
 * the home page preloads this subpackage (app.config.ts `preloadRule`) so it opens fast. See docs/miniapp.md.
 */
export const AID_SUBPACKAGE = {
  root: 'pages/aid',
  pages: [
    'index',
    'code', // the household code's landing page: printed on every 明白卡, keep the path
    'my',
    'households',
    'household',
    'household-form',
    'import',
    'batches',
    'batch',
    'monitoring',
    'card',
    // online aid applications (issue 7)
    'apply',
    'my-applications',
    'todo',
    'application',
    'notice',
  ],
};

/** The same pages as full paths (`pages/aid/code`, ...). */
export const AID_PAGES: string[] = AID_SUBPACKAGE.pages.map((p) => `${AID_SUBPACKAGE.root}/${p}`);
