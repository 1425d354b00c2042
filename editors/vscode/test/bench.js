// @ts-check
'use strict';
/**
 * For benchmarks/editor_vscode_bench.py: `node bench.js WORKSPACE COUNT` activates the extension
 * against the stand-in and times `rlmd.ask` from the command to the answer being in the panel's page:
 * the first ask (daemon start and index build included), then COUNT more. Prints `RESULT <json>`
 * with milliseconds.
 */
const host = require('./host');

async function main() {
  const [workspace, countText] = process.argv.slice(2);
  const count = Number(countText || 10);
  let started = process.hrtime.bigint();
  const h = host.start({ folders: [workspace] });
  const activation = Number(process.hrtime.bigint() - started) / 1e6;
  const panelPages = () => (h.ui.panels[0] ? h.ui.panels[0].htmlHistory.length : 0);
  /** One ask, timed until its page is in the panel. */
  const ask = async () => {
    const before = panelPages();
    started = process.hrtime.bigint();
    const command = h.exec('rlmd.ask', 'Where is retry defined?');
    await host.until(() => panelPages() > before || h.ui.messages.find((m) => m.kind === 'error'), 'the answer', 300);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    await command;
    const error = h.ui.messages.find((m) => m.kind === 'error');
    if (error) throw new Error(error.message);
    return elapsed;
  };
  const first = await ask();
  const asks = [];
  for (let i = 0; i < count; i++) asks.push(await ask());
  await h.stop();
  process.stdout.write(`RESULT ${JSON.stringify({ activation, first, asks })}\n`);
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
