/** Pages of the vouchers module, registered in app.config.ts. Page paths printed in QR codes are public contracts. */
export const VOUCHERS_PAGES: string[] = [
  'pages/vouchers/index',
  'pages/vouchers/mine',
  'pages/vouchers/detail',
  'pages/vouchers/merchants',
  'pages/vouchers/apply',
  'pages/vouchers/redeem',
  'pages/vouchers/today',
  'pages/vouchers/review',
  'pages/vouchers/campaigns',
  'pages/vouchers/stats',
  'pages/vouchers/live',
  'pages/vouchers/lottery',
  'pages/vouchers/settlement',
];
