-- The answer: one reused Markdown buffer, rlm://answer (question, answer, usage, partial reason,
-- citations you can jump to with <CR>), and the quickfix list (one `path:line` entry per citation).
local config = require('rlm.config')
local uv = require('rlm.compat').uv
local view = require('rlm.view')

local M = {}

M.NAME = 'rlm://answer'
M.NOT_FOUND = '(not found in the index)'

--- The answer shown now: { root, question, conversation, trajectory, result }, or nil.
M.current = nil

local targets = {} -- line of the answer buffer -> the citation on it
local origin -- the window the question was asked from: where <CR> opens files

local function plural(n, word)
  return string.format('%d %s%s', n or 0, word, n == 1 and '' or 's')
end

local function is_session_message(path)
  return path:match('^#%d+$') ~= nil or path:match('^agent%-[^#]*#%d+$') ~= nil
end

local function cited(citation)
  if is_session_message(citation.path) then
    return citation.path
  end
  local range = tostring(citation.startLine)
  if citation.endLine and citation.endLine ~= vim.NIL and citation.endLine > citation.startLine then
    range = range .. '-' .. citation.endLine
  end
  return citation.path .. ':' .. range
end

local function first_line(text)
  if type(text) ~= 'string' then
    return nil
  end
  return (vim.split(text, '\n', { plain = true })[1]:gsub('^%s+', ''))
end

local function file_of(citation, root)
  if is_session_message(citation.path) then
    return nil
  end
  return citation.path:sub(1, 1) == '/' and citation.path or (root .. '/' .. citation.path)
end

local function heading(question)
  local lines = vim.split(question, '\n', { plain = true })
  local out = { '# ' .. lines[1] }
  for i = 2, #lines do
    table.insert(out, lines[i])
  end
  return out
end

local function usage_line(result)
  local usage = type(result.usage) == 'table' and result.usage or {}
  local parts = {
    plural(usage.iterations, 'turn'),
    plural(usage.calls, 'model call'),
    string.format('%d input + %d output tokens', usage.input or 0, usage.output or 0),
    string.format('$%.4f', tonumber(result.costUsd) or 0),
    'trajectory ' .. tostring(result.trajectory),
    'conversation ' .. tostring(result.conversation),
  }
  return table.concat(parts, ' · ')
end

local function buffer()
  local buf = view.buffer(M.NAME, 'markdown')
  vim.keymap.set('n', '<CR>', M.jump, { buffer = buf, nowait = true, silent = true, desc = 'rlm: open the citation under the cursor' })
  return buf
end

local function render(lines, focus)
  local buf = buffer()
  view.set_lines(buf, lines)
  view.show(buf, focus)
  return buf
end

--- Opens the answer buffer for a question that has just been sent, and remembers where it was asked.
function M.begin(question, root)
  local here = vim.api.nvim_get_current_win()
  if vim.api.nvim_buf_get_name(vim.api.nvim_win_get_buf(here)) ~= M.NAME then
    origin = here
  end
  targets = {}
  M.pending = { question = question, root = root }
  M.working('rlmd is working…')
  view.show(buffer(), true)
end

--- Shows what the pending question is doing (a progress line).
function M.working(status)
  if not M.pending then
    return
  end
  local lines = heading(M.pending.question)
  vim.list_extend(lines, { '', '_' .. status .. '_' })
  view.set_lines(buffer(), lines)
end

