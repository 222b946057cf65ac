/**
 * The parent side of the BX24 frame protocol, which BX24.js and @bitrix24/b24jssdk speak from inside
 * a placement's frame. The frame posts `command:argsJSON:callbackId:APP_SID` (args may be absent, and
 * may hold ':') or `{method, params, callback, appSid}`; the parent answers `callbackId:resultJSON`
 * to the frame's origin. A message counts only when it comes from this frame's window, from the
 * handler's origin, with this frame's APP_SID: any other is dropped without an answer. Every command
 * is answered (an unknown one with an error), so a frame's promise never waits for nothing.
 */
import { call } from '../api.ts';
import type { Launch } from './placements.ts';

/** Longest message read (a frame's command is small; its args are a title, a size, a text). */
const MAX_MESSAGE = 64 * 1024;

/** One command from the frame. */
export interface FrameMessage { command: string; args: Record<string, unknown>; callbackId: string; appSid: string }

/** What the messenger does for the frame's commands. */
export interface HostActions {
  resize(width: number | string, height: number | string): { width: number; height: number };
  setTitle(title: string): void;
  close(): void;
  reload(): void;
  /** Put text into the composer of the open dialog (replacing what is typed, or at its end). */
  insertText(text: string, replace: boolean): boolean;
  /** Send text into the open dialog as the user. */
  sendText(text: string): Promise<boolean>;
  openDialog(dialogId: string): boolean;
  /** openApplication: the app's own page takes the frame's place (`params`: its PLACEMENT_OPTIONS). */
  openApplication(params: Record<string, unknown>): Promise<boolean>;
}

// A plain object without a prototype, holding only the string-keyed data of a parsed value.
function plain(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (k !== '__proto__' && k !== 'constructor' && k !== 'prototype') out[k] = v;
  } else if (typeof value === 'string' || typeof value === 'number') {
    // A bare value (BX24.js sends some commands' single argument raw): kept as `value`.
    out.value = value;
  }
  return out;
}

function parseArgs(raw: string): Record<string, unknown> {
  if (!raw) return plain(undefined);
  try {
    return plain(JSON.parse(raw));
  } catch {
    return plain(raw);
  }
}

const CALLBACK = /^[\w.-]{1,128}$/;

/**
 * Read a frame's message in either form, or null when it is neither. The string form is split at
 * ':': the first part is the command, the last the APP_SID, the one before it the callback id, and
 * whatever lies between (it may contain ':', or be absent) the arguments' JSON.
 */
export function parseFrameMessage(data: unknown): FrameMessage | null {
  if (typeof data === 'string') {
    if (data.length > MAX_MESSAGE) return null;
    const parts = data.split(':');
    if (parts.length < 3) return null;
    const command = parts[0];
    const appSid = parts[parts.length - 1];
    const callbackId = parts[parts.length - 2];
    return { command, args: parseArgs(parts.slice(1, -2).join(':')), callbackId, appSid };
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const o = data as Record<string, unknown>;
    if (typeof o.method !== 'string' || typeof o.appSid !== 'string') return null;
    const params = typeof o.params === 'string' ? parseArgs(o.params) : plain(o.params);
    let size = 0;
    try {
      size = JSON.stringify(o).length;
    } catch {
      return null;
    }
    if (size > MAX_MESSAGE) return null;
    return { command: o.method, args: params, callbackId: typeof o.callback === 'string' ? o.callback : '', appSid: o.appSid };
  }
  return null;
}

// The commands of a dialog place's interface (placement.getInterface): Parley's own, since the docs
// list none for the messenger's places.
const IM_COMMANDS = ['insertText', 'sendText'];

/**
 * Listen for the frame's messages: `frame()` is its window now (it changes when the form is posted
 * again). Answers a function that stops listening.
 */
export function hostFrame(frame: () => Window | null | undefined, launch: Launch, actions: HostActions): () => void {
  const inDialog = launch.placement !== 'IM_NAVIGATION' && launch.placement !== 'DEFAULT';
  let init = { ...launch.init };

  async function run(m: FrameMessage): Promise<unknown> {
    const a = m.args;
    const text = typeof a.text === 'string' ? a.text : typeof a.value === 'string' ? a.value : '';
    switch (m.command) {
      case 'getInitData':
        return init;
      case 'refreshAuth': {
        const fresh = await call<Record<string, unknown>>('parley.placement.auth', { APP_SID: launch.appSid });
        init = { ...init, ...fresh };
        return fresh;
      }
      case 'resizeWindow':
        return actions.resize(a.width as number | string, a.height as number | string);
      case 'setTitle':
        actions.setTitle(String(a.title ?? a.value ?? '').slice(0, 255));
        return {};
      case 'reloadWindow':
        actions.reload();
        return {};
      case 'closeApplication':
        actions.close();
        return {};
      case 'openApplication':
        // Answered before this frame gives way to the app's page (its window is gone after that).
        void actions.openApplication({ ...a });
        return {};
      case 'setScroll':
      case 'setInstall':
      case 'setInstallFinish':
      case 'setUserOption':
      case 'setAppOption':
        // Nothing to keep: the app is installed, the messenger's page does not scroll, options are not stored.
        return {};
      case 'getInterface':
        return { command: inDialog ? IM_COMMANDS : [], event: [] };
      case 'placementBindEvent':
        // The messenger's places raise no events: the subscription is taken and never called.
        return {};
      case 'imOpenMessenger':
        return { result: actions.openDialog(String(a.dialogId ?? a.value ?? '')) };
      case 'insertText':
        return { result: inDialog && actions.insertText(text.slice(0, 20_000), a.replace === true || a.replace === 'Y') };
      case 'sendText':
        return { result: inDialog && !!text.trim() && (await actions.sendText(text.slice(0, 20_000))) };
      default:
        return { error: 'UNKNOWN_COMMAND', error_description: `The messenger has no command ${m.command.slice(0, 64)}` };
    }
  }

  const onMessage = (ev: MessageEvent) => {
    const win = frame();
    if (!win || ev.source !== win || ev.origin !== launch.origin) return;
    const m = parseFrameMessage(ev.data);
    if (!m || m.appSid !== launch.appSid) return;
    run(m).catch((err: Error) => ({ error: 'ERROR', error_description: String(err?.message ?? err) })).then((result) => {
      // An answer goes only to the frame's own origin, and only when it asked for one.
      if (CALLBACK.test(m.callbackId)) win.postMessage(`${m.callbackId}:${JSON.stringify(result ?? {})}`, launch.origin);
    });
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}
