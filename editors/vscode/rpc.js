// @ts-check
'use strict';
/**
 * JSON-RPC 2.0 with the LSP base protocol's framing (`Content-Length: N\r\n\r\n` + N bytes of UTF-8
 * JSON) over a pair of streams, written by hand: no npm package can be installed with the extension.
 * Knows nothing of VS Code or of rlmd's methods.
 */

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
// A header block longer than this is not LSP framing: drop what was buffered instead of growing forever.
const MAX_HEADER_BYTES = 8192;

/** An error answer from the other side (or a local failure dressed as one, e.g. the daemon exited). */
class RpcError extends Error {
  /** @param {number} code @param {string} message @param {any} [data] */
  constructor(code, message, data) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

/**
 * Splits a byte stream into messages. Chunks may end anywhere, inside a header, inside a multibyte
 * character of a body, or hold several messages; lengths are counted in bytes, never in characters.
 * A bad header or body is reported through `onError` and parsing goes on with the next message.
 */
class FrameParser {
  /** @param {(message: any) => void} onMessage @param {(error: Error) => void} onError */
  constructor(onMessage, onError) {
    this.onMessage = onMessage;
    this.onError = onError;
    /** @type {Buffer[]} */
    this.chunks = [];
    this.buffered = 0;
    /** Bytes of the body being read, or -1 while reading a header. */
    this.contentLength = -1;
    this.decoder = new TextDecoder('utf-8', { fatal: true });
  }

  /** @param {Buffer} chunk */
  push(chunk) {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.contentLength < 0 && !this.readHeader()) return;
      if (this.buffered < this.contentLength) return;
      const body = this.take(this.contentLength);
      this.contentLength = -1;
      this.dispatch(body);
    }
  }

  /**
   * Reads one header block; false when more bytes are needed.
   * @returns {boolean}
   */
  readHeader() {
    const data = this.joined();
    const end = data.indexOf(HEADER_END);
    if (end < 0) {
      if (data.length > MAX_HEADER_BYTES) {
        this.take(data.length);
        this.onError(new Error(`no end of header in ${data.length} bytes: dropped them`));
      }
      return false;
    }
    const header = this.take(end + HEADER_END.length).subarray(0, end).toString('latin1');
    const length = contentLength(header);
    if (typeof length === 'string') {
      this.onError(new Error(`bad header (${length}): ${JSON.stringify(header.slice(0, 200))}`));
      return this.buffered > 0 ? this.readHeader() : false;
    }
    this.contentLength = length;
    return true;
  }

  /** @param {Buffer} body */
  dispatch(body) {
    let text;
    try {
      text = this.decoder.decode(body);
    } catch {
      this.onError(new Error(`a ${body.length}-byte body is not valid UTF-8`));
      return;
    }
    let message;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.onError(new Error(`a body is not JSON (${/** @type {Error} */ (error).message}): ${text.slice(0, 200)}`));
      return;
    }
    this.onMessage(message);
  }

  /** All buffered bytes as one buffer (kept as the only chunk). */
  joined() {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] || Buffer.alloc(0);
  }

  /**
   * Removes and returns the first `count` buffered bytes.
   * @param {number} count
   */
  take(count) {
    const data = this.joined();
    const head = data.subarray(0, count);
    const rest = data.subarray(count);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return head;
  }
}

/**
 * The Content-Length of a header block, or a string saying what is wrong with it.
 * @param {string} header
 * @returns {number | string}
 */
