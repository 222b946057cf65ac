/**
 * Sending files into a dialog the way any REST client does: im.disk.folder.get (the chat's folder),
 * disk.folder.uploadfile without fileContent (answers {field, uploadUrl}), a multipart POST of the
 * bytes to uploadUrl with XMLHttpRequest (the one browser API that reports upload progress), then
 * im.disk.file.commit, which posts the message with the file. The message itself arrives like any
 * other, through the `message.add` push.
 */
import { reactive } from 'vue';
import { call, RestError } from '../api.ts';
import { notify } from '../store.ts';
import { tf } from './strings.ts';

/** An upload in progress (or failed) in a dialog. */
export interface Upload { key: number; dialogId: string; name: string; loaded: number; total: number; error: string; done: boolean }

/** Every upload of this session that is still shown: in progress, or failed until dismissed. */
export const uploads = reactive<Upload[]>([]);
let nextKey = 1;

/** The uploads to show under a dialog. */
export const uploadsOf = (dialogId: string) => uploads.filter((u) => u.dialogId === dialogId);

/** Stop showing an upload (a failed one, once read). */
export function dismiss(key: number): void {
  const i = uploads.findIndex((u) => u.key === key);
  if (i >= 0) uploads.splice(i, 1);
}

/*
 * uploadUrl is absolute, built from the portal's public URL; the page may have been opened under
 * another name of the same portal (localhost vs 127.0.0.1), where a cross-origin POST would fail. The
 * route is the portal's own, so its path and query are posted to the origin the page came from.
 */
function sameOrigin(uploadUrl: string): string {
  const u = new URL(uploadUrl, location.href);
  if (!/^\/disk\/upload$/.test(u.pathname)) throw new RestError('UPLOAD_URL', 'Unexpected upload URL', 0);
  return `${u.pathname}${u.search}`;
}

// POST the file as multipart/form-data, reporting progress; resolves with the stored file's ID.
function post(url: string, field: string, file: File, up: Upload): Promise<number> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (ev) => {
      up.loaded = ev.loaded;
      if (ev.lengthComputable) up.total = ev.total;
    };
    xhr.onload = () => {
      let body: { result?: { ID?: number }; error?: string; error_description?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: reported by status below.
      }
      if (body.error) reject(new RestError(body.error, body.error_description ?? '', xhr.status));
      else if (xhr.status >= 400 || !body.result?.ID) reject(new RestError('UPLOAD_FAILED', `HTTP ${xhr.status}`, xhr.status));
      else resolve(Number(body.result.ID));
    };
    // The portal stops reading a body over its size limit; the browser may then see only a dropped connection.
    xhr.onerror = () => reject(new RestError('UPLOAD_FAILED', tf('networkError'), 0));
    const form = new FormData();
    form.append(field || 'file', file, file.name);
    xhr.send(form);
  });
}

/** What the user reads when an upload fails: the portal's own description when it gave one. */
function reason(err: unknown): string {
  if (err instanceof RestError) {
    if (/too large/i.test(err.message)) return tf('tooLarge', { detail: err.message });
    return err.message || err.code;
  }
  return String((err as Error)?.message ?? err);
}

/** Upload one file into a dialog (`5` or `chat7`) and post it there; false when it failed (shown to the user). */
export async function uploadFile(dialogId: string, file: File): Promise<boolean> {
  const up = reactive<Upload>({ key: nextKey++, dialogId, name: file.name, loaded: 0, total: file.size, error: '', done: false });
  uploads.push(up);
  try {
    const folder = await call<{ ID: number }>('im.disk.folder.get', { DIALOG_ID: dialogId });
    const target = await call<{ field: string; uploadUrl: string }>('disk.folder.uploadfile', { id: folder.ID, generateUniqueName: true });
    const uploadId = await post(sameOrigin(target.uploadUrl), target.field, file, up);
    up.loaded = up.total;
    await call('im.disk.file.commit', { DIALOG_ID: dialogId, UPLOAD_ID: uploadId });
    up.done = true;
    dismiss(up.key);
    return true;
  } catch (err) {
    up.error = reason(err);
    notify(`${file.name}: ${up.error}`);
    return false;
  }
}

/** Upload several files one after another (their messages keep the order they were picked in). */
export async function uploadFiles(dialogId: string, files: Iterable<File>): Promise<void> {
  for (const f of files) await uploadFile(dialogId, f);
}

/** "12.5 KB": a file size for people. */
export function sizeText(bytes: unknown): string {
  const b = Number(bytes);
  if (!Number.isFinite(b) || b < 0) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}
