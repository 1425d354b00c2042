// @ts-check
'use strict';
/** One `rlmd serve --stdio` process for one workspace root: start, initialize, requests, progress, exit. */
const childProcess = require('child_process');
const { pathToFileURL } = require('url');
const { Connection, RpcError } = require('./rpc');

/** Codes of failures on this side, beside the daemon's own (-32900…). */
const DAEMON_EXITED = -32099;
// Bytes of stderr kept, and lines of them shown when the daemon exits.
const STDERR_KEEP = 16384;
const STDERR_LINES = 12;
// How long a stop waits for `shutdown` to be answered before it kills the process.
const STOP_GRACE_MS = 2000;

/**
 * @typedef {{kind: string, title?: string, message?: string, percentage?: number, turn?: number,
 *   subCalls?: number, tokens?: number, costUsd?: number, trajectory?: string, conversation?: string,
 *   partial?: boolean, reason?: string}} ProgressValue
 * @typedef {{root: string, executable: string, args: string[], initializationOptions: any,
 *   trace?: (line: string) => void, log: (line: string) => void,
 *   onExit: (daemon: Daemon, error: RpcError) => void,
 *   onServerProgress: (daemon: Daemon, token: string | number, value: ProgressValue) => void}} DaemonOptions
 */

class Daemon {
  /** @param {DaemonOptions} options */
  constructor(options) {
    this.options = options;
    this.root = options.root;
    /** 'starting' | 'running' | 'stopping' | 'exited' */
    this.state = 'starting';
    this.stderr = '';
    /** @type {Map<string | number, (value: ProgressValue) => void>} */
    this.progressListeners = new Map();
    /** Tokens the daemon created (the first index build): their progress goes to onServerProgress. */
    this.serverTokens = new Set();
    const child = childProcess.spawn(options.executable, ['serve', '--stdio', ...options.args], {
      cwd: options.root, stdio: ['pipe', 'pipe', 'pipe'], env: process.env,
    });
    this.child = child;
    this.pid = child.pid;
    // setEncoding decodes characters split between chunks whole.
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEEP);
    });
    // Writing to a daemon that just died fails with EPIPE; its exit is reported below.
    child.stdin.on('error', () => {});
    const trace = options.trace;
    this.connection = new Connection(child.stdout, child.stdin, {
      trace: trace && ((direction, message) => trace(`${direction === 'send' ? '→' : '←'} ${JSON.stringify(message)}`)),
      onError: (error) => options.log(`rlmd (${options.root}) sent bytes that are not a message: ${error.message}`),
    });
    this.connection.onRequest('window/workDoneProgress/create', (params) => {
      this.serverTokens.add(params && params.token);
      return null;
    });
    this.connection.onNotification('$/progress', (params) => this.progress(params));
    this.connection.onNotification('window/showMessage', (params) => options.log(`rlmd: ${params && params.message}`));
    /** @type {Promise<any>} */
    this.exited = new Promise((resolve) => {
      /** @param {number | null} code @param {NodeJS.Signals | null} signal @param {string} [failure] */
      const finish = (code, signal, failure) => resolve(this.finish(code, signal, failure));
      child.on('error', (error) => finish(null, null, error.message));
      // 'close' waits for stderr to drain; a grandchild holding the pipe must not delay the report long.
      child.on('exit', (code, signal) => {
        child.on('close', () => finish(code, signal));
        setTimeout(() => finish(code, signal), 500).unref();
      });
    });
    this.ready = this.initialize();
    // A failed start is reported through onExit; callers that await `ready` see it too.
    this.ready.catch(() => {});
  }

  async initialize() {
    const capabilities = { window: { workDoneProgress: true } };
    const result = await this.connection.request('initialize', {
      processId: process.pid, rootUri: pathToFileURL(this.root).href,
      workspaceFolders: [{ uri: pathToFileURL(this.root).href, name: this.root }],
      capabilities, initializationOptions: this.options.initializationOptions,
    });
    this.connection.notify('initialized', {});
    if (this.state === 'starting') this.state = 'running';
    return result;
  }

  /** @param {string} method @param {any} [params] @param {AbortSignal} [signal] */
  async request(method, params, signal) {
    await this.ready;
    return this.connection.request(method, params, signal);
  }

  /**
   * Routes `$/progress` for `token` to `listener` until the returned function is called.
   * @param {string | number} token @param {(value: ProgressValue) => void} listener
   */
  listen(token, listener) {
    this.progressListeners.set(token, listener);
    return () => this.progressListeners.delete(token);
  }

  /** @param {any} params */
  progress(params) {
    if (!params || params.value === null || typeof params.value !== 'object') return;
    const listener = this.progressListeners.get(params.token);
    if (listener) listener(params.value);
    else if (this.serverTokens.has(params.token)) this.options.onServerProgress(this, params.token, params.value);
  }

  /** Requests that are waiting for an answer. */
  get busy() { return this.connection.pending.size > 0; }

  /** Shuts the daemon down (`shutdown`, `exit`), killing it when it does not stop in time. */
  async stop() {
    if (this.state === 'exited') return;
    this.state = 'stopping';
    const kill = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await Promise.race([this.connection.request('shutdown'), this.exited]);
      this.connection.notify('exit');
    } catch {
      this.child.kill('SIGTERM');
    }
    await this.exited;
    clearTimeout(kill);
  }

  /** The last lines rlmd wrote to stderr. */
  stderrTail() {
    return this.stderr.trimEnd().split('\n').slice(-STDERR_LINES).join('\n');
  }

  /** @param {number | null} code @param {NodeJS.Signals | null} signal @param {string} [failure] */
  finish(code, signal, failure) {
    if (this.state === 'exited') return;
    const expected = this.state === 'stopping';
    this.state = 'exited';
    const how = failure ? `could not start (${failure})` : signal ? `was killed by ${signal}` : `exited with status ${code}`;
    const tail = this.stderrTail();
    const error = new RpcError(DAEMON_EXITED, `rlmd for ${this.root} ${how}.`, { tail, code, signal, expected });
    this.connection.close(error);
    if (!expected) this.options.onExit(this, error);
  }
}

module.exports = { Daemon, DAEMON_EXITED };
