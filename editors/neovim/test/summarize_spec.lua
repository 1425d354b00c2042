-- :RlmSummarize FILE, then :RlmSummarize with the picker (vim.ui.select, replaced here by one that
-- records what it is offered and takes its default, the first item, as pickers do on <CR>).
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local answer = require('rlm.answer')
  local out = {}
  local old = os.getenv('RLM_OLD_SESSION')

  vim.cmd('RlmSummarize ' .. vim.fn.fnameescape(old))
  t.wait('the summary of the named session', function()
    return answer.current ~= nil
  end)
  out.named = { lines = t.lines('rlm://answer'), quickfix = t.quickfix() }

  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = { prompt = opts.prompt, kind = opts.kind, items = vim.tbl_map(opts.format_item, items), paths = vim.tbl_map(function(item)
      return item.path
    end, items) }
    on_choice(items[1], 1)
  end
  local first = answer.current
  vim.cmd('RlmSummarize')
  t.wait('the summary of the picked session', function()
    return answer.current ~= first
  end)
  out.offered = offered
  out.picked = t.lines('rlm://answer')
  return out
end)
