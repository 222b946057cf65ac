/**
 * The 16 colours of Bitrix24's messenger (users and chats without a picture; im.chat.updateColor),
 * by name, with the hex value answered for each. Pure data: the server and the web UI share it.
 */
export const COLORS = {
  RED: '#df532d', GREEN: '#64a513', MINT: '#4ba984', LIGHT_BLUE: '#4ba5c3', DARK_BLUE: '#3e99ce', PURPLE: '#8474c8',
  AQUA: '#1eb4aa', PINK: '#f76187', LIME: '#58cc47', BROWN: '#ab7761', AZURE: '#29619b', KHAKI: '#728f7a',
  SAND: '#ba9c7b', MARENGO: '#556574', GRAY: '#909090', GRAPHITE: '#5e5f5e',
} as const;

/** A colour name. */
export type ColorName = keyof typeof COLORS;
