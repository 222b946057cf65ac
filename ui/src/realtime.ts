/**
 * The realtime socket: pushes carry ids only, and the caller fetches content over REST. The largest
 * push id seen is kept, and a reconnect after a dropped socket asks for everything after it, so a
 * message sent while the socket was down still arrives (or a `resync` says to reload).
 */
import { accessToken, NotSignedIn } from './api.ts';

/** One push from /realtime. */
export interface Push { type: string; id?: number; chatId?: number; messageId?: number; userId?: number; authorId?: number }

/** A self-reconnecting subscription to the user's pushes. */
export class Realtime {
  private ws: WebSocket | null = null;
  private lastId: number | undefined;
  private delay = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private holdUntil = 0;
  /** True while the socket is open. */
  connected = false;

  constructor(private readonly onPush: (p: Push) => void, private readonly onState: (connected: boolean) => void = () => {}) {}

  /** Open the socket (again). */
  async connect(): Promise<void> {
    if (this.stopped) return;
    let auth: string;
    try {
      auth = (await accessToken(this.delay > 500)).access_token;
    } catch (err) {
      if (err instanceof NotSignedIn) return;
      this.retry();
      return;
    }
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = this.lastId === undefined ? '' : `&since=${this.lastId}`;
    const ws = new WebSocket(`${proto}//${location.host}/realtime?auth=${encodeURIComponent(auth)}${since}`);
    this.ws = ws;
    ws.onmessage = (ev) => {
      let push: Push;
      try {
        push = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (push.type === 'hello') {
        this.delay = 500;
        this.setConnected(true);
      }
      if (typeof push.id === 'number') this.lastId = Math.max(this.lastId ?? 0, push.id);
      this.onPush(push);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setConnected(false);
      this.retry();
    };
  }

  private setConnected(v: boolean) {
    this.connected = v;
    this.onState(v);
  }

  private retry() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = Math.max(this.delay, this.holdUntil - Date.now());
    this.delay = Math.min(this.delay * 2, 10_000);
    this.timer = setTimeout(() => void this.connect(), wait);
  }

  /** Drop the socket as a network failure would, staying down for `ms` (used by the end-to-end tests). */
  drop(ms = 0): void {
    this.holdUntil = Date.now() + ms;
    this.ws?.close();
  }

  /** Close for good (sign-out). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setConnected(false);
  }
}
