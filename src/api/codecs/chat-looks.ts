/**
 * A chat's looks: AVATAR and COLOR (im.chat.*, imbot.chat.*).
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail } from '../../errors.ts';
import { has, pick, str } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { imageInfo, MAX_AVATAR_SIDE, type ImageInfo } from '../../domain/images.ts';
import { fileBytes } from '../file-param.ts';

/** AVATAR as a picture (base64, `[name, base64]` or a file part); AVATAR_ERROR when it is not one or is too large. */
export function avatar(): Codec<ImageInfo> {
  return new Codec<ImageInfo>('image', (p, name) => {
    const bytes = fileBytes(pick(p, name));
    const image = bytes && imageInfo(bytes);
    if (!image) fail('AVATAR_ERROR');
    if (!image.width || !image.height || image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) {
      fail('AVATAR_ERROR', `Avatar incorrect size (max ${MAX_AVATAR_SIDE}x${MAX_AVATAR_SIDE})`);
    }
    return image;
  }, true, 'AVATAR_ERROR');
}

/** AVATAR on a new chat: a picture that is not one is dropped (undefined), as Bitrix24 does on create. */
export function avatarIfValid(): Codec<ImageInfo | undefined> {
  const picture = avatar();
  return new Codec<ImageInfo | undefined>('image', async (p, name, ctx) => {
    if (!has(p, name)) return undefined;
    try {
      return await picture.read(p, name, ctx);
    } catch {
      return undefined;
    }
  });
}

/** COLOR: a chat colour's name, trimmed and upper-cased ('' when absent); whether it is one is the method's check. */
export function color(): Codec<string> {
  return new Codec<string>('color', (p, name) => str(p, name).trim().toUpperCase());
}
