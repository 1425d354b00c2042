// @ts-check
'use strict';
// The pure parts on their own (node --test editors/vscode/test/units.test.js): the answer page's Markdown,
// the trajectory's answers from a daemon with and without the HTML viewer, budget hints, session items.
const test = require('node:test');
const assert = require('node:assert/strict');
const markdown = require('../markdown');
const format = require('../format');
const { render: renderTrajectory } = require('../trajectoryView');
const { items } = require('../sessionsPick');
const { RpcError } = require('../rpc');

/** @param {string} path @param {number} start */
const linkAll = (path, start) => (/** @type {string} */ label) => `<a data-path="${markdown.escape(path)}" data-start="${start}">${label}</a>`;

test('markdown: every character of model text is escaped; only our tags remain', () => {
  const html = markdown.render('# Title <b>\n\n- one & "two"\n- `<i>`\n\n```js\n</code></pre><script>x</script>\n```\n**bold** \'q\'', linkAll);
  assert.equal(html, [
    '<h3>Title &lt;b&gt;</h3>',
    '<ul>', '<li>one &amp; &quot;two&quot;</li>', '<li><code>&lt;i&gt;</code></li>', '</ul>',
    '<pre><code data-language="js">&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;</code></pre>',
    '<p><strong>bold</strong> &#39;q&#39;</p>',
  ].join('\n'));
});

test('markdown: citation mentions become links, non-ASCII paths and ranges included', () => {
  const html = markdown.render('See docs/café/naïve.md:3-5 and `src/app.py:12`, not 10:30.', (path, start) => (path === '10' ? undefined : linkAll(path, start)));
  assert.equal(html, '<p>See <a data-path="docs/café/naïve.md" data-start="3">docs/café/naïve.md:3-5</a> and '
    + '<code><a data-path="src/app.py" data-start="12">src/app.py:12</a></code>, not 10:30.</p>');
});

test('trajectory: JSON lines become turns, cells, outputs and nested sub-calls; fences outlast backticks', () => {
  const jsonl = [
    { type: 'trajectory', id: 'abc', question: 'Q?', model: 'm', subModel: 's', answer: 'A ```x```', partial: true, stopReason: 'iterations',
      usage: { iterations: 1, calls: 2, input: 10, output: 5, costUSD: 0.5 } },
    { depth: 1, iteration: 1, reply: 'r', usage: { input: 10, output: 5 }, cells: [{ code: 'print(1)', result: { stdout: '1\n', durationMs: 2.25, timedOut: true } }],
      subCalls: [{ kind: 'rlm_query', model: 's', prompt: 'p', response: 'done', milliseconds: 12.4, child: [{ depth: 2, iteration: 1, reply: 'child reply' }] }] },
  ].map((record) => JSON.stringify(record)).join('\n');
  const text = renderTrajectory(`${jsonl}\nnot json\n`, 'abc');
  assert.match(text, /^# Trajectory abc\n/);
  assert.match(text, /\*\*Answer \(partial: iterations\):\*\*\n\n````text\nA ```x```\n````/);
  assert.match(text, /\*\*Usage:\*\* 1 turn · 2 model calls · 10 input \+ 5 output tokens · \$0\.5000/);
  assert.match(text, /## Turn 1 · 15 tokens\n/);
  assert.match(text, /### Cell 1 \(timed out, 2\.3 ms\)\n\n```python\nprint\(1\)\n```/);
  assert.match(text, /1\. \*\*rlm_query\*\* → s \(12 ms\)/);
  assert.match(text, /#### Turn 1 \(depth 2\)\n\nReply:\n\n```markdown\nchild reply\n```/);
  assert.match(text, /\(an unreadable line\)\n```text\nnot json\n```/);
});

/** A daemon that answers rlm/trajectory with `answers` in turn, recording the params. @param {any[]} answers */
function daemon(answers) {
  /** @type {any[]} */
  const asked = [];
  return {
    asked,
    request: async (/** @type {string} */ method, /** @type {any} */ params) => {
      asked.push(params);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

test('trajectory: the HTML viewer when the daemon has it, the text view always', async () => {
  const { fetchTrajectory: fetch } = require('../trajectoryView');
  const jsonl = '{"type":"trajectory","id":"t"}\n';
  const withPath = daemon([{ path: '/state/t.html' }, { jsonl }]);
  assert.deepEqual(await fetch(withPath, 't'), { jsonl, html: '/state/t.html' });
  assert.deepEqual(withPath.asked, [{ id: 't', format: 'html' }, { id: 't' }]);
  assert.deepEqual(await fetch(daemon([{ path: '/state/t.html', jsonl }]), 't'), { jsonl, html: '/state/t.html' });
  const ignored = daemon([{ jsonl }]);
  assert.deepEqual(await fetch(ignored, 't'), { jsonl, html: undefined });
  assert.equal(ignored.asked.length, 1);
  const refused = daemon([new RpcError(-32602, 'unknown field format'), { jsonl }]);
  assert.deepEqual(await fetch(refused, 't'), { jsonl, html: undefined });
  await assert.rejects(fetch(daemon([new RpcError(-32905, 'no trajectory t')]), 't'), /no trajectory t/);
});

test('a partial answer names the budget setting that ran out', () => {
  assert.equal(format.budgetSetting('the turn limit was reached (30 turns)'), 'rlmd.budgets.maxIterations');
  assert.equal(format.budgetSetting('the limit on model calls was reached (300 calls)'), 'rlmd.budgets.maxCalls');
  assert.equal(format.budgetSetting('the token budget was spent (1000 tokens)'), 'rlmd.budgets.maxTokens');
  assert.equal(format.budgetSetting('the cost budget was spent ($0.50)'), 'rlmd.budgets.maxUsd');
  assert.equal(format.budgetSetting('the time limit was reached (900 s)'), 'rlmd.budgets.maxSeconds');
  assert.equal(format.budgetSetting('too many errors in a row (3)'), undefined);
});

test('session items keep the daemon order (newest first) and say tool, size, messages, time', () => {
  const listed = items([
    { tool: 'codex', id: 'r1', path: '/c/rollout-1.jsonl', messages: 1, bytes: 2048, last: '2026-11-02T09:00:00Z' },
    { tool: 'claude', id: 's1', path: '/p/s1.jsonl', messages: 12, bytes: 300, title: 'x'.repeat(100) },
  ]);
  assert.equal(listed[0].label, 'r1');
  assert.match(listed[0].description, /^Codex · 2\.0 KiB · 1 message · 2026-11-0[12] \d\d:\d\d$/);
  assert.equal(listed[1].label.length, 80);
  assert.equal(listed[1].description, 'Claude Code · 300 B · 12 messages');
});
