/**
 * widget.js, the one script a site includes: `<script src="https://portal/widget.js" data-line="CODE" async>`.
 * It draws the chat bubble only (colour and position from GET /widget/<code>/config) in a closed
 * shadow root, so the host page's styles and scripts neither reach it nor are touched by it; it
 * defines no global name (an IIFE) and loads nothing more until the visitor clicks. The click frames
 * the conversation page (/online/<code>?embed=1), which runs on the portal's origin: the host page can
 * read nothing of it. `data-mode="page"` (the standalone page /online/<code>) opens it full-page at once.
 * The frame asks to be closed with a postMessage `{parley: 'close'}`, accepted from the portal's origin only.
 *
 * The frame also posts `{parley: 'state', unread, active}`: the bubble shows the unread count as a
 * badge while the conversation is closed, and `active` (this browser has a conversation on the line)
 * is remembered in the host page's localStorage, so that on the next page a returning visitor's
 * conversation is loaded hidden once the page has loaded, and the badge tells of answers that came
 * meanwhile. A first-time visitor still loads nothing but the bubble. The loader tells the frame
 * whether it is on screen (`{parley: 'shown' | 'hidden'}`): it reports reading only then.
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const code = script?.dataset.line ?? '';
  if (!script || !/^[0-9a-f]{24}$/.test(code)) return;
  const portal = new URL(script.src).origin;
  const pageMode = script.dataset.mode === 'page';

  const CSS = `
:host { all: initial; }
.bubble { position: fixed; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); display: flex; align-items: center; justify-content: center; z-index: 2147483646; }
.bubble svg { width: 28px; height: 28px; fill: #fff; }
.bubble span:first-child { display: flex; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 5px; box-sizing: border-box; border-radius: 10px;
  background: #e0393e; color: #fff; font: 600 12px/20px system-ui, sans-serif; text-align: center; }
.panel { position: fixed; bottom: 88px; width: 380px; height: min(620px, calc(100vh - 110px)); border: 0; border-radius: 12px;
  box-shadow: 0 8px 30px rgba(0,0,0,.3); background: #fff; z-index: 2147483647; }
.left { left: 20px; } .right { right: 20px; }
.page { inset: 0; width: 100%; height: 100%; border-radius: 0; box-shadow: none; bottom: 0; }
@media (max-width: 480px) { .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; } }
`;
  const CHAT = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  const CLOSE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z"/></svg>';

  const host = document.createElement('div');
  host.setAttribute('data-parley-widget', '');
  const root = host.attachShadow({ mode: 'closed' });
  // A constructed sheet is CSSOM, not inline style: a host page's strict style-src does not block it.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }

  let frame: HTMLIFrameElement | undefined;
  let bubble: HTMLButtonElement | undefined;
  let icon: HTMLSpanElement | undefined;
  let badge: HTMLSpanElement | undefined;
  let unread = 0;
  let side = 'right';
  const ru = navigator.language.toLowerCase().startsWith('ru');
  const activeKey = `parley.livechat.${code}`;

  // The conversation's frame, made once: on screen, or (a returning visitor's, for the badge) hidden.
  function frameOf(full: boolean, hidden: boolean): HTMLIFrameElement {
    if (frame) return frame;
    frame = document.createElement('iframe');
    frame.src = `${portal}/online/${code}?embed=1${full ? '&page=1' : ''}${hidden ? '&hidden=1' : ''}&site=${encodeURIComponent(location.origin)}`;
    frame.title = ru ? 'Онлайн-чат' : 'Live chat';
    frame.className = full ? 'panel page' : `panel ${side}`;
    frame.setAttribute('allow', 'clipboard-write');
    frame.hidden = hidden;
    root.append(frame);
    return frame;
  }
  const tellFrame = () => frame?.contentWindow?.postMessage({ parley: frame.hidden ? 'hidden' : 'shown' }, portal);
  function drawBubble() {
    if (!bubble || !icon || !badge) return;
    const opened = !!frame && !frame.hidden;
    icon.innerHTML = opened ? CLOSE : CHAT;
    bubble.setAttribute('aria-expanded', String(opened));
    badge.hidden = opened || unread < 1;
    badge.textContent = unread > 99 ? '99+' : String(unread);
  }
  function open(full: boolean) {
    frameOf(full, false).hidden = false;
    tellFrame();
    drawBubble();
  }
  function close() {
    if (!frame || pageMode) return;
    frame.hidden = true;
    tellFrame();
    drawBubble();
  }

  window.addEventListener('message', (e) => {
    if (e.origin !== portal || !frame || e.source !== frame.contentWindow) return;
    const data = e.data as { parley?: string; unread?: unknown; active?: unknown } | null;
    if (data?.parley === 'close') close();
    else if (data?.parley === 'ready') tellFrame();
    else if (data?.parley === 'state') {
      unread = typeof data.unread === 'number' && data.unread > 0 ? Math.floor(data.unread) : 0;
      try {
        if (data.active) localStorage.setItem(activeKey, '1');
        else localStorage.removeItem(activeKey);
      } catch { /* storage refused: no badge on the next page */ }
      drawBubble();
    }
  });

  const mount = () => document.body.append(host);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  if (pageMode) return open(true);
  fetch(`${portal}/widget/${code}/config`, { credentials: 'omit' }).then((r) => (r.ok ? r.json() : undefined)).then((config?: { color?: string; position?: string; title?: string }) => {
    if (!config) return;
    side = config.position === 'bottom-left' ? 'left' : 'right';
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `bubble ${side}`;
    b.setAttribute('aria-label', config.title || (ru ? 'Онлайн-чат' : 'Live chat'));
    b.setAttribute('aria-expanded', 'false');
    // The portal checks the colour (#rgb / #rrggbb); checked again, since it becomes a style.
    b.style.background = /^#(?:[0-9a-f]{3}){1,2}$/i.test(config.color ?? '') ? config.color! : '#2f6fde';
    icon = document.createElement('span');
    badge = document.createElement('span');
    badge.className = 'badge';
    badge.setAttribute('data-parley-badge', '');
    b.append(icon, badge);
    b.addEventListener('click', () => (frame && !frame.hidden ? close() : open(false)));
    bubble = b;
    root.append(b);
    drawBubble();
    let returning = false;
    try {
      returning = localStorage.getItem(activeKey) === '1';
    } catch { /* no storage: no badge */ }
    // A returning visitor's conversation, loaded hidden after the page, so the badge can count answers.
    const preload = () => frameOf(false, true);
    if (returning) {
      if (document.readyState === 'complete') setTimeout(preload, 0);
      else window.addEventListener('load', preload, { once: true });
    }
  }, () => {});
})();
