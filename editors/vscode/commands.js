// @ts-check
'use strict';
/** What each `rlmd.*` command does (package.json's contributes.commands lists the same ids). */
const path = require('path');
const doctor = require('./doctor');
const errors = require('./errors');
const format = require('./format');
const settingsModule = require('./settings');
const { AnswerPanel } = require('./answerPanel');
const { pickSession } = require('./sessionsPick');
const { runQuestion, editorSelection } = require('./questions');

/**
 * @typedef {{registry: import('./registry').DaemonRegistry, status: import('./progress').QuestionStatus,
 *   trajectories: import('./trajectoryView').TrajectoryView, output: import('vscode').OutputChannel,
 *   log: (line: string) => void}} Services
 */

class Commands {
  /** @param {typeof import('vscode')} vscode @param {Services} services */
  constructor(vscode, services) {
    this.vscode = vscode;
    this.services = services;
    /**
     * The conversation shown in the panel (kept when the panel is closed, for follow-ups).
     * @type {import('./answerPanel').Thread | undefined}
     */
    this.thread = undefined;
    this.panel = new AnswerPanel(vscode, {
      openCitation: (root, citation) => this.openCitation(root, citation),
      runCommand: (name) => vscode.commands.executeCommand(`rlmd.${name}`),
    });
    this.doctorOutput = vscode.window.createOutputChannel('rlmd Doctor');
  }

  /**
   * The handlers by command name (`rlmd.<name>`).
   * @returns {Record<string, (...args: any[]) => any>}
   */
  table() {
    return {
      ask: (question) => this.ask(question),
      followUp: (question) => this.followUp(question),
      summarizeSession: (file) => this.summarizeSession(file),
      reindex: () => this.reindex(),
      status: () => this.status(),
      cancel: () => this.cancel(),
      trajectory: (id) => this.trajectory(id),
      doctor: () => this.doctor(),
      restart: () => this.restart(),
      showLog: () => this.services.output.show(true),
    };
  }

  /** @param {unknown} given a question passed by a keybinding or another extension */
  async ask(given) {
    const root = this.root();
    if (!root) return;
    const selection = editorSelection(this.vscode, root);
    const where = selection ? format.citationLabel({ ...selection, resolved: true }) : undefined;
    const question = await this.question(given, where ? `Ask about ${where}` : 'Ask about this repository');
    if (!question) return;
    /** @type {Record<string, any>} */
    const params = { question };
    if (selection) params.selection = selection;
    const exchange = { question, selection: selection && { path: selection.path, startLine: selection.startLine, endLine: selection.endLine } };
    await this.run(root, 'rlm/ask', params, exchange, undefined);
  }

  /** @param {unknown} given */
  async followUp(given) {
    const thread = this.thread;
    const last = thread && thread.exchanges[thread.exchanges.length - 1];
    if (!thread || !last) {
      errors.show(this.vscode, { severity: 'info', message: 'rlmd: there is no answer to follow up on yet: ask first.', actions: [{ title: 'Ask', command: 'rlmd.ask' }] });
      return;
    }
    const question = await this.question(given, `Follow up on: ${format.head(last.question, 60)}`);
    if (!question) return;
    await this.run(thread.root, 'rlm/followUp', { conversation: last.result.conversation, question }, { question }, thread);
  }

  /** @param {unknown} given a session file */
  async summarizeSession(given) {
    const root = this.root();
    if (!root) return;
    let file = typeof given === 'string' && given ? given : undefined;
    let title = file ? path.basename(file) : '';
    if (!file) {
      try {
        const daemon = await this.services.registry.daemonFor(root);
        const sessions = await daemon.request('rlm/sessions');
        if (!Array.isArray(sessions) || !sessions.length) {
          errors.show(this.vscode, { severity: 'info', message: `rlmd: no Claude Code, Codex or Aider session was found for ${root}.`, actions: [] });
          return;
        }
        const session = await pickSession(this.vscode, sessions);
        if (!session) return;
        file = session.path;
        title = session.title || session.id;
      } catch (error) {
        this.fail(error);
        return;
      }
    }
    await this.run(root, 'rlm/summarizeSession', { file }, { question: `Summarize session: ${format.head(title, 80)}` }, undefined);
  }

