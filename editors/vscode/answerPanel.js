// @ts-check
'use strict';
/**
 * The answer panel: ONE webview, reused for every answer, showing the question, the answer (model text
 * escaped, see markdown.js), the partial reason, the citations as links and the usage line. The page
 * runs only its own nonce'd script, which posts `{type: 'open', exchange, index}` or `{type: 'command',
 * name}` back; the extension checks both against what it rendered before acting.
 */
const crypto = require('crypto');
const format = require('./format');
const markdown = require('./markdown');

/** Commands the page may ask for. */
const PAGE_COMMANDS = ['followUp', 'trajectory', 'ask'];

/**
 * @typedef {{question: string, selection?: {path: string, startLine: number, endLine: number}, result: any}} Exchange
 * @typedef {{root: string, title: string, exchanges: Exchange[]}} Thread
 */

class AnswerPanel {
  /**
   * @param {typeof import('vscode')} vscode
   * @param {{openCitation: (root: string, citation: import('./format').Citation) => any, runCommand: (name: string) => any}} actions
   */
  constructor(vscode, actions) {
    this.vscode = vscode;
    this.actions = actions;
    /** @type {import('vscode').WebviewPanel | undefined} */
    this.panel = undefined;
    /** @type {Thread | undefined} */
    this.thread = undefined;
  }

  /**
   * Shows `thread` (its newest exchange first), in the panel that is already open if there is one.
   * @param {Thread} thread
   */
  show(thread) {
    const vscode = this.vscode;
    this.thread = thread;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('rlmd.answer', 'rlmd: Answer',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, enableCommandUris: false, localResourceRoots: [] });
      this.panel.webview.onDidReceiveMessage((message) => this.receive(message));
      this.panel.onDidDispose(() => { this.panel = undefined; });
    } else {
      this.panel.reveal(undefined, true);
    }
    this.panel.title = `rlmd: ${format.head(thread.title, 40)}`;
    this.panel.webview.html = page(thread, crypto.randomBytes(16).toString('base64'));
  }

  /** @param {any} message */
  receive(message) {
    const thread = this.thread;
    if (!thread || !message || typeof message !== 'object') return;
    if (message.type === 'open') {
      const exchange = thread.exchanges[Number(message.exchange)];
      const citation = exchange && exchange.result.citations[Number(message.index)];
      if (citation && citation.resolved && !format.isMessage(citation)) this.actions.openCitation(thread.root, citation);
    } else if (message.type === 'command' && PAGE_COMMANDS.includes(message.name)) {
      this.actions.runCommand(message.name);
    }
  }

  dispose() {
    if (this.panel) this.panel.dispose();
  }
}

/**
 * The whole page.
 * @param {Thread} thread @param {string} nonce
 */
function page(thread, nonce) {
  const exchanges = thread.exchanges.map((exchange, index) => ({ exchange, index })).reverse();
  const [latest, ...earlier] = exchanges;
  const older = earlier.length
    ? `<details><summary>Earlier in this conversation (${earlier.length})</summary>${earlier.map((e) => section(e.exchange, e.index)).join('\n')}</details>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${STYLE}</style></head>
<body>
${section(latest.exchange, latest.index)}
<p class="actions"><button data-command="followUp">Follow up</button> <button data-command="trajectory">Trajectory</button> <button data-command="ask">Ask another</button></p>
${older}
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>`;
}

/**
 * One question and its answer.
 * @param {Exchange} exchange @param {number} index
 */
function section(exchange, index) {
  const result = exchange.result;
  /** @type {import('./format').Citation[]} */
  const citations = result.citations || [];
  const link = (/** @type {string} */ path, /** @type {number} */ start) => {
    const at = citations.findIndex((c) => c.path === path && c.startLine === start);
    if (at < 0) return undefined;
    if (!citations[at].resolved) return (/** @type {string} */ label) => `<span class="unresolved" title="not found in the index">${label}</span>`;
    if (format.isMessage(citations[at])) return undefined;
    return (/** @type {string} */ label) => `<a href="#" data-exchange="${index}" data-open="${at}">${label}</a>`;
  };
  const selection = exchange.selection
    ? `<p class="selection">About the selection ${markdown.escape(format.citationLabel({ ...exchange.selection, resolved: true }))}</p>` : '';
  let partial = '';
  if (result.partial) {
    const setting = format.budgetSetting(result.reason);
    const hint = setting ? ` Raise <code>${setting}</code> to let it go further.` : '';
    partial = `<p class="partial"><strong>Partial answer:</strong> ${markdown.escape(result.reason || 'stopped early')}.${hint}</p>`;
  }
  const items = citations.map((citation, at) => `<li>${citationItem(citation, index, at)}</li>`).join('\n');
  return `<section class="exchange">
<h1>${markdown.escape(exchange.question)}</h1>
${selection}${partial}
<div class="answer">${result.answer ? markdown.render(result.answer, link) : '<p><em>(no answer)</em></p>'}</div>
${citations.length ? `<h2>Citations</h2>\n<ul class="citations">\n${items}\n</ul>` : ''}
<p class="usage">${markdown.escape(format.usageLine(result))}</p>
</section>`;
}

/** @param {import('./format').Citation} citation @param {number} exchange @param {number} at */
function citationItem(citation, exchange, at) {
  const label = markdown.escape(format.citationLabel(citation));
  const excerpt = citation.excerpt ? ` — <code>${markdown.escape(citation.excerpt.split('\n')[0].trim())}</code>` : '';
  if (!citation.resolved) return `<span class="unresolved">${label} (not found in the index)</span>`;
  if (format.isMessage(citation)) return `<span class="message">${label}</span>${excerpt}`;
  return `<a href="#" data-exchange="${exchange}" data-open="${at}">${label}</a>${excerpt}`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; line-height: 1.5; }
h1 { font-size: 1.3em; white-space: pre-wrap; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; cursor: pointer; }
a:hover { text-decoration: underline; }
code, pre { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
pre { padding: 0.5em; overflow-x: auto; }
.unresolved { color: var(--vscode-disabledForeground); text-decoration: line-through dotted; }
.partial { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 0.6em; }
.usage, .selection { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.3em 0.9em; cursor: pointer; }
details { margin-top: 2em; }`;

// Runs in the webview: clicks become messages to the extension, nothing else.
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target && event.target.closest ? event.target.closest('[data-open], [data-command]') : null;
  if (!target) return;
  event.preventDefault();
  if (target.dataset.open !== undefined) {
    vscode.postMessage({ type: 'open', exchange: Number(target.dataset.exchange), index: Number(target.dataset.open) });
  } else {
    vscode.postMessage({ type: 'command', name: target.dataset.command });
  }
});`;

module.exports = { AnswerPanel, page };
