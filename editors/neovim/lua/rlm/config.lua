-- The plugin's options: defaults, checking what setup() is given, and what the daemon is sent.
local M = {}

M.defaults = {
  cmd = 'rlmd', -- the executable: a name looked up on PATH, or a path
  args = {}, -- extra arguments after `serve --stdio`, e.g. { '--log-level', 'debug' }
  env = {}, -- extra environment variables for the daemon
  provider = nil, -- a provider named in the rlmd config file, or 'openai' / 'anthropic'
  base_url = nil, -- an OpenAI-compatible server, e.g. 'http://127.0.0.1:8080/v1'
  model = nil, -- the root model
  sub_model = nil, -- the model of llm_query sub-calls
  budgets = {}, -- max_iterations, max_calls, max_usd, max_tokens, max_seconds, max_depth
  attach = false, -- attach the rlmd client to the buffers of its workspace (it needs none)
  notify_saves = true, -- tell a running daemon about written files, so its index follows them
  progress = 'echo', -- how progress shows: 'echo', 'notify' (vim.notify, e.g. nvim-notify), or false
  answer_window = 'botright split', -- the Ex command that opens a window for the answer
  open_quickfix = false, -- open the quickfix window when an answer fills it
  browser = nil, -- function(path) opening the HTML trajectory viewer; default vim.ui.open / xdg-open
}

-- What setup() accepts: key -> the types it may have.
local types = {
  cmd = { 'string' },
  args = { 'table' },
  env = { 'table' },
  provider = { 'string', 'nil' },
  base_url = { 'string', 'nil' },
  model = { 'string', 'nil' },
  sub_model = { 'string', 'nil' },
  budgets = { 'table' },
  attach = { 'boolean' },
  notify_saves = { 'boolean' },
  progress = { 'string', 'boolean' },
  answer_window = { 'string' },
  open_quickfix = { 'boolean' },
  browser = { 'function', 'nil' },
}

-- Lua names of the budgets -> the protocol's (initializationOptions.budgets).
local budget_names = {
  max_iterations = 'maxIterations',
  max_calls = 'maxCalls',
  max_usd = 'maxUsd',
  max_tokens = 'maxTokens',
  max_seconds = 'maxSeconds',
  max_depth = 'maxDepth',
}

local current = vim.deepcopy(M.defaults)

local function sorted_keys(tbl)
  local keys = vim.tbl_keys(tbl)
  table.sort(keys)
  return keys
end

local function all(tbl, test)
  for key, value in pairs(tbl) do
    if not test(key, value) then
      return false
    end
  end
  return true
end

--- The problems of `opts` as a list of sentences (empty when it is fine).
local function problems(opts)
  local found = {}
  for key, value in pairs(opts) do
    local allowed = types[key]
    if not allowed then
      table.insert(found, string.format('unknown option %q (known: %s)', tostring(key), table.concat(sorted_keys(types), ', ')))
    elseif not vim.tbl_contains(allowed, type(value)) then
      table.insert(found, string.format('%s must be a %s, not a %s', key, table.concat(allowed, ' or '), type(value)))
    end
  end
  if type(opts.args) == 'table' and not all(opts.args, function(_, arg)
    return type(arg) == 'string'
  end) then
    table.insert(found, 'args must be a list of strings')
  end
  if type(opts.env) == 'table' and not all(opts.env, function(key, value)
    return type(key) == 'string' and type(value) == 'string'
  end) then
    table.insert(found, 'env must map names to strings')
  end
  if type(opts.budgets) == 'table' then
    for key, value in pairs(opts.budgets) do
      if not budget_names[key] then
        table.insert(found, string.format('unknown budget %q (known: %s)', tostring(key), table.concat(sorted_keys(budget_names), ', ')))
      elseif type(value) ~= 'number' or value <= 0 then
        table.insert(found, string.format('budgets.%s must be a positive number', key))
      end
    end
  end
  if opts.progress ~= nil and not vim.tbl_contains({ 'echo', 'notify', false }, opts.progress) then
    table.insert(found, "progress must be 'echo', 'notify' or false")
  end
  return found
end

--- Replaces the options with the defaults overridden by `opts`. Bad options are refused as a whole
--- (the previous ones stay) and the error says which. Daemons already running keep theirs until :RlmRestart.
function M.set(opts)
  opts = opts or {}
  if type(opts) ~= 'table' then
    return false, 'rlm: setup() takes a table of options'
  end
  local found = problems(opts)
  if #found > 0 then
    return false, 'rlm: setup(): ' .. table.concat(found, '; ')
  end
  current = vim.tbl_extend('force', vim.deepcopy(M.defaults), opts)
  return true
end

function M.get()
  return current
end

--- initializationOptions for the daemon: the provider, models and budgets that were set (nothing else:
--- the daemon then uses its config file and environment).
function M.initialization_options(options)
  local init = {
    provider = options.provider,
    baseUrl = options.base_url,
    model = options.model,
    subModel = options.sub_model,
  }
  local budgets = {}
  for key, value in pairs(options.budgets or {}) do
    budgets[budget_names[key]] = value
  end
  if next(budgets) then
    init.budgets = budgets
  end
  -- An empty table would be sent as a JSON array.
  return next(init) and init or nil
end

return M
