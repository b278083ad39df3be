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

/** A document picked for upload: a local path Taro.uploadFile accepts (blob URL on H5, temp file on weapp). */
export interface PickedDocument {
  name: string;
  path: string;
  size: number;
}

/** H5: the picked File behind each blob URL, so the upload sends the file itself. */
const pickedFiles = new Map<string, File>();

/**
 * Uploads a picked document as multipart field `file`: weapp `Taro.uploadFile`; H5 `fetch` with FormData
 * (Taro's H5 uploadFile re-reads the blob URL with credentials and never settles when that fails).
 * Resolves the HTTP status and the response text; rejects on a network failure.
 */
export async function uploadPickedFile(url: string, doc: { path: string; name: string }, header: Record<string, string>): Promise<{ statusCode: number; data: string }> {
  if (process.env.TARO_ENV === 'weapp') {
    const res = await Taro.uploadFile({ url, filePath: doc.path, name: 'file', header, timeout: 60_000 } as Taro.uploadFile.Option);
    return { statusCode: res.statusCode, data: String(res.data ?? '') };
  }
  const file = pickedFiles.get(doc.path) ?? (await (await fetch(doc.path)).blob());
  const form = new FormData();
  form.append('file', file, doc.name);
  const res = await fetch(url, { method: 'POST', headers: header, body: form });
  return { statusCode: res.status, data: await res.text() };
}

/**
 * Picking supporting documents (photos or PDF): H5 a multi-select file input; weapp a file from a chat
 * (`chooseMessageFile`, which also offers the album). Resolves an empty list when cancelled.
 */
export async function pickDocuments(max: number): Promise<PickedDocument[]> {
  if (max <= 0) return [];
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const chosen = await Taro.chooseMessageFile({ count: max, type: 'all', extension: ['jpg', 'jpeg', 'png', 'pdf'] });
      return chosen.tempFiles.map((f) => ({ name: f.name, path: f.path, size: f.size }));
    } catch {
      return [];
    }
  }
  if (typeof document === 'undefined') return [];
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';
    input.style.display = 'none';
    input.onchange = () => {
      const files = Array.from(input.files ?? []).slice(0, max);
      input.remove();
      resolve(files.map((f) => {
        const path = URL.createObjectURL(f);
        pickedFiles.set(path, f);
        return { name: f.name, path, size: f.size };
      }));
    };
    document.body.appendChild(input);
    input.click();
  });
}

/**
 * Fetches a file that needs the bearer token (aid documents) and resolves a local path for <Image> or
 * {@link openLocalFile}: a blob URL on H5, a temp file on weapp.
 */
export async function fetchProtectedFile(url: string, token: string | null): Promise<string> {
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (process.env.TARO_ENV === 'weapp') {
    const res = await Taro.downloadFile({ url, header });
    if (res.statusCode !== 200) throw new Error('文件无法打开');
    return res.tempFilePath;
  }
  const res = await fetch(url, { headers: header });
  if (!res.ok) throw new Error('文件无法打开');
  return URL.createObjectURL(await res.blob());
}

/** Opens a fetched file: images in the previewer, PDF in the document viewer (weapp) or a new tab (H5). */
export async function openLocalFile(path: string, contentType: string): Promise<void> {
  if (contentType.startsWith('image/')) {
    await Taro.previewImage({ urls: [path], current: path });
    return;
  }
  if (process.env.TARO_ENV === 'weapp') {
    await Taro.openDocument({ filePath: path, fileType: 'pdf' });
    return;
  }
  if (typeof window !== 'undefined') window.open(path, '_blank', 'noopener');
}
