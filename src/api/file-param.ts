/**
 * File content parameters (`fileContent`, `AVATAR`): Bitrix24 takes them as `[name, base64]` or a
 * bare base64 string in a form or JSON, and as a file part in a multipart body, which the body parser
 * has already streamed to a temporary file (UploadedPart).
 */
import fs from 'node:fs';
import { decodeBase64 } from '../domain/images.ts';
import { UploadedPart } from '../wire/php-query.ts';

/** The multipart part among a parameter's values, if it came as one. */
export function uploadedPart(raw: unknown): UploadedPart | undefined {
  if (raw instanceof UploadedPart) return raw;
  if (raw && typeof raw === 'object') return Object.values(raw).find((v): v is UploadedPart => v instanceof UploadedPart);
  return undefined;
}

/** The bytes of a file parameter held in memory (small files: avatars); null when it is not one. */
export function fileBytes(raw: unknown): Buffer | null {
  const part = uploadedPart(raw);
  if (!part) return decodeBase64(raw);
  const bytes = fs.readFileSync(part.path);
  return bytes.length ? bytes : null;
}
