// @ts-check
'use strict';
const fs = require('fs');
/**
 * What Tests/editors/test_vscode.py runs: `node scenarios.js NAME CONFIG_JSON`. Each scenario
 * activates the extension against the stand-in, drives it like a user (commands, buttons, picks,
 * clicks) while the real daemon answers from the scripted LM server, asserts on what VS Code would
 * show, and prints `RESULT <json>` with facts for the Python side, which checks what reached the model.
 */
const assert = require('node:assert/strict');
const path = require('path');
const host = require('./host');
const { chatRequest } = require('./vscodeStub');

/** @typedef {{workspace: string, lm?: string, rlmd?: string, chat?: boolean, settings?: Record<string, any>}} Config */

/** @param {any} ui @param {RegExp} pattern @param {string} [kind] */
const messageMatching = (ui, pattern, kind) => ui.messages.find((/** @type {any} */ m) => pattern.test(m.message) && (!kind || m.kind === kind));

/**
 * The answer panel once it shows its `count`-th page.
 * @param {any} ui @param {number} [count]
 */
async function panelPage(ui, count = 1) {
  const panel = await host.until(() => ui.panels[0] && ui.panels[0].htmlHistory.length >= count && ui.panels[0], `answer page ${count}`);
  return panel.webview.html;
}

/** @param {any} ui */
function failures(ui) {
  return ui.messages.filter((/** @type {any} */ m) => m.kind === 'error').map((/** @type {any} */ m) => m.message);
}

/** @param {string} html */
function trajectoryOf(html) {
  const match = /trajectory ([0-9a-f]{6,})/.exec(html);
  assert.ok(match, 'the usage line names the trajectory');
  return match[1];
}

/** @param {string} html */
function conversationOf(html) {
  const match = /conversation ([0-9a-f]{6,})/.exec(html);
  assert.ok(match, 'the usage line names the conversation');
  return match[1];
}

