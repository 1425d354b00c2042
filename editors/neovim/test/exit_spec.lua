-- The daemon killed: the error names the signal and says the next command restarts it, which it does;
-- `attach = true` attaches the workspace's buffers; a daemon that fails at start shows its stderr.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local client = require('rlm.client')
  local out = {}

  vim.cmd('RlmAsk Where is retry defined?')
  t.wait('the answer', function()
    return require('rlm.answer').current ~= nil
  end)
  local root = client.roots()[1]
  out.root = root
  local first = client.info(root).pid
  out.first_pid = first
  vim.loop.kill(first, 'sigkill')
  out.killed = t.wait_notified('was killed by signal 9').message

  local before = #t.notifications
  vim.cmd('RlmStatus')
  out.status = t.wait_notified('rlmd pid', before).message
  out.second_pid = client.info(root).pid

  before = #t.notifications
  require('rlm').setup({ attach = true })
  vim.cmd('RlmRestart')
  out.restarted = t.wait_notified('rlmd restarted', before).message
  out.restart_errors = #vim.tbl_filter(function(n)
    return n.level >= vim.log.levels.ERROR
  end, { unpack(t.notifications, before + 1) })
  vim.cmd('edit src/app.py')
  t.wait('src/app.py to be attached', function()
    return #t.attached(0) > 0
  end, 5000)
  out.attached = t.attached(0)

  before = #t.notifications
  require('rlm').setup({ args = { '--no-such-flag' } })
  vim.cmd('RlmRestart')
  out.bad_start = t.wait_notified('exited with status', before).message
  out.after_bad_start = client.roots()
  return out
end)
