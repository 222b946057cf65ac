/** `/chat-avatar/{chatId}`: the picture set with imbot.chat.add / updateAvatar (base64), served as an image. */
import type { FastifyInstance } from 'fastify';
import type { Portal } from '../portal.ts';
import { restError } from '../errors.ts';
import { imageInfo } from '../domain/images.ts';

/** Register the chat avatar route. */
export function registerChatAvatarRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Params: { id: string } }>('/chat-avatar/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const chat = Number.isSafeInteger(id) && id > 0
      ? await portal.db.selectFrom('chats').select('avatar').where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!chat?.avatar) {
      const missing = restError('NOT_FOUND', 'No avatar');
      return reply.code(missing.status).send(missing.body());
    }
    const bytes = Buffer.from(chat.avatar, 'base64');
    // Only pictures are ever stored; the type is read again so the header always matches the bytes.
    const type = imageInfo(bytes)?.type ?? 'application/octet-stream';
    return reply.header('content-type', type).header('cache-control', 'max-age=300').header('x-content-type-options', 'nosniff').send(bytes);
  });
}
