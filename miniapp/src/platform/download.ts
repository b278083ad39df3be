/**
 * Saving a generated text file (CSV exports): a download on H5; on weapp, where a CSV cannot be
 * opened, the text goes to the clipboard. Returns a Chinese note for a toast.
 */
import Taro from '@tarojs/taro';

export async function saveTextFile(fileName: string, text: string, mime = 'text/csv;charset=utf-8'): Promise<string> {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    // The server's CSV starts with a byte-order mark so Excel reads Chinese, but decoding the response as text drops it: put it back.
    const body = mime.startsWith('text/csv') && !text.startsWith('\uFEFF') ? `\uFEFF${text}` : text;
    const url = URL.createObjectURL(new Blob([body], { type: mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return `已下载 ${fileName}`;
  }
  await Taro.setClipboardData({ data: text });
  return '已复制到剪贴板，可粘贴到电脑端表格';
}
