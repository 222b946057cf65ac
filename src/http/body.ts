/**
 * Request body parsing as Bitrix24's core does it: form bodies and anything without a known type go
 * through PHP's parse_str, JSON only for `application/json` (invalid JSON counts as `{}`), and
 * multipart fields with the same bracket syntax. Every parser runs before authentication, so each
 * one enforces the limits of src/wire/limits.ts itself and fails with a RestError (400 or 413).
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Busboy from 'busboy';
import { assign, parseQuery, phpArray, UploadedPart, type PhpArray } from '../wire/php-query.ts';
import { parseJsonInput } from '../wire/json-input.ts';
import { RestError, restError } from '../errors.ts';
import { BODY_LIMIT, MAX_FILE_UPLOADS, MAX_INPUT_VARS } from '../wire/limits.ts';

/** Where the body parsers put multipart file parts while a request is handled. */
export interface BodyOptions { uploadDir: string }

/** Temporary files of a request's multipart parts, removed once its answer is sent. */
const partFiles = new WeakMap<FastifyRequest, string[]>();

const tooLarge = () => restError('ERROR_REQUEST_TOO_LARGE', `The request body is larger than ${BODY_LIMIT} bytes`);

/** Install the content-type parsers (and the clean-up of multipart temp files) on a Fastify instance. */
export function installBodyParsers(app: FastifyInstance, opts: BodyOptions): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const v = parseJsonInput(String(body) || '{}');
    done(null, v && typeof v === 'object' ? v : phpArray());
  });
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => parseMultipart(req, payload, opts, done));
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseQuery(String(body)));
    } catch (err) {
      done(err as RestError, undefined);
    }
  });
  const removeParts = async (req: FastifyRequest) => {
    for (const file of partFiles.get(req) ?? []) await fs.promises.rm(file, { force: true });
  };
  app.addHook('onResponse', removeParts);
  // A client that goes away mid-request gets no response: its parts are removed all the same.
  app.addHook('onRequestAbort', removeParts);
}

/**
 * Multipart: fields as PHP would register them, file parts streamed to disk (never held in memory),
 * with PHP's max_input_vars and max_file_uploads and the body limit counted on the raw bytes.
 */
function parseMultipart(req: FastifyRequest, payload: NodeJS.ReadableStream, opts: BodyOptions, done: (err: Error | null, body?: unknown) => void): void {
  const fields = phpArray();
  let bb: Busboy.Busboy;
  try {
    bb = Busboy({
      headers: req.headers,
      limits: { fields: MAX_INPUT_VARS, files: MAX_FILE_UPLOADS, fileSize: BODY_LIMIT, fieldSize: BODY_LIMIT, fieldNameSize: 64 * 1024 },
    });
  } catch {
    done(null, fields);
    return;
  }
  const files: string[] = [];
  partFiles.set(req, files);
  const writes: Promise<void>[] = [];
  const outs = new Set<fs.WriteStream>();
  let finished = false;
  // The form ended: wait for the file parts to reach the disk, then hand the fields on.
  const finish = () => {
    if (finished) return;
    finished = true;
    void Promise.all(writes).then(() => done(null, fields));
  };
  // A limit was crossed: answer at once, drop what is being written and discard the rest unread.
  const fail = (err: Error) => {
    if (finished) return;
    finished = true;
    payload.unpipe(bb);
    payload.resume();
    for (const out of outs) out.destroy();
    done(err);
  };
  let bytes = 0;
  payload.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > BODY_LIMIT) fail(tooLarge());
  });
  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) return fail(tooLarge());
    try {
      assign(fields, name, value);
    } catch (err) {
      fail(err as Error);
    }
  });
  bb.on('fieldsLimit', () => fail(restError('INVALID_REQUEST', `Input variables exceeded ${MAX_INPUT_VARS} (PHP's max_input_vars)`)));
  bb.on('filesLimit', () => fail(restError('INVALID_REQUEST', `Maximum number of allowable file uploads (${MAX_FILE_UPLOADS}) has been exceeded`)));
  // A file part becomes the `[name, content]` pair Bitrix24 methods take for file content (e.g.
  // disk.folder.uploadfile's fileContent), its content an UploadedPart on disk.
  bb.on('file', (name, stream, info) => {
    if (finished) return void stream.resume();
    fs.mkdirSync(opts.uploadDir, { recursive: true, mode: 0o700 });
    const file = path.join(opts.uploadDir, `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    files.push(file);
    let size = 0;
    stream.on('data', (c: Buffer) => (size += c.length));
    stream.on('limit', () => fail(tooLarge()));
    const out = fs.createWriteStream(file, { mode: 0o600 });
    outs.add(out);
    writes.push(new Promise<void>((resolve) => {
      out.on('error', (err) => {
        fail(err);
        resolve();
      });
      out.on('close', resolve);
      out.on('finish', () => {
        outs.delete(out);
        try {
          assign(fields, `${name}[0]`, info.filename ?? '');
          assign(fields, `${name}[1]`, new UploadedPart(file, size, info.filename ?? ''));
        } catch (err) {
          fail(err as Error);
        }
      });
    }));
    stream.pipe(out);
  });
  // A truncated or malformed multipart body keeps what was parsed, as PHP's $_POST does; the method
  // then reports its own error instead of the server answering 500 outside the REST envelope.
  bb.on('close', finish);
  bb.on('error', finish);
  payload.pipe(bb);
}

/** The parsed body of a request as a PHP array ({} when there was none). */
export function bodyOf(req: FastifyRequest): PhpArray {
  return req.body && typeof req.body === 'object' ? (req.body as PhpArray) : phpArray();
}