/** @type {Record<string, (config: Config) => Promise<any>>} */
const scenarios = {
  /** Commands and settings of package.json against what the extension registers and reads. */
  async manifest(config) {
    const h = host.start({ folders: [config.workspace], chat: config.chat });
    const manifest = host.packageJson;
    const declared = manifest.contributes.commands.map((/** @type {any} */ c) => c.command).sort();
    const registered = h.vscode.commands.registered().sort();
    assert.deepEqual(registered, declared, 'registered commands = contributes.commands');
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'rlmd');
      assert.ok(command.title && !command.title.startsWith('rlmd'), `${command.command} has a title (the palette adds "rlmd: ")`);
      assert.ok(manifest.activationEvents.includes(`onCommand:${command.command}`), `${command.command} activates the extension`);
    }
    for (const entries of Object.values(manifest.contributes.menus || {})) {
      for (const entry of /** @type {any[]} */ (entries)) assert.ok(declared.includes(entry.command), `menu entry ${entry.command} is a command`);
    }
    assert.equal(manifest.contributes.keybindings, undefined, 'no default key bindings');
    const participants = (manifest.contributes.chatParticipants || []).map((/** @type {any} */ p) => p.id);
    assert.ok(manifest.activationEvents.includes(`onChatParticipant:${participants[0]}`));
    assert.deepEqual(h.ui.participants.map((/** @type {any} */ p) => p.id), config.chat ? participants : []);
    // Every setting is read on the way to an answer, and nothing undeclared is.
    await h.exec('rlmd.ask', 'Where is retry defined?');
    await panelPage(h.ui);
    const reads = [...h.ui.reads].sort();
    const settings = Object.keys(manifest.contributes.configuration.properties).sort();
    assert.deepEqual(reads, settings, 'settings read = contributes.configuration');
    assert.deepEqual(failures(h.ui), []);
    await h.stop();
    return { registered, reads, participants: h.ui.participants.map((/** @type {any} */ p) => p.id) };
  },

  /** Ask from the input box, then about a selection; progress, status bar, citations as links, clicks. */
  async ask(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    ui.respond.inputBox = () => 'Where is retry defined?';
    await h.exec('rlmd.ask');
    assert.equal(ui.inputBoxes.length, 1, 'no question given: the input box asks');
    const html = await panelPage(ui);
    assert.deepEqual(failures(ui), []);
    assert.match(html, /<h1>Where is retry defined\?<\/h1>/);
    assert.match(html, /retry\(\) is defined at/);
    assert.match(html, /2 turns · 2 model calls · \d+ input \+ \d+ output tokens · \$0\.0000 · trajectory [0-9a-f]+/);
    const links = host.clickables(html).filter((c) => c.dataset.open !== undefined).map((c) => c.text);
    assert.deepEqual(links, ['src/retry.py:1', 'src/app.py:5', 'src/retry.py:1', 'src/app.py:5'], 'mentions in the answer and the list');
    assert.match(html, /src\/gone\.py:3 \(not found in the index\)/);
    assert.match(html, /<span class="unresolved" title="not found in the index">src\/gone\.py:3<\/span>/);
    assert.match(html, /— <code>def retry\(call, attempts=3\):<\/code>/, 'the excerpt goes with its citation');
    host.assertLockedDown(html);

    const progress = ui.progress.find((/** @type {any} */ p) => p.options.cancellable);
    assert.ok(progress, 'a cancellable progress notification');
    assert.equal(progress.options.location, h.vscode.ProgressLocation.Notification);
    const reports = progress.reports.map((/** @type {any} */ r) => r.message);
    assert.ok(reports.includes('turn 1 · 0 sub-calls · 17 tokens · $0.0000'), `reports: ${reports}`);
    assert.ok(reports.includes('turn 2 · 0 sub-calls · 34 tokens · $0.0000'), `reports: ${reports}`);
    assert.ok(progress.done);
    const item = ui.statusBarItems[0];
    assert.ok(item.history.some((/** @type {any} */ s) => s.visible && /rlmd: turn 1/.test(s.text)), 'the status bar shows the turn');
    assert.equal(item.visible, false, 'and goes away when the answer is in');
    assert.equal(item.command, 'rlmd.cancel');
    const indexing = ui.progress.find((/** @type {any} */ p) => p.options.location === h.vscode.ProgressLocation.Window);
    assert.ok(indexing && /^rlm: indexing /.test(indexing.options.title), 'the first index build shows in the window progress');
    assert.ok(indexing.done);

    // A click on a citation opens the file at the line, through the page's own script.
    const panel = ui.panels[0];
    host.clickInPage(panel, 'src/app.py:5');
    const opened = await host.until(() => ui.shown[0], 'the cited file to open');
    assert.equal(opened.document.uri.fsPath, path.join(config.workspace, 'src/app.py'));
    assert.equal(opened.editor.selection.start.line, 4);
    assert.equal(opened.editor.revealed.length, 1);
    const citationsList = host.clickables(html).filter((c) => c.text === 'src/retry.py:1');
    assert.equal(citationsList.length, 2);

    // About a selection: it goes with the question; the same panel shows the answer.
    await host.resetLM(/** @type {string} */ (config.lm));
    await ui.openEditor(path.join(config.workspace, 'src/app.py'), new h.vscode.Selection(3, 0, 4, 28));
    await h.exec('rlmd.ask', 'What does main return?');
    const second = await panelPage(ui, 2);
    assert.equal(ui.panels.length, 1, 'one panel, reused');
    assert.match(second, /<h1>What does main return\?<\/h1>/);
    assert.match(second, /About the selection src\/app\.py:4-5/);
    assert.ok(panel.reveals >= 1);

    await h.exec('rlmd.reindex');
    const indexed = await host.until(() => messageMatching(ui, /indexed 3 files/), 'the reindex message');
    await h.exec('rlmd.status');
    const status = await host.until(() => messageMatching(ui, /rlmd: ready · 3 files/), 'the status message');
    assert.match(status.message, /0 running · spent \$0\.0000 in 4 model calls · sandbox \w+/);
    assert.deepEqual(failures(ui), []);
    await h.stop();
    return { reports, indexed: indexed.message, status: status.message };
  },

  /** Follow-up: nothing to follow yet, then an answer and a follow-up in its conversation. */
  async followUp(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    await h.exec('rlmd.followUp');
    const nothing = messageMatching(ui, /no answer to follow up on yet/);
    assert.ok(nothing);
    assert.deepEqual(nothing.items, ['Ask']);
    await h.exec('rlmd.ask', 'Where is retry defined?');
    const first = await panelPage(ui);
    ui.respond.inputBox = () => 'How many attempts?';
    host.clickInPage(ui.panels[0], 'Follow up');
    const second = await panelPage(ui, 2);
    assert.equal(ui.inputBoxes.length, 1);
    assert.match(ui.inputBoxes[0].prompt, /Follow up on: Where is retry defined\?/);
    assert.match(second, /<h1>How many attempts\?<\/h1>/);
    assert.match(second, /Earlier in this conversation \(1\)/);
    assert.equal(conversationOf(first), conversationOf(second), 'the same conversation');
    assert.ok(second.indexOf('How many attempts?') < second.indexOf('<h1>Where is retry defined?</h1>'), 'newest first');
    assert.deepEqual(failures(ui), []);
    await h.stop();
    return { conversation: conversationOf(second) };
  },

  /** Cancel from the progress notification's button, then with rlmd.cancel; the partial trajectory. */
  async cancel(config) {
    const h = host.start({ folders: [config.workspace], settings: { 'rlmd.trace': 'messages' } });
    const ui = h.ui;
    await h.exec('rlmd.cancel');
    assert.ok(messageMatching(ui, /no question is running/));
    const asking = h.exec('rlmd.ask', 'Sleep on it');
    const progress = await host.until(() => ui.progress.find((/** @type {any} */ p) => p.options.cancellable && p.reports.length), 'the first progress report');
    assert.match(progress.reports[0].message, /^turn 1 · /);
    await h.exec('rlmd.status');
    const status = await host.until(() => messageMatching(ui, /running: "Sleep on it" at turn 1/), 'the status while it runs');
    progress.cancel();
    await asking;
    const cancelled = await host.until(() => messageMatching(ui, /rlmd: cancelled\. The partial trajectory is [0-9a-f]+\./), 'the cancelled message');
    const trajectory = /** @type {RegExpExecArray} */ (/trajectory is ([0-9a-f]+)/.exec(cancelled.message))[1];
    assert.deepEqual(cancelled.items, ['Show Trajectory']);
    const trace = ui.output('rlmd').lines.join('\n');
    const askId = /** @type {RegExpExecArray} */ (/→ \{"jsonrpc":"2\.0","id":(\d+),"method":"rlm\/ask"/.exec(trace))[1];
    assert.ok(trace.includes(`→ {"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":${askId}}}`), 'the button sent $/cancelRequest for the ask');
    assert.match(trace, new RegExp(`← \\{"error":\\{"code":-32800,"data":\\{"trajectory":"${trajectory}"\\}`), 'the daemon answered -32800 naming it');
    assert.equal(ui.statusBarItems[0].visible, false);
    assert.equal(ui.panels.length, 0, 'no answer to show');

    cancelled.press('Show Trajectory');
    const view = await host.until(() => ui.shown.find((/** @type {any} */ s) => s.document.uri.scheme === 'rlmd-trajectory'), 'the partial trajectory view');
    const text = view.document.getText();
    assert.match(text, new RegExp(`^# Trajectory ${trajectory}`));
    assert.match(text, /time\.sleep\(60\)/);

    // The command cancels as well.
    await host.resetLM(/** @type {string} */ (config.lm));
    const again = h.exec('rlmd.ask', 'Sleep again');
    await host.until(() => ui.progress.filter((/** @type {any} */ p) => p.options.cancellable && p.reports.length).length === 2, 'the second question to run');
    await h.exec('rlmd.cancel');
    await again;
    await host.until(() => ui.messages.filter((/** @type {any} */ m) => /rlmd: cancelled\. The partial trajectory is/.test(m.message)).length === 2, 'the second cancel');
    assert.deepEqual(failures(ui), []);
    await h.stop();
    return { trajectory, status: status.message };
  },

  /** Summarize: the QuickPick lists the sessions newest first; the one picked is summarized. */
  async summarize(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    ui.respond.quickPick = () => undefined;
    await h.exec('rlmd.summarizeSession');
    assert.equal(ui.quickPicks.length, 1);
    assert.equal(ui.panels.length, 0, 'dismissed: nothing is summarized');
    ui.respond.quickPick = (items) => items[1];
    await h.exec('rlmd.summarizeSession');
    const html = await panelPage(ui);
    const items = ui.quickPicks[1].items;
    // The old session's title is its summary record; the new one has none, so its first message names it.
    assert.deepEqual(items.map((/** @type {any} */ i) => i.label), ['Move the cache to Postgres.', 'Cache design']);
    for (const item of items) assert.match(item.description, /^Claude Code · \d+ B · 2 messages · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.ok(items[0].detail.endsWith('new.jsonl') && items[1].detail.endsWith('old.jsonl'));
    assert.match(html, /<h1>Summarize session: Cache design<\/h1>/);
    assert.deepEqual(failures(ui), []);
    await h.stop();
    return { items: items.map((/** @type {any} */ i) => ({ label: i.label, description: i.description })) };
  },

  /** The trajectory view: turns, code, output, sub-calls; unknown ids; the page's button. */
  async trajectory(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    await h.exec('rlmd.ask', 'What does the helper say?');
    const html = await panelPage(ui);
    const id = trajectoryOf(html);
    host.clickInPage(ui.panels[0], 'Trajectory');
    const view = await host.until(() => ui.shown.find((/** @type {any} */ s) => s.document.uri.scheme === 'rlmd-trajectory'), 'the trajectory view');
    const text = view.document.getText();
    assert.equal(view.document.languageId, 'markdown');
    assert.match(text, new RegExp(`^# Trajectory ${id}\\n`));
    // The daemon writes the HTML viewer's page; the extension offers to open it.
    assert.doesNotMatch(text, /The HTML viewer is unavailable/);
    const offer = await host.until(() => messageMatching(ui, /is also written as HTML/, 'info'), 'the HTML viewer offer');
    offer.press('Open in Browser');
    const page = await host.until(() => ui.external[0], 'the page opened in the browser');
    assert.match(page.fsPath, new RegExp(`/rlmd/trajectories/${id}\\.html$`));
    assert.match(fs.readFileSync(page.fsPath, 'utf8'), /^<!doctype html>/);
    assert.match(text, /\*\*Question:\*\*\n\n```text\nWhat does the helper say\?\n```/);
    assert.match(text, /## Turn 1 · \d+ tokens/);
    assert.match(text, /### Cell 1 \(\d+\.\d ms\)\n\n```python\nnote = llm_query\('Summarize: retry backs off'\)\nprint\(note\)\n```/);
    assert.match(text, /Output:\n\n```text\nIt backs off exponentially\.\n\n```/);
    assert.match(text, /### Sub-calls \(1\)\n\n1\. \*\*\w+\*\* → sub-model \(\d+ ms · \d+ tokens/);
    assert.match(text, /Response:\n\n```text\nIt backs off exponentially\.\n```/);
    assert.match(text, /## Turn 2/);
    await h.exec('rlmd.trajectory', 'ffffffffffff');
    const unknown = await host.until(() => messageMatching(ui, /ffffffffffff/, 'error'), 'the unknown-trajectory error');
    await h.stop();
    return { text, unknown: unknown.message };
  },

  /** Doctor: sandbox, providers and the index state in an output channel. */
  async doctor(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    // The first index build runs in the background; a reindex waits for it, so the doctor finds it ready.
    await h.exec('rlmd.reindex');
    await h.exec('rlmd.doctor');
    const summary = await host.until(() => messageMatching(ui, /rlmd doctor/), 'the doctor summary');
    const output = ui.output('rlmd Doctor');
    assert.equal(output.shown, 1);
    const text = output.lines.join('\n');
    assert.match(text, /^sandbox: \w+ — ok \(python 3\.\d+/m);
    assert.match(text, /^ {2}\+ network: /m);
    assert.match(text, new RegExp(`^  openai \\[openai ${config.lm} root-model\\]: ok \\(\\d+ ms\\)`, 'm'));
    assert.match(text, /^index: ready · 3 files · 0 running · spent \$0\.0000 in 0 model calls · sandbox \w+ — /m);
    assert.equal(summary.kind, 'info', summary.message);
    assert.match(summary.message, /everything works \(sandbox \w+ ok, openai ok, index ready\)/);
    await h.stop();
    return { text, summary: summary.message };
  },

  /** No rlmd on PATH, then a configured path that does not exist, then one that does. */
  async missing(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    await h.exec('rlmd.ask', 'Where is retry defined?');
    const error = await host.until(() => messageMatching(ui, /rlmd was not found on PATH/, 'error'), 'the missing-rlmd error');
    assert.match(error.message, /make release/);
    assert.match(error.message, /rlmd\.executablePath/);
    error.press('Open Settings');
    await host.until(() => ui.executed.find((e) => e.command === 'workbench.action.openSettings'), 'the settings to open');
    assert.deepEqual(ui.executed, [{ command: 'workbench.action.openSettings', args: ['rlmd.executablePath'] }]);
    await h.exec('rlmd.doctor');
    await host.until(() => ui.messages.filter((/** @type {any} */ m) => /not found on PATH/.test(m.message)).length === 2, 'the doctor to say so too');
    ui.setSetting('rlmd.executablePath', '/nonexistent/bin/rlmd');
    await h.exec('rlmd.ask', 'Where is retry defined?');
    await host.until(() => messageMatching(ui, /rlmd\.executablePath is \/nonexistent\/bin\/rlmd, which does not exist/, 'error'), 'the bad-path error');
    assert.equal(ui.panels.length, 0);
    ui.setSetting('rlmd.executablePath', config.rlmd);
    await h.exec('rlmd.ask', 'Where is retry defined?');
    await panelPage(ui);
    await h.stop();
    return { error: error.message };
  },

  /** The daemon exits: bad arguments, then killed; its stderr tail is shown and the next command starts it again. */
  async exits(config) {
    const h = host.start({ folders: [config.workspace], settings: { 'rlmd.args': ['--log-level', 'nonsense'] } });
    const ui = h.ui;
    await h.exec('rlmd.ask', 'Where is retry defined?');
    const bad = await host.until(() => messageMatching(ui, /exited with status/, 'error'), 'the exit report');
    assert.match(bad.message, /^rlmd for .* exited with status 2\. The last lines of its stderr:\nrlmd: unknown --log-level nonsense/);
    assert.match(bad.message, /It starts again on the next command\.$/);
    assert.deepEqual(bad.items, ['Show Log', 'Open Settings']);
    assert.equal(ui.messages.length, 1, 'one report per exit');

    ui.setSetting('rlmd.args', ['--log-level', 'debug']);
    await h.exec('rlmd.ask', 'Where is retry defined?');
    await panelPage(ui);
    const [first] = host.daemonPids();
    assert.ok(first, 'a daemon runs');
    process.kill(first, 'SIGKILL');
    const killed = await host.until(() => messageMatching(ui, /was killed by SIGKILL/, 'error'), 'the kill report');
    assert.match(killed.message, /The last lines of its stderr:\n(.+\n)+It starts again on the next command\.$/);
    await host.resetLM(/** @type {string} */ (config.lm));
    await h.exec('rlmd.ask', 'Where is retry defined?');
    await panelPage(ui, 2);
    const [second] = host.daemonPids();
    assert.ok(second && second !== first, 'a new daemon answered');
    await h.exec('rlmd.restart');
    const restarted = await host.until(() => messageMatching(ui, /restarted for .* \(pid \d+\)/), 'the restart');
    const third = Number(/** @type {RegExpExecArray} */ (/pid (\d+)/.exec(restarted.message))[1]);
    assert.notEqual(third, second);
    assert.deepEqual(host.daemonPids(), [third], 'the old one was stopped');
    assert.equal(failures(ui).length, 2);
    await h.stop();
    return { bad: bad.message, killed: killed.message };
  },

  /** Provider, models and budgets from the settings (initializationOptions); a partial answer says which budget. */
  async partial(config) {
    const h = host.start({ folders: [config.workspace], settings: config.settings });
    const ui = h.ui;
    await h.exec('rlmd.ask', 'Where is retry defined?');
    const html = await panelPage(ui);
    assert.match(html, /<strong>Partial answer:<\/strong> the turn limit was reached \(1 turn\)\. Raise <code>rlmd\.budgets\.maxIterations<\/code>/);
    const warning = await host.until(() => messageMatching(ui, /partial answer/, 'warning'), 'the partial warning');
    warning.press('Open Settings');
    await host.until(() => ui.executed.length, 'the settings');
    assert.deepEqual(ui.executed[0], { command: 'workbench.action.openSettings', args: ['rlmd.budgets.maxIterations'] });
    // A changed budget restarts the (idle) daemon with it: the same question now gets its two turns.
    const [before] = host.daemonPids();
    await host.resetLM(/** @type {string} */ (config.settings && config.settings['rlmd.baseUrl']));
    ui.setSetting('rlmd.budgets.maxIterations', 5);
    await h.exec('rlmd.ask', 'Where is retry defined?');
    const full = await panelPage(ui, 2);
    assert.doesNotMatch(full, /Partial answer/);
    assert.match(full, /2 turns · 2 model calls/);
    assert.notDeepEqual(host.daemonPids(), [before], 'a new daemon, started with the new budget');
    await h.stop();
    return { warning: warning.message };
  },

  /** No provider anywhere: the error says what to set. */
  async noProvider(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    await h.exec('rlmd.ask', 'Where is retry defined?');
    const error = await host.until(() => messageMatching(ui, /no model provider is configured/, 'error'), 'the no-provider error');
    for (const hint of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'RLMD_BASE_URL', '~/.config/rlmd/config.toml', 'rlmd.baseUrl']) {
      assert.ok(error.message.includes(hint), `names ${hint}`);
    }
    assert.deepEqual(error.items, ['Open Settings', 'Run Doctor']);
    error.press('Open Settings');
    await host.until(() => ui.executed.length, 'the settings');
    assert.deepEqual(ui.executed[0], { command: 'workbench.action.openSettings', args: ['rlmd.baseUrl'] });
    await h.stop();
    return { error: error.message };
  },

  /** The @rlmd chat participant: an answer with anchors, a follow-up through the history, /new with a selection. */
  async chat(config) {
    const h = host.start({ folders: [config.workspace], chat: true });
    const ui = h.ui;
    const participant = ui.participants[0];
    assert.equal(participant.id, host.packageJson.contributes.chatParticipants[0].id);
    const first = chatRequest(participant, { prompt: 'Where is retry defined?' });
    const result = await first.result;
    const markdown = first.parts.filter((p) => p.kind === 'markdown').map((p) => p.value).join('');
    assert.match(markdown, /retry\(\) is defined at src\/retry\.py:1/);
    assert.match(markdown, /- `src\/gone\.py:3` \(not found in the index\)/);
    assert.match(markdown, /_2 turns · 2 model calls · .* · trajectory [0-9a-f]+ · conversation [0-9a-f]+_/);
    const anchors = first.parts.filter((p) => p.kind === 'anchor');
    assert.deepEqual(anchors.map((a) => [a.title, a.value.uri.fsPath, a.value.range.start.line]), [
      ['src/retry.py:1', path.join(config.workspace, 'src/retry.py'), 0],
      ['src/app.py:5', path.join(config.workspace, 'src/app.py'), 4],
    ]);
    assert.equal(first.parts.filter((p) => p.kind === 'reference').length, 2);
    assert.ok(first.parts.some((p) => p.kind === 'progress' && /^rlmd: turn 1 · /.test(p.value)));
    const button = first.parts.find((p) => p.kind === 'button');
    assert.deepEqual(button && button.value, { command: 'rlmd.trajectory', arguments: [result.metadata.trajectory], title: 'Show trajectory' });
    assert.ok(result.metadata.conversation);

    const second = chatRequest(participant, { prompt: 'How many attempts?', history: first.turns(result) });
    const followed = await second.result;
    assert.equal(followed.metadata.conversation, result.metadata.conversation, 'the follow-up continues the conversation');

    const selection = new h.vscode.Location(h.vscode.Uri.file(path.join(config.workspace, 'src/app.py')), new h.vscode.Range(3, 0, 4, 28));
    const third = chatRequest(participant, {
      prompt: 'What does main return?', command: 'new', references: [{ id: 'vscode.implicit.selection', value: selection }],
      history: [...first.turns(result), ...second.turns(followed)],
    });
    const fresh = await third.result;
    assert.notEqual(fresh.metadata.conversation, result.metadata.conversation, '/new starts a conversation');
    assert.deepEqual(failures(ui), []);
    await h.stop();
    return { conversation: result.metadata.conversation };
  },

  /** Cancelling a chat request sends $/cancelRequest; the reply names the partial trajectory. */
  async chatCancel(config) {
    const h = host.start({ folders: [config.workspace], chat: true, settings: { 'rlmd.trace': 'messages' } });
    const request = chatRequest(h.ui.participants[0], { prompt: 'Sleep on it' });
    await host.until(() => request.parts.some((p) => p.kind === 'progress'), 'the chat progress');
    request.cancel();
    const result = await request.result;
    assert.ok(result.metadata.trajectory);
    const markdown = request.parts.filter((p) => p.kind === 'markdown').map((p) => p.value).join('');
    assert.equal(markdown, `Cancelled. The partial trajectory is \`${result.metadata.trajectory}\`.`);
    assert.match(h.ui.output('rlmd').lines.join('\n'), /→ \{"jsonrpc":"2\.0","method":"\$\/cancelRequest","params":\{"id":\d+\}\}/);
    await h.stop();
    return { trajectory: result.metadata.trajectory };
  },

  /** Model text that looks like HTML stays text; the page accepts only the messages it rendered. */
  async webview(config) {
    const h = host.start({ folders: [config.workspace] });
    const ui = h.ui;
    await h.exec('rlmd.ask', 'Show me <b>markup</b>');
    const html = await panelPage(ui);
    host.assertLockedDown(html);
    assert.doesNotMatch(html, /<img|<script>alert|<b>markup/);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('&lt;script&gt;alert(2)&lt;/script&gt;'));
    assert.ok(html.includes('<h1>Show me &lt;b&gt;markup&lt;/b&gt;</h1>'));
    assert.ok(html.includes('<strong>bold</strong>') && html.includes('<code>code</code>'));
    assert.match(html, /<pre><code data-language="python">x = 1 &lt; 2\n<\/code><\/pre>|<pre><code data-language="python">x = 1 &lt; 2<\/code><\/pre>/);
    const panel = ui.panels[0];
    for (const forged of [{ type: 'open', exchange: 0, index: 99 }, { type: 'open', exchange: 5, index: 0 }, { type: 'open', exchange: 0, index: 'x' },
      { type: 'command', name: 'doctor' }, { type: 'command', name: 'workbench.action.openSettings' }, 'open', null]) {
      panel.fromPage(forged);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(ui.shown.length, 0, 'nothing opened for forged messages');
    assert.deepEqual(ui.executed, []);
    assert.ok(!ui.output('rlmd Doctor').shown);
    host.clickInPage(panel, 'src/retry.py:1');
    await host.until(() => ui.shown.length === 1, 'the real link to work');
    await h.stop();
    return {};
  },
};

async function main() {
  const [name, json] = process.argv.slice(2);
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`no scenario ${name} (known: ${Object.keys(scenarios).join(', ')})`);
  const facts = await scenario(JSON.parse(json || '{}'));
  process.stdout.write(`RESULT ${JSON.stringify(facts)}\n`);
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});

module.exports = { scenarios };
