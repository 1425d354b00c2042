// @ts-check
'use strict';
/**
 * A question's trajectory — its turns, the code it ran, the outputs and the sub-calls — as a read-only
 * Markdown document (`rlmd-trajectory:` URIs served from memory, so closing it asks nothing), and the
 * daemon's HTML viewer in the browser when the daemon has one.
 */
const format = require('./format');
const { Code } = require('./errors');

const SCHEME = 'rlmd-trajectory';
// Prompts and outputs longer than this are cut in the view (the record keeps 8,000 chars).
const SHOWN_CHARS = 2000;

class TrajectoryView {
  /** @param {typeof import('vscode')} vscode */
  constructor(vscode) {
    this.vscode = vscode;
    /** @type {Map<string, string>} */
    this.documents = new Map();
    this.changed = new vscode.EventEmitter();
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.documents.get(uri.toString()) || `No trajectory at ${uri.toString()}.`,
    });
  }

  /**
   * Fetches trajectory `id` from `daemon` and shows it.
   * @param {import('./daemon').Daemon} daemon @param {string} id
   */
  async show(daemon, id) {
    const vscode = this.vscode;
    const { jsonl, html } = await fetchTrajectory(daemon, id);
    const text = render(jsonl, id, html ? undefined : 'The HTML viewer is unavailable from this rlmd (it answered JSON lines only); this is the text view.');
    const uri = vscode.Uri.parse(`${SCHEME}:/${encodeURIComponent(id)}.md`);
    this.documents.set(uri.toString(), text);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    if (html) {
      vscode.window.showInformationMessage(`rlmd: trajectory ${id} is also written as HTML.`, 'Open in Browser').then((choice) => {
        if (choice) vscode.env.openExternal(vscode.Uri.file(html));
      });
    }
    return { uri, html };
  }

  dispose() {
    this.registration.dispose();
  }
}

/**
 * The trajectory's JSON lines, and the path of its HTML page when the daemon writes one
 * (`rlm/trajectory {format: "html"}` answering `{path}`; a daemon without the viewer ignores the
 * field or refuses it with -32602).
 * @param {import('./daemon').Daemon} daemon @param {string} id
 * @returns {Promise<{jsonl: string, html?: string}>}
 */
async function fetchTrajectory(daemon, id) {
  let answer;
  try {
    answer = await daemon.request('rlm/trajectory', { id, format: 'html' });
  } catch (error) {
    if (/** @type {any} */ (error).code !== Code.invalidParams) throw error;
    answer = {};
  }
  const html = answer && typeof answer.path === 'string' ? answer.path : undefined;
  if (answer && typeof answer.jsonl === 'string') return { jsonl: answer.jsonl, html };
  const plain = await daemon.request('rlm/trajectory', { id });
  return { jsonl: String(plain.jsonl || ''), html };
}

/**
 * Markdown for a trajectory's JSON lines: the metadata line, then each turn.
 * @param {string} jsonl @param {string} id @param {string} [note]
 */
function render(jsonl, id, note) {
  const records = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      records.push({ unreadable: line });
    }
  }
  const meta = records[0] && records[0].type === 'trajectory' ? records.shift() : {};
  const out = [`# Trajectory ${meta.id || id}`, ''];
  if (note) out.push(`> ${note}`, '');
  if (meta.question) out.push('**Question:**', '', fenced(meta.question, 'text'), '');
  const facts = [meta.model && `model ${meta.model}`, meta.subModel && `sub-model ${meta.subModel}`, meta.createdAt, meta.root].filter(Boolean);
  if (facts.length) out.push(facts.join(' · '), '');
  if (meta.usage) {
    const u = meta.usage;
    out.push(`**Usage:** ${format.counted(u.iterations || 0, 'turn')} · ${format.counted(u.calls || 0, 'model call')} · `
      + `${u.input || 0} input + ${u.output || 0} output tokens · ${format.dollars(u.costUSD)}`, '');
  }
  if (meta.answer !== undefined) {
    out.push(meta.partial ? `**Answer (partial${meta.stopReason ? `: ${meta.stopReason}` : ''}):**` : '**Answer:**', '', fenced(meta.answer || '', 'text'), '');
  }
  for (const record of records) turn(record, 2, out);
  return `${out.join('\n').trimEnd()}\n`;
}

/** @param {any} record @param {number} level heading level @param {string[]} out */
function turn(record, level, out) {
  if (record.unreadable !== undefined) {
    out.push('(an unreadable line)', fenced(record.unreadable, 'text'), '');
    return;
  }
  const usage = record.usage ? ` · ${(record.usage.input || 0) + (record.usage.output || 0)} tokens` : '';
  const depth = record.depth > 1 ? ` (depth ${record.depth})` : '';
  out.push(`${heading(level)} Turn ${record.iteration}${depth}${record.answerNow ? ' — answer now' : ''}${usage}`, '');
  if (record.error) out.push(`**Error:** ${record.error}`, '');
  if (record.reply) out.push('Reply:', '', fenced(clip(record.reply), 'markdown'), '');
  (record.cells || []).forEach((/** @type {any} */ cell, /** @type {number} */ index) => {
    const result = cell.result || {};
    const flags = [result.timedOut && 'timed out', result.stateLost && 'REPL restarted, variables lost',
      typeof result.durationMs === 'number' && `${result.durationMs.toFixed(1)} ms`].filter(Boolean);
    out.push(`${heading(level + 1)} Cell ${index + 1}${flags.length ? ` (${flags.join(', ')})` : ''}`, '', fenced(cell.code || '', 'python'), '');
    if (result.stdout) out.push('Output:', '', fenced(clip(result.stdout), 'text'), '');
    if (result.stderr) out.push('Stderr:', '', fenced(clip(result.stderr), 'text'), '');
    if (result.error) out.push('Error:', '', fenced(clip(result.error), 'text'), '');
    if (result.final !== undefined && result.final !== null) out.push('FINAL:', '', fenced(clip(String(result.final)), 'text'), '');
  });
  const subCalls = record.subCalls || [];
  if (subCalls.length) out.push(`${heading(level + 1)} Sub-calls (${subCalls.length})`, '');
  subCalls.forEach((/** @type {any} */ call, /** @type {number} */ index) => {
    const tokens = call.usage ? ` · ${(call.usage.input || 0) + (call.usage.output || 0)} tokens` : '';
    const cost = typeof call.costUSD === 'number' ? ` · ${format.dollars(call.costUSD)}` : '';
    out.push(`${index + 1}. **${call.kind}** → ${call.model} (${Math.round(call.milliseconds || 0)} ms${tokens}${cost})`, '');
    out.push('Prompt:', '', fenced(clip(call.prompt || ''), 'text'), '');
    if (call.response !== undefined && call.response !== null) out.push('Response:', '', fenced(clip(call.response), 'text'), '');
    if (call.error) out.push(`**Error:** ${call.error}`, '');
    for (const child of call.child || []) turn(child, Math.min(level + 2, 6), out);
  });
}

/** @param {number} level */
function heading(level) {
  return '#'.repeat(Math.min(level, 6));
}

/**
 * A fence longer than any run of backticks inside, so model text cannot end it.
 * @param {string} text @param {string} language
 */
function fenced(text, language) {
  const longest = Math.max(2, ...(text.match(/`+/g) || []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** @param {string} text */
function clip(text) {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}\n… (${text.length - SHOWN_CHARS} more chars)` : text;
}

module.exports = { TrajectoryView, render, fetchTrajectory, SCHEME };
