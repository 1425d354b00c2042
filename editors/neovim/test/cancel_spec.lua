-- :RlmCancel while the model's cell sleeps: the question ends cancelled, the partial trajectory id is
-- shown (learnt from the progress `end`: Neovim 0.7's client drops the -32800 answer), and that
-- trajectory can be shown.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local answer = require('rlm.answer')
  local out = {}

  vim.cmd('RlmAsk Sleep on it')
  t.wait('the first turn to be reported', function()
    return require('rlm').statusline():find('turn 1', 1, true) ~= nil
  end)
  out.working = t.lines('rlm://answer')
  -- A second question while the first runs: it takes the answer buffer.
  vim.cmd('RlmAsk Sleep more')
  t.wait('the second question\'s first turn', function()
    local running = require('rlm').progress()
    return #running == 2 and running[1].turn == 1 and running[2].turn == 1
  end)
  out.running = require('rlm').progress()
  out.working_second = t.lines('rlm://answer')
  vim.cmd('RlmCancel')
  out.cancelling = t.wait_notified('rlm: an earlier question was cancelled: Sleep on it', 0, 15000).message
  t.wait('the cancelled answer', function()
    return answer.current ~= nil
  end, 15000)
  out.answer = t.lines('rlm://answer')
  out.trajectory = answer.current.trajectory
  out.statusline_after = require('rlm').statusline()

  vim.cmd('RlmCancel')
  out.nothing_to_cancel = t.notified('no question is running') ~= nil

  vim.cmd('RlmTrajectory')
  t.wait('the partial trajectory', function()
    return #t.lines('rlm://trajectory') > 1
  end)
  out.trajectory_lines = t.lines('rlm://trajectory')

  local before = #t.notifications
  vim.cmd('RlmStatus')
  out.status = t.wait_notified('rlm: ', before).message
  return out
end)
