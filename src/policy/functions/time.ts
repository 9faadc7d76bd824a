/** Kyverno's time_* functions. The clock is the evaluation's (`EvaluationEnvironment.now`), so tests are repeatable. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseDuration } from '../scalars.js';
import { formatGoDuration } from '../../model/duration.js';
import { formatRfc3339, parseGoTime } from './go-time.js';
import type { FunctionDefinition } from './types.js';

// The clock follows the evaluation through its awaits (context loading), so concurrent evaluations keep their own.
const clocks = new AsyncLocalStorage<() => Date>();

function clock(): Date {
  return (clocks.getStore() ?? (() => new Date()))();
}

/** Runs `work` (sync or async) with `now` as the clock of the time functions. */
export function withClock<T>(now: () => Date, work: () => T): T {
  return clocks.run(now, work);
}

function time(text: unknown): Date {
  return parseGoTime('', String(text));
}

function duration(text: unknown): number {
  const parsed = parseDuration(String(text));
  if (parsed === undefined) throw new Error(`"${String(text)}" is not a duration (e.g. 1h30m)`);
  return parsed;
}

export const timeFunctions: readonly FunctionDefinition[] = [
  { name: 'time_now', args: [], run: () => formatRfc3339(clock()) },
  { name: 'time_now_utc', args: [], run: () => formatRfc3339(clock()) },
  {
    name: 'time_since',
    args: ['string', 'string', 'string'],
    run: ([layout, start, end]) => {
      const from = parseGoTime(String(layout), String(start));
      const to = String(end) === '' ? clock() : parseGoTime(String(layout), String(end));
      return formatGoDuration(to.getTime() - from.getTime());
    },
  },
  { name: 'time_add', args: ['string', 'string'], run: ([t, d]) => formatRfc3339(new Date(time(t).getTime() + duration(d))) },
  { name: 'time_parse', args: ['string', 'string|number'], run: ([layout, t]) => formatRfc3339(parseUnixOrLayout(String(layout), t)) },
  { name: 'time_utc', args: ['string'], run: ([t]) => formatRfc3339(time(t)) },
  { name: 'time_diff', args: ['string', 'string'], run: ([a, b]) => formatGoDuration(time(b).getTime() - time(a).getTime()) },
  { name: 'time_before', args: ['string', 'string'], run: ([a, b]) => time(a).getTime() < time(b).getTime() },
  { name: 'time_after', args: ['string', 'string'], run: ([a, b]) => time(a).getTime() > time(b).getTime() },
  {
    name: 'time_between',
    args: ['string', 'string', 'string'],
    run: ([t, a, b]) => time(t).getTime() > time(a).getTime() && time(t).getTime() < time(b).getTime(),
  },
  {
    name: 'time_truncate',
    args: ['string', 'string'],
    run: ([t, d]) => {
      const step = duration(d);
      const at = time(t).getTime();
      return formatRfc3339(new Date(step <= 0 ? at : at - (at % step)));
    },
  },
  {
    name: 'time_to_cron',
    args: ['string'],
    run: ([t]) => {
      const at = time(t);
      return `${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} ${at.getUTCDay()}`;
    },
  },
];

/** time_parse's layout may be a Unix epoch ("1136239445" layout) as in Kyverno. */
function parseUnixOrLayout(layout: string, value: unknown): Date {
  if (/^\d+$/.test(layout) && /^\d+$/.test(String(value))) return new Date(Number(value) * 1000);
  return parseGoTime(layout, String(value));
}
