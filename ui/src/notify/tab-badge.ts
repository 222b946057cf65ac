/**
 * The tab shows what waits: unread messages plus unread notifications, as "(3) Parley" in its title
 * and as a red count drawn on the favicon, so it can be seen among other tabs.
 */
import { computed, watch } from 'vue';
import { me, totalUnread } from '../store.ts';
import { unread } from './state.ts';

/** What the tab counts: unread messages and notifications of the signed-in user. */
export const tabCount = computed(() => (me.value ? totalUnread.value + unread.value : 0));

const ICON = '/favicon.svg';

function iconLink(): HTMLLinkElement {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  return link;
}

/** The favicon (the same speech bubble as favicon.svg) with a count in a red circle, as a PNG data URL. */
function badgeIcon(n: number): string {
  const c = document.createElement('canvas');
  c.width = c.height = 64;
  const g = c.getContext('2d');
  if (!g) return ICON;
  g.fillStyle = '#2f6fdb';
  g.beginPath();
  g.roundRect(0, 0, 64, 64, 16);
  g.fill();
  g.fillStyle = '#fff';
  g.beginPath();
  g.moveTo(16, 20); g.lineTo(48, 20); g.lineTo(48, 40); g.lineTo(28, 40); g.lineTo(18, 48); g.lineTo(18, 40); g.lineTo(16, 40);
  g.closePath();
  g.fill();
  const label = n > 99 ? '99+' : String(n);
  g.fillStyle = '#e53935';
  g.beginPath();
  g.arc(44, 20, 20, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#fff';
  g.font = `bold ${label.length > 2 ? 18 : label.length > 1 ? 24 : 30}px system-ui, sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(label, 44, 22);
  return c.toDataURL('image/png');
}

watch(tabCount, (n) => {
  document.title = n ? `(${n}) Parley` : 'Parley';
  const link = iconLink();
  link.type = n ? 'image/png' : 'image/svg+xml';
  link.href = n ? badgeIcon(n) : ICON;
}, { immediate: true });
