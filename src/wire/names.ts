/** A person's name as Bitrix24 writes it: NAME in event payloads and user objects, mentions and chat titles. */

/** "First Last" as Bitrix24 builds a full name. */
export function fullName(u: { name: string; last_name: string }): string {
  return [u.name, u.last_name].filter(Boolean).join(' ');
}

/** A person as system lines name them: a [USER] mention with their full name. */
export function mention(u: { id: number; name: string; last_name: string }): string {
  return `[USER=${u.id}]${fullName(u)}[/USER]`;
}
