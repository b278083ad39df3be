/** Pages of the stations module, registered in app.config.ts. Page paths printed in QR codes are public contracts. */
export const STATIONS_PAGES: string[] = [
  'pages/stations/index',
  'pages/stations/detail',
  'pages/stations/keeper',
  'pages/stations/manage',
  'pages/stations/edit',
  'pages/stations/stats',
];
