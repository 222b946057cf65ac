/**
 * The rich link a URL in a message's text gets once the message is committed: URL_ID, URL_ONLY and a
 * transparent RICH_LINK attach, as in the seed's im.dialog.messages.get example. Best effort and not
 * awaited: the REST answer never waits for a remote page, and a failed preview only leaves the
 * message as it was.
 */
import type { Portal } from '../portal.ts';
import { buildRichLink, firstUrl, isLinkOnly } from '../format/url-preview.ts';
import { runAction } from './action.ts';
import { findMessage } from './messages.ts';

/**
 * After message `messageId` with `text` is committed (posted, or edited to a new text): unless the
 * author said URL_PREVIEW=N, fetch the page of the text's first http(s) URL and show its rich link.
 */
export function previewLink(portal: Portal, messageId: number, text: string, urlPreview: boolean): void {
  if (!urlPreview) return;
  const url = firstUrl(text);
  if (!url) return;
  // Followed (Portal.inFlight): a closing portal lets a preview begun before it end before the store closes.
  void portal.inFlight.track(addPreview(portal, messageId, text, url)
    .catch((err) => portal.log.warn({ err, component: 'url-preview', messageId }, 'link preview failed')));
}

async function addPreview(portal: Portal, messageId: number, text: string, url: string): Promise<void> {
  const block = await buildRichLink(url, { allowPrivate: portal.config.urlPreviewPrivate });
  if (!block) return;
  await runAction(portal, async (trx) => {
    const m = await findMessage(trx, messageId);
    // Deleted or edited meanwhile: the preview belongs to a text that is gone.
    if (!m || m.deleted || m.text !== text) return;
    // There is no URL table: the message id names the URL, as URL_ID names the metadata row in Bitrix24.
    const attach = { ID: String(messageId), BLOCKS: [block], COLOR: 'transparent' };
    await trx.updateTable('messages')
      .set({ url_id: messageId, url_only: isLinkOnly(text, url) ? 1 : m.url_only, url_attach: JSON.stringify(attach) })
      .where('id', '=', messageId).execute();
  });
}
