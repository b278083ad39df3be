/** Pages of the aid module, registered in app.config.ts. Page paths printed in QR codes are public contracts. */
export const AID_PAGES: string[] = ['pages/aid/index'];
