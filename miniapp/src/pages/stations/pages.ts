/**
 * Pages of the stations module, registered in app.config.ts as the weapp subpackage rooted at `pages/stations`
 * (page `detail` = path `pages/stations/detail`). Page paths printed in QR codes (`pages/stations/detail`) are public
 * contracts: keep them.
 */
export const STATIONS_SUBPACKAGE = {
  root: 'pages/stations',
  pages: ['index', 'detail', 'keeper', 'manage', 'edit', 'stats'],
};

/** The same pages as full paths (`pages/stations/detail`, ...). */
export const STATIONS_PAGES: string[] = STATIONS_SUBPACKAGE.pages.map((p) => `${STATIONS_SUBPACKAGE.root}/${p}`);
