/**
 * The answer of parley.message.search as the sidebar reads it, and its snippets cut into plain and
 * marked pieces (the portal's own snippetPieces): the marks become <mark> elements around text Vue
 * escapes, never HTML from the answer.
 */
import type { WireUser } from '../types.ts';

export { snippetPieces } from '../../../src/text/snippet.ts';

/** A found message: where it is, who wrote it, when, and its snippet with the matched words' ranges. */
export interface FoundMessage {
  id: number; chat_id: number; dialog_id: string; author_id: number; date: string;
  snippet: string; snippet_marks: [number, number][];
}

/** A chat of the results as the user names it (a private dialog by the other person). */
export interface FoundChat { id: number; dialog_id: string; type: string; title: string; avatar: string; color: string }

/** One page of results. */
export interface SearchPage { messages: FoundMessage[]; chats: FoundChat[]; users: WireUser[]; more: boolean }
