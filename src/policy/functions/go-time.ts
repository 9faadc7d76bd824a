/**
 * Go time layouts (`2006-01-02T15:04:05Z07:00`) as Kyverno's time_* functions take them: parsing into a Date and
 * formatting as RFC 3339. An empty layout means RFC 3339, as in Kyverno.
 */
const RFC3339 = '2006-01-02T15:04:05Z07:00';

interface Token {
  readonly text: string;
  readonly regex: string;
  readonly field?: 'year' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'zone' | 'ampm' | 'skip';
}

const TOKENS: readonly Token[] = [
  { text: 'Z07:00', regex: '(Z|[+-]\\d{2}:\\d{2})', field: 'zone' },
  { text: '-07:00', regex: '([+-]\\d{2}:\\d{2})', field: 'zone' },
  { text: 'Z0700', regex: '(Z|[+-]\\d{4})', field: 'zone' },
  { text: '-0700', regex: '([+-]\\d{4})', field: 'zone' },
  { text: 'January', regex: '([A-Za-z]+)', field: 'monthName' },
  { text: 'Monday', regex: '([A-Za-z]+)', field: 'skip' },
  { text: '2006', regex: '(\\d{4})', field: 'year' },
  { text: 'Jan', regex: '([A-Za-z]{3})', field: 'monthName' },
  { text: 'Mon', regex: '([A-Za-z]{3})', field: 'skip' },
  { text: 'MST', regex: '([A-Z]{3,4})', field: 'skip' },
  { text: '.000000000', regex: '\\.(\\d{9})', field: 'fraction' },
  { text: '.000000', regex: '\\.(\\d{6})', field: 'fraction' },
  { text: '.000', regex: '\\.(\\d{3})', field: 'fraction' },
  { text: '.999999999', regex: '(?:\\.(\\d+))?', field: 'fraction' },
  { text: '01', regex: '(\\d{2})', field: 'month' },
  { text: '02', regex: '(\\d{2})', field: 'day' },
  { text: '15', regex: '(\\d{2})', field: 'hour' },
  { text: '03', regex: '(\\d{2})', field: 'hour12' },
  { text: '04', regex: '(\\d{2})', field: 'minute' },
  { text: '05', regex: '(\\d{2}(?:\\.\\d+)?)', field: 'second' },
  { text: 'PM', regex: '(AM|PM)', field: 'ampm' },
  { text: '1', regex: '(\\d{1,2})', field: 'month' },
  { text: '2', regex: '(\\d{1,2})', field: 'day' },
  { text: '3', regex: '(\\d{1,2})', field: 'hour12' },
];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function compileLayout(layout: string): { regex: RegExp; fields: Token['field'][] } {
  let source = '';
  const fields: Token['field'][] = [];
  let rest = layout;
  while (rest.length > 0) {
    const token = TOKENS.find((candidate) => rest.startsWith(candidate.text));
    if (token === undefined) {
      source += (rest[0] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      rest = rest.slice(1);
      continue;
    }
    source += token.regex;
    fields.push(token.field);
    rest = rest.slice(token.text.length);
  }
  return { regex: new RegExp(`^${source}$`), fields };
}

function zoneMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  zone: number;
  pm: boolean;
  hour12: boolean;
}

const SETTERS: Readonly<Record<string, (parts: Parts, value: string) => void>> = {
  year: (p, v) => void (p.year = Number(v)),
  month: (p, v) => void (p.month = Number(v)),
  monthName: (p, v) => void (p.month = MONTHS.indexOf(v.slice(0, 3).toLowerCase()) + 1),
  day: (p, v) => void (p.day = Number(v)),
  hour: (p, v) => void (p.hour = Number(v)),
  hour12: (p, v) => {
    p.hour = Number(v);
    p.hour12 = true;
  },
  minute: (p, v) => void (p.minute = Number(v)),
  second: (p, v) => {
    p.second = Math.trunc(Number(v));
    p.millis += (Number(v) % 1) * 1000;
  },
  fraction: (p, v) => void (p.millis = Number(`0.${v || '0'}`) * 1000),
  zone: (p, v) => void (p.zone = zoneMinutes(v)),
  ampm: (p, v) => void (p.pm = v === 'PM'),
};

function setField(parts: Parts, field: Token['field'], value: string): void {
  if (field !== undefined) SETTERS[field]?.(parts, value);
}

/** Parses text with a Go layout (empty = RFC 3339); throws naming both when they do not fit. */
export function parseGoTime(layout: string, text: string): Date {
  const effective = layout === '' ? RFC3339 : layout;
  const { regex, fields } = compileLayout(effective);
  const match = regex.exec(text);
  if (match === null) throw new Error(`cannot parse "${text}" as "${effective}"`);
  const parts: Parts = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0, zone: 0, pm: false, hour12: false };
  fields.forEach((field, index) => {
    setField(parts, field, match[index + 1] ?? '');
  });
  if (parts.hour12) parts.hour = (parts.hour % 12) + (parts.pm ? 12 : 0);
  const utc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millis);
  return new Date(utc - parts.zone * 60_000);
}

/** RFC 3339 in UTC with `Z`, seconds precision unless there are fractions (Go's RFC3339 output). */
export function formatRfc3339(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso.replace(/0+Z$/, 'Z');
}
