// @ts-check
'use strict';
/** The QuickPick over the workspace's AI-coding sessions (`rlm/sessions`, newest first). */
const format = require('./format');

const TOOLS = /** @type {Record<string, string>} */ ({ claude: 'Claude Code', codex: 'Codex', aider: 'Aider' });

/**
 * @typedef {{tool: string, id: string, path: string, first?: string, last?: string, messages: number, title?: string, bytes: number}} Session
 */

/**
 * The items, newest first as the daemon sends them, so the highlighted default is the newest.
 * @param {Session[]} sessions
 */
function items(sessions) {
  return sessions.map((session) => ({
    label: format.head(session.title || session.id, 80),
    description: [TOOLS[session.tool] || session.tool, format.size(session.bytes), format.counted(session.messages, 'message'),
      format.when(session.last || session.first)].filter(Boolean).join(' · '),
    detail: session.path,
    session,
  }));
}

/**
 * Asks which session to summarize; undefined when the user dismisses the pick.
 * @param {typeof import('vscode')} vscode @param {Session[]} sessions @returns {Promise<Session | undefined>}
 */
async function pickSession(vscode, sessions) {
  const choice = await vscode.window.showQuickPick(items(sessions), {
    title: 'rlmd: Summarize a session',
    placeHolder: 'Which session? (newest first)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return choice ? choice.session : undefined;
}

module.exports = { pickSession, items };
