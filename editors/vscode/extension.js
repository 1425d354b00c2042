// @ts-check
'use strict';
/**
 * The rlmd extension: commands that ask the workspace's `rlmd serve --stdio` daemon (one per root,
 * started on first use), an answer panel with clickable citations, progress with a cancel button,
 * a trajectory view, the doctor, and the `@rlmd` chat participant where VS Code has the chat API.
 * It registers no language client and attaches to no document.
 */
const vscode = require('vscode');
const errors = require('./errors');
const { Commands } = require('./commands');
const { DaemonRegistry } = require('./registry');
const { QuestionStatus } = require('./progress');
const { TrajectoryView } = require('./trajectoryView');
const { registerChat } = require('./chat');

/** @type {DaemonRegistry | undefined} */
let registry;

/** @param {import('vscode').ExtensionContext} context */
function activate(context) {
  const output = vscode.window.createOutputChannel('rlmd');
  const log = (/** @type {string} */ line) => output.appendLine(`[${new Date().toISOString().slice(11, 23)}] ${line}`);
  const status = new QuestionStatus(vscode);
  const daemons = new DaemonRegistry(vscode, {
    log,
    onExit: (daemon, error) => {
      log(`${error.message}\n${error.data && error.data.tail ? error.data.tail : '(nothing on stderr)'}`);
      errors.show(vscode, errors.describe(error));
    },
    onServerProgress: (daemon, token, value) => status.onServerProgress(daemon, token, value),
  });
  registry = daemons;
  const trajectories = new TrajectoryView(vscode);
  const commands = new Commands(vscode, { registry: daemons, status, trajectories, output, log });
  for (const [name, handler] of Object.entries(commands.table())) {
    context.subscriptions.push(vscode.commands.registerCommand(`rlmd.${name}`, handler));
  }
  const participant = registerChat(vscode, { registry: daemons, status, log });
  if (participant) context.subscriptions.push(participant);
  context.subscriptions.push(output, status, trajectories, commands);
}

/** Stops the daemons (VS Code waits for the promise a little while). */
function deactivate() {
  const stopping = registry ? registry.stopAll() : undefined;
  registry = undefined;
  return stopping;
}

module.exports = { activate, deactivate };
