// @ts-check
'use strict';
/**
 * One daemon per workspace root — the git work tree holding a workspace folder, else the folder —
 * started on the first command that needs it and shared by every editor of that root. A daemon that
 * exits is forgotten, so the next command starts a new one; one started with other settings than the
 * current ones is replaced once it is idle.
 */
const fs = require('fs');
const path = require('path');
const { Daemon } = require('./daemon');
const settingsModule = require('./settings');

class DaemonRegistry {
  /**
   * @param {typeof import('vscode')} vscode
   * @param {{log: (line: string) => void, onExit: (daemon: Daemon, error: import('./rpc').RpcError) => void,
   *   onServerProgress: (daemon: Daemon, token: string | number, value: any) => void}} hooks
   */
  constructor(vscode, hooks) {
    this.vscode = vscode;
    this.hooks = hooks;
    /** @type {Map<string, {daemon: Daemon, key: string}>} */
    this.daemons = new Map();
  }

  /**
   * The root a command works on: that of the active editor's workspace folder (or its file's folder
   * when it belongs to none), else that of the first workspace folder; undefined when nothing is open.
   * @returns {string | undefined}
   */
  currentRoot() {
    const vscode = this.vscode;
    const editor = vscode.window.activeTextEditor;
    const uri = editor && editor.document.uri.scheme === 'file' ? editor.document.uri : undefined;
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    if (folder) return workTree(folder.uri.fsPath);
    if (uri) return workTree(path.dirname(uri.fsPath));
    const first = (vscode.workspace.workspaceFolders || [])[0];
    return first ? workTree(first.uri.fsPath) : undefined;
  }

  /**
   * The running daemon of `root`, started (and initialized) when there is none.
   * @param {string} root @returns {Promise<Daemon>}
   */
  async daemonFor(root) {
    const settings = settingsModule.read(this.vscode);
    const key = JSON.stringify([settings.executablePath, settings.args, settingsModule.initializationOptions(settings), settings.trace]);
    const known = this.daemons.get(root);
    if (known && known.daemon.state !== 'exited') {
      if (known.key === key || known.daemon.busy) return readied(known.daemon);
      this.hooks.log(`settings changed: restarting rlmd for ${root}`);
      await this.stop(root);
    }
    const executable = settingsModule.executable(settings);
    const trace = settings.trace === 'off' ? undefined : this.hooks.log;
    const daemon = new Daemon({
      root, executable, args: settings.args, initializationOptions: settingsModule.initializationOptions(settings),
      trace, log: this.hooks.log,
      onExit: (exited, error) => {
        if (this.daemons.get(root)?.daemon === exited) this.daemons.delete(root);
        this.hooks.onExit(exited, error);
      },
      onServerProgress: this.hooks.onServerProgress,
    });
    this.hooks.log(`started ${executable} serve --stdio ${settings.args.join(' ')} for ${root} (pid ${daemon.pid})`);
    this.daemons.set(root, { daemon, key });
    return readied(daemon);
  }

  /**
   * The daemon of `root` if one runs.
   * @param {string} root
   */
  existing(root) {
    const known = this.daemons.get(root);
    return known && known.daemon.state !== 'exited' ? known.daemon : undefined;
  }

  /** @param {string} root */
  async stop(root) {
    const known = this.daemons.get(root);
    this.daemons.delete(root);
    if (known) await known.daemon.stop();
  }

  async stopAll() {
    await Promise.all([...this.daemons.keys()].map((root) => this.stop(root)));
  }
}

/** @param {Daemon} daemon */
async function readied(daemon) {
  await daemon.ready;
  return daemon;
}

/**
 * The git work tree holding `folder` (walking up to a `.git` file or folder), else `folder`.
 * @param {string} folder
 */
function workTree(folder) {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return path.resolve(folder);
  }
}

module.exports = { DaemonRegistry, workTree };
