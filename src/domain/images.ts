/**
 * Pictures sent as base64 (chat avatars): decoded, recognised by their magic bytes (PNG, JPEG, GIF,
 * WebP) and measured from their headers, so a caller learns "not an image" or "too large" at once.
 */

/** A decoded picture. */
export interface ImageInfo {
  bytes: Buffer;
  type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  /** Pixel size read from the header; 0 when the header could not be read. */
  width: number;
  height: number;
}

/** The largest side Bitrix24 accepts for a chat avatar. */
export const MAX_AVATAR_SIDE = 5000;

/**
 * Decode base64 (optionally a `data:image/…;base64,` URL) into bytes; null when it is not base64 at
 * all. Bitrix24's file parameters may also be `[name, base64]`: the last string is the content.
 */
export function decodeBase64(raw: unknown): Buffer | null {
  if (Array.isArray(raw)) raw = raw.filter((x) => typeof x === 'string').at(-1);
  else if (raw && typeof raw === 'object') raw = Object.values(raw).filter((x) => typeof x === 'string').at(-1);
  if (typeof raw !== 'string') return null;
  const b64 = raw.replace(/^data:[\w.+-]+\/[\w.+-]+;base64,/, '').replace(/\s+/g, '');
  if (!b64 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length ? bytes : null;
}

function jpegSize(b: Buffer): [number, number] {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return [0, 0];
    const marker = b[i + 1];
    // SOF0…SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return [0, 0];
}

function webpSize(b: Buffer): [number, number] {
  const chunk = b.subarray(12, 16).toString('latin1');
  if (chunk === 'VP8X' && b.length >= 30) return [1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3)];
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b.readUInt32LE(21);
    return [1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff)];
  }
  if (chunk === 'VP8 ' && b.length >= 30) return [b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff];
  return [0, 0];
}

/** Recognise and measure a picture; null when the bytes are not PNG, JPEG, GIF or WebP. */
export function imageInfo(bytes: Buffer): ImageInfo | null {
  const b = bytes;
  if (b.length >= 24 && b[0] === 0x89 && b.subarray(1, 4).toString('latin1') === 'PNG') {
    return { bytes, type: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const [width, height] = jpegSize(b);
    return { bytes, type: 'image/jpeg', width, height };
  }
  if (b.length >= 10 && b.subarray(0, 4).toString('latin1') === 'GIF8') {
    return { bytes, type: 'image/gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 16 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') {
    const [width, height] = webpSize(b);
    return { bytes, type: 'image/webp', width, height };
  }
  return null;
}

/** The largest chat app icon accepted (decoded bytes); the documented canvas is 108×66 pixels. */
export const MAX_ICON_BYTES = 256 * 1024;
/** The largest side of a chat app icon. */
export const MAX_ICON_SIDE = 512;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Why `bytes` is not an acceptable chat app icon, or undefined when it is one: a PNG (its eight-byte
 * signature, then an IHDR chunk of 13 bytes first, as the format requires) of at most MAX_ICON_BYTES
 * and MAX_ICON_SIDE pixels a side, with a bit depth and colour type PNG defines.
 */
export function pngIconProblem(bytes: Buffer): string | undefined {
  if (bytes.length > MAX_ICON_BYTES) return `ICON_FILE is larger than ${MAX_ICON_BYTES / 1024} KB`;
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'ICON_FILE must be a PNG image';
  if (bytes.readUInt32BE(8) !== 13 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return 'ICON_FILE is not a well-formed PNG (no IHDR header)';
  const [width, height, depth, colour] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20), bytes[24], bytes[25]];
  if (!width || !height || width > MAX_ICON_SIDE || height > MAX_ICON_SIDE) return `ICON_FILE must be between 1 and ${MAX_ICON_SIDE} pixels a side`;
  if (![1, 2, 4, 8, 16].includes(depth) || ![0, 2, 3, 4, 6].includes(colour)) return 'ICON_FILE is not a well-formed PNG (bad IHDR)';
  return undefined;
}
