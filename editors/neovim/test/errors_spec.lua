-- Errors say what to fix (no provider; an unknown trajectory; nothing to follow up on yet); then the
-- provider, models and budgets given to setup() reach the daemon: a one-turn budget ends in a partial
-- answer, shown with its reason, with progress through vim.notify and the quickfix window opened.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local answer = require('rlm.answer')
  local out = {}

  vim.cmd('RlmFollowUp And then?')
  out.no_follow_up = t.wait_notified('no answer to follow up on').message
  vim.cmd('RlmTrajectory')
  out.no_trajectory = t.wait_notified('no answer yet, so no trajectory').message

  vim.cmd('RlmAsk Where is retry defined?')
  out.no_provider = t.wait_notified('no model provider is configured').message
  out.no_provider_buffer = t.lines('rlm://answer')

  local before = #t.notifications
  vim.cmd('RlmTrajectory 0123456789ab')
  out.unknown_trajectory = t.wait_notified('unknown trajectory', before).message

  require('rlm').setup({
    base_url = os.getenv('RLM_TEST_LM_URL'),
    model = 'root-model',
    sub_model = 'sub-model',
    budgets = { max_iterations = 1 },
    progress = 'notify',
    open_quickfix = true,
  })
  before = #t.notifications
  vim.cmd('RlmRestart')
  t.wait_notified('rlmd restarted', before)
  vim.cmd('RlmAsk Where is retry defined?')
  t.wait('the partial answer', function()
    return answer.current ~= nil
  end)
  out.partial = t.lines('rlm://answer')
  out.result = { partial = answer.current.result.partial, reason = answer.current.result.reason }
  out.notified_progress = t.notified('rlm: turn 1 ·', before) ~= nil
  out.quickfix_open = vim.fn.getqflist({ winid = 1 }).winid ~= 0
  return out
end)
