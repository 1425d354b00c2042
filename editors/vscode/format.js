// @ts-check
'use strict';
/** Text shared by the answer panel, the chat participant, progress and messages. */

/** @param {number} count @param {string} noun */
function counted(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** @param {number | undefined} usd */
function dollars(usd) {
  return `$${(usd || 0).toFixed(4)}`;
}

/**
 * A progress `report` from its fields (never from its message text).
 * @param {import('./daemon').ProgressValue} value
 */
function progressLine(value) {
  const parts = [];
  if (typeof value.turn === 'number') parts.push(`turn ${value.turn}`);
  if (typeof value.subCalls === 'number') parts.push(counted(value.subCalls, 'sub-call'));
  if (typeof value.tokens === 'number') parts.push(`${value.tokens.toLocaleString('en-US')} tokens`);
  if (typeof value.costUsd === 'number') parts.push(dollars(value.costUsd));
  if (typeof value.percentage === 'number' && !parts.length) parts.push(`${value.percentage}%`);
  return parts.length ? parts.join(' · ') : value.message || '';
}

/**
 * The usage line of an answer: turns, calls, tokens, cost, trajectory and conversation ids.
 * @param {{usage: {iterations: number, calls: number, input: number, output: number}, costUsd: number, trajectory: string, conversation?: string}} answer
 */
function usageLine(answer) {
  const usage = answer.usage || { iterations: 0, calls: 0, input: 0, output: 0 };
  return `${counted(usage.iterations, 'turn')} · ${counted(usage.calls, 'model call')} · `
    + `${usage.input.toLocaleString('en-US')} input + ${usage.output.toLocaleString('en-US')} output tokens · `
    + `${dollars(answer.costUsd)} · trajectory ${answer.trajectory}${answer.conversation ? ` · conversation ${answer.conversation}` : ''}`;
}

/**
 * @typedef {{path: string, startLine: number, endLine: number, resolved: boolean, excerpt?: string}} Citation
 */

/**
 * `path:line` or `path:start-end`.
 * @param {Citation} citation
 */
function citationLabel(citation) {
  const lines = citation.startLine === citation.endLine ? `${citation.startLine}` : `${citation.startLine}-${citation.endLine}`;
  return `${citation.path}:${lines}`;
}

/**
 * A session message (`#N`, `agent-<id>#N`), which is no file to open.
 * @param {Citation} citation
 */
function isMessage(citation) {
  return citation.path.includes('#');
}

/**
 * Which setting to raise for a partial answer, from the daemon's reason text.
 * @param {string | undefined} reason
 */
function budgetSetting(reason) {
  const text = reason || '';
  const known = [
    [/turn limit/, 'rlmd.budgets.maxIterations'], [/model calls/, 'rlmd.budgets.maxCalls'],
    [/token budget/, 'rlmd.budgets.maxTokens'], [/cost budget/, 'rlmd.budgets.maxUsd'],
    [/time limit/, 'rlmd.budgets.maxSeconds'],
  ];
  for (const [pattern, setting] of known) if (/** @type {RegExp} */ (pattern).test(text)) return /** @type {string} */ (setting);
  return undefined;
}

/** @param {number} bytes */
function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * A timestamp as `YYYY-MM-DD HH:MM` in local time.
 * @param {string | undefined} iso
 */
function when(iso) {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The first line of `text`, cut to `max` characters.
 * @param {string} text @param {number} max
 */
function head(text, max) {
  const line = (text || '').split('\n')[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

module.exports = { counted, dollars, progressLine, usageLine, citationLabel, isMessage, budgetSetting, size, when, head };
