/** `/chat-app-icon/{id}`: a chat app's PNG icon (imbot.app.register ICON_FILE), as the messenger's composer shows it. */
import type { FastifyInstance } from 'fastify';
import type { Portal } from '../portal.ts';
import { restError } from '../errors.ts';

/** Register the chat app icon route. */
export function registerChatAppIconRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Params: { id: string } }>('/chat-app-icon/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const row = Number.isSafeInteger(id) && id > 0
      ? await portal.db.selectFrom('chat_apps').select('icon').where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row?.icon) {
      const missing = restError('NOT_FOUND', 'No icon');
      return reply.code(missing.status).send(missing.body());
    }
    // Only PNGs whose header was checked are stored (imbot.app.*), so the type is always true.
    // The messenger's URL carries the icon's version (?v=), so a short cache is only for bare URLs.
    return reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff').send(Buffer.from(row.icon, 'base64'));
  });
}
