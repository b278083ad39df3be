/**
 * Picking a CSV file to import: a file input on H5; a file from a chat (`chooseMessageFile`) on weapp.
 * Resolves the file's name and UTF-8 text (a leading BOM removed), or null when the user cancels.
 */
import Taro from '@tarojs/taro';

export interface PickedFile {
  name: string;
  text: string;
}

export async function pickCsvFile(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'weapp') {
    let chosen;
    try {
      chosen = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv', 'txt'] });
    } catch {
      return null;
    }
    const file = chosen.tempFiles[0];
    const text = Taro.getFileSystemManager().readFileSync(file.path, 'utf8') as string;
    return { name: file.name, text: text.replace(/^\uFEFF/, '') };
  }
  if (typeof document === 'undefined') return null;
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.csv,text/csv,text/plain';
    input.style.display = 'none';
    input.onchange = () => {
      const file = input.files?.[0];
      input.remove();
      if (!file) return resolve(null);
      const reader = new FileReader();
      reader.onload = () => resolve({ name: file.name, text: String(reader.result ?? '').replace(/^\uFEFF/, '') });
      reader.onerror = () => reject(new Error('读取文件失败'));
      reader.readAsText(file, 'utf-8');
    };
    document.body.appendChild(input);
    input.click();
  });
}
