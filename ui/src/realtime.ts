/**
 * The realtime socket: pushes carry ids only, and the caller fetches content over REST. The largest
 * push id seen is kept, and a reconnect after a dropped socket asks for everything after it, so a
 * message sent while the socket was down still arrives (or a `resync` says to reload).
 * The portal closes a socket with 4401 when its token stops being valid (expired, revoked): the
 * reconnect then asks /web/token for a fresh one, and when the session itself is gone the UI goes
 * back to the sign-in screen instead of retrying.
 */
import { accessToken, NotSignedIn } from './api.ts';

/** The portal's close code for "the socket's credentials are no longer valid". */
const CLOSE_REAUTHENTICATE = 4401;

/** One push from /realtime. */
export interface Push { type: string; id?: number; chatId?: number; messageId?: number; userId?: number; authorId?: number; notifyId?: number; action?: string; seconds?: number }

/** A self-reconnecting subscription to the user's pushes. */
export class Realtime {
  private ws: WebSocket | null = null;
  private lastId: number | undefined;
  private delay = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private holdUntil = 0;
  /** The last socket was closed for its token: the next connect fetches a fresh one. */
  private staleToken = false;
  /** True while the socket is open. */
  connected = false;

  constructor(
    private readonly onPush: (p: Push) => void,
    private readonly onState: (connected: boolean) => void = () => {},
    private readonly onSignedOut: () => void = () => {},
  ) {}

  /** Open the socket (again). */
  async connect(): Promise<void> {
    if (this.stopped) return;
    let auth: string;
    try {
      auth = (await accessToken(this.staleToken || this.delay > 500)).access_token;
      this.staleToken = false;
    } catch (err) {
      // The session ended (signed out elsewhere, user deactivated): nothing to reconnect with.
      if (err instanceof NotSignedIn) {
        this.stop();
        this.onSignedOut();
        return;
      }
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
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      if (ev.code === CLOSE_REAUTHENTICATE) this.staleToken = true;
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
