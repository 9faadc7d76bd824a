/**
 * Reading a text file or stream Launchpad is about to parse, bounded by the input limits: the size is checked before
 * the bytes are read (a 20 GB file, /dev/zero or a never-ending pipe is refused, not loaded), and a stream is cut off
 * as soon as it passes the limit.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError, describeError } from '../errors.js';
import { formatBytes, inputLimits } from '../model/limits.js';

/** `ENOENT`, `EACCES`…: what users search for; the message otherwise. */
function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : describeError(error);
}

function tooLarge(file: string, limit: number, size?: number): InputError {
  const what = size === undefined ? `is larger than the limit of ${formatBytes(limit)}` : `is ${formatBytes(size)}, more than the limit of ${formatBytes(limit)}`;
  return new InputError({ file }, `${what} (maxFileSize)`, { fix: 'if this input is legitimate, raise maxFileSize under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS' });
}

/** Reads a UTF-8 text file of at most maxFileSize bytes; `fix` says what to do when it cannot be read. */
export async function readTextFile(file: string, fix: string, limit: number = inputLimits().maxFileSize): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new InputError({ file }, `cannot be read: ${errorCode(error)}`, { fix, cause: error });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError({ file }, 'is a folder, not a file', { fix });
    if (info.isFile() && info.size > limit) throw tooLarge(file, limit, info.size);
    // Special files (pipes, devices) report no useful size: read in chunks, never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(Math.min(1024 * 1024, limit + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(file, limit);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ file }, `cannot be read: ${describeError(error)}`, { fix, cause: error });
  } finally {
    await handle.close();
  }
}

/** Reads a whole stream (stdin) as UTF-8, refusing it once it passes maxFileSize. */
export async function readTextStream(stream: Readable, name: string, limit: number = inputLimits().maxFileSize): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > limit) {
      stream.destroy();
      throw tooLarge(name, limit);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
