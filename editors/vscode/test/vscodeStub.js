// @ts-check
'use strict';
/**
 * A stand-in for the `vscode` module: the part of the API the extension uses, behaving as VS Code
 * documents it, and recording what the extension shows so tests can assert on it and press its
 * buttons (message actions, the progress notification's cancel, QuickPick and input-box answers,
 * clicks in a webview, chat requests). VS Code itself cannot be installed here.
 */
const fs = require('fs');
const path = require('path');

class Disposable {
  /** @param {() => void} [callback] */
  constructor(callback) { this.callback = callback; }
  dispose() { if (this.callback) this.callback(); this.callback = undefined; }
  /** @param {{dispose: () => void}[]} items */
  static from(...items) { return new Disposable(() => items.forEach((item) => item.dispose())); }
}

class EventEmitter {
  constructor() {
    /** @type {Set<(value: any) => void>} */
    this.listeners = new Set();
    /** @param {(value: any) => void} listener */
    this.event = (listener) => {
      this.listeners.add(listener);
      return new Disposable(() => this.listeners.delete(listener));
    };
  }
  /** @param {any} [value] */
  fire(value) { for (const listener of [...this.listeners]) listener(value); }
  dispose() { this.listeners.clear(); }
}

class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this.emitter = emitter;
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
  }
  cancel() {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose() { this.emitter.dispose(); }
}

