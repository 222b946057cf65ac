/**
 * Chat files over HTTP: `GET /disk/file/{id}/{download|show|preview}[/{name}]` serves a file to a
 * viewer who may read its chat, named by the signed token of urlDownload / urlShow / urlPreview (it
 * expires after PARLEY_FILE_URL_TTL: 410 FILE_LINK_EXPIRED; a one-time link of File.download serves
 * once, then 410 FILE_LINK_USED), or by a browser session or an OAuth
 * token (`auth`, `access_token`, Bearer); `POST /disk/upload` is the
 * uploadUrl of disk.folder.uploadfile, taking the file as multipart/form-data.
 */
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Portal } from '../portal.ts';
import { RestError, restError } from '../errors.ts';
import { timeBlock } from '../rest/envelope.ts';
import { authenticate } from '../auth/credentials.ts';
import type { User } from '../store/rows.ts';
import { findUser } from '../domain/users.ts';
import { SESSION_COOKIE, readCookie, sessionUser } from '../auth/sessions.ts';
import { blobFile, saveBlobStream, verify } from '../domain/file-store.ts';
import { canReadFile, cleanName, findFile, isImage, releaseBlob, tokenViewer, type DiskFile } from '../domain/files.ts';
import { saveOrFail, storeUpload, writableFolder, type UploadGrant } from '../domain/drive.ts';
import { useOnce } from '../domain/file-links-once.ts';

function sendError(reply: FastifyReply, err: unknown) {
  const e = err instanceof RestError ? err : restError('INTERNAL_SERVER_ERROR');
  if (!(err instanceof RestError)) reply.log.error({ err }, 'unexpected failure serving a file');
  return reply.code(e.status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(e.body()));
}

// A query parameter as one string: a repeated one (`?token=a&token=b`) arrives as an array and counts as absent.
function queryParam(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' && v ? v : undefined;
}

// The viewer of a download (an active user): the URL's signed token, else a session cookie, else an
// OAuth token checked as /rest checks it. An expired link still works for whoever brings one of the
// other credentials (the web messenger's pictures on a page left open, through its session cookie):
// a leaked link alone does not.
// A one-time link (File.download of Chatbots 2.0) names its nonce too: used up once the file is served.
async function viewerOf(portal: Portal, req: FastifyRequest, fileId: number): Promise<{ user?: User; once?: { nonce: string; expiresAt: number } }> {
  const signed = queryParam(req, 'token');
  let expired = false;
  if (signed) {
    const named = tokenViewer(await verify(portal, signed), fileId, portal.clock.now());
    if (!named) throw restError('INVALID_CREDENTIALS', 'The file link is not valid');
    if ('viewer' in named) return { user: await findUser(portal.db, named.viewer), once: named.once };
    expired = true;
  }
  const session = await sessionUser(portal.db, readCookie(req.headers.cookie, SESSION_COOKIE), portal.clock.now());
  if (session) return { user: await findUser(portal.db, session) };
  const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? queryParam(req, 'auth') ?? queryParam(req, 'access_token');
  if (expired && !token) throw restError('FILE_LINK_EXPIRED');
  return { user: (await authenticate(portal.db, { token }, portal.clock.now())).user };
}

// RFC 6266 filename: an ASCII fallback and the exact UTF-8 name.
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Send a stored file whose access was checked (the messenger's links and the live chat's alike):
 * only recognised pictures are shown inline, and only when `inline` is asked for; anything else
 * (HTML, SVG, scripts) downloads, never rendering on the portal's origin.
 */
