/**
 * Sprig's date functions with Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`). Times are JavaScript
 * Dates; `date` formats in UTC (the controller runs in UTC, as Argo CD's containers do), `dateInZone` in any IANA
 * zone. Integers are Unix seconds, as in Sprig.
 */
import { formatGoDuration, parseGoDuration } from '../../model/duration.js';
import { GoFunctionError } from '../errors.js';
import type { GoTemplateFunction } from '../types.js';
import { str, toInt64 } from './convert.js';

/** time.Time{}: 0001-01-01 00:00:00 UTC, what Sprig's toDate returns for text it cannot parse. */
const GO_ZERO_TIME = -62_135_596_800_000;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Parts { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number; weekday: number; offsetMinutes: number; zone: string }

/** The wall-clock parts of an instant in a zone ("UTC", "Local" = UTC here, or an IANA name). */
function partsIn(date: Date, zone: string): Parts {
  const offsetMinutes = zone === 'UTC' || zone === 'Local' || zone === '' ? 0 : zoneOffset(date, zone);
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(), ms: shifted.getUTCMilliseconds(), weekday: shifted.getUTCDay(),
    offsetMinutes, zone: offsetMinutes === 0 && (zone === 'UTC' || zone === 'Local' || zone === '') ? 'UTC' : zoneAbbreviation(date, zone),
  };
}

function zoneOffset(date: Date, zone: string): number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new GoFunctionError(`unknown time zone ${zone}`);
  }
  const values = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, Number(part.value)]));
  const asUtc = Date.UTC(values.year ?? 0, (values.month ?? 1) - 1, values.day ?? 1, values.hour ?? 0, values.minute ?? 0, values.second ?? 0);
  return Math.round((asUtc - (date.getTime() - date.getUTCMilliseconds())) / 60_000);
}

