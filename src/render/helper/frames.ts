/**
 * The render helper's wire format: each message is a 4-byte big-endian length followed by that many bytes of UTF-8
 * JSON, in both directions. Length-prefixed frames need no escaping and let a reader take a message whole.
 */

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** Collects stdout chunks and yields every complete frame's parsed JSON; a partial frame waits for more bytes. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): unknown[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: unknown[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readUInt32BE(0);
      if (this.pending.length < 4 + size) break;
      messages.push(JSON.parse(this.pending.subarray(4, 4 + size).toString('utf8')));
      this.pending = this.pending.subarray(4 + size);
    }
    return messages;
  }
}
