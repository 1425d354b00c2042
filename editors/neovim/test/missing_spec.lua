-- rlmd missing from PATH (or at a configured path that does not exist): the error says how to install
-- it, and nothing is opened; bad options to setup() are refused with what is wrong.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local out = {}
  vim.cmd('RlmAsk Where is retry defined?')
  out.on_path = t.wait_notified('rlmd executable was not found').message
  out.answer_buffer = t.buffer('rlm://answer') ~= nil
  out.windows = #vim.api.nvim_list_wins()

  vim.cmd('checkhealth rlm')
  out.health = vim.api.nvim_buf_get_lines(0, 0, -1, false)

  require('rlm').setup({ cmd = '/opt/nowhere/rlmd' })
  local before = #t.notifications
  vim.cmd('RlmStatus')
  out.configured = t.wait_notified('rlmd executable was not found', before).message

  before = #t.notifications
  require('rlm').setup({ colour = 'red', budgets = { max_usd = -1, max_turns = 3 } })
  out.bad_options = t.wait_notified('setup()', before).message
  out.cmd_kept = require('rlm.config').get().cmd
  return out
end)