class Uri {
  /** @param {string} scheme @param {string} authority @param {string} uriPath @param {string} query @param {string} fragment */
  constructor(scheme, authority, uriPath, query, fragment) {
    this.scheme = scheme;
    this.authority = authority;
    this.path = uriPath;
    this.query = query;
    this.fragment = fragment;
  }
  get fsPath() { return this.path; }
  /** @param {string} file */
  static file(file) { return new Uri('file', '', path.resolve(file), '', ''); }
  /** @param {string} text */
  static parse(text) {
    const match = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(text);
    if (!match) throw new Error(`not a URI: ${text}`);
    return new Uri(match[1], match[2] || '', decodeURIComponent(match[3]), match[4] || '', match[5] || '');
  }
  /** @param {Uri} base @param {string[]} parts */
  static joinPath(base, ...parts) { return base.with({ path: path.posix.join(base.path, ...parts) }); }
  /** @param {{scheme?: string, path?: string, query?: string, fragment?: string}} change */
  with(change) {
    return new Uri(change.scheme ?? this.scheme, this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString() {
    const authority = this.scheme === 'file' || this.authority ? `//${this.authority}` : '';
    return `${this.scheme}:${authority}${encodeURI(this.path)}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

class Position {
  /** @param {number} line @param {number} character */
  constructor(line, character) {
    if (line < 0 || character < 0) throw new Error('Illegal argument: negative position');
    this.line = line;
    this.character = character;
  }
  /** @param {Position} other */
  isBefore(other) { return this.line < other.line || (this.line === other.line && this.character < other.character); }
  /** @param {Position} other */
  isEqual(other) { return this.line === other.line && this.character === other.character; }
}

class Range {
  /** @param {any[]} args (start, end) positions or four numbers */
  constructor(...args) {
    const [a, b] = args.length === 4 ? [new Position(args[0], args[1]), new Position(args[2], args[3])] : args;
    /** @type {Position} */
    this.start = b.isBefore(a) ? b : a;
    /** @type {Position} */
    this.end = b.isBefore(a) ? a : b;
  }
  get isEmpty() { return this.start.isEqual(this.end); }
}

class Selection extends Range {
  /** @param {any[]} args (anchor, active) positions or four numbers */
  constructor(...args) {
    super(...args);
    const [anchor, active] = args.length === 4 ? [new Position(args[0], args[1]), new Position(args[2], args[3])] : args;
    this.anchor = anchor;
    this.active = active;
  }
}

class Location {
  /** @param {Uri} uri @param {Range | Position} rangeOrPosition */
  constructor(uri, rangeOrPosition) {
    this.uri = uri;
    this.range = rangeOrPosition instanceof Position ? new Range(rangeOrPosition, rangeOrPosition) : rangeOrPosition;
  }
}

class ThemeIcon { /** @param {string} id */ constructor(id) { this.id = id; } }

class MarkdownString {
  /** @param {string} [value] */
  constructor(value = '') { this.value = value; }
  /** @param {string} value */
  appendMarkdown(value) { this.value += value; return this; }
}

/**
 * A document as VS Code gives it: text fixed at open time.
 * @param {Uri} uri @param {string} text @param {string} languageId
 */
function textDocument(uri, text, languageId) {
  const lines = text.split('\n');
  const offset = (/** @type {Position} */ position) => lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0)
    + Math.min(position.character, (lines[position.line] || '').length);
  return {
    uri, fileName: uri.fsPath, languageId, version: 1, isUntitled: false, lineCount: lines.length,
    /** @param {Range} [range] */
    getText: (range) => (range ? text.slice(offset(range.start), offset(range.end)) : text),
    /** @param {number} line */
    lineAt: (line) => {
      if (line < 0 || line >= lines.length) throw new Error(`Illegal value for line: ${line}`);
      return { lineNumber: line, text: lines[line], range: new Range(line, 0, line, lines[line].length) };
    },
  };
}

const LANGUAGES = /** @type {Record<string, string>} */ ({ '.py': 'python', '.md': 'markdown', '.js': 'javascript', '.json': 'json' });

/**
 * @param {{folders?: string[], settings?: Record<string, any>, chat?: boolean, packageJson: any}} options
 */
function createVscode(options) {
  const declared = options.packageJson.contributes.configuration.properties;
  /** @type {Record<string, any>} */
  const settings = { ...(options.settings || {}) };
  const configurationChanged = new EventEmitter();
  /** @type {Map<string, (...args: any[]) => any>} */
  const commands = new Map();
  /** @type {Map<string, any>} */
  const contentProviders = new Map();
  /** @type {any} */
  let activeTextEditor;

  const ui = {
    /** @type {{kind: string, message: string, items: string[], chosen?: string, press: (title: string) => void, dismiss: () => void}[]} */
    messages: [],
    /** @type {any[]} */ progress: [],
    /** @type {any[]} */ statusBarItems: [],
    /** @type {any[]} */ quickPicks: [],
    /** @type {any[]} */ inputBoxes: [],
    /** @type {any[]} */ panels: [],
    /** @type {any[]} */ shown: [],
    /** @type {{command: string, args: any[]}[]} */ executed: [],
    /** @type {Map<string, {lines: string[], shown: number}>} */ outputs: new Map(),
    /** @type {Uri[]} */ external: [],
    /** @type {Set<string>} */ reads: new Set(),
    /** @type {any[]} */ participants: [],
    respond: {
      /** @type {(items: any[], options: any) => any} */ quickPick: (items) => items[0],
      /** @type {(options: any) => string | undefined} */ inputBox: () => undefined,
    },
    /** @param {string} key @param {any} value */
    setSetting(key, value) {
      settings[key] = value;
      configurationChanged.fire({ affectsConfiguration: (/** @type {string} */ section) => key === section || key.startsWith(`${section}.`) });
    },
    /**
     * Opens `file` in an editor and makes it the active one.
     * @param {string} file @param {Selection} [selection]
     */
    async openEditor(file, selection) {
      const document = await vscode.workspace.openTextDocument(Uri.file(file));
      activeTextEditor = editorFor(document, selection || new Selection(0, 0, 0, 0));
      return activeTextEditor;
    },
    closeEditors() { activeTextEditor = undefined; },
    /** @param {string} name */
    output(name) { return ui.outputs.get(name) || { lines: [], shown: 0 }; },
  };

  /** @param {any} document @param {Selection} selection */
  function editorFor(document, selection) {
    const editor = {
      document, selection, selections: [selection], viewColumn: 1,
      /** @type {Range[]} */ revealed: [],
      /** @param {Range} range */
      revealRange(range) { editor.revealed.push(range); },
    };
    return editor;
  }

  /** @param {string} kind */
  const message = (kind) => (/** @type {string} */ text, /** @type {any[]} */ ...rest) => {
    const items = rest.filter((item) => typeof item === 'string' || (item && typeof item.title === 'string'))
      .map((item) => (typeof item === 'string' ? item : item.title));
    return new Promise((resolve) => {
      const record = {
        kind, message: text, items, chosen: /** @type {string | undefined} */ (undefined),
        /** @param {string} title */
        press(title) {
          if (!items.includes(title)) throw new Error(`no button ${title} on "${text}" (buttons: ${items.join(', ')})`);
          record.chosen = title;
          resolve(title);
        },
        dismiss() { resolve(undefined); },
      };
      ui.messages.push(record);
    });
  };

  /** @param {string} section */
  function getConfiguration(section) {
    const full = (/** @type {string} */ key) => (section ? `${section}.${key}` : key);
    return {
      /** @param {string} key @param {any} [fallback] */
      get(key, fallback) {
        const name = full(key);
        ui.reads.add(name);
        if (name in settings) return settings[name];
        if (name in declared) return declared[name].default ?? fallback;
        const nested = Object.keys(declared).filter((candidate) => candidate.startsWith(`${name}.`));
        if (!nested.length) return fallback;
        return Object.fromEntries(nested.map((candidate) => [candidate.slice(name.length + 1), settings[candidate] ?? declared[candidate].default]));
      },
      /** @param {string} key */
      has(key) { return full(key) in declared; },
      /** @param {string} key @param {any} value */
      async update(key, value) { ui.setSetting(full(key), value); },
    };
  }

  const vscode = {
    version: '1.95.0',
    Uri, Position, Range, Selection, Location, Disposable, EventEmitter, CancellationTokenSource, ThemeIcon, MarkdownString,
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    commands: {
      /** @param {string} id @param {(...args: any[]) => any} handler */
      registerCommand(id, handler) {
        if (commands.has(id)) throw new Error(`command '${id}' already exists`);
        commands.set(id, handler);
        return new Disposable(() => commands.delete(id));
      },
      /** @param {string} id @param {any[]} args */
      async executeCommand(id, ...args) {
        const handler = commands.get(id);
        if (handler) return handler(...args);
        ui.executed.push({ command: id, args });
        return undefined;
      },
      async getCommands() { return [...commands.keys()]; },
      registered: () => [...commands.keys()],
    },
    window: {
      get activeTextEditor() { return activeTextEditor; },
      showInformationMessage: message('info'),
      showWarningMessage: message('warning'),
      showErrorMessage: message('error'),
      /** @param {any} boxOptions */
      async showInputBox(boxOptions) {
        ui.inputBoxes.push(boxOptions);
        return ui.respond.inputBox(boxOptions);
      },
      /** @param {any[] | Promise<any[]>} items @param {any} pickOptions */
      async showQuickPick(items, pickOptions) {
        const resolved = await items;
        ui.quickPicks.push({ items: resolved, options: pickOptions });
        return ui.respond.quickPick(resolved, pickOptions);
      },
      /** @param {any} progressOptions @param {(progress: any, token: any) => Promise<any>} task */
      withProgress(progressOptions, task) {
        const source = new CancellationTokenSource();
        const record = {
          options: progressOptions, /** @type {any[]} */ reports: [], done: false,
          cancel() {
            if (!progressOptions.cancellable) throw new Error(`"${progressOptions.title}" has no cancel button`);
            source.cancel();
          },
        };
        ui.progress.push(record);
        return Promise.resolve(task({ report: (/** @type {any} */ value) => record.reports.push(value) }, source.token))
          .finally(() => { record.done = true; });
      },
      /** @param {number} [alignment] @param {number} [priority] */
      createStatusBarItem(alignment, priority) {
        const item = {
          alignment, priority, text: '', tooltip: '', command: undefined, name: undefined, visible: false, disposed: false,
          /** @type {{text: string, visible: boolean}[]} */ history: [],
          show() { item.visible = true; item.history.push({ text: item.text, visible: true }); },
          hide() { item.visible = false; item.history.push({ text: item.text, visible: false }); },
          dispose() { item.disposed = true; item.visible = false; },
        };
        ui.statusBarItems.push(item);
        return item;
      },
      /** @param {string} name */
      createOutputChannel(name) {
        const record = { lines: /** @type {string[]} */ ([]), shown: 0 };
        ui.outputs.set(name, record);
        return {
          name,
          /** @param {string} text */
          append(text) { record.lines.push(text); },
          /** @param {string} line */
          appendLine(line) { record.lines.push(...line.split('\n')); },
          clear() { record.lines.length = 0; },
          show() { record.shown++; },
          hide() {},
          dispose() {},
        };
      },
      /** @param {string} viewType @param {string} title @param {any} showOptions @param {any} webviewOptions */
      createWebviewPanel(viewType, title, showOptions, webviewOptions) {
        const received = new EventEmitter();
        const disposed = new EventEmitter();
        const panel = {
          viewType, title, showOptions, webviewOptions, visible: true, disposed: false, reveals: 0,
          /** @type {string[]} */ htmlHistory: [],
          webview: {
            options: webviewOptions, cspSource: 'vscode-webview://stand-in',
            /** @type {any[]} */ posted: [],
            get html() { return panel.htmlHistory[panel.htmlHistory.length - 1] || ''; },
            set html(value) { panel.htmlHistory.push(value); },
            onDidReceiveMessage: received.event,
            /** @param {any} value */
            async postMessage(value) { panel.webview.posted.push(value); return true; },
            asWebviewUri: (/** @type {Uri} */ uri) => uri,
          },
          /**
           * What the page's `acquireVsCodeApi().postMessage` delivers.
           * @param {any} value
           */
          fromPage(value) { received.fire(JSON.parse(JSON.stringify(value))); },
          onDidDispose: disposed.event,
          onDidChangeViewState: new EventEmitter().event,
          reveal() { panel.reveals++; panel.visible = true; },
          dispose() { if (!panel.disposed) { panel.disposed = true; disposed.fire(); } },
        };
        ui.panels.push(panel);
        return panel;
      },
      /** @param {any} documentOrUri @param {any} [showOptions] */
      async showTextDocument(documentOrUri, showOptions = {}) {
        const document = documentOrUri instanceof Uri ? await vscode.workspace.openTextDocument(documentOrUri) : documentOrUri;
        const selection = showOptions.selection ? new Selection(showOptions.selection.start, showOptions.selection.end) : new Selection(0, 0, 0, 0);
        const editor = editorFor(document, selection);
        activeTextEditor = editor;
        ui.shown.push({ document, options: showOptions, editor });
        return editor;
      },
      /** @param {string} text */
      setStatusBarMessage(text) { return new Disposable(() => {}); },
    },
    workspace: {
      workspaceFolders: (options.folders || []).map((folder, index) => ({ uri: Uri.file(folder), name: path.basename(folder), index })),
      /** @param {Uri} uri */
      getWorkspaceFolder(uri) {
        return vscode.workspace.workspaceFolders.find((folder) => uri.fsPath === folder.uri.fsPath || uri.fsPath.startsWith(`${folder.uri.fsPath}/`));
      },
      getConfiguration,
      onDidChangeConfiguration: configurationChanged.event,
      /** @param {Uri | {content?: string, language?: string}} target */
      async openTextDocument(target) {
        if (!(target instanceof Uri)) return textDocument(Uri.parse('untitled:Untitled-1'), target.content || '', target.language || 'plaintext');
        if (target.scheme === 'file') {
          const text = fs.readFileSync(target.fsPath, 'utf8');
          return textDocument(target, text, LANGUAGES[path.extname(target.fsPath)] || 'plaintext');
        }
        const provider = contentProviders.get(target.scheme);
        if (!provider) throw new Error(`cannot open ${target.toString()}: no content provider for ${target.scheme}`);
        const text = await provider.provideTextDocumentContent(target, new CancellationTokenSource().token);
        return textDocument(target, text, LANGUAGES[path.extname(target.path)] || 'plaintext');
      },
      /** @param {string} scheme @param {any} provider */
      registerTextDocumentContentProvider(scheme, provider) {
        if (contentProviders.has(scheme)) throw new Error(`a content provider for ${scheme} exists`);
        contentProviders.set(scheme, provider);
        return new Disposable(() => contentProviders.delete(scheme));
      },
    },
    env: {
      /** @param {Uri} uri */
      async openExternal(uri) { ui.external.push(uri); return true; },
      clipboard: { text: '', /** @param {string} text */ async writeText(text) { vscode.env.clipboard.text = text; } },
    },
    /** @type {any} */
    chat: undefined,
  };
  if (options.chat) {
    vscode.chat = {
      /** @param {string} id @param {(...args: any[]) => any} handler */
      createChatParticipant(id, handler) {
        const participant = { id, requestHandler: handler, iconPath: undefined, followupProvider: undefined, disposed: false, dispose() { participant.disposed = true; } };
        ui.participants.push(participant);
        return participant;
      },
    };
  }
  return { vscode, ui };
}

/**
 * Sends a chat request to a participant as VS Code would: a response stream that records every part,
 * and a cancellation token the test can fire.
 * @param {any} participant @param {{prompt: string, command?: string, references?: any[], history?: any[]}} request
 */
function chatRequest(participant, request) {
  /** @type {{kind: string, value: any, title?: string}[]} */
  const parts = [];
  const stream = {
    /** @param {any} value */ markdown(value) { parts.push({ kind: 'markdown', value: typeof value === 'string' ? value : value.value }); },
    /** @param {any} value @param {string} [title] */ anchor(value, title) { parts.push({ kind: 'anchor', value, title }); },
    /** @param {any} value */ reference(value) { parts.push({ kind: 'reference', value }); },
    /** @param {any} value */ button(value) { parts.push({ kind: 'button', value }); },
    /** @param {string} value */ progress(value) { parts.push({ kind: 'progress', value }); },
  };
  const source = new CancellationTokenSource();
  const fullRequest = { prompt: request.prompt, command: request.command, references: request.references || [], toolReferences: [] };
  const result = Promise.resolve(participant.requestHandler(fullRequest, { history: request.history || [] }, stream, source.token));
  /**
   * The turns this exchange adds to the chat's history.
   * @param {any} value
   */
  const turns = (value) => [
    { participant: participant.id, prompt: request.prompt, command: request.command, references: [] },
    { participant: participant.id, command: request.command, response: parts, result: value },
  ];
  return { parts, result, cancel: () => source.cancel(), turns };
}

module.exports = { createVscode, chatRequest };
