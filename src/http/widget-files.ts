/**
 * Files of the live chat's visitor API (src/http/widget.ts registers them with its line and visitor checks):
 *
 * - POST /widget/<code>/files: multipart/form-data, the visitor's Bearer token; file parts (at most
 *   LIVECHAT_FILE_CAPS.count, each at most widgetFileMax bytes) and an optional `text` field. The
 *   token, the line, the origin and the rate limits are checked from the headers, and a declared
 *   Content-Length over what the caps allow is refused, before a byte of the body is read; a part
 *   over the caps stops the reading at once (the connection is closed, the rest never read) and what
 *   was stored of the request is dropped. Answers {id} of the visitor's message that carries them.
 * - GET /widget/<code>/files/<id>/<name>?token=…: the download URL of a WidgetFile (livechat-files.ts),
 *   no Bearer needed (an <img> or a link can open it): the signature, its expiry (410
 *   FILE_LINK_EXPIRED), and that the file is one its visitor may see now, checked at each download.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Busboy from 'busboy';
import type { Portal } from '../portal.ts';
import { RestError, restError } from '../errors.ts';
import { runAction } from '../domain/action.ts';
import type { Line } from '../domain/lines/config.ts';
import { LIVECHAT_CAPS, lineByLivechatCode, originAllowed, widgetSettings } from '../domain/lines/livechat.ts';
import { FileTooLarge, saveBlobStream, verify } from '../domain/file-store.ts';
import { cleanName, releaseBlob } from '../domain/files.ts';
import { sendStoredFile } from './files.ts';
import {
  LIVECHAT_FILE_CAPS, visitorFile, visitorFileToken, visitorSendsFiles, widgetFileMax, type VisitorUpload,
} from '../domain/lines/livechat-files.ts';
import { findVisitor, type Visitor } from '../domain/lines/livechat-store.ts';

type Req = FastifyRequest<{ Params: { code: string } }>;

/** What widget.ts lends these routes: its line (with CORS) and visitor checks, its error answer. */
export interface WidgetChecks {
  lineOf(req: Req, reply: FastifyReply): Promise<Line>;
  visitorOf(req: Req, line: Line): Promise<Visitor>;
  sendError(reply: FastifyReply, err: unknown): FastifyReply;
}

/** Room for the multipart framing and the text field on top of the files themselves. */
const FRAMING_BYTES = 64 * 1024;

// The file parts of a multipart body stored (each under `max` bytes, at most `count`), and its `text`.
// Refuses at the first part over a cap, destroying that part's stream so nothing more is read.
function readUploads(portal: Portal, req: FastifyRequest, body: Readable, max: number, count: number): Promise<{ uploads: VisitorUpload[]; text: string }> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: count, fileSize: max + 1, fields: 4, fieldSize: LIVECHAT_CAPS.text * 4, parts: count + 4 } });
    } catch {
      return reject(restError('WIDGET_FILE'));
    }
    const uploads: VisitorUpload[] = [];
    const saving: Promise<unknown>[] = [];
    let text = '';
    let failed: RestError | undefined;
    const fail = (err: RestError) => {
      if (failed) return;
      failed = err;
      body.unpipe(bb);
      // Whatever was stored goes (once every save has settled); the caller answers and closes the connection.
      void Promise.allSettled(saving).then(async () => {
        for (const u of uploads) await releaseBlob(portal, portal.db, u.blob.key);
      });
      reject(err);
    };
    bb.on('file', (_field, stream, info) => {
      if (failed) return stream.resume();
      const name = cleanName(info.filename ?? '') || 'file';
      stream.once('limit', () => {
        stream.destroy(new FileTooLarge(max));
        fail(restError('WIDGET_FILE_TOO_LARGE', `A file is at most ${max} bytes`));
      });
      // busboy stops a part at max + 1 bytes (its 'limit' comes only past that): a part of max + 1 is refused here.
      const saved = saveBlobStream(portal, stream).then(async (blob) => {
        if (blob.size > max) {
          await releaseBlob(portal, portal.db, blob.key);
          return fail(restError('WIDGET_FILE_TOO_LARGE', `A file is at most ${max} bytes`));
        }
        if (failed) return releaseBlob(portal, portal.db, blob.key);
        uploads.push({ blob, name });
      }, (err: unknown) => fail(err instanceof FileTooLarge ? restError('WIDGET_FILE_TOO_LARGE', `A file is at most ${max} bytes`) : restError('WIDGET_FILE')));
      saving.push(saved);
    });
    bb.on('field', (name, value, info) => {
      if (name !== 'text') return;
      if (info.valueTruncated || value.length > LIVECHAT_CAPS.text) fail(restError('WIDGET_MESSAGE', `A message is text of at most ${LIVECHAT_CAPS.text} characters`));
      else text = value;
    });
    bb.on('filesLimit', () => fail(restError('WIDGET_TOO_MANY_FILES', `At most ${count} files in one message`)));
    bb.on('partsLimit', () => fail(restError('WIDGET_TOO_MANY_FILES', `At most ${count} files in one message`)));
    bb.on('error', () => fail(restError('WIDGET_FILE')));
    bb.on('close', () => {
      if (failed) return;
      void Promise.all(saving).then(() => {
        if (failed) return;
        if (!uploads.length) return fail(restError('WIDGET_FILE'));
        resolve({ uploads, text });
      });
    });
    body.on('error', () => fail(restError('WIDGET_FILE')));
    body.pipe(bb);
  });
}

