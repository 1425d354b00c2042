// @ts-check
'use strict';
/**
 * The `@rlmd` chat participant, where VS Code has the chat API (feature-detected: without it the
 * extension works the same through its commands). A question in a chat that already has an rlmd
 * answer follows up on that answer's conversation; `/new` asks afresh, `/summarize [file]` summarizes
 * a session. Citations become anchors that open the file at the line.
 */
const path = require('path');
const errors = require('./errors');
const format = require('./format');
const { runQuestion, relative } = require('./questions');

const PARTICIPANT_ID = 'rlmd.chat';

/**
 * Registers the participant; undefined when this VS Code has no chat API.
 * @param {typeof import('vscode')} vscode
 * @param {{registry: import('./registry').DaemonRegistry, status: import('./progress').QuestionStatus, log: (line: string) => void}} services
 */
function registerChat(vscode, services) {
  const chat = /** @type {any} */ (vscode).chat;
  if (!chat || typeof chat.createChatParticipant !== 'function') return undefined;
  const participant = chat.createChatParticipant(PARTICIPANT_ID, (/** @type {any} */ request, /** @type {any} */ context, /** @type {any} */ stream, /** @type {any} */ token) =>
    handle(vscode, services, request, context, stream, token));
  if (typeof vscode.ThemeIcon === 'function') participant.iconPath = new vscode.ThemeIcon('search');
  return participant;
}

/**
 * @param {typeof import('vscode')} vscode
 * @param {{registry: import('./registry').DaemonRegistry, status: import('./progress').QuestionStatus, log: (line: string) => void}} services
 * @param {any} request @param {any} context @param {any} stream @param {any} token
 */
async function handle(vscode, services, request, context, stream, token) {
  const root = services.registry.currentRoot();
  if (!root) {
    stream.markdown('Open a folder first: rlmd answers questions about a workspace.');
    return {};
  }
  const prompt = String(request.prompt || '').trim();
  const previous = request.command === 'new' ? undefined : lastConversation(context && context.history, root);
  let method = 'rlm/ask';
  /** @type {Record<string, any>} */
  let params = { question: prompt };
  if (request.command === 'summarize') {
    method = 'rlm/summarizeSession';
    params = prompt ? { file: prompt } : {};
  } else if (!prompt) {
    stream.markdown('Ask a question about this repository, e.g. `@rlmd where are retries handled?`');
    return {};
  } else if (previous) {
    method = 'rlm/followUp';
    params = { conversation: previous, question: prompt };
  } else {
    const selection = await referencedSelection(vscode, request, root);
    if (selection) params.selection = selection;
  }
  const controller = new AbortController();
  if (token) {
    if (token.isCancellationRequested) controller.abort();
    token.onCancellationRequested(() => controller.abort());
  }
  const job = services.status.begin(prompt || 'summarize session', controller);
  const onProgress = (/** @type {import('./daemon').ProgressValue} */ value) => {
    if (value.kind !== 'report') return;
    const line = format.progressLine(value);
    job.update(line);
    if (typeof stream.progress === 'function') stream.progress(`rlmd: ${line}`);
  };
  try {
    const daemon = await services.registry.daemonFor(root);
    let result;
    try {
      result = await runQuestion(daemon, method, params, { signal: controller.signal, onProgress });
    } catch (error) {
      if (method !== 'rlm/followUp' || /** @type {any} */ (error).code !== errors.Code.invalidParams) throw error;
      stream.markdown('_(The earlier conversation has ended — the daemon restarted — so this is asked afresh.)_\n\n');
      result = await runQuestion(daemon, 'rlm/ask', { question: prompt }, { signal: controller.signal, onProgress });
    }
    writeAnswer(vscode, stream, root, result);
    return { metadata: { root, conversation: result.conversation, trajectory: result.trajectory } };
  } catch (error) {
    const failure = /** @type {any} */ (error);
    if (failure.code === errors.Code.cancelled) {
      stream.markdown(`Cancelled.${failure.trajectory ? ` The partial trajectory is \`${failure.trajectory}\`.` : ''}`);
      if (failure.trajectory) button(stream, failure.trajectory);
      return { metadata: { root, trajectory: failure.trajectory } };
    }
    return { errorDetails: { message: errors.describe(failure).message } };
  } finally {
    job.end();
  }
}

/** @param {typeof import('vscode')} vscode @param {any} stream @param {string} root @param {any} result */
function writeAnswer(vscode, stream, root, result) {
  if (result.partial) {
    const setting = format.budgetSetting(result.reason);
    stream.markdown(`> **Partial answer:** ${result.reason || 'stopped early'}.${setting ? ` Raise \`${setting}\` to let it go further.` : ''}\n\n`);
  }
  stream.markdown(result.answer || '_(no answer)_');
  const citations = result.citations || [];
  if (citations.length) stream.markdown('\n\n**Citations**\n\n');
  for (const citation of citations) {
    const label = format.citationLabel(citation);
    const excerpt = citation.excerpt ? ` — \`${citation.excerpt.split('\n')[0].trim().replace(/`/g, "'")}\`` : '';
    if (!citation.resolved) {
      stream.markdown(`- \`${label}\` (not found in the index)\n`);
    } else if (format.isMessage(citation)) {
      stream.markdown(`- \`${label}\`${excerpt}\n`);
    } else {
      const location = new vscode.Location(vscode.Uri.file(path.join(root, citation.path)),
        new vscode.Range(citation.startLine - 1, 0, Math.max(citation.startLine, citation.endLine) - 1, 0));
      stream.markdown('- ');
      stream.anchor(location, label);
      stream.markdown(`${excerpt}\n`);
      if (typeof stream.reference === 'function') stream.reference(location);
    }
  }
  stream.markdown(`\n\n_${format.usageLine(result)}_`);
  button(stream, result.trajectory);
}

/** @param {any} stream @param {string} trajectory */
function button(stream, trajectory) {
  if (typeof stream.button === 'function') stream.button({ command: 'rlmd.trajectory', arguments: [trajectory], title: 'Show trajectory' });
}

/**
 * The conversation of the latest rlmd answer of this chat about `root`.
 * @param {any[] | undefined} history @param {string} root
 */
function lastConversation(history, root) {
  for (const turn of [...(history || [])].reverse()) {
    const metadata = turn && turn.participant === PARTICIPANT_ID && turn.result && turn.result.metadata;
    if (metadata && metadata.conversation && metadata.root === root) return String(metadata.conversation);
  }
  return undefined;
}

/**
 * A `#selection` (or any location) attached to the request, as the question's selection.
 * @param {typeof import('vscode')} vscode @param {any} request @param {string} root
 */
async function referencedSelection(vscode, request, root) {
  for (const reference of request.references || []) {
    const value = reference && reference.value;
    if (!value || !value.uri || !value.range || value.uri.scheme !== 'file') continue;
    const document = await vscode.workspace.openTextDocument(value.uri);
    return {
      path: relative(root, value.uri.fsPath), startLine: value.range.start.line + 1,
      endLine: value.range.end.line + 1, text: document.getText(value.range),
    };
  }
  return undefined;
}

module.exports = { registerChat, PARTICIPANT_ID, lastConversation };
