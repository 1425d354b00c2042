// @ts-check
'use strict';
/**
 * Progress of running questions: a status-bar item (click: cancel) while any runs, and the daemon's
 * own progress (the first index build) in the window's progress area.
 */
const format = require('./format');

/** @typedef {{title: string, line: string, controller: AbortController, update: (line: string) => void, end: () => void}} Job */

class QuestionStatus {
  /** @param {typeof import('vscode')} vscode */
  constructor(vscode) {
    this.vscode = vscode;
    this.item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'rlmd';
    this.item.command = 'rlmd.cancel';
    /** @type {Set<Job>} */
    this.jobs = new Set();
    /** @type {Map<string, {report: (value: {message?: string, increment?: number}) => void, done: () => void, percentage: number}>} */
    this.serverProgress = new Map();
  }

  /**
   * A question that started; `controller` cancels it.
   * @param {string} title @param {AbortController} controller @returns {Job}
   */
  begin(title, controller) {
    /** @type {Job} */
    const job = {
      title, line: 'starting', controller,
      update: (line) => { job.line = line; this.render(); },
      end: () => { this.jobs.delete(job); this.render(); },
    };
    this.jobs.add(job);
    this.render();
    return job;
  }

  /** Cancels every running question; returns how many there were. */
  cancelAll() {
    const jobs = [...this.jobs];
    for (const job of jobs) job.controller.abort();
    return jobs.length;
  }

  render() {
    const jobs = [...this.jobs];
    if (!jobs.length) {
      this.item.hide();
      return;
    }
    const latest = jobs[jobs.length - 1];
    const more = jobs.length > 1 ? ` (+${jobs.length - 1})` : '';
    this.item.text = `$(sync~spin) rlmd: ${latest.line}${more}`;
    this.item.tooltip = `rlmd: ${jobs.map((job) => format.head(job.title, 60)).join('\n')}\nClick to cancel.`;
    this.item.show();
  }

  /**
   * `$/progress` under a token the daemon created (the first index build), shown in the window's
   * progress area until its `end` or the daemon's exit. Each daemon numbers its tokens from 1, so
   * the daemon is part of the key.
   * @param {import('./daemon').Daemon} daemon @param {string | number} token @param {import('./daemon').ProgressValue} value
   */
  onServerProgress(daemon, token, value) {
    const vscode = this.vscode;
    const key = `${daemon.pid}/${token}`;
    if (value.kind === 'begin' && !this.serverProgress.has(key)) {
      /** @type {(value?: any) => void} */
      let done = () => {};
      const finished = new Promise((resolve) => { done = resolve; });
      const entry = { report: (/** @type {any} */ _) => {}, done, percentage: 0 };
      this.serverProgress.set(key, entry);
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: value.title || 'rlmd' }, (progress) => {
        entry.report = (update) => progress.report(update);
        return finished;
      });
      daemon.exited.then(() => this.endServerProgress(key));
      return;
    }
    const entry = this.serverProgress.get(key);
    if (!entry) return;
    if (value.kind === 'report') {
      const increment = typeof value.percentage === 'number' ? Math.max(0, value.percentage - entry.percentage) : undefined;
      if (typeof value.percentage === 'number') entry.percentage = value.percentage;
      entry.report({ message: format.progressLine(value), increment });
    } else if (value.kind === 'end') {
      this.endServerProgress(key);
    }
  }

  /** @param {string} key */
  endServerProgress(key) {
    const entry = this.serverProgress.get(key);
    this.serverProgress.delete(key);
    if (entry) entry.done();
  }

  dispose() {
    this.cancelAll();
    for (const entry of this.serverProgress.values()) entry.done();
    this.item.dispose();
  }
}

module.exports = { QuestionStatus };
