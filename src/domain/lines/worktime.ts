/**
 * A line's working hours (WORKTIME_*): whether a moment falls outside them, read in the line's time
 * zone (WORKTIME_TIMEZONE, an IANA name; the portal's own zone when empty or unknown). Outside are the
 * hours before WORKTIME_FROM and from WORKTIME_TO on (a FROM after TO is a shift over midnight), the
 * days off (WORKTIME_DAYOFF: MO … SU) and the holidays (WORKTIME_HOLIDAYS: DD.MM).
 */
import type { Settings } from './config.ts';

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** Minutes after midnight of `H:MM` / `HH:MM` (undefined when malformed). */
function minutesOf(v: string): number | undefined {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(v.trim());
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) return undefined;
  return Math.min(24 * 60, Number(m[1]) * 60 + Number(m[2]));
}

/** The wall-clock parts of `at` in `timeZone` (the process's zone when it is empty or not a zone). */
function wallClock(at: Date, timeZone: string): { day: string; date: string; minutes: number } {
  let parts: Intl.DateTimeFormatPart[];
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    parts = new Intl.DateTimeFormat('en-US', { ...options, timeZone: timeZone || undefined }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat('en-US', options).formatToParts(at);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: get('weekday').slice(0, 2).toUpperCase(),
    date: `${get('day')}.${get('month')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/** Whether `at` is outside the line's working hours; always false unless WORKTIME_ENABLE is Y. */
export function outsideWorktime(s: Settings, at: Date): boolean {
  if (s.WORKTIME_ENABLE !== 'Y') return false;
  const now = wallClock(at, s.WORKTIME_TIMEZONE);
  if (!DAYS.includes(now.day)) return false;
  if (s.WORKTIME_DAYOFF.map((d) => d.toUpperCase()).includes(now.day)) return true;
  const holidays = s.WORKTIME_HOLIDAYS.flatMap((h) => h.split(',')).map((h) => h.trim().replace(/^(\d)\./, '0$1.').replace(/\.(\d)$/, '.0$1'));
  if (holidays.includes(now.date)) return true;
  const from = minutesOf(s.WORKTIME_FROM);
  const to = minutesOf(s.WORKTIME_TO);
  if (from === undefined || to === undefined || from === to) return false;
  const inside = from < to ? now.minutes >= from && now.minutes < to : now.minutes >= from || now.minutes < to;
  return !inside;
}
