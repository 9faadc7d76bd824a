/** The render helper's framing: whole messages out of arbitrarily split chunks, nothing out of a partial one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameReader, encodeFrame } from '../../../../src/render/helper/frames.js';

test('a frame is a big-endian length then the JSON', () => {
  const frame = encodeFrame({ id: 1, text: 'é' });
  assert.equal(frame.readUInt32BE(0), frame.length - 4);
  assert.deepEqual(JSON.parse(frame.subarray(4).toString('utf8')), { id: 1, text: 'é' });
});

test('messages split across chunks at every byte come out whole and in order', () => {
  const stream = Buffer.concat([encodeFrame({ id: 1, stdout: 'a: b\n---\n' }), encodeFrame({ id: 2, stdout: '' }), encodeFrame({ id: 3, stdout: 'ü'.repeat(100) })]);
  for (let split = 0; split <= stream.length; split += 1) {
    const reader = new FrameReader();
    const messages = [...reader.push(stream.subarray(0, split)), ...reader.push(stream.subarray(split))];
    assert.deepEqual(messages.map((message) => (message as { id: number }).id), [1, 2, 3], `split at ${split}`);
  }
});

test('a partial frame yields nothing until its last byte arrives', () => {
  const frame = encodeFrame({ id: 7 });
  const reader = new FrameReader();
  assert.deepEqual(reader.push(frame.subarray(0, frame.length - 1)), []);
  assert.deepEqual(reader.push(frame.subarray(frame.length - 1)), [{ id: 7 }]);
});
