/**
 * Keeping the open dialog read while it is on screen. dialog.ts reads up to the newest loaded message
 * shortly after each one arrives, but the recent list reloads on the same push and can land first:
 * it then showed the open dialog with an unread badge (and the header total) until the read came back.
 * While the page is visible, the open dialog's counter is never shown, and if the list reports unread
 * messages there, they are marked read at once (im.dialog.read). When the page is hidden, badges show
 * as they are; reads made elsewhere (another tab) reload the list.
 */
import { onBeforeUnmount, ref, watch } from 'vue';
import { call } from '../api.ts';
import { dialog } from '../dialog.ts';
import { me, onPush, recent, refreshRecentSoon, totalUnread } from '../store.ts';

/** Call from the dialog view's setup: active while a dialog is shown. */
export function useReadMarking(): void {
  const visible = ref(document.visibilityState !== 'hidden');
  const onVisibility = () => (visible.value = document.visibilityState !== 'hidden');
  document.addEventListener('visibilitychange', onVisibility);

  let asked = 0;
  // flush 'pre': the list is corrected before it is drawn, so the badge never appears.
  const stopWatch = watch([recent, visible, () => dialog.chatId, () => dialog.messages.length], () => {
    if (!visible.value || !dialog.chatId) return;
    const item = recent.value.find((i) => i.chat_id === dialog.chatId);
    if (!item?.counter) return;
    totalUnread.value = Math.max(0, totalUnread.value - item.counter);
    item.counter = 0;
    // While newer pages are not loaded yet (opened at the first unread), read only what is loaded.
    const loaded = dialog.messages[dialog.messages.length - 1]?.id ?? 0;
    const last = dialog.hasNewer ? loaded : Math.max(item.message?.id ?? 0, loaded);
    // One read per newest message: a reload before the read lands does not ask again.
    if (!last || last <= asked) return;
    asked = last;
    call('im.dialog.read', { DIALOG_ID: dialog.dialogId, MESSAGE_ID: last }).catch(() => (asked = 0));
  }, { flush: 'pre', immediate: true });

  // The user's own reads elsewhere (another tab or device) and counter changes reload the list.
  const stopPush = onPush((p) => {
    if ((p.type === 'dialog.read' && p.userId === me.value?.id) || p.type === 'counters') refreshRecentSoon();
  });

  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibility);
    stopWatch();
    stopPush();
  });
}