function zoneAbbreviation(date: Date, zone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? zone;
  return /^GMT[+-]/.test(name) ? name.slice(3).replace(/:00$/, '').padStart(3, '+') : name === 'GMT' ? 'UTC' : name;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

function offset(minutes: number, colon: boolean, zulu: boolean, seconds = false): string {
  if (zulu && minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hhmm = colon ? `${p2(Math.floor(abs / 60))}:${p2(abs % 60)}` : `${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
  return `${sign}${hhmm}${seconds ? (colon ? ':00' : '00') : ''}`;
}

type Element = (parts: Parts) => string;

// Longest layout tokens first, as Go's nextStdChunk recognises them.
const ELEMENTS: ReadonlyArray<[string, Element]> = [
  ['January', (t) => MONTHS[t.month - 1] ?? ''], ['Jan', (t) => (MONTHS[t.month - 1] ?? '').slice(0, 3)],
  ['Monday', (t) => DAYS[t.weekday] ?? ''], ['Mon', (t) => (DAYS[t.weekday] ?? '').slice(0, 3)],
  ['MST', (t) => t.zone], ['2006', (t) => String(t.year).padStart(4, '0')], ['06', (t) => p2(t.year % 100)],
  ['01', (t) => p2(t.month)], ['02', (t) => p2(t.day)], ['_2', (t) => String(t.day).padStart(2, ' ')],
  ['002', (t) => String(dayOfYear(t)).padStart(3, '0')], ['15', (t) => p2(t.hour)], ['03', (t) => p2(t.hour % 12 === 0 ? 12 : t.hour % 12)],
  ['04', (t) => p2(t.minute)], ['05', (t) => p2(t.second)], ['PM', (t) => (t.hour >= 12 ? 'PM' : 'AM')], ['pm', (t) => (t.hour >= 12 ? 'pm' : 'am')],
  ['Z07:00:00', (t) => offset(t.offsetMinutes, true, true, true)], ['-07:00:00', (t) => offset(t.offsetMinutes, true, false, true)],
  ['Z07:00', (t) => offset(t.offsetMinutes, true, true)], ['-07:00', (t) => offset(t.offsetMinutes, true, false)],
  ['Z0700', (t) => offset(t.offsetMinutes, false, true)], ['-0700', (t) => offset(t.offsetMinutes, false, false)],
  ['Z07', (t) => offset(t.offsetMinutes, false, true).slice(0, 3)], ['-07', (t) => offset(t.offsetMinutes, false, false).slice(0, 3)],
  ['1', (t) => String(t.month)], ['2', (t) => String(t.day)], ['3', (t) => String(t.hour % 12 === 0 ? 12 : t.hour % 12)],
  ['4', (t) => String(t.minute)], ['5', (t) => String(t.second)],
];

function dayOfYear(t: Parts): number {
  return Math.round((Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(t.year, 0, 1)) / 86_400_000) + 1;
}

/** time.Time.Format with a Go layout. */
export function formatGoLayout(date: Date, layout: string, zone: string): string {
  const parts = partsIn(date, zone);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const fraction = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
    if (fraction?.[1] !== undefined) {
      const digits = String(parts.ms).padStart(3, '0').padEnd(fraction[1].length, '0').slice(0, fraction[1].length);
      const trimmed = fraction[1].startsWith('9') ? digits.replace(/0+$/, '') : digits;
      out += trimmed === '' ? '' : `${layout.charAt(i)}${trimmed}`;
      i += fraction[0].length;
      continue;
    }
    const element = ELEMENTS.find(([token]) => layout.startsWith(token, i));
    if (element) {
      out += element[1](parts);
      i += element[0].length;
    } else {
      out += layout.charAt(i++);
    }
  }
  return out;
}

/** Sprig's toDate-like input: a Date, or Unix seconds as an integer. */
function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value) * 1000);
  // Sprig formats time.Now() for anything else.
  return new Date();
}

/** time.ParseDuration for dateModify: "1h30m", "-2h", "300ms"; milliseconds. */
function parseDurationOrFail(text: string): number {
  const milliseconds = parseGoDuration(text);
  if (milliseconds === undefined) throw new GoFunctionError(`time: invalid duration "${text}"`);
  return milliseconds;
}

/** time.Parse for the layouts people pass to toDate ("2006-01-02", RFC 3339 and friends). */
function parseGoLayout(layout: string, text: string): Date {
  let pattern = '';
  const names: string[] = [];
  let i = 0;
  while (i < layout.length) {
    const element = ELEMENTS.find(([token]) => layout.startsWith(token, i));
    if (element) {
      names.push(element[0]);
      pattern += element[0].startsWith('Z') || element[0].startsWith('-0') ? '(Z|[+-]\\d\\d:?\\d\\d(?::?\\d\\d)?|[+-]\\d\\d)' : element[0] === 'MST' ? '([A-Z]{3,4})' : /^[A-Za-z]/.test(element[0]) ? '([A-Za-z]+)' : '(\\d+)';
      i += element[0].length;
    } else {
      pattern += layout.charAt(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const match = new RegExp(`^${pattern}(?:\\.(\\d+))?$`).exec(text);
  if (!match) throw new GoFunctionError(`parsing time "${text}" as "${layout}": cannot parse`);
  const value = (token: string, fallback: number): number => {
    const index = names.indexOf(token);
    return index === -1 ? fallback : Number(match[index + 1]);
  };
  const monthIndex = names.findIndex((n) => n === 'Jan' || n === 'January');
  const month = monthIndex === -1 ? value('01', value('1', 1)) : MONTHS.findIndex((m) => m.startsWith(match[monthIndex + 1] ?? '')) + 1;
  const zoneIndex = names.findIndex((n) => n.startsWith('Z') || n.startsWith('-0'));
  const zoneText = zoneIndex === -1 ? 'Z' : match[zoneIndex + 1] ?? 'Z';
  const zoneMinutes = zoneText === 'Z' ? 0 : (zoneText.startsWith('-') ? -1 : 1) * (Number(zoneText.slice(1, 3)) * 60 + Number(zoneText.replace(':', '').slice(3, 5) || '0'));
  const fraction = match[names.length + 1] ?? '0';
  const utc = Date.UTC(value('2006', 0), month - 1, value('02', value('2', 1)), value('15', 0), value('04', value('4', 0)), value('05', value('5', 0)), Number(`0.${fraction}`) * 1000);
  return new Date(utc - zoneMinutes * 60_000);
}

export const DATE_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  now: () => new Date(),
  date: (layout: unknown, value: unknown) => formatGoLayout(asDate(value), str(layout), 'Local'),
  dateInZone: (layout: unknown, value: unknown, zone: unknown) => formatGoLayout(asDate(value), str(layout), str(zone)),
  htmlDate: (value: unknown) => formatGoLayout(asDate(value), '2006-01-02', 'Local'),
  htmlDateInZone: (value: unknown, zone: unknown) => formatGoLayout(asDate(value), '2006-01-02', str(zone)),
  unixEpoch: (value: unknown) => {
    if (!(value instanceof Date)) throw new GoFunctionError(`wrong type for value; expected time.Time; got ${typeof value}`, { isArgumentError: true });
    return String(Math.floor(value.getTime() / 1000));
  },
  toDate: (layout: unknown, text: unknown) => {
    try {
      return parseGoLayout(str(layout), str(text));
    } catch {
      return new Date(GO_ZERO_TIME);
    }
  },
  mustToDate: (layout: unknown, text: unknown) => parseGoLayout(str(layout), str(text)),
  duration: (value: unknown) => formatGoDuration(toInt64(value) * 1000),
  durationRound: (value: unknown) => roundDuration(value),
  ago: (value: unknown) => formatGoDuration(Math.round((Date.now() - asDate(value).getTime()) / 1000) * 1000),
  dateModify: (change: unknown, value: unknown) => new Date(asDate(value).getTime() + parseDurationOrFail(str(change))),
  mustDateModify: (change: unknown, value: unknown) => new Date(asDate(value).getTime() + parseDurationOrFail(str(change))),
};

/** Sprig's durationRound: the largest unit only ("2h", "3d", "1y"). */
function roundDuration(value: unknown): string {
  let seconds: number;
  if (typeof value === 'string') seconds = parseDurationOrFail(value) / 1000;
  else if (value instanceof Date) seconds = (Date.now() - value.getTime()) / 1000;
  else seconds = toInt64(value) / 1e9;
  const abs = Math.abs(seconds);
  const units: ReadonlyArray<[number, string]> = [[31_536_000, 'y'], [2_592_000, 'mo'], [86_400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];
  for (const [size, unit] of units) if (abs >= size) return `${Math.floor(abs / size)}${unit}`;
  return '0s';
}