export function sendStoredFile(portal: Portal, reply: FastifyReply, file: DiskFile, inline: boolean) {
  const path = blobFile(portal, file.blob);
  if (!path) throw restError('ERROR_NOT_FOUND', 'The file content is missing');
  const shown = inline && isImage(file);
  return reply
    .header('content-type', shown ? file.mime : 'application/octet-stream')
    .header('content-length', String(file.size))
    .header('content-disposition', disposition(shown ? 'inline' : 'attachment', file.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=300')
    .send(fs.createReadStream(path));
}

async function serveFile(portal: Portal, req: FastifyRequest<{ Params: { id: string; mode: string } }>, reply: FastifyReply) {
  try {
    const id = Number(req.params.id);
    const mode = req.params.mode;
    if (!Number.isSafeInteger(id) || !['download', 'show', 'preview'].includes(mode)) throw restError('ERROR_NOT_FOUND', 'No such file');
    const { user: viewer, once } = await viewerOf(portal, req, id);
    if (!viewer) throw restError('authorization_error');
    const file = await findFile(portal.db, id);
    if (!file || file.deleted) throw restError('ERROR_NOT_FOUND', 'No such file');
    // Checked now, not when the link was made: a member who left the chat loses its files.
    if (!(await canReadFile(portal.db, file, viewer.id))) throw restError('ACCESS_ERROR');
    // A HEAD (a client looking before it fetches) does not use a one-time link up; the GET does.
    if (once && req.method !== 'HEAD' && !(await useOnce(portal.db, once.nonce, once.expiresAt))) throw restError('FILE_LINK_USED');
    return sendStoredFile(portal, reply, file, mode !== 'download');
  } catch (err) {
    return sendError(reply, err);
  }
}

// The first file part of a multipart body (the `field` named in the uploadUrl answer, or any), stored.
function readUpload(portal: Portal, req: FastifyRequest, body: Readable) {
  return new Promise<{ blob: Awaited<ReturnType<typeof saveBlobStream>>; filename: string } | undefined>((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: 1 } });
    } catch {
      resolve(undefined);
      return;
    }
    let pending: Promise<void> | undefined;
    let found: { blob: Awaited<ReturnType<typeof saveBlobStream>>; filename: string } | undefined;
    bb.on('file', (_field, stream, info) => {
      pending = saveOrFail(() => saveBlobStream(portal, stream)).then((blob) => {
        found = { blob, filename: info.filename ?? '' };
      });
      // The failure is reported when the body ends (below); this only keeps it from counting as unhandled.
      pending.catch(() => {});
    });
    bb.on('close', () => (pending ?? Promise.resolve()).then(() => resolve(found), reject));
    bb.on('error', () => resolve(undefined));
    body.pipe(bb);
  });
}

async function upload(portal: Portal, req: FastifyRequest, reply: FastifyReply) {
  const started = Date.now();
  try {
    const signed = queryParam(req, 'token');
    const payload = signed ? await verify(portal, signed) : undefined;
    const grant = payload ? (JSON.parse(payload) as UploadGrant) : undefined;
    if (!grant || grant.kind !== 'upload' || grant.exp < portal.clock.now()) throw restError('INVALID_CREDENTIALS', 'The upload URL is not valid or has expired');
    const user = await findUser(portal.db, grant.user);
    if (!user) throw restError('authorization_error');
    const folder = await writableFolder(portal.db, user, grant.folder);
    if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) throw restError('ERROR_ARGUMENT', 'Send the file as multipart/form-data');
    const got = await readUpload(portal, req, req.body as Readable);
    if (!got) throw restError('ERROR_ARGUMENT', 'No file in the request');
    const name = grant.name || cleanName(got.filename);
    if (!name) {
      await releaseBlob(portal, portal.db, got.blob.key);
      throw restError('DISK_BASE_SERVICE_22001');
    }
    const result = await storeUpload(portal, user, folder, got.blob, name, grant.unique);
    const finished = Date.now();
    return reply.header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ result, time: timeBlock(started, finished - started, finished) }));
  } catch (err) {
    return sendError(reply, err);
  }
}

/** Register the file download and upload routes. */
export function registerFileRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Params: { id: string; mode: string } }>('/disk/file/:id/:mode', (req, reply) => serveFile(portal, req, reply));
  app.get<{ Params: { id: string; mode: string; name: string } }>('/disk/file/:id/:mode/:name', (req, reply) => serveFile(portal, req, reply));
  // Uploads stream to the file store: this route's multipart body reaches the handler unparsed.
  app.register(async (child) => {
    child.removeContentTypeParser('multipart/form-data');
    child.addContentTypeParser('multipart/form-data', (_req, payload, done) => done(null, payload));
    child.post('/disk/upload', (req, reply) => upload(portal, req, reply));
  });
}
