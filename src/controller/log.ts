/**
 * The controller's logs: pino, JSON lines on stderr (app, revision, phase as fields) for log collectors; on a
 * terminal, one readable line per event instead. Secrets never reach a log: messages are built from Launchpad's
 * errors, which redact credentials, and fields never carry object data.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from './services.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Turns pino's JSON lines into `12:00:01 info  musicman: sync operation succeeded revision=3f2a1c0`. */
function textStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter((text) => text !== '')) {
        try {
          const { level, time, msg, app, ...fields } = JSON.parse(line) as Record<string, unknown>;
          const when = new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 19);
          const extra = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ');
          out.write(`${when} ${(LEVELS[Number(level)] ?? 'info').padEnd(5)} ${typeof app === 'string' ? `${app}: ` : ''}${String(msg)}${extra === '' ? '' : ` ${extra}`}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: LogLevel;
  /** JSON even on a terminal. @default false */
  readonly json?: boolean;
  /** @default process.stderr */
  readonly out?: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.out ?? process.stderr;
  const text = options.json !== true && out.isTTY === true;
  const logger = pino({ level: options.level ?? 'info', base: null }, text ? textStream(out) : (out as unknown as pino.DestinationStream));
  return {
    info: (fields, message) => { logger.info(fields, message); },
    warn: (fields, message) => { logger.warn(fields, message); },
    error: (fields, message) => { logger.error(fields, message); },
    debug: (fields, message) => { logger.debug(fields, message); },
  };
}
