// Types for the encoder core of `qrcode` (no renderers: it works on weapp and H5 alike).
declare module 'qrcode/lib/core/qrcode' {
  interface BitMatrix {
    size: number;
    data: Uint8Array;
    get(row: number, col: number): number | boolean;
  }
  interface QRCodeSymbol {
    modules: BitMatrix;
    version: number;
  }
  export function create(
    data: string | Array<string | { data: string | ArrayLike<number>; mode: 'byte' | 'numeric' | 'alphanumeric' | 'kanji' }>,
    options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; version?: number; maskPattern?: number },
  ): QRCodeSymbol;
}
