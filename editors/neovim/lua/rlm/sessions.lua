-- Picking an AI-coding session of the workspace (rlm/sessions, newest first) with vim.ui.select, so
-- telescope / fzf-lua / dressing / snacks pickers show it; the newest is the first item, the default.
local client = require('rlm.client')
local errors = require('rlm.errors')

local M = {}

local function size(bytes)
  bytes = tonumber(bytes) or 0
  if bytes < 1024 then
    return bytes .. ' B'
  elseif bytes < 1024 * 1024 then
    return string.format('%.1f KB', bytes / 1024)
  elseif bytes < 1024 * 1024 * 1024 then
    return string.format('%.1f MB', bytes / 1024 / 1024)
  end
  return string.format('%.1f GB', bytes / 1024 / 1024 / 1024)
end

local function when(session)
  local stamp = session.last ~= vim.NIL and session.last or session.first
  if type(stamp) ~= 'string' then
    return 'no date'
  end
  return (stamp:gsub('T', ' '):gsub(':%d%d%.?%d*Z?$', ''))
end

--- One line of the picker: tool, title, size, messages, time.
function M.format(session)
  local title = type(session.title) == 'string' and session.title or session.id
  title = vim.split(title, '\n', { plain = true })[1]
  if #title > 60 then
    title = title:sub(1, 57) .. '...'
  end
  return string.format('%-6s %s · %s · %d messages · %s', session.tool, title, size(session.bytes), tonumber(session.messages) or 0, when(session))
end

--- Asks the daemon of `root` for its sessions and lets the user pick one; `chosen(path)` gets the file.
function M.pick(root, chosen)
  client.request(root, 'rlm/sessions', vim.empty_dict(), function(err, sessions)
    if err then
      return errors.notify(err)
    end
    if type(sessions) ~= 'table' or #sessions == 0 then
      return vim.notify(string.format('rlm: no Claude Code, Codex or Aider session found for %s; name a file: :RlmSummarize path/to/session.jsonl', root),
        vim.log.levels.WARN)
    end
    vim.ui.select(sessions, {
      prompt = 'Summarize which session (newest first)?',
      kind = 'rlm.session',
      format_item = M.format,
    }, function(session)
      if session then
        chosen(session.path)
      end
    end)
  end)
end

return M
