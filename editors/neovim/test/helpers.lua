-- What the test scripts share. Tests/editors/test_neovim.py runs each script in `nvim --headless -u NONE`
-- inside a sandbox workspace, with the real rlmd on PATH and the scripted LM server as its provider; a
-- script observes the editor and returns a table, which M.run writes as JSON for the Python side to check.
local M = {}

M.notifications = {}
M.deprecated = {} -- every deprecated API used (vim.deprecate is called even where it stays silent)

local deprecate = vim.deprecate
vim.deprecate = function(name, alternative, ...)
  table.insert(M.deprecated, string.format('%s (use %s)', tostring(name), tostring(alternative)))
  return deprecate(name, alternative, ...)
end

--- Puts the plugin on the runtimepath and sources it, as a plugin manager would.
function M.load_plugin()
  vim.opt.rtp:prepend(os.getenv('RLM_PLUGIN_DIR'))
  vim.cmd('runtime plugin/rlm.lua')
end

--- Records vim.notify calls (the plugin's messages) instead of printing them.
function M.record_notifications()
  vim.notify = function(message, level)
    table.insert(M.notifications, { message = tostring(message), level = level or vim.log.levels.INFO })
  end
end

--- The first recorded notification containing `text`, after the `from`-th.
function M.notified(text, from)
  for i = (from or 0) + 1, #M.notifications do
    if M.notifications[i].message:find(text, 1, true) then
      return M.notifications[i]
    end
  end
end

function M.wait(what, condition, timeout_ms)
  if not vim.wait(timeout_ms or 20000, condition, 10) then
    error('timed out waiting for ' .. what, 2)
  end
end

function M.wait_notified(text, from, timeout_ms)
  M.wait('a notification with ' .. vim.inspect(text), function()
    return M.notified(text, from) ~= nil
  end, timeout_ms)
  return M.notified(text, from)
end

function M.buffer(name)
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(buf) == name then
      return buf
    end
  end
end

function M.lines(name)
  local buf = M.buffer(name)
  return buf and vim.api.nvim_buf_get_lines(buf, 0, -1, false) or {}
end

--- The line number of the first line of buffer `name` containing `text`.
function M.find_line(name, text)
  for i, line in ipairs(M.lines(name)) do
    if line:find(text, 1, true) then
      return i
    end
  end
end

--- The quickfix list as { file, line, end_line, text, valid }.
function M.quickfix()
  local items = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    table.insert(items, {
      file = item.bufnr > 0 and vim.api.nvim_buf_get_name(item.bufnr) or '',
      line = item.lnum,
      end_line = item.end_lnum,
      text = item.text,
      valid = item.valid,
    })
  end
  return items
end

--- Names of the LSP clients attached to `buf` (vim.lsp.get_clients is 0.10+, buf_get_clients before).
function M.attached(buf)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
  local names = {}
  for _, client in pairs(clients) do
    table.insert(names, client.name)
  end
  return names
end

--- Collects `User RlmProgress` events: each the statusline value then and the event's data (0.8+).
function M.record_progress()
  local events = {}
  vim.api.nvim_create_autocmd('User', {
    pattern = 'RlmProgress',
    callback = function(args)
      table.insert(events, { statusline = require('rlm').statusline(), data = args.data })
    end,
  })
  return events
end

--- Loads the plugin, records notifications, runs the test body, writes { ok, result | error,
--- notifications, deprecated } to $RLM_TEST_OUT, and quits.
function M.run(body)
  local ok, result = xpcall(function()
    M.load_plugin()
    M.record_notifications()
    return body()
  end, debug.traceback)
  local report = { ok = ok, notifications = M.notifications, deprecated = M.deprecated }
  if ok then
    report.result = result
  else
    report.error = tostring(result)
  end
  local file = assert(io.open(os.getenv('RLM_TEST_OUT'), 'w'))
  file:write(vim.json.encode(report))
  file:close()
  vim.cmd('qa!')
end

return M
