-- $/progress of the rlmd clients: what is running, for the echo area, statuslines, `User RlmProgress`
-- autocommands and the question that asked (a watcher per token).
--
-- The handler is installed on the rlmd clients only (their `handlers` table) and first calls Neovim's
-- own `$/progress` handler, so `LspProgress` (0.10+), `vim.lsp.status()` and fidget.nvim see rlmd
-- like any server, and other servers' progress is left alone.
local compat = require('rlm.compat')
local config = require('rlm.config')

local M = {}

local entries = {} -- "client:token" -> { token, client_id, title, turn, subCalls, tokens, costUsd, message, percentage, started }
local watchers = {} -- token -> function(value)
local tokens = 0
local started = 0

--- A fresh work-done token for a request of ours.
function M.token()
  tokens = tokens + 1
  return 'rlm-nvim-' .. tokens
end

function M.watch(token, fn)
  watchers[token] = fn
end

function M.unwatch(token)
  watchers[token] = nil
end

local function plural(n, word)
  return string.format('%d %s%s', n, word, n == 1 and '' or 's')
end

-- The daemon's titles start with 'rlm: ', which the plugin's own lines already do.
local function title_of(entry)
  return ((entry.title or 'rlmd'):gsub('^rlm: ', ''))
end

--- One line for an entry: the structured fields of a question, else the percentage and message.
function M.describe(entry)
  if entry.turn then
    return string.format('turn %d · %s · %s · $%.4f', entry.turn, plural(entry.subCalls or 0, 'sub-call'),
      plural(entry.tokens or 0, 'token'), entry.costUsd or 0)
  end
  local parts = { title_of(entry) }
  if entry.percentage then
    table.insert(parts, entry.percentage .. '%')
  end
  if entry.message and entry.message ~= '' then
    table.insert(parts, entry.message)
  end
  return table.concat(parts, ' · ')
end

local function newest()
  local best
  for _, entry in pairs(entries) do
    if not best or entry.started > best.started then
      best = entry
    end
  end
  return best
end

--- What runs now, for a statusline: '' when nothing does.
function M.statusline()
  local entry = newest()
  return entry and ('rlm: ' .. M.describe(entry)) or ''
end

--- The progress entries running now (copies), newest first.
function M.running()
  local list = {}
  for _, entry in pairs(entries) do
    table.insert(list, vim.deepcopy(entry))
  end
  table.sort(list, function(a, b)
    return a.started > b.started
  end)
  return list
end

local function show(entry, value)
  local mode = config.get().progress
  if not mode then
    return
  end
  local text = 'rlm: ' .. M.describe(entry)
  if value.kind == 'end' then
    text = string.format('rlm: %s: %s', title_of(entry), value.message or 'done')
  end
  if mode == 'notify' then
    -- `replace` (nvim-notify) and `id` (snacks.nvim, mini.notify) update one notification in place.
    local record = vim.notify(text, vim.log.levels.INFO, { title = 'rlm', replace = entry.notification, id = 'rlm-' .. entry.key })
    if type(record) == 'table' then
      entry.notification = record
    end
  else
    vim.api.nvim_echo({ { text } }, false, {})
  end
end

--- Handles one `$/progress` of an rlmd client.
function M.update(params, client_id)
  local value = type(params) == 'table' and params.value
  if type(value) ~= 'table' or params.token == nil then
    return
  end
  local key = tostring(client_id) .. ':' .. tostring(params.token)
  local entry = entries[key]
  if not entry then
    started = started + 1
    entry = { key = key, token = params.token, client_id = client_id, started = started }
    entries[key] = entry
  end
  for _, field in ipairs({ 'title', 'message', 'percentage', 'turn', 'subCalls', 'tokens', 'costUsd' }) do
    if value[field] ~= nil and value[field] ~= vim.NIL then
      entry[field] = value[field]
    end
  end
  if value.kind == 'end' then
    entries[key] = nil
  end
  show(entry, value)
  local watcher = watchers[params.token]
  if watcher then
    watcher(value, entry)
  end
  compat.user_event('RlmProgress', { token = params.token, client_id = client_id, value = value, text = M.describe(entry) })
  vim.cmd('redrawstatus')
end

--- Forgets the entries of a client that exited (their `end` will never come).
function M.forget_client(client_id)
  for key, entry in pairs(entries) do
    if entry.client_id == client_id then
      entries[key] = nil
    end
  end
end

--- The `$/progress` handler for an rlmd client's `handlers` table.
function M.handler(err, result, ctx, handler_config)
  local builtin = vim.lsp.handlers['$/progress']
  if builtin then
    -- Neovim's handler may refuse what it does not expect (0.7 errors on a report without a begin);
    -- that must not stop ours.
    pcall(builtin, err, result, ctx, handler_config)
  end
  M.update(result, ctx and ctx.client_id)
  return vim.NIL
end

return M
