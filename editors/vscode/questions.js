// @ts-check
'use strict';
/**
 * Running one question (`rlm/ask`, `rlm/followUp`, `rlm/summarizeSession`) on a daemon: its own
 * work-done token, progress values routed to the caller, cancellation through an AbortSignal
 * (→ `$/cancelRequest`). Shared by the commands and the chat participant.
 */
const path = require('path');
const { Code } = require('./errors');

let tokens = 0;

/**
 * @param {import('./daemon').Daemon} daemon
 * @param {string} method
 * @param {Record<string, any>} params
 * @param {{signal?: AbortSignal, onProgress?: (value: import('./daemon').ProgressValue) => void}} [options]
 * @returns {Promise<any>} the answer; a cancelled question rejects with -32800 and `error.trajectory`
 *   naming the partial trajectory (from the answer's data, else from the progress `end`)
 */
async function runQuestion(daemon, method, params, options = {}) {
  const token = `vscode-${process.pid}-${++tokens}`;
  /** @type {import('./daemon').ProgressValue | undefined} */
  let end;
  const stop = daemon.listen(token, (value) => {
    if (value.kind === 'end') end = value;
    if (options.onProgress) options.onProgress(value);
  });
  try {
    return await daemon.request(method, { ...params, workDoneToken: token }, options.signal);
  } catch (error) {
    const failure = /** @type {any} */ (error);
    if (failure.code === Code.cancelled) failure.trajectory = (failure.data && failure.data.trajectory) || (end && end.trajectory);
    throw failure;
  } finally {
    stop();
  }
}

/**
 * What goes with a question about the editor's selection: its path (relative to the root when inside
 * it), lines (1-based; a selection ending at column 0 ends on the line before) and text.
 * @param {typeof import('vscode')} vscode @param {string} root
 * @returns {{path: string, startLine: number, endLine: number, text: string} | undefined}
 */
function editorSelection(vscode, root) {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty || editor.document.uri.scheme !== 'file') return undefined;
  const selection = editor.selection;
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return { path: relative(root, editor.document.uri.fsPath), startLine: selection.start.line + 1, endLine, text: editor.document.getText(selection) };
}

/** @param {string} root @param {string} file */
function relative(root, file) {
  const inside = path.relative(root, file);
  return inside && !inside.startsWith('..') && !path.isAbsolute(inside) ? inside.split(path.sep).join('/') : file;
}

module.exports = { runQuestion, editorSelection, relative };