/** Serve the upload and download routes of the live chat's files. */
export function registerWidgetFileRoutes(app: FastifyInstance, portal: Portal, checks: WidgetChecks): void {
  app.register(async (child) => {
    // The body reaches the handler unread: it is streamed to the file store after the checks.
    child.removeContentTypeParser('multipart/form-data');
    child.addContentTypeParser('multipart/form-data', (_req, payload, done) => done(null, payload));
    child.post<{ Params: { code: string } }>('/widget/:code/files', async (req, reply) => {
      try {
        const line = await checks.lineOf(req, reply);
        const visitor = await checks.visitorOf(req, line);
        if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) throw restError('WIDGET_FILE');
        const max = widgetFileMax(portal);
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > max * LIVECHAT_FILE_CAPS.count + FRAMING_BYTES) throw restError('WIDGET_FILE_TOO_LARGE', `A file is at most ${max} bytes`);
        const { uploads, text } = await readUploads(portal, req, req.body as Readable, max, LIVECHAT_FILE_CAPS.count);
        try {
          const id = await runAction(portal, (trx) => visitorSendsFiles(portal, trx, visitor, line, uploads, text));
          return reply.header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ id }));
        } catch (err) {
          for (const u of uploads) await releaseBlob(portal, portal.db, u.blob.key);
          throw err;
        }
      } catch (err) {
        // A refusal may come with the body unread: the connection closes after the answer instead of reading the rest.
        if (!(req.raw as { complete?: boolean }).complete) reply.header('connection', 'close');
        return checks.sendError(reply, err);
      }
    });
  });

  app.get<{ Params: { code: string; id: string; name: string } }>('/widget/:code/files/:id/:name', async (req, reply) => {
    try {
      const line = await lineByLivechatCode(portal.db, req.params.code);
      if (!line) throw restError('WIDGET_LINE_NOT_FOUND');
      // The signed link is the credential: a picture or a link opened from the widget sends no Origin.
      // A foreign site's script that does send one is refused as on every widget route.
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
      if (origin) {
        if (!originAllowed(widgetSettings(line), origin)) throw restError('WIDGET_ORIGIN');
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      }
      const id = Number(req.params.id);
      const token = (req.query as Record<string, unknown>).token;
      if (!Number.isSafeInteger(id) || typeof token !== 'string') throw restError('WIDGET_FILE_LINK');
      const named = visitorFileToken(await verify(portal, token), id, portal.clock.now());
      if (!named) throw restError('WIDGET_FILE_LINK');
      if ('expired' in named) throw restError('FILE_LINK_EXPIRED', 'The file link has expired; read the history again for a fresh one');
      const visitor = await findVisitor(portal.db, named.visitorId);
      const file = visitor && Number(visitor.line_id) === Number(line.id) ? await visitorFile(portal.db, visitor, id) : undefined;
      if (!file) throw restError('WIDGET_FILE_LINK');
      return sendStoredFile(portal, reply, file, (req.query as Record<string, unknown>).download === undefined);
    } catch (err) {
      return checks.sendError(reply, err);
    }
  });
}
