/** `/avatar/{userId}`: the picture a bot registered with PERSONAL_PHOTO (base64), served as an image. */
import type { FastifyInstance } from 'fastify';
import type { Portal } from '../portal.ts';
import { restError } from '../errors.ts';

function imageType(b: Buffer): string {
  if (b[0] === 0x89 && b[1] === 0x50) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b.subarray(0, 3).toString() === 'GIF') return 'image/gif';
  return 'image/webp';
}

/** Register the avatar route. */
export function registerAvatarRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Params: { id: string } }>('/avatar/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const user = Number.isSafeInteger(id) ? await portal.db.selectFrom('users').select('avatar').where('id', '=', id).executeTakeFirst() : undefined;
    if (!user?.avatar) {
      const missing = restError('NOT_FOUND', 'No avatar');
      return reply.code(missing.status).send(missing.body());
    }
    const bytes = Buffer.from(user.avatar, 'base64');
    return reply.header('content-type', imageType(bytes)).header('cache-control', 'max-age=300').send(bytes);
  });
}
