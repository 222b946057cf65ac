/**
 * The conversation page's client of the visitor API (/widget/<code>/…, src/http/widget.ts) and its
 * live socket: same-origin with the portal. The visitor's token is kept in localStorage per line, so
 * the conversation survives reloads and returns.
 */

/** The widget's config as GET config answers it. */
export interface WidgetConfig {
  title: string;
  color: string;
  greeting: string;
  position: string;
  form: { name: Rule; email: Rule; phone: Rule };
  operatorAvailable: boolean;
  /** The caps of POST files: bytes per file, files per message. */
  files?: { maxBytes: number; maxCount: number };
}
export type Rule = 'off' | 'optional' | 'required';

/** One message as the API gives it (livechat-store.ts WidgetMessage). */
export interface ChatMessage {
  id: number;
  author: { kind: 'visitor' | 'operator' | 'bot' | 'system'; name: string };
  text: string;
  date: string;
  edited?: true;
  keyboard?: unknown;
  /** The keyboard waits for the bot after a BLOCK=Y press. */
  keyboardBlocked?: true;
  /** The bot's context menu (MENU items). */
  menu?: unknown;
  /** The message's files; `url` is a download link signed for this visitor. */
  files?: ChatFile[];
}

/** How far the line's people read (readId) and the visitor (myReadId): livechat-store.ts VisitorReadState. */
export interface ReadState { readId: number; myReadId: number; unread: number }

/** A file of a message as the API gives it (livechat-store.ts WidgetFile). */
export interface ChatFile { id: number; name: string; size: number; type: 'image' | 'file'; url: string }

/** An answer of the API that is an error: its code and description. */
export class WidgetError extends Error {
  constructor(readonly status: number, readonly code: string, description: string) {
    super(description);
  }
}

/** The line's code, from the page's path /online/<code>. */
export const lineCode = /^\/online\/([0-9a-f]{24})/.exec(location.pathname)?.[1] ?? '';
const tokenKey = `parley.livechat.${lineCode}`;

/** The stored token of this browser's visitor of the line ('' when none). */
export const storedToken = (): string => localStorage.getItem(tokenKey) ?? '';
/** Keep (or, with '', forget) the visitor's token. */
export function storeToken(token: string): void {
  if (token) localStorage.setItem(tokenKey, token);
  else localStorage.removeItem(tokenKey);
}

/** Call the visitor API; JSON in and out. */
export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const token = storedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/widget/${lineCode}/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new WidgetError(res.status, String(data.error ?? 'ERROR'), String(data.error_description ?? res.statusText));
  return data as T;
}

/** Send files (with optional text) as one message: multipart POST files; answers the message id. */
export async function uploadFiles(files: File[], text: string): Promise<{ id: number }> {
  const form = new FormData();
  if (text) form.append('text', text);
  for (const f of files) form.append('file', f, f.name);
  const res = await fetch(`/widget/${lineCode}/files`, { method: 'POST', headers: { authorization: `Bearer ${storedToken()}` }, body: form });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new WidgetError(res.status, String(data.error ?? 'ERROR'), String(data.error_description ?? res.statusText));
  return data as { id: number };
}

/** What the live socket sends. */
export type LiveEvent =
  | { type: 'hello' }
  | { type: 'message' | 'message.update'; message: ChatMessage }
  | { type: 'typing'; author: { kind: string; name: string } }
  | { type: 'read'; read: ReadState };

/** The socket's close code when the line no longer takes visitors (src/http/widget-live.ts LINE_CLOSED). */
export const LINE_CLOSED = 4404;

/**
 * The live socket (token as the subprotocol beside 'parley-widget'), reopened with backoff while the
 * page lives; `onOpen` runs on every (re)connection so the page can fetch what it missed. Closed as
 * LINE_CLOSED, it stays closed and `onLineClosed` runs.
 */
export function connectLive(onEvent: (e: LiveEvent) => void, onOpen: () => void, onLineClosed: () => void): () => void {
  let ws: WebSocket | undefined;
  let stopped = false;
  let delay = 500;
  const open = () => {
    if (stopped || !storedToken()) return;
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/widget/${lineCode}/live`, ['parley-widget', storedToken()]);
    ws.onopen = () => {
      delay = 500;
      onOpen();
    };
    ws.onmessage = (m) => {
      try {
        onEvent(JSON.parse(String(m.data)) as LiveEvent);
      } catch { /* not ours */ }
    };
    ws.onclose = (e) => {
      if (stopped) return;
      if (e.code === LINE_CLOSED) {
        stopped = true;
        return onLineClosed();
      }
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  open();
  return () => {
    stopped = true;
    ws?.close();
  };
}
