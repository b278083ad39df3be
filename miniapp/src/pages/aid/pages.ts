/** Pages of the aid module, registered in app.config.ts. Page paths printed in QR codes are public contracts. */
export const AID_PAGES: string[] = [
  'pages/aid/index',
  'pages/aid/code', // the household code's landing page: printed on every 明白卡, keep the path
  'pages/aid/my',
  'pages/aid/households',
  'pages/aid/household',
  'pages/aid/household-form',
  'pages/aid/import',
  'pages/aid/batches',
  'pages/aid/batch',
  'pages/aid/monitoring',
  'pages/aid/card',
  // online aid applications (issue 7)
  'pages/aid/apply',
  'pages/aid/my-applications',
  'pages/aid/todo',
  'pages/aid/application',
  'pages/aid/notice',
];
