/**
 * Request body parsing as Bitrix24's core does it: form bodies and anything without a known type go
 * through PHP's parse_str, JSON only for `application/json` (invalid JSON counts as `{}`), and
 * multipart fields with the same bracket syntax.
 */
import type { FastifyInstance } from 'fastify';
import Busboy from 'busboy';
import { assign, parseQuery, type PhpArray } from '../rest/php-query.ts';

const BODY_LIMIT = 32 * 1024 * 1024;

/** Install the content-type parsers on a Fastify instance. */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      const v = JSON.parse(String(body) || '{}');
      done(null, v && typeof v === 'object' ? v : {});
    } catch {
      done(null, {});
    }
  });
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    const fields: PhpArray = {};
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { fileSize: BODY_LIMIT } });
    } catch (err) {
      done(null, {});
      return;
    }
    bb.on('field', (name, value) => assign(fields, name, value));
    // A file part becomes the `[name, base64]` pair Bitrix24 methods take for file content (e.g.
    // disk.folder.uploadfile's fileContent), under its field name; a part over the limit is dropped.
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      let cut = false;
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (cut = true));
      stream.on('end', () => {
        if (cut) return;
        assign(fields, `${name}[0]`, info.filename ?? '');
        assign(fields, `${name}[1]`, Buffer.concat(chunks).toString('base64'));
      });
    });
    // A truncated or malformed multipart body keeps what was parsed, as PHP's $_POST does; the method
    // then reports its own error instead of the server answering 500 outside the REST envelope.
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      done(null, fields);
    };
    bb.on('close', finish);
    bb.on('error', finish);
    payload.pipe(bb);
  });
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    done(null, parseQuery(String(body)));
  });
}
