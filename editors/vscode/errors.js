// @ts-check
'use strict';
/** What each failure tells the user, and the button that helps fix it. */
const { DAEMON_EXITED } = require('./daemon');
const { MissingExecutable } = require('./settings');

const Code = {
  cancelled: -32800,
  invalidParams: -32602,
  noProvider: -32900,
  budget: -32901,
  index: -32902,
  sandbox: -32903,
  provider: -32904,
  unknownTrajectory: -32905,
  daemonExited: DAEMON_EXITED,
};

/**
 * @typedef {{title: string, command: string, args?: any[]}} Action
 * @typedef {{severity: 'error' | 'warning' | 'info', message: string, actions: Action[]}} Report
 */

/** @param {string} query */
const openSettings = (query) => ({ title: 'Open Settings', command: 'workbench.action.openSettings', args: [query] });
const runDoctor = { title: 'Run Doctor', command: 'rlmd.doctor' };
const showLog = { title: 'Show Log', command: 'rlmd.showLog' };

/**
 * The report for an error thrown by a command.
 * @param {any} error @returns {Report}
 */
function describe(error) {
  if (error instanceof MissingExecutable) {
    return { severity: 'error', message: `rlmd: ${error.message}`, actions: [openSettings('rlmd.executablePath')] };
  }
  const message = String((error && error.message) || error);
  switch (error && error.code) {
    case Code.noProvider:
      return {
        severity: 'error',
        message: `rlmd: no model provider is configured (${message}). Set OPENAI_API_KEY or ANTHROPIC_API_KEY in the `
          + 'environment VS Code starts from, RLMD_BASE_URL, or ~/.config/rlmd/config.toml — or the rlmd.provider / '
          + 'rlmd.baseUrl settings.',
        actions: [openSettings('rlmd.baseUrl'), runDoctor],
      };
    case Code.budget:
      return { severity: 'error', message: `rlmd: a budget ran out (${message}); raise it in the rlmd.budgets settings.`, actions: [openSettings('rlmd.budgets')] };
    case Code.index:
      return { severity: 'error', message: `rlmd: the index is unavailable: ${message}`, actions: [{ title: 'Reindex', command: 'rlmd.reindex' }, showLog] };
    case Code.sandbox:
      return { severity: 'error', message: `rlmd: the Python sandbox could not start: ${message}`, actions: [runDoctor] };
    case Code.provider:
      return { severity: 'error', message: `rlmd: the model provider failed: ${message}`, actions: [runDoctor, openSettings('rlmd.baseUrl')] };
    case Code.unknownTrajectory:
      return { severity: 'error', message: `rlmd: ${message}`, actions: [] };
    case Code.daemonExited: {
      const tail = error.data && error.data.tail;
      const stderr = tail ? ` The last lines of its stderr:\n${tail}` : ' It wrote nothing to stderr.';
      return {
        severity: 'error',
        message: `${message}${stderr}\nIt starts again on the next command.`,
        actions: [showLog, openSettings('rlmd.args')],
      };
    }
    default:
      return { severity: 'error', message: `rlmd: ${message}`, actions: [showLog] };
  }
}

/**
 * Shows a report without waiting for its buttons (a pressed button runs its command).
 * @param {typeof import('vscode')} vscode @param {Report} report
 */
function show(vscode, report) {
  const shower = report.severity === 'error' ? vscode.window.showErrorMessage
    : report.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const titles = report.actions.map((action) => action.title);
  Promise.resolve(shower(report.message, ...titles)).then((choice) => {
    const action = report.actions.find((candidate) => candidate.title === choice);
    if (action) return vscode.commands.executeCommand(action.command, ...(action.args || []));
    return undefined;
  }).catch(() => {});
}

module.exports = { Code, describe, show };
