/** What the console's Lines tab works with, as the imopenlines.* methods answer it. */

/** A line as config.list.get answers it with OPTIONS CONFIG_QUEUE=Y (every scalar a string). */
export interface WireLine { ID: string; LINE_NAME: string; ACTIVE: string; CONFIG_QUEUE?: { ENTITY_ID: string; ENTITY_TYPE: string }[]; [field: string]: unknown }
/** Someone the line form names: an operator or a bot. */
export interface Named { id: number; name: string }
