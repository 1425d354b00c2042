// @ts-check
'use strict';
// The framing and the connection of rpc.js on their own (node --test editors/vscode/test/rpc.test.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const { PassThrough } = require('node:stream');
const { Connection, FrameParser, RpcError, frame } = require('../rpc');

/**
 * Feeds `chunks` to a parser; returns what it produced.
 * @param {Buffer[]} chunks
 */
function parse(chunks) {
  /** @type {any[]} */
  const messages = [];
  /** @type {string[]} */
  const errors = [];
  const parser = new FrameParser((message) => messages.push(message), (error) => errors.push(error.message));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, errors };
}

// Astral characters (4 UTF-8 bytes, 2 UTF-16 units), a combining accent and CJK: byte length ≠ string length.
const multibyte = { jsonrpc: '2.0', method: 'x', params: { text: 'naïve café 😀 — 𝔘𝔫𝔦 日本語 e\u0301' } };
const stream = Buffer.concat([frame({ jsonrpc: '2.0', id: 1, result: 'one' }), frame(multibyte), frame({ jsonrpc: '2.0', id: 2, result: [] })]);

test('frames count bytes, not characters', () => {
  const framed = frame(multibyte).toString('latin1');
  const length = Number(/Content-Length: (\d+)/.exec(framed)?.[1]);
  assert.equal(length, Buffer.byteLength(JSON.stringify(multibyte), 'utf8'));
  assert.notEqual(length, JSON.stringify(multibyte).length);
});

test('several messages in one chunk', () => {
  const { messages, errors } = parse([stream]);
  assert.deepEqual(errors, []);
  assert.deepEqual(messages, [{ jsonrpc: '2.0', id: 1, result: 'one' }, multibyte, { jsonrpc: '2.0', id: 2, result: [] }]);
});

test('split at every byte, in two pieces and one byte at a time', () => {
  for (let at = 0; at <= stream.length; at++) {
    const { messages, errors } = parse([stream.subarray(0, at), stream.subarray(at)]);
    assert.deepEqual(errors, [], `split at ${at}`);
    assert.equal(messages.length, 3, `split at ${at}`);
    assert.deepEqual(messages[1], multibyte, `split at ${at}`);
  }
  const bytes = [...stream].map((byte) => Buffer.from([byte]));
  assert.deepEqual(parse(bytes).messages[1], multibyte);
});

test('other headers are tolerated, in any case and order', () => {
  const body = Buffer.from('{"jsonrpc":"2.0","method":"m"}');
  const header = Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:${body.length}\r\n\r\n`);
  assert.deepEqual(parse([header, body]).messages, [{ jsonrpc: '2.0', method: 'm' }]);
});

test('a bad header is reported and the next message still arrives', () => {
  const next = frame({ jsonrpc: '2.0', id: 7, result: 1 });
  for (const bad of ['Content-Length: x\r\n\r\n', 'Content-Type: text\r\n\r\n', 'garbage without a colon\r\n\r\n', 'Content-Length: -4\r\n\r\n']) {
    const { messages, errors } = parse([Buffer.from(bad), next]);
    assert.equal(errors.length, 1, bad);
    assert.match(errors[0], /bad header/);
    assert.deepEqual(messages, [{ jsonrpc: '2.0', id: 7, result: 1 }], bad);
  }
});

test('a body that is not JSON or not UTF-8 is reported and skipped', () => {
  const notJSON = Buffer.from('Content-Length: 5\r\n\r\n{oops');
  const notUTF8 = Buffer.concat([Buffer.from('Content-Length: 3\r\n\r\n'), Buffer.from([0x22, 0xff, 0x22])]);
  const { messages, errors } = parse([notJSON, notUTF8, frame(multibyte)]);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /not JSON/);
  assert.match(errors[1], /not valid UTF-8/);
  assert.deepEqual(messages, [multibyte]);
});

test('a header that never ends is dropped instead of buffered forever', () => {
  const { errors } = parse([Buffer.alloc(9000, 'a'.charCodeAt(0))]);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /no end of header/);
});

/** A connection whose other side the test plays: `peer` collects what it receives. */
function pair() {
  const toUs = new PassThrough();
  const fromUs = new PassThrough();
  const connection = new Connection(toUs, fromUs);
  /** @type {any[]} */
  const peer = [];
  const parser = new FrameParser((message) => peer.push(message), (error) => { throw error; });
  fromUs.on('data', (chunk) => parser.push(chunk));
  /** @param {any} message */
  const reply = (message) => toUs.write(frame(message));
  return { connection, peer, reply };
}

/** @param {() => any} predicate */
async function until(predicate) {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.ok(predicate(), 'condition not reached');
}

test('requests get ids, answers settle them, errors reject with code and data', async () => {
  const { connection, peer, reply } = pair();
  const first = connection.request('a', { x: 1 });
  const second = connection.request('b');
  assert.notEqual(first.id, second.id);
  await until(() => peer.length === 2);
  assert.deepEqual(peer[0], { jsonrpc: '2.0', id: first.id, method: 'a', params: { x: 1 } });
  reply({ jsonrpc: '2.0', id: second.id, error: { code: -32800, message: 'cancelled', data: { trajectory: 't1' } } });
  reply({ jsonrpc: '2.0', id: first.id, result: { ok: true } });
  assert.deepEqual(await first, { ok: true });
  await assert.rejects(second, (error) => error instanceof RpcError && error.code === -32800 && error.data.trajectory === 't1');
});

test('aborting sends $/cancelRequest with the id, once', async () => {
  const { connection, peer, reply } = pair();
  const controller = new AbortController();
  const call = connection.request('rlm/ask', { question: 'q' }, controller.signal);
  controller.abort();
  controller.abort();
  await until(() => peer.length === 2);
  assert.deepEqual(peer[1], { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: call.id } });
  reply({ jsonrpc: '2.0', id: call.id, error: { code: -32800, message: 'cancelled' } });
  await assert.rejects(call, /cancelled/);
  assert.equal(peer.length, 2);
});

test('requests from the other side are answered: by a handler, or with -32601', async () => {
  const { connection, peer, reply } = pair();
  connection.onRequest('window/workDoneProgress/create', () => null);
  /** @type {any[]} */
  const progress = [];
  connection.onNotification('$/progress', (params) => progress.push(params));
  reply({ jsonrpc: '2.0', id: 'rlmd-1', method: 'window/workDoneProgress/create', params: { token: 'p' } });
  reply({ jsonrpc: '2.0', id: 'rlmd-2', method: 'workspace/configuration', params: {} });
  reply({ jsonrpc: '2.0', method: '$/progress', params: { token: 'p', value: { kind: 'begin' } } });
  await until(() => peer.length === 2 && progress.length === 1);
  assert.deepEqual(peer.find((m) => m.id === 'rlmd-1'), { jsonrpc: '2.0', id: 'rlmd-1', result: null });
  assert.equal(peer.find((m) => m.id === 'rlmd-2').error.code, -32601);
});

test('closing rejects what is pending and what comes later', async () => {
  const { connection } = pair();
  const call = connection.request('rlm/status');
  connection.close(new RpcError(-32099, 'rlmd exited'));
  await assert.rejects(call, /rlmd exited/);
  await assert.rejects(connection.request('rlm/status'), /rlmd exited/);
});
