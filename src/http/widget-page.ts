/**
 * What a site owner embeds and shares of a line's live chat, served from the built UI
 * (ui/dist/livechat, scripts/build-ui.js):
 *
 * - GET /widget.js: the one script a site includes (`<script src="…/widget.js" data-line="CODE" async>`);
 *   it draws the bubble and, on a click, frames the conversation page. Any site may load it (CORS *,
 *   cross-origin resource policy); cached for five minutes, since its name carries no hash.
 * - GET /online/<code>: the standalone page, the link to share: it loads the same script, which opens
 *   the conversation full-page. With `?embed=1`, the conversation itself (the page the script frames),
 *   whose `frame-ancestors` are the line's LIVECHAT_ORIGINS (any site when empty): only an allowed site
 *   can embed it, and the host page can read nothing of it (another origin).
 * - GET /livechat/assets/*: the conversation page's hashed assets.
 *
 * An unknown or inactive line's pages answer 404.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Portal } from '../portal.ts';
import { escapeHtml } from '../format/bbcode-render.ts';
import { lineByLivechatCode, widgetSettings } from '../domain/lines/livechat.ts';
import { UI_DIST } from './web.ts';

/** Where the build puts the loader and the conversation page. */
const LIVECHAT_DIST = path.join(UI_DIST, 'livechat');

// The conversation page: its own scripts only; talks to this portal only.
const pageCsp = (ancestors: string) => [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", 'img-src http: https: data:',
  "connect-src 'self' ws: wss:", "object-src 'none'", "base-uri 'none'", "form-action 'none'", `frame-ancestors ${ancestors}`,
].join('; ');

async function readDist(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch {
    return undefined;
  }
}

function notFound(reply: FastifyReply) {
  return reply.code(404).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store')
    .send('<!doctype html><meta charset="utf-8"><title>Not found</title><p>There is no active live chat here.</p>\n');
}

function notBuilt(reply: FastifyReply) {
  return reply.code(503).header('content-type', 'text/plain; charset=utf-8').send('The live chat is not built. Run `npm run build:ui`.\n');
}

/** Register /widget.js, /online/<code> and /livechat/assets/*. */
export function registerWidgetPages(app: FastifyInstance, portal: Portal): void {
  app.get('/widget.js', async (_req, reply) => {
    const body = await readDist(path.join(LIVECHAT_DIST, 'widget.js'));
    if (!body) return notBuilt(reply);
    return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff').send(body);
  });

  app.get<{ Params: { '*': string } }>('/livechat/assets/*', async (req, reply) => {
    const name = req.params['*'];
    if (!/^[\w.-]+\.(?:js|css)$/.test(name)) return reply.callNotFound();
    const body = await readDist(path.join(LIVECHAT_DIST, 'assets', name));
    if (!body) return reply.callNotFound();
    return reply.header('content-type', name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(body);
  });

  app.get<{ Params: { code: string }; Querystring: { embed?: string } }>('/online/:code', async (req, reply) => {
    const line = await lineByLivechatCode(portal.db, req.params.code);
    if (!line) return notFound(reply);
    const settings = widgetSettings(line);
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin')
      .header('content-type', 'text/html; charset=utf-8');
    if (req.query.embed === '1') {
      const body = await readDist(path.join(LIVECHAT_DIST, 'chat.html'));
      if (!body) return notBuilt(reply);
      // 'self': the standalone page frames it too.
      const ancestors = settings.origins.length ? ["'self'", ...settings.origins].join(' ') : '*';
      return reply.header('content-security-policy', pageCsp(ancestors)).send(body);
    }
    // The standalone page is the embeddable script on a page of its own (data-mode="page": full-page, open).
    const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(settings.title)}</title></head>
<body style="margin:0"><script src="/widget.js" data-line="${escapeHtml(req.params.code)}" data-mode="page" async></script></body></html>
`;
    return reply.header('content-security-policy', pageCsp("'none'") + "; frame-src 'self'").send(html);
  });
}