  reindex() {
    const vscode = this.vscode;
    return this.withDaemon(async (daemon, root) => {
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `rlmd: indexing ${root}` },
        () => daemon.request('rlm/index'));
      vscode.window.showInformationMessage(`rlmd: indexed ${format.counted(report.files, 'file')} (${report.changed} changed, `
        + `${format.size(report.bytes)}, about ${report.tokens.toLocaleString('en-US')} tokens) in ${report.seconds.toFixed(2)} s.`);
    });
  }

  status() {
    return this.withDaemon(async (daemon, root) => {
      const status = await daemon.request('rlm/status');
      const output = this.services.output;
      output.appendLine(`status of ${root}: ${doctor.indexLine(status, undefined)}`);
      for (const job of status.jobs || []) {
        output.appendLine(`  ${job.method} ${job.question ? JSON.stringify(format.head(job.question, 80)) : ''} — turn ${job.turn}, ${Math.round(job.seconds)} s`);
      }
      const running = (status.jobs || []).map((/** @type {any} */ job) => (job.question ? `"${format.head(job.question, 40)}" at turn ${job.turn}` : job.method));
      errors.show(this.vscode, {
        severity: 'info',
        message: `rlmd: ${doctor.indexLine(status, undefined)}${running.length ? ` — running: ${running.join('; ')}` : ''}`,
        actions: [{ title: 'Show Log', command: 'rlmd.showLog' }],
      });
    });
  }

  cancel() {
    if (!this.services.status.cancelAll()) this.vscode.window.showInformationMessage('rlmd: no question is running.');
  }

  /** @param {unknown} given a trajectory id */
  async trajectory(given) {
    const last = this.thread && this.thread.exchanges[this.thread.exchanges.length - 1];
    const root = (this.thread && this.thread.root) || this.root();
    if (!root) return;
    let id = typeof given === 'string' && given ? given : last && last.result.trajectory;
    if (!id) id = await this.question(undefined, 'Trajectory id (or a unique prefix)');
    if (!id) return;
    try {
      await this.services.trajectories.show(await this.services.registry.daemonFor(root), id);
    } catch (error) {
      this.fail(error);
    }
  }

  async doctor() {
    const vscode = this.vscode;
    const settings = settingsModule.read(vscode);
    /** @type {string} */
    let executable;
    try {
      executable = settingsModule.executable(settings);
    } catch (error) {
      this.fail(error);
      return;
    }
    const root = this.services.registry.currentRoot();
    const facts = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'rlmd: running the doctor…' }, async () => {
      const [checked, index] = await Promise.all([
        doctor.runDoctor(executable, settingsModule.doctorEnvironment(settings), root),
        root ? this.indexState(root) : Promise.resolve({}),
      ]);
      return { executable, root, ...checked, ...index };
    });
    const { lines, ok } = doctor.render(facts);
    const output = this.doctorOutput;
    output.clear();
    for (const line of lines) output.appendLine(line);
    output.show(true);
    const sandbox = facts.report && facts.report.sandbox;
    const summary = `sandbox ${sandbox ? `${sandbox.mode} ${sandbox.ok ? 'ok' : 'FAILED'}` : 'unknown'}, `
      + `${(facts.report && facts.report.providers || []).map((/** @type {any} */ p) => `${p.name} ${p.ok ? 'ok' : 'FAILED'}`).join(', ') || 'no provider'}, `
      + `index ${facts.status ? facts.status.index : 'unavailable'}`;
    errors.show(vscode, ok
      ? { severity: 'info', message: `rlmd doctor: everything works (${summary}).`, actions: [] }
      : { severity: 'warning', message: `rlmd doctor found problems (${summary}): see the "rlmd Doctor" output.`, actions: [{ title: 'Open Settings', command: 'workbench.action.openSettings', args: ['rlmd.'] }] });
  }

  /** @param {string} root @returns {Promise<{status?: any, statusError?: string}>} */
  async indexState(root) {
    try {
      const daemon = await this.services.registry.daemonFor(root);
      return { status: await daemon.request('rlm/status') };
    } catch (error) {
      return { statusError: errors.describe(error).message };
    }
  }

  async restart() {
    const root = this.root();
    if (!root) return;
    try {
      await this.services.registry.stop(root);
      const daemon = await this.services.registry.daemonFor(root);
      this.vscode.window.showInformationMessage(`rlmd: restarted for ${root} (pid ${daemon.pid}).`);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Runs a question with a cancellable progress notification and shows its answer in the panel.
   * @param {string} root @param {string} method @param {Record<string, any>} params
   * @param {{question: string, selection?: any}} exchange @param {import('./answerPanel').Thread | undefined} thread
   */
  async run(root, method, params, exchange, thread) {
    const vscode = this.vscode;
    let daemon;
    try {
      daemon = await this.services.registry.daemonFor(root);
    } catch (error) {
      this.fail(error);
      return;
    }
    const live = /** @type {import('./daemon').Daemon} */ (daemon);
    const options = { location: vscode.ProgressLocation.Notification, title: `rlmd: ${format.head(exchange.question, 60)}`, cancellable: true };
    const outcome = await vscode.window.withProgress(options, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      const job = this.services.status.begin(exchange.question, controller);
      const onProgress = (/** @type {import('./daemon').ProgressValue} */ value) => {
        if (value.kind !== 'report') return;
        const line = format.progressLine(value);
        progress.report({ message: line });
        job.update(line);
      };
      try {
        return { result: await runQuestion(live, method, params, { signal: controller.signal, onProgress }) };
      } catch (error) {
        return { error };
      } finally {
        subscription.dispose();
        job.end();
      }
    });
    if ('error' in outcome) {
      this.fail(outcome.error, method === 'rlm/followUp');
      return;
    }
    const result = outcome.result;
    const shown = thread && this.thread === thread
      ? { ...thread, exchanges: [...thread.exchanges, { ...exchange, result }] }
      : { root, title: exchange.question, exchanges: [{ ...exchange, result }] };
    this.thread = shown;
    this.panel.show(shown);
    if (result.partial) {
      const setting = format.budgetSetting(result.reason);
      errors.show(vscode, {
        severity: 'warning',
        message: `rlmd: a partial answer: ${result.reason || 'it stopped early'}.${setting ? ` Raise ${setting} to let it go further.` : ''}`,
        actions: [{ title: 'Open Settings', command: 'workbench.action.openSettings', args: [setting || 'rlmd.budgets'] }],
      });
    }
  }

  /** @param {string} root @param {import('./format').Citation} citation */
  async openCitation(root, citation) {
    const vscode = this.vscode;
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, citation.path)));
      const last = Math.min(Math.max(citation.startLine, citation.endLine), document.lineCount) - 1;
      const first = Math.min(citation.startLine, document.lineCount) - 1;
      const range = new vscode.Range(first, 0, last, document.lineAt(last).text.length);
      const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true, viewColumn: vscode.ViewColumn.One });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      vscode.window.showErrorMessage(`rlmd: cannot open ${format.citationLabel(citation)}: ${/** @type {Error} */ (error).message}`);
    }
  }

  /**
   * Runs `body` with the daemon of the current root (started if need be); failures are reported.
   * @param {(daemon: import('./daemon').Daemon, root: string) => Promise<void>} body
   */
  async withDaemon(body) {
    const root = this.root();
    if (!root) return;
    try {
      await body(await this.services.registry.daemonFor(root), root);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The root to work on, or undefined after saying that a folder must be open. */
  root() {
    const root = this.services.registry.currentRoot();
    if (!root) this.vscode.window.showErrorMessage('rlmd: open a folder (or a file in one) first: rlmd answers questions about a workspace.');
    return root;
  }

  /**
   * A question given to the command, else typed by the user.
   * @param {unknown} given @param {string} prompt
   */
  async question(given, prompt) {
    if (typeof given === 'string' && given.trim()) return given.trim();
    const typed = await this.vscode.window.showInputBox({ prompt, placeHolder: 'e.g. How does the retry logic back off?', ignoreFocusOut: true });
    return typed && typed.trim() ? typed.trim() : undefined;
  }

  /**
   * Tells the user about a failure (an exit of the daemon was already reported when it happened).
   * @param {any} error @param {boolean} [followUp]
   */
  fail(error, followUp = false) {
    if (error && error.code === errors.Code.daemonExited) return;
    if (error && error.code === errors.Code.cancelled) {
      const trajectory = error.trajectory;
      errors.show(this.vscode, {
        severity: 'info',
        message: `rlmd: cancelled.${trajectory ? ` The partial trajectory is ${trajectory}.` : ''}`,
        actions: trajectory ? [{ title: 'Show Trajectory', command: 'rlmd.trajectory', args: [trajectory] }] : [],
      });
      return;
    }
    const report = errors.describe(error);
    if (followUp && error && error.code === errors.Code.invalidParams) report.actions = [{ title: 'Ask', command: 'rlmd.ask' }];
    this.services.log(report.message);
    errors.show(this.vscode, report);
  }

  dispose() {
    this.panel.dispose();
    this.doctorOutput.dispose();
  }
}

module.exports = { Commands };
