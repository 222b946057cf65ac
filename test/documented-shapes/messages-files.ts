/**
 * Documented examples of the messages-and-files family: im.message.* (seed) and the file methods. The
 * seed's im.disk.file.commit example is `true`; Parley answers the newer object of the English docs
 * (FILES, DISK_ID, FILE_MODELS, MESSAGE_ID), which is the row here. disk.folder.uploadfile has no
 * seed section: its example is the English docs' (api-reference/disk/folder/disk-folder-upload-file.md).
 */
import type { ShapeCase, ShapeEnv } from './types.ts';

const PNG = (() => {
  const b = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b, 0);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(72, 16);
  b.writeUInt32BE(61, 20);
  return b.toString('base64');
})();

// A group chat of admin (1) and anna (2) with a message by admin in it.
async function chatWithMessage(env: ShapeEnv): Promise<{ chat: number; message: number }> {
  const chat = await env.call('im.chat.add', { TITLE: 'Shapes: messages and files', USERS: [2] });
  const message = await env.call('im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'Текст сообщения' });
  return { chat, message };
}

// A picture uploaded into a fresh chat's folder by admin.
async function uploaded(env: ShapeEnv): Promise<{ chat: number; folder: number; file: number }> {
  const { chat } = await chatWithMessage(env);
  const folder = (await env.call('im.disk.folder.get', { CHAT_ID: chat })).ID;
  const name = `image-${Date.now()}-${Math.random().toString(36).slice(2)}.png`;
  const file = (await env.call('disk.folder.uploadfile', { id: folder, data: { NAME: name }, fileContent: [name, PNG] })).ID;
  return { chat, folder, file };
}

const FILE_SKIP = {
  'FILES.upload5249': 'keyed by the upload id (upload5249 in the docs), which differs here; the object under the real key is checked key by key in test/im-messages-files.test.ts',
  'FILE_MODELS.upload5249': 'keyed by the upload id, as FILES',
};

const rows: ShapeCase[] = [
  { method: 'im.message.add', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chat}`, MESSAGE: 'Текст сообщения', SYSTEM: 'N', URL_PREVIEW: 'Y' }), example: 11 },
  { method: 'im.message.update', params: async (env) => ({ MESSAGE_ID: (await chatWithMessage(env)).message, MESSAGE: 'Текст сообщения' }), example: true },
  { method: 'im.message.delete', params: async (env) => ({ MESSAGE_ID: (await chatWithMessage(env)).message }), example: true },
  { method: 'im.message.like', as: 2, params: async (env) => ({ MESSAGE_ID: (await chatWithMessage(env)).message, ACTION: 'auto' }), example: true },
  {
    method: 'im.message.share',
    params: async (env) => {
      const { chat, message } = await chatWithMessage(env);
      return { MESSAGE_ID: message, DIALOG_ID: `chat${chat}`, TYPE: 'CHAT' };
    },
    example: true,
  },
  { method: 'im.disk.folder.get', params: async (env) => ({ CHAT_ID: (await chatWithMessage(env)).chat }), example: { ID: 127 } },
  {
    method: 'disk.folder.uploadfile',
    params: async (env) => {
      const { chat } = await chatWithMessage(env);
      const folder = (await env.call('im.disk.folder.get', { CHAT_ID: chat })).ID;
      return { id: folder, data: { NAME: 'test.png' }, fileContent: ['test.png', PNG], generateUniqueName: true };
    },
    example: {
      ID: 9011, NAME: 'test.png', CODE: null, STORAGE_ID: '1357', TYPE: 'file', PARENT_ID: '8930', DELETED_TYPE: 0,
      GLOBAL_CONTENT_VERSION: 1, FILE_ID: 32877, SIZE: '1679', CREATE_TIME: '2026-01-27T13:06:55+02:00', UPDATE_TIME: '2026-01-27T13:06:55+02:00',
      DELETE_TIME: null, CREATED_BY: '1269', UPDATED_BY: '1269', DELETED_BY: null,
      DOWNLOAD_URL: 'https://test.bitrix24.com/rest/download.json?auth=…&token=disk%7C…',
      DETAIL_URL: 'https://test.bitrix24.com/company/personal/user/1269/disk/file/Folder/Folder in folder/test.png',
    },
  },
  {
    method: 'disk.folder.uploadfile',
    params: async (env) => {
      const { chat } = await chatWithMessage(env);
      return { id: (await env.call('im.disk.folder.get', { CHAT_ID: chat })).ID };
    },
    // The first step of an upload by URL (English docs, "Uploading a File via URL").
    example: { field: 'file', uploadUrl: 'https://test.bitrix24.com/rest/upload.json?auth=…&token=disk%7C…' },
  },
  {
    method: 'im.disk.file.commit',
    params: async (env) => {
      const { chat, file } = await uploaded(env);
      return { CHAT_ID: chat, UPLOAD_ID: file, MESSAGE: 'Важный документ' };
    },
    example: {
      FILES: {
        upload5249: {
          id: 5249, chatId: 1489, date: {}, type: 'file', name: 'image.png', extension: 'png', size: 2144,
          image: { height: 61, width: 72 }, status: 'done', progress: 100, authorId: 503, authorName: 'John Smith',
          urlPreview: 'https://mysite.com/…', urlShow: 'https://mysite.com/…', urlDownload: 'https://mysite.com/…',
          viewerAttrs: {
            viewer: '', viewerType: 'image', src: 'https://mysite.com/…', viewerResized: '', objectId: '5249',
            viewerGroupBy: '1489', imChatId: 1489, title: 'image.png', actions: '[{"type":"download"}]',
          },
          mediaUrl: { preview: { 250: 'https://mysite.com/…' } },
          isTranscribable: false, isVideoNote: false, isVoiceNote: false,
        },
      },
      DISK_ID: ['5249'],
      FILE_MODELS: {
        upload5249: {
          id: 5249, name: 'image.png', createTime: {}, updateTime: {}, deleteTime: null, code: 'media_original', xmlId: null,
          storageId: 663, realObjectId: 5249, parentId: 4821, deletedType: 0, createdBy: '503', updatedBy: '503', deletedBy: '0',
          uniqueCode: 'k7lj3sQxTRWSi6K93Vyh', typeFile: 2, globalContentVersion: 2, fileId: 57077, size: 2144,
          etag: '73c045036a9e96943fa57316371655c2',
          links: { download: '/bitrix/…', showInGrid: '/bitrix/…', preview: '/bitrix/…' },
        },
      },
      MESSAGE_ID: 84779,
    },
    skip: FILE_SKIP,
  },
  {
    method: 'im.disk.file.delete',
    params: async (env) => {
      const { chat, file } = await uploaded(env);
      await env.call('im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: file });
      return { CHAT_ID: chat, DISK_ID: file };
    },
    example: true,
  },
  {
    method: 'im.disk.file.save',
    params: async (env) => {
      const { chat, file } = await uploaded(env);
      await env.call('im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: file });
      return { DISK_ID: file };
    },
    example: { folder: { id: 130, name: 'Сохраненные файлы' }, file: { id: 578, name: 'image.png' } },
  },
];
export default rows;
