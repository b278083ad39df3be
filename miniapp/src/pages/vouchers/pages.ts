/** Pages of the vouchers module, registered in app.config.ts. Page paths printed in QR codes are public contracts. */
export const VOUCHERS_PAGES: string[] = ['pages/vouchers/index'];
