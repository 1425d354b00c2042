// @ts-check
'use strict';
/** "rlmd: Doctor": `rlmd doctor --json` (sandbox layers, providers) plus the index state from `rlm/status`. */
const childProcess = require('child_process');
const format = require('./format');

/**
 * Runs `rlmd doctor --json`; it exits 1 when a check fails but still prints its report.
 * @param {string} executable @param {NodeJS.ProcessEnv} env @param {string | undefined} cwd
 * @returns {Promise<{report?: any, failure?: string}>}
 */
function runDoctor(executable, env, cwd) {
  return new Promise((resolve) => {
    childProcess.execFile(executable, ['doctor', '--json'], { env, cwd, timeout: 90000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      try {
        resolve({ report: JSON.parse(stdout) });
      } catch {
        const why = error ? (error.killed ? 'it timed out' : error.message) : 'it printed no JSON';
        resolve({ failure: `rlmd doctor failed (${why}): ${String(stderr || stdout).trim().slice(-2000)}` });
      }
    });
  });
}

/**
 * The report as lines for the output channel, and whether everything is fine.
 * @param {{executable: string, root?: string, report?: any, failure?: string, status?: any, statusError?: string}} facts
 */
function render(facts) {
  const lines = [`rlmd doctor — ${facts.executable}${facts.root ? ` — workspace ${facts.root}` : ''}`, ''];
  let ok = true;
  if (facts.failure || !facts.report) {
    lines.push(facts.failure || 'rlmd doctor printed nothing.');
    ok = false;
  } else {
    const report = facts.report;
    const sandbox = report.sandbox || {};
    ok = ok && Boolean(sandbox.ok);
    lines.push(`sandbox: ${sandbox.mode || '?'} — ${sandbox.ok ? `ok (python ${sandbox.python || '?'}${sandbox.milliseconds ? `, a cell in ${sandbox.milliseconds} ms` : ''})` : `FAILED: ${sandbox.error || 'unknown error'}`}`);
    for (const layer of sandbox.layers || []) lines.push(`  ${layer.active ? '+' : '-'} ${layer.name}: ${layer.detail}`);
    const providers = report.providers || [];
    lines.push('', `providers (default: ${report.defaultProvider || 'none'}):`);
    for (const provider of providers) {
      ok = ok && Boolean(provider.ok);
      const where = [provider.kind, provider.baseURL, provider.model].filter(Boolean).join(' ');
      lines.push(`  ${provider.name} [${where}]: ${provider.ok ? `ok (${provider.milliseconds || 0} ms)` : `FAILED: ${provider.error || ''}`}`);
    }
    if (!providers.length) {
      ok = false;
      lines.push('  none configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY (in the environment VS Code starts from), RLMD_BASE_URL,',
        '  ~/.config/rlmd/config.toml, or the rlmd.provider / rlmd.baseUrl settings.');
    }
    lines.push('', `config file: ${report.configFile || 'none'}`, `cache: ${report.cacheRoot || '?'} (response cache hits: ${report.responseCacheHits || 0})`);
  }
  lines.push('', `index: ${indexLine(facts.status, facts.statusError)}`);
  if (facts.statusError || (facts.status && facts.status.index === 'failed')) ok = false;
  return { lines, ok };
}

/** @param {any} status @param {string | undefined} error */
function indexLine(status, error) {
  if (error) return `unavailable — ${error}`;
  if (!status) return 'no workspace open';
  const parts = [status.index + (status.indexError ? ` (${status.indexError})` : '')];
  if (typeof status.files === 'number') parts.push(format.counted(status.files, 'file'));
  parts.push(`${(status.jobs || []).length} running`);
  if (status.spend) parts.push(`spent ${format.dollars(status.spend.costUsd)} in ${format.counted(status.spend.calls || 0, 'model call')}`);
  parts.push(`sandbox ${status.sandbox}`);
  return `${parts.join(' · ')}${status.root ? ` — ${status.root}` : ''}`;
}

module.exports = { runDoctor, render, indexLine };
