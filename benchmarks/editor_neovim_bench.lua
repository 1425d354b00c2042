-- Run by editor_neovim_bench.py in `nvim --headless -u NONE`: times :RlmAsk to the answer being in the
-- rlm://answer buffer, first with the daemon's start and first index, then $RLM_BENCH_RUNS more times.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local answer = require('rlm.answer')
  local uv = vim.uv or vim.loop
  local function ask(n)
    local question = 'Where is retry defined? (' .. n .. ')'
    local started = uv.hrtime()
    vim.cmd('RlmAsk ' .. question)
    if not vim.wait(60000, function()
      return answer.current ~= nil and answer.current.question == question
    end, 1) then
      error('no answer to ' .. question)
    end
    local ms = (uv.hrtime() - started) / 1e6
    assert(t.find_line('rlm://answer', 'retry() is defined at src/retry.py:1.'), 'the answer is in the buffer')
    return ms
  end
  local out = { first_ms = ask(0), samples_ms = {} }
  for n = 1, tonumber(os.getenv('RLM_BENCH_RUNS')) do
    table.insert(out.samples_ms, ask(n))
  end
  -- The plugin's own share: opening the answer buffer for a question and filling it and the quickfix list.
  local last = answer.current
  out.render_ms = {}
  for _ = 1, 100 do
    local started = uv.hrtime()
    answer.begin(last.question, last.root)
    answer.answered(last.question, last.result, last.root)
    table.insert(out.render_ms, (uv.hrtime() - started) / 1e6)
  end
  out.nvim = tostring(vim.version and vim.version() and string.format('%d.%d.%d', vim.version().major, vim.version().minor, vim.version().patch))
  return out
end)
