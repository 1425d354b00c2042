// @ts-check
'use strict';
/**
 * Plays VS Code's extension host for the tests: puts the stand-in `vscode` module where
 * `require('vscode')` finds it (a hook on Node's module resolver), activates extension.js as VS Code
 * would, and offers what the scenarios need: waiting on conditions, clicking in the answer page by
 * running the page's own script, and the daemon processes this host started.
 */
const assert = require('node:assert/strict');
const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const { createVscode } = require('./vscodeStub');

const EXTENSION = path.resolve(__dirname, '..');
const STAND_IN = '\0vscode-stand-in';
const packageJson = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));

/** @type {any} */
let installed;
const resolve = /** @type {any} */ (Module)._resolveFilename;
/** @type {any} */ (Module)._resolveFilename = function (/** @type {string} */ request, /** @type {any[]} */ ...rest) {
  if (request === 'vscode') return STAND_IN;
  return resolve.call(this, request, ...rest);
};

/**
 * Activates the extension against a fresh stand-in.
 * @param {{folders?: string[], settings?: Record<string, any>, chat?: boolean}} options
 */
function start(options) {
  assert.equal(installed, undefined, 'one extension host per process');
  const { vscode, ui } = createVscode({ ...options, packageJson });
  const standIn = new Module(STAND_IN);
  standIn.exports = vscode;
  standIn.loaded = true;
  require.cache[STAND_IN] = standIn;
  const extension = require(path.join(EXTENSION, packageJson.main));
  const context = {
    subscriptions: /** @type {{dispose: () => any}[]} */ ([]),
    extensionPath: EXTENSION, extensionUri: vscode.Uri.file(EXTENSION),
  };
  extension.activate(context);
  installed = { vscode, ui, extension, context };
  return {
    vscode, ui, extension, context,
    /** @param {string} command @param {any[]} args */
    exec: (command, ...args) => vscode.commands.executeCommand(command, ...args),
    async stop() {
      await extension.deactivate();
      for (const item of context.subscriptions) item.dispose();
    },
  };
}

/**
 * Polls `predicate` until it returns a true value (returned), failing after `seconds`.
 * @template T @param {() => T} predicate @param {string} what @param {number} [seconds]
 * @returns {Promise<NonNullable<T>>}
 */
async function until(predicate, what, seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = predicate();
    if (value) return /** @type {NonNullable<T>} */ (value);
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** @param {string} text */
function unescape(text) {
  return text.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * The clickable elements of a page (`a` and `button` with data attributes): their text and dataset.
 * @param {string} html
 */
function clickables(html) {
  const found = [];
  for (const match of html.matchAll(/<(a|button)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
    /** @type {Record<string, string>} */
    const dataset = {};
    for (const attribute of match[2].matchAll(/data-([\w-]+)="([^"]*)"/g)) {
      dataset[attribute[1].replace(/-(\w)/g, (_, c) => c.toUpperCase())] = unescape(attribute[2]);
    }
    found.push({ tag: match[1], text: unescape(match[3]), dataset, attributes: match[2] });
  }
  return found;
}

/**
 * Clicks the element whose text is `text` in `panel`'s page: runs the page's script in a sandbox
 * with a minimal DOM and `acquireVsCodeApi`, then dispatches the click it listens for; what the script
 * posts reaches the extension as VS Code would deliver it.
 * @param {any} panel @param {string} text
 */
function clickInPage(panel, text) {
  const html = panel.webview.html;
  const element = clickables(html).find((candidate) => candidate.text === text);
  assert.ok(element, `no clickable "${text}" in the page: ${clickables(html).map((c) => c.text).join(' | ')}`);
  const scripts = [...html.matchAll(/<script nonce="([^"]+)">([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1, 'the page has one script');
  /** @type {((event: any) => void)[]} */
  const listeners = [];
  const target = {
    dataset: element.dataset,
    closest: (/** @type {string} */ selector) => (selector.split(',').some((s) => {
      const name = /\[data-([\w-]+)\]/.exec(s.trim());
      return name && name[1].replace(/-(\w)/g, (_, c) => c.toUpperCase()) in element.dataset;
    }) ? target : null),
  };
  const context = vm.createContext({
    acquireVsCodeApi: () => ({ postMessage: (/** @type {any} */ message) => panel.fromPage(message) }),
    document: { addEventListener: (/** @type {string} */ type, /** @type {any} */ listener) => { if (type === 'click') listeners.push(listener); } },
    Number,
  });
  vm.runInContext(scripts[0][2], context);
  let prevented = false;
  for (const listener of listeners) listener({ target, preventDefault: () => { prevented = true; } });
  assert.ok(prevented, `the page handled the click on "${text}"`);
}

/**
 * Checks what a page may do: a strict Content-Security-Policy whose nonce is the only way a script
 * or style runs, no inline handlers, no URLs to load.
 * @param {string} html
 */
function assertLockedDown(html) {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(csp, 'the page has a Content-Security-Policy');
  const policy = csp[1];
  assert.match(policy, /default-src 'none'/);
  const nonce = /script-src 'nonce-([^']+)'/.exec(policy);
  assert.ok(nonce, 'scripts need the nonce');
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:|\*/);
  for (const script of html.matchAll(/<script\b([^>]*)>/g)) assert.equal(script[1], ` nonce="${nonce[1]}"`);
  // Model text is escaped, so every `<` left starts a tag this extension wrote.
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    assert.doesNotMatch(tag[0], /\son[a-z]+\s*=/i, `no inline event handlers: ${tag[0]}`);
    assert.doesNotMatch(tag[0], /\s(src|href|action)\s*=\s*"(?!#")/i, `nothing to load, every link is "#": ${tag[0]}`);
  }
}

/** Pids of the `rlmd serve` processes this host started (its children). */
function daemonPids() {
  const out = childProcess.execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => /\brlmd(-lm)? serve --stdio\b/.test(line)).map((line) => Number(line.trim().split(/\s+/)[0]));
}

/**
 * Starts the scripted LM server's script over (its `/_reset`).
 * @param {string} baseUrl its `/v1` URL
 */
async function resetLM(baseUrl) {
  const response = await fetch(baseUrl.replace(/\/v1$/, '/_reset'), { method: 'POST' });
  assert.ok(response.ok, `reset answered ${response.status}`);
}

module.exports = { start, until, clickables, clickInPage, assertLockedDown, daemonPids, resetLM, packageJson, EXTENSION };
