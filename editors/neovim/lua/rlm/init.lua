-- rlm.nvim: ask rlmd (a Recursive Language Model daemon) about the whole repository or an AI-coding
-- session, from Neovim. The commands of plugin/rlm.lua call these functions; see :help rlm.
local M = {}

local function root_here()
  local roots = require('rlm.root')
  local found = roots.for_buffer(0)
  if found then
    return found
  end
  -- The answer and trajectory buffers belong to the workspace of the answer they show.
  local answer = package.loaded['rlm.answer']
  if answer and answer.current and vim.api.nvim_buf_get_name(0):match('^rlm://') then
    return answer.current.root
  end
  return roots.find(vim.fn.getcwd())
end

--- Sends a request without params to the daemon of `root`: `on_result(result)`, or the error is said.
local function request(root, method, on_result)
  require('rlm.client').request(root, method, vim.empty_dict(), function(err, result)
    if err then
      return require('rlm.errors').notify(err)
    end
    on_result(result)
  end)
end

--- Calls `fn(question)` with `question`, or with what the user types when it is empty.
local function with_question(question, prompt, fn)
  if question and vim.trim(question) ~= '' then
    return fn(question)
  end
  vim.ui.input({ prompt = prompt }, function(input)
    if input and vim.trim(input) ~= '' then
      fn(input)
    end
  end)
end

-- The byte where the character starting at byte `col` of `line` ends (UTF-8).
local function char_end(line, col)
  if col >= #line then
    return #line
  end
  local stop = col
  while stop < #line do
    local byte = line:byte(stop + 1)
    if byte < 0x80 or byte >= 0xC0 then
      break
    end
    stop = stop + 1
  end
  return stop
end