function contentLength(header) {
  let length;
  for (const line of header.split('\r\n')) {
    const match = /^([A-Za-z0-9-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) return `not a header line: ${JSON.stringify(line.slice(0, 80))}`;
    if (match[1].toLowerCase() !== 'content-length') continue;
    if (!/^\d{1,10}$/.test(match[2])) return `Content-Length is not a number: ${JSON.stringify(match[2])}`;
    length = Number(match[2]);
  }
  return length === undefined ? 'no Content-Length' : length;
}

/**
 * One message framed for the wire.
 * @param {any} message
 */
function frame(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/**
 * A JSON-RPC connection: requests with ids and a table of pending answers, cancellation through
 * `$/cancelRequest`, notifications both ways, and requests from the other side answered by handlers
 * (unknown ones with -32601, so the other side never waits).
 */
class Connection {
  /**
   * @param {NodeJS.ReadableStream} input the other side's output
   * @param {NodeJS.WritableStream} output the other side's input
   * @param {{trace?: (direction: 'send' | 'receive', message: any) => void, onError?: (error: Error) => void}} [options]
   */
  constructor(input, output, options = {}) {
    this.output = output;
    this.trace = options.trace || (() => {});
    this.onError = options.onError || (() => {});
    this.nextId = 1;
    /** @type {Map<number | string, {method: string, resolve: (value: any) => void, reject: (error: any) => void}>} */
    this.pending = new Map();
    /** @type {Map<string, (params: any) => void>} */
    this.notificationHandlers = new Map();
    /** @type {Map<string, (params: any) => any>} */
    this.requestHandlers = new Map();
    /** @type {Error | undefined} */
    this.closedWith = undefined;
    this.parser = new FrameParser((message) => this.receive(message), (error) => this.onError(error));
    input.on('data', (chunk) => this.parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  }

  /**
   * Sends a request; the promise settles with its result or rejects with an RpcError. Aborting
   * `signal` sends `$/cancelRequest` (the answer, usually -32800, still settles the promise).
   * @param {string} method @param {any} [params] @param {AbortSignal} [signal]
   * @returns {Promise<any> & {id: number}}
   */
  request(method, params, signal) {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      this.pending.set(id, { method, resolve, reject });
      this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    });
    if (signal) {
      const cancel = () => { if (this.pending.has(id)) this.notify('$/cancelRequest', { id }); };
      if (signal.aborted) cancel(); else signal.addEventListener('abort', cancel, { once: true });
    }
    return Object.assign(promise, { id });
  }

  /** @param {string} method @param {any} [params] */
  notify(method, params) {
    if (this.closedWith) return;
    this.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /** @param {string} method @param {(params: any) => void} handler */
  onNotification(method, handler) { this.notificationHandlers.set(method, handler); }

  /** @param {string} method @param {(params: any) => any} handler its value (or promise) is the result */
  onRequest(method, handler) { this.requestHandlers.set(method, handler); }

  /**
   * Rejects every pending request with `error`; later requests reject at once.
   * @param {Error} error
   */
  close(error) {
    if (this.closedWith) return;
    this.closedWith = error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }

  /** @param {any} message */
  send(message) {
    this.trace('send', message);
    this.output.write(frame(message));
  }

  /** @param {any} message */
  receive(message) {
    this.trace('receive', message);
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.onError(new Error(`not a JSON-RPC message: ${JSON.stringify(message).slice(0, 200)}`));
    } else if (typeof message.method === 'string' && message.id !== undefined) {
      this.answer(message);
    } else if (typeof message.method === 'string') {
      const handler = this.notificationHandlers.get(message.method);
      if (handler) this.guard(() => handler(message.params));
    } else if (message.id !== undefined && message.id !== null && this.pending.has(message.id)) {
      const entry = /** @type {NonNullable<ReturnType<Map<any, any>['get']>>} */ (this.pending.get(message.id));
      this.pending.delete(message.id);
      if (message.error) entry.reject(new RpcError(message.error.code, message.error.message, message.error.data));
      else entry.resolve(message.result);
    } else if (message.error) {
      this.onError(new RpcError(message.error.code, `the daemon refused a message: ${message.error.message}`, message.error.data));
    }
  }

  /**
   * Answers a request of the other side.
   * @param {any} message
   */
  async answer(message) {
    const handler = this.requestHandlers.get(message.method);
    if (!handler) {
      this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `unhandled method ${message.method}` } });
      return;
    }
    try {
      const result = await handler(message.params);
      if (!this.closedWith) this.send({ jsonrpc: '2.0', id: message.id, result: result === undefined ? null : result });
    } catch (error) {
      const failure = /** @type {Error} */ (error);
      if (!this.closedWith) this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: failure.message } });
    }
  }

  /** @param {() => void} body */
  guard(body) {
    try {
      body();
    } catch (error) {
      this.onError(/** @type {Error} */ (error));
    }
  }
}

module.exports = { Connection, FrameParser, RpcError, frame, contentLength };
