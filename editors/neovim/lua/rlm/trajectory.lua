-- What a question did, turn by turn (rlm/trajectory): the model's words, each cell's code and output,
-- and the sub-calls with their nested turns, in the rlm://trajectory Markdown buffer; or the daemon's
-- HTML viewer in a browser.
local client = require('rlm.client')
local compat = require('rlm.compat')
local config = require('rlm.config')
local errors = require('rlm.errors')
local view = require('rlm.view')

local M = {}

M.NAME = 'rlm://trajectory'
local MAX_OUTPUT_LINES = 200
local MAX_PROMPT_LINES = 8

local function present(value)
  return value ~= nil and value ~= vim.NIL and value ~= ''
end

local function split(text)
  return vim.split(tostring(text), '\n', { plain = true })
end

local function add(lines, more)
  vim.list_extend(lines, more)
end

--- The reply without its code blocks (the cells show the code that ran).
local function prose(reply)
  local out, fenced = {}, false
  for _, line in ipairs(split(reply or '')) do
    if line:match('^%s*```') then
      fenced = not fenced
    elseif not fenced then
      table.insert(out, line)
    end
  end
  while #out > 0 and vim.trim(out[#out]) == '' do
    table.remove(out)
  end
  while #out > 0 and vim.trim(out[1]) == '' do
    table.remove(out, 1)
  end
  return out
end

