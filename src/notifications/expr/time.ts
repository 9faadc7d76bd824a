/**
 * Go's time.Time and time.Duration as trigger conditions use them through Argo CD's `time` helpers:
 * `time.Now().Sub(time.Parse(app.status.operationState.startedAt)).Minutes() >= 5`. Only the methods such
 * conditions call are offered; calling any other is an evaluation error naming it.
 */

/** Nanoseconds, as Go counts a Duration (a double holds every duration a condition can meet exactly enough). */
export class GoDuration {
  constructor(readonly nanoseconds: number) {}

  Hours(): number {
    return this.nanoseconds / 3.6e12;
  }

  Minutes(): number {
    return this.nanoseconds / 6e10;
  }

  Seconds(): number {
    return this.nanoseconds / 1e9;
  }

  Milliseconds(): number {
    return Math.trunc(this.nanoseconds / 1e6);
  }

  String(): string {
    return formatDuration(this.nanoseconds);
  }
}

/** An instant, to the millisecond (what Kubernetes timestamps carry and more). */
export class GoTime {
  constructor(readonly milliseconds: number) {}

  Sub(other: unknown): GoDuration {
    return new GoDuration((this.milliseconds - asTime(other, 'Sub').milliseconds) * 1e6);
  }

  Add(duration: unknown): GoTime {
    return new GoTime(this.milliseconds + asDuration(duration, 'Add').nanoseconds / 1e6);
  }

  Before(other: unknown): boolean {
    return this.milliseconds < asTime(other, 'Before').milliseconds;
  }

  After(other: unknown): boolean {
    return this.milliseconds > asTime(other, 'After').milliseconds;
  }

  Equal(other: unknown): boolean {
    return this.milliseconds === asTime(other, 'Equal').milliseconds;
  }

  IsZero(): boolean {
    return this.milliseconds === ZERO_TIME_MS;
  }

  Unix(): number {
    return Math.floor(this.milliseconds / 1000);
  }

  String(): string {
    return new Date(this.milliseconds).toISOString();
  }
}

/** Go's zero Time (year 1): IsZero compares with it. */
const ZERO_TIME_MS = ((): number => {
  const zero = new Date(0);
  zero.setUTCFullYear(1, 0, 1);
  return zero.getTime();
})();

/** The methods a condition may call on each kind of value, by name. */
export const TIME_METHODS: ReadonlySet<string> = new Set(['Sub', 'Add', 'Before', 'After', 'Equal', 'IsZero', 'Unix', 'String']);
export const DURATION_METHODS: ReadonlySet<string> = new Set(['Hours', 'Minutes', 'Seconds', 'Milliseconds', 'String']);

function asTime(value: unknown, method: string): GoTime {
  if (value instanceof GoTime) return value;
  throw new Error(`Time.${method} needs a time (time.Parse or time.Now), got ${describeValue(value)}`);
}

function asDuration(value: unknown, method: string): GoDuration {
  if (value instanceof GoDuration) return value;
  throw new Error(`Time.${method} needs a duration (time.Minute, a Sub result), got ${describeValue(value)}`);
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof GoTime) return 'a time';
  if (value instanceof GoDuration) return 'a duration';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

/** RFC 3339 as Kubernetes writes timestamps; anything else is an error, as Argo CD's time.Parse panics. */
export function parseTime(value: unknown): GoTime {
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = typeof value === 'string' && rfc3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`time.Parse: ${describeValue(value)} is not an RFC 3339 timestamp`);
  return new GoTime(ms);
}

const UNITS: readonly (readonly [string, number])[] = [['h', 3.6e12], ['m', 6e10], ['s', 1e9]];

/** Go's Duration.String for the whole-second durations conditions produce (1h2m3s, 5m0s, 0s); else seconds. */
function formatDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return '0s';
  if (nanoseconds % 1e9 !== 0) return `${nanoseconds / 1e9}s`;
  let rest = Math.abs(nanoseconds);
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || text !== '' || unit === 's') text += `${count}${unit}`;
  }
  return nanoseconds < 0 ? `-${text}` : text;
}
