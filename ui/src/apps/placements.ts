/**
 * The apps' placements in the messenger: which bindings this user sees (parley.placement.list: the
 * navigation's once signed in, the dialog places' for the open dialog) and the one frame open at a
 * time (parley.placement.launch gives its address, name, form and getInitData answer). The frame
 * itself is PlacementFrame.vue; its messages are bx24-host.ts's.
 */
import { ref, shallowRef, watch } from 'vue';
import { call } from '../api.ts';
import { me, report } from '../store.ts';
import { dialog } from '../dialog.ts';
import { lang } from '../i18n.ts';

/** A binding as parley.placement.list lists it. */
export interface PlacementItem {
  id: number;
  /** DEFAULT: the app's own page, which a frame's openApplication opens (never listed). */
  placement: 'IM_NAVIGATION' | 'IM_TEXTAREA' | 'IM_SIDEBAR' | 'IM_CONTEXT_MENU' | 'IM_SMILES_SELECTOR' | 'DEFAULT';
  appId: number;
  appName: string;
  title: string;
  iconName: string;
  color: string;
  width: number | null;
  height: number | null;
  origin: string;
}

/** What parley.placement.launch answers. */
export interface Launch {
  url: string;
  origin: string;
  frameName: string;
  appSid: string;
  placement: PlacementItem['placement'];
  title: string;
  width: number | null;
  height: number | null;
  form: Record<string, string | number>;
  init: Record<string, unknown>;
}

/** An open frame: what it was launched for and with. */
export interface OpenFrame { item: PlacementItem; dialogId: string; messageId: number; launch: Launch }

/** The navigation's items (not tied to a dialog). */
export const navItems = ref<PlacementItem[]>([]);
/** The open dialog's items (textarea, sidebar, context menu, smiles), for `dialogItemsFor`. */
export const dialogItems = ref<PlacementItem[]>([]);
/** The dialog `dialogItems` belong to. */
export const dialogItemsFor = ref('');
/** The frame open now, if any (one at a time, as the messenger's slider shows one). */
export const openFrame = shallowRef<OpenFrame | null>(null);

/** The colours OPTIONS[color] names, as the messenger draws them. */
export const COLORS: Record<string, string> = {
  RED: '#e0533d', GREEN: '#2fa84f', MINT: '#3fb8a0', LIGHT_BLUE: '#57b8e6', DARK_BLUE: '#2d6fb7', PURPLE: '#8a63c9', AQUA: '#1fb5c0',
  PINK: '#e85c9a', LIME: '#8cbf26', BROWN: '#9b6a3c', AZURE: '#3a86d8', KHAKI: '#8f9b5f', SAND: '#c9a55b', ORANGE: '#f08c1f',
  MARENGO: '#4a5a6e', GRAY: '#8b949e', GRAPHITE: '#545b64',
};

/** The items of one place in the open dialog. */
export function itemsOf(placement: PlacementItem['placement']): PlacementItem[] {
  return dialogItemsFor.value === dialog.dialogId ? dialogItems.value.filter((i) => i.placement === placement) : [];
}

async function loadNav() {
  try {
    navItems.value = me.value ? await call<PlacementItem[]>('parley.placement.list', { LANG: lang.value }) : [];
  } catch (err) {
    navItems.value = [];
    report(err);
  }
}

async function loadDialog(dialogId: string) {
  if (!dialogId || !me.value) {
    dialogItems.value = [];
    dialogItemsFor.value = '';
    return;
  }
  try {
    const items = await call<PlacementItem[]>('parley.placement.list', { DIALOG_ID: dialogId, LANG: lang.value });
    // Only if the dialog is still the open one when the answer comes.
    if (dialog.dialogId !== dialogId) return;
    dialogItems.value = items.filter((i) => i.placement !== 'IM_NAVIGATION');
    dialogItemsFor.value = dialogId;
  } catch {
    // A dialog one may not read shows its own error; it simply has no placements.
    dialogItems.value = [];
  }
}

watch([me, lang], () => void loadNav(), { immediate: true });
watch([() => dialog.dialogId, lang, me], ([id]) => void loadDialog(id), { immediate: true });

/**
 * Open a binding's frame: launch it on the portal (a fresh APP_SID and token) and show it. A frame of
 * a dialog place closes when its dialog does.
 */
export async function openPlacement(item: PlacementItem, messageId = 0): Promise<void> {
  const inDialog = item.placement !== 'IM_NAVIGATION';
  const dialogId = inDialog ? dialog.dialogId : '';
  const params: Record<string, unknown> = { ID: item.id, LANG: lang.value };
  if (inDialog) params.DIALOG_ID = dialogId;
  if (messageId) params.MESSAGE_ID = messageId;
  try {
    const launch = await call<Launch>('parley.placement.launch', params);
    // A frame on the messenger's own origin would be the messenger itself, scripts and all.
    if (new URL(launch.url).origin === location.origin) throw new Error('A placement may not open the messenger itself');
    openFrame.value = { item, dialogId, messageId, launch };
  } catch (err) {
    report(err);
  }
}

/**
 * A frame's openApplication: the app's own page (PLACEMENT DEFAULT, `params` its PLACEMENT_OPTIONS)
 * takes the frame's place, in the slider. Answers whether it opened.
 */
export async function openApplication(from: OpenFrame, params: Record<string, unknown>): Promise<boolean> {
  // bx24_-prefixed keys are the slider's settings (its title), not the page's options.
  const options = Object.fromEntries(Object.entries(params).filter(([k]) => !k.startsWith('bx24_')));
  const title = typeof params.bx24_title === 'string' ? params.bx24_title.slice(0, 255) : '';
  try {
    const launch = await call<Launch>('parley.placement.application', { APP_SID: from.launch.appSid, PARAMS: JSON.stringify(options), LANG: lang.value });
    if (new URL(launch.url).origin === location.origin) throw new Error('An application may not open the messenger itself');
    if (title) launch.title = title;
    const item: PlacementItem = { ...from.item, id: 0, placement: 'DEFAULT', title: launch.title, width: null, height: null, origin: launch.origin };
    openFrame.value = { item, dialogId: '', messageId: 0, launch };
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}

/** Open the same binding (or app page) again (reloadWindow): a new launch, so a new APP_SID and a fresh token. */
export async function reopenPlacement(): Promise<void> {
  const f = openFrame.value;
  if (f?.item.placement === 'DEFAULT') await openApplication(f, (f.launch.init.PLACEMENT_OPTIONS ?? {}) as Record<string, unknown>);
  else if (f) await openPlacement(f.item, f.messageId);
}

/** Close the open frame. */
export function closePlacement(): void {
  openFrame.value = null;
}

// A dialog place's frame belongs to its dialog (an app's own page stays, as the navigation's does).
watch(() => dialog.dialogId, (id) => {
  const f = openFrame.value;
  if (f && f.item.placement !== 'IM_NAVIGATION' && f.item.placement !== 'DEFAULT' && f.dialogId !== id) closePlacement();
});