--- Fills the buffer and the quickfix list with an answer (`rlm/ask`'s result).
function M.answered(question, result, root)
  M.pending = nil
  M.current = { root = root, question = question, conversation = result.conversation, trajectory = result.trajectory, result = result }
  local lines = heading(question)
  table.insert(lines, '')
  local text = type(result.answer) == 'string' and vim.trim(result.answer) ~= '' and result.answer or '_(no answer text)_'
  vim.list_extend(lines, vim.split(text, '\n', { plain = true }))
  table.insert(lines, '')
  table.insert(lines, '---')
  if result.partial then
    local reason = result.reason ~= nil and result.reason ~= vim.NIL and tostring(result.reason) or 'a budget ran out'
    table.insert(lines, '**Partial answer**: ' .. reason)
  end
  table.insert(lines, usage_line(result))
  local items = {}
  targets = {}
  local citations = type(result.citations) == 'table' and result.citations or {}
  if #citations > 0 then
    vim.list_extend(lines, { '', '## Citations' })
  end
  for _, citation in ipairs(citations) do
    local excerpt = citation.resolved and first_line(citation.excerpt) or nil
    local note = citation.resolved and (excerpt or '') or M.NOT_FOUND
    local file = file_of(citation, root)
    if not file then
      note = (excerpt and (excerpt .. ' ') or '') .. '(a message of the session)'
    end
    table.insert(lines, string.format('- `%s` %s', cited(citation), note))
    targets[#lines] = { citation = citation, file = file }
    if file then
      table.insert(items, { filename = file, lnum = citation.startLine, end_lnum = citation.endLine, text = note })
    else
      table.insert(items, { text = cited(citation) .. ' ' .. note, valid = 0 })
    end
  end
  vim.list_extend(lines, { '', '`<CR>` on a citation opens it · `:RlmFollowUp` asks on · `:RlmTrajectory` shows the steps · `q` closes' })
  render(lines, false)
  vim.fn.setqflist({}, ' ', { title = 'rlm: ' .. first_line(question), items = items })
  if config.get().open_quickfix and #items > 0 then
    vim.cmd('botright copen')
  end
end

--- A question that was cancelled: its partial trajectory (an id the daemon kept, or nil) is named.
function M.cancelled(question, root, trajectory, conversation)
  M.pending = nil
  M.current = { root = root, question = question, conversation = conversation, trajectory = trajectory }
  local lines = heading(question)
  vim.list_extend(lines, { '', '**Cancelled.**' })
  if trajectory then
    vim.list_extend(lines, { '', 'Partial trajectory: ' .. trajectory .. ' (`:RlmTrajectory ' .. trajectory .. '` shows what it did)' })
  end
  render(lines, false)
end

--- A question that failed: the error, which says what to fix.
function M.failed(question, root, message)
  M.pending = nil
  local lines = heading(question)
  vim.list_extend(lines, { '', '**Error**', '' })
  vim.list_extend(lines, vim.split(message, '\n', { plain = true }))
  render(lines, false)
end

local function target_window()
  local answer_win = vim.api.nvim_get_current_win()
  if origin and vim.api.nvim_win_is_valid(origin) and origin ~= answer_win
    and vim.api.nvim_win_get_tabpage(origin) == vim.api.nvim_get_current_tabpage() then
    return origin
  end
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if win ~= answer_win and vim.bo[vim.api.nvim_win_get_buf(win)].buftype == '' then
      return win
    end
  end
  vim.cmd('aboveleft split')
  return vim.api.nvim_get_current_win()
end

--- <CR> in the answer buffer: opens the citation of the cursor's line in the window the question came from.
function M.jump()
  local target = targets[vim.api.nvim_win_get_cursor(0)[1]]
  if not target then
    vim.notify('rlm: no citation on this line', vim.log.levels.WARN)
    return
  end
  local citation = target.citation
  if not target.file then
    vim.notify(string.format('rlm: %s is a message of the session, not a file', citation.path), vim.log.levels.INFO)
    return
  end
  if not uv.fs_stat(target.file) then
    vim.notify(string.format('rlm: %s is not in the index, and %s does not exist', cited(citation), target.file), vim.log.levels.WARN)
    return
  end
  if not citation.resolved then
    vim.notify(string.format('rlm: %s was not found in the index', cited(citation)), vim.log.levels.WARN)
  end
  origin = target_window()
  vim.api.nvim_set_current_win(origin)
  local ok, err = pcall(vim.cmd, 'edit ' .. vim.fn.fnameescape(target.file))
  if not ok then
    vim.notify('rlm: ' .. tostring(err), vim.log.levels.ERROR)
    return
  end
  local line = math.max(1, math.min(citation.startLine or 1, vim.api.nvim_buf_line_count(0)))
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  vim.cmd('normal! zv')
end

return M