local function block(lines, text, language, limit)
  local body = split(text)
  if body[#body] == '' then
    table.remove(body)
  end
  local extra = #body - limit
  table.insert(lines, '~~~' .. (language or ''))
  for i = 1, math.min(#body, limit) do
    table.insert(lines, body[i])
  end
  table.insert(lines, '~~~')
  if extra > 0 then
    table.insert(lines, string.format('(%d more lines)', extra))
  end
end

local function cell_lines(lines, index, cell)
  local result = type(cell.result) == 'table' and cell.result or {}
  local facts = {}
  if present(result.durationMs) then
    table.insert(facts, string.format('%.1f ms', result.durationMs))
  end
  if result.timedOut then
    table.insert(facts, 'timed out')
  end
  if result.stateLost then
    table.insert(facts, 'REPL restarted: variables lost')
  end
  add(lines, { '', string.format('Cell %d%s:', index, #facts > 0 and (' (' .. table.concat(facts, ', ') .. ')') or '') })
  block(lines, cell.code or '', 'python', MAX_OUTPUT_LINES)
  for _, output in ipairs({ { 'stdout', 'Output:' }, { 'stderr', 'Stderr:' }, { 'error', 'Error:' }, { 'final', 'FINAL:' } }) do
    if present(result[output[1]]) then
      add(lines, { output[2] })
      block(lines, result[output[1]], nil, MAX_OUTPUT_LINES)
    end
  end
end

local turn_lines

local function sub_call_lines(lines, index, call, level)
  local usage = type(call.usage) == 'table' and call.usage or {}
  local facts = { tostring(call.model or '?') }
  if present(call.milliseconds) then
    table.insert(facts, string.format('%d ms', call.milliseconds))
  end
  table.insert(facts, string.format('%d + %d tokens', usage.input or 0, usage.output or 0))
  table.insert(facts, string.format('$%.4f', tonumber(call.costUSD) or 0))
  add(lines, { '', string.format('%s Sub-call %d: %s (%s)', string.rep('#', math.min(level, 6)), index, tostring(call.kind or 'call'),
    table.concat(facts, ', ')) })
  add(lines, { 'Prompt:' })
  block(lines, call.prompt or '', nil, MAX_PROMPT_LINES)
  if present(call.error) then
    add(lines, { 'Error: ' .. tostring(call.error) })
  elseif present(call.response) then
    add(lines, { 'Response:' })
    block(lines, call.response, nil, MAX_PROMPT_LINES)
  end
  for _, child in ipairs(type(call.child) == 'table' and call.child or {}) do
    turn_lines(lines, child, level + 1)
  end
end

turn_lines = function(lines, turn, level)
  local depth = turn.depth and turn.depth > 1 and string.format(' (depth %d)', turn.depth) or ''
  add(lines, { '', string.format('%s Turn %s%s', string.rep('#', math.min(level, 6)), tostring(turn.iteration or '?'), depth) })
  local words = prose(turn.reply)
  if #words > 0 then
    table.insert(lines, '')
    add(lines, words)
  end
  for i, cell in ipairs(type(turn.cells) == 'table' and turn.cells or {}) do
    cell_lines(lines, i, cell)
  end
  for i, call in ipairs(type(turn.subCalls) == 'table' and turn.subCalls or {}) do
    sub_call_lines(lines, i, call, level + 1)
  end
end

local function header_lines(meta)
  local usage = type(meta.usage) == 'table' and meta.usage or {}
  local lines = { '# Trajectory ' .. tostring(meta.id), '' }
  local question = split(meta.question or '')
  table.insert(lines, '**Question**: ' .. question[1])
  for i = 2, #question do
    table.insert(lines, question[i])
  end
  table.insert(lines, '')
  table.insert(lines, string.format('%s (sub-calls: %s) · %d turns · %d model calls · %d input + %d output tokens · $%.4f · %s',
    tostring(meta.model or '?'), tostring(meta.subModel or '?'), usage.iterations or 0, usage.calls or 0, usage.input or 0,
    usage.output or 0, tonumber(usage.costUSD) or 0, tostring(meta.createdAt or '')))
  if meta.partial then
    table.insert(lines, '**Partial**' .. (present(meta.reason) and (': ' .. tostring(meta.reason)) or ''))
  end
  if present(meta.answer) then
    add(lines, { '', '**Answer**:' })
    add(lines, split(meta.answer))
  end
  return lines
end

--- The Markdown lines of a trajectory given as JSON Lines (a metadata line, then one line per turn).
function M.render(jsonl)
  local lines, meta = {}, nil
  for _, line in ipairs(split(jsonl)) do
    if vim.trim(line) ~= '' then
      local ok, record = pcall(vim.json.decode, line, { luanil = { object = true, array = true } })
      if not ok or type(record) ~= 'table' then
        add(lines, { '', '(a line that is not JSON: ' .. line:sub(1, 80) .. ')' })
      elseif not meta and record.type == 'trajectory' then
        meta = record
        add(lines, header_lines(record))
      else
        turn_lines(lines, record, 2)
      end
    end
  end
  return lines
end

local function show_buffer(root, id, jsonl)
  local buf = view.buffer(M.NAME, 'markdown')
  vim.keymap.set('n', 'gx', function()
    M.open_html(root, id)
  end, { buffer = buf, nowait = true, silent = true, desc = 'rlm: this trajectory in the HTML viewer' })
  view.set_lines(buf, M.render(jsonl))
  view.show(buf, true)
  vim.api.nvim_win_set_cursor(view.window(buf), { 1, 0 })
end

--- Shows trajectory `id` (a unique prefix will do) of the daemon of `root` in the buffer.
function M.show(root, id)
  client.request(root, 'rlm/trajectory', { id = id }, function(err, result)
    if err then
      return errors.notify(err)
    end
    show_buffer(root, id, result.jsonl or '')
  end)
end

--- Opens the daemon's HTML view of trajectory `id`; where this rlmd has none, says so and shows the buffer.
function M.open_html(root, id)
  client.request(root, 'rlm/trajectory', { id = id, format = 'html' }, function(err, result)
    local path = not err and type(result) == 'table' and result.path
    if type(path) == 'string' then
      local open = config.get().browser or compat.open_external
      local ok, why = open(path)
      if ok == false then
        vim.notify('rlm: could not open ' .. path .. ': ' .. tostring(why), vim.log.levels.ERROR)
      end
      return
    end
    if err and err.code ~= errors.codes.invalid_params then
      return errors.notify(err)
    end
    vim.notify('rlm: the HTML trajectory viewer is unavailable in this rlmd; showing the trajectory in a buffer', vim.log.levels.WARN)
    if not err and type(result) == 'table' and result.jsonl then
      show_buffer(root, id, result.jsonl)
    else
      M.show(root, id)
    end
  end)
end

return M
