/**
 * widget.js, the one script a site includes: `<script src="https://portal/widget.js" data-line="CODE" async>`.
 * It draws the chat bubble only (colour and position from GET /widget/<code>/config) in a closed
 * shadow root, so the host page's styles and scripts neither reach it nor are touched by it; it
 * defines no global name (an IIFE) and loads nothing more until the visitor clicks. The click frames
 * the conversation page (/online/<code>?embed=1), which runs on the portal's origin: the host page can
 * read nothing of it. `data-mode="page"` (the standalone page /online/<code>) opens it full-page at once.
 * The frame asks to be closed with a postMessage `{parley: 'close'}`, accepted from the portal's origin only.
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
  let side = 'right';
  const ru = navigator.language.toLowerCase().startsWith('ru');

  function open(full: boolean) {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = `${portal}/online/${code}?embed=1${full ? '&page=1' : ''}`;
      frame.title = ru ? 'Онлайн-чат' : 'Live chat';
      frame.className = full ? 'panel page' : `panel ${side}`;
      frame.setAttribute('allow', 'clipboard-write');
      root.append(frame);
    }
    frame.hidden = false;
    if (bubble) {
      bubble.innerHTML = CLOSE;
      bubble.setAttribute('aria-expanded', 'true');
    }
  }
  function close() {
    if (!frame || pageMode) return;
    frame.hidden = true;
    if (bubble) {
      bubble.innerHTML = CHAT;
      bubble.setAttribute('aria-expanded', 'false');
    }
  }

  window.addEventListener('message', (e) => {
    if (e.origin === portal && frame && e.source === frame.contentWindow && (e.data as { parley?: string } | null)?.parley === 'close') close();
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
    b.innerHTML = CHAT;
    b.addEventListener('click', () => (frame && !frame.hidden ? close() : open(false)));
    bubble = b;
    root.append(b);
  }, () => {});
})();
