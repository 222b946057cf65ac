/**
 * Chat apps (imbot.app.*): an application's button in the messenger's composer, either a JS command
 * (JS_METHOD / JS_PARAM) or an IFRAME page, shown in the dialog contexts it names. The icon is the
 * PNG as base64 text, as bot and chat avatars are kept (users.avatar, chats.avatar).
 */
import { int, text, withBigId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let t = withBigId(db.schema.createTable('chat_apps'), caps);
  for (const c of ['code', 'js_method', 'js_param', 'iframe', 'hash', 'context', 'icon', 'lang']) t = text(t, c);
  for (const c of [
    'app_id', 'bot_id', 'iframe_width', 'iframe_height', 'iframe_popup', 'hidden', 'extranet_support', 'livechat_support',
    'created_at', 'updated_at',
  ]) t = int(t, c);
  await t.execute();
  // CODE is unique per owning application (Bitrix24 answers the existing id for a repeated code).
  await db.schema.createIndex('chat_apps_app_code').unique().on('chat_apps').columns(['app_id', 'code']).execute();
  await db.schema.createIndex('chat_apps_bot').on('chat_apps').columns(['bot_id']).execute();
};
export default step;