--- The selection of lines `line1`..`line2` of the current buffer for rlm/ask: path relative to `root`,
--- lines, and text (the exact characters when the range is the last characterwise visual selection).
local function selection(root, line1, line2)
  local roots = require('rlm.root')
  local lines = vim.api.nvim_buf_get_lines(0, line1 - 1, line2, false)
  local first, last = vim.fn.getpos("'<"), vim.fn.getpos("'>")
  if vim.fn.visualmode() == 'v' and first[2] == line1 and last[2] == line2 and #lines > 0 then
    lines[#lines] = lines[#lines]:sub(1, char_end(lines[#lines], last[3]))
    lines[1] = lines[1]:sub(first[3])
  end
  local file = roots.file(0)
  local path = file and roots.relative(file, root) or (vim.api.nvim_buf_get_name(0) ~= '' and vim.api.nvim_buf_get_name(0) or '[No Name]')
  return { path = path, startLine = line1, endLine = line2, text = table.concat(lines, '\n') }
end

--- Sets the options (see :help rlm-configuration). Optional: the defaults work without it.
function M.setup(opts)
  local ok, err = require('rlm.config').set(opts)
  if not ok then
    vim.notify(err, vim.log.levels.ERROR, { title = 'rlm' })
  end
end

--- :RlmAsk [question] — with `range` ({ line1, line2 }), the selected lines and their path:start-end go along.
function M.ask(question, range)
  local root = root_here()
  local chosen = range and selection(root, range.line1, range.line2) or nil
  with_question(question, 'Ask rlmd: ', function(text)
    local shown = text
    if chosen then
      shown = string.format('%s\n\n(about the selection %s:%d-%d)', text, chosen.path, chosen.startLine, chosen.endLine)
    end
    require('rlm.question').send(root, 'rlm/ask', { question = text, selection = chosen }, shown)
  end)
end

--- :RlmFollowUp [question] — asks on in the conversation of the answer shown.
function M.follow_up(question)
  local current = require('rlm.answer').current
  if not current or not current.conversation or current.conversation == vim.NIL then
    return vim.notify('rlm: there is no answer to follow up on yet: :RlmAsk first', vim.log.levels.WARN)
  end
  with_question(question, 'Follow up: ', function(text)
    require('rlm.question').send(current.root, 'rlm/followUp', { conversation = current.conversation, question = text }, text)
  end)
end

--- :RlmSummarize [file] — summarizes a session file, or one picked from the workspace's sessions.
function M.summarize(file)
  local root = root_here()
  local function summarize(path)
    require('rlm.question').send(root, 'rlm/summarizeSession', { file = path }, 'Summary of the session ' .. path)
  end
  if file and file ~= '' then
    local path = vim.fn.fnamemodify(vim.fn.expand(file), ':p')
    if vim.fn.filereadable(path) == 0 then
      return vim.notify('rlm: cannot read the session file ' .. path, vim.log.levels.ERROR)
    end
    return summarize(path)
  end
  require('rlm.sessions').pick(root, summarize)
end

--- :RlmReindex — refreshes the index of the workspace now.
function M.reindex()
  local root = root_here()
  request(root, 'rlm/index', function(result)
    vim.notify(string.format('rlm: indexed %s: %d files (%d changed, %d bytes, ~%d tokens) in %.2f s', root, result.files or 0,
      result.changed or 0, result.bytes or 0, result.tokens or 0, tonumber(result.seconds) or 0), vim.log.levels.INFO)
  end)
end

local function status_lines(root, status)
  local info = require('rlm.client').info(root)
  local index = tostring(status.index)
  if status.files ~= nil and status.files ~= vim.NIL then
    index = string.format('%s, %d files', index, status.files)
  end
  if status.indexError ~= nil and status.indexError ~= vim.NIL then
    index = index .. ': ' .. tostring(status.indexError)
  end
  local lines = {
    string.format('rlm: %s · index %s · sandbox %s%s', root, index, tostring(status.sandbox), info and info.pid and (' · rlmd pid ' .. info.pid) or ''),
  }
  local jobs = type(status.jobs) == 'table' and status.jobs or {}
  if #jobs == 0 then
    table.insert(lines, 'running: nothing')
  end
  for _, job in ipairs(jobs) do
    local question = job.question ~= nil and job.question ~= vim.NIL and (' "' .. tostring(job.question) .. '"') or ''
    table.insert(lines, string.format('running: %s%s (turn %d, %.0f s)', tostring(job.method), question, job.turn or 0, tonumber(job.seconds) or 0))
  end
  local spend = type(status.spend) == 'table' and status.spend or {}
  table.insert(lines, string.format('spent: $%.4f on %d model calls (%d input + %d output tokens)', tonumber(spend.costUsd) or 0,
    spend.calls or 0, spend.input or 0, spend.output or 0))
  return lines
end

--- :RlmStatus — index state, files, running jobs and spend of the workspace's daemon.
function M.status()
  local root = root_here()
  request(root, 'rlm/status', function(status)
    vim.notify(table.concat(status_lines(root, status), '\n'), vim.log.levels.INFO, { title = 'rlm' })
  end)
end

--- :RlmCancel — cancels the running question(s); the answer buffer then names the partial trajectory.
function M.cancel()
  local count = package.loaded['rlm.question'] and require('rlm.question').cancel() or 0
  if count == 0 then
    return vim.notify('rlm: no question is running', vim.log.levels.INFO)
  end
  vim.api.nvim_echo({ { string.format('rlm: cancelling %d question%s…', count, count == 1 and '' or 's') } }, false, {})
end

--- :RlmTrajectory[!] [id] — the trajectory of `id` (default: the answer shown) in a buffer; with `html`
--- (the bang) in the daemon's HTML viewer.
function M.trajectory(id, html)
  local current = package.loaded['rlm.answer'] and require('rlm.answer').current
  local root
  if not id or id == '' then
    if not current or not current.trajectory or current.trajectory == vim.NIL then
      return vim.notify('rlm: no answer yet, so no trajectory: :RlmTrajectory ID shows one', vim.log.levels.WARN)
    end
    id, root = tostring(current.trajectory), current.root
  else
    root = root_here()
  end
  local trajectory = require('rlm.trajectory')
  if html then
    trajectory.open_html(root, id)
  else
    trajectory.show(root, id)
  end
end

--- :RlmRestart — stops the workspace's daemon and starts a new one (options of setup() apply anew).
function M.restart()
  local root = root_here()
  require('rlm.client').stop(root, function()
    request(root, 'rlm/status', function(status)
      vim.notify(string.format('rlm: rlmd restarted for %s (index %s)', root, tostring(status.index)), vim.log.levels.INFO)
    end)
  end)
end

--- :RlmStop[!] — stops the workspace's daemon (with the bang, every daemon of this Neovim).
function M.stop(all)
  local client = package.loaded['rlm.client'] and require('rlm.client')
  if not client then
    return
  end
  for _, root in ipairs(all and client.roots() or { root_here() }) do
    client.stop(root)
  end
end

--- For statuslines: what the running question is doing ('rlm: turn 2 · 1 sub-call · 840 tokens · $0.0012'),
--- '' when nothing runs. Cheap: it loads nothing until a command has run.
function M.statusline()
  local progress = package.loaded['rlm.progress']
  return progress and progress.statusline() or ''
end

--- The progress entries running now, newest first ({ token, title, turn, subCalls, tokens, costUsd, ... }).
function M.progress()
  local progress = package.loaded['rlm.progress']
  return progress and progress.running() or {}
end

return M
