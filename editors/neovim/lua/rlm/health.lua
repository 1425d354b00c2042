-- :checkhealth rlm — the executable, `rlmd doctor --json` (sandbox layers, providers), and the index
-- state of the current workspace's daemon (rlm/status).
local compat = require('rlm.compat')
local uv = compat.uv
local config = require('rlm.config')

local M = {}

local DOCTOR_TIMEOUT_MS = 60000
local INDEX_WAIT_MS = 10000

--- Runs `argv` with `env` added; returns its exit status and stdout (nil status on a timeout).
local function run(argv, env)
  local out = {}
  local job = vim.fn.jobstart(argv, {
    env = next(env) and env or nil,
    stdout_buffered = true,
    on_stdout = function(_, data)
      out = data
    end,
  })
  if job <= 0 then
    return -1, ''
  end
  local status = vim.fn.jobwait({ job }, DOCTOR_TIMEOUT_MS)[1]
  if status == -1 then
    vim.fn.jobstop(job)
    return nil, ''
  end
  return status, table.concat(out, '\n')
end

--- The environment doctor runs in: the plugin's `env`, plus its base_url / model / sub_model (the daemon
--- gets them as initializationOptions, doctor through the variables it reads).
local function doctor_env(options)
  local env = vim.deepcopy(options.env)
  env.RLMD_BASE_URL = options.base_url or env.RLMD_BASE_URL
  env.RLMD_MODEL = options.model or env.RLMD_MODEL
  env.RLMD_SUB_MODEL = options.sub_model or env.RLMD_SUB_MODEL
  return env
end

local function sandbox(report, sb)
  report.start('rlm: sandbox')
  if type(sb) ~= 'table' then
    return report.error('doctor reported no sandbox')
  end
  if sb.ok then
    report.ok(string.format('%s: a cell ran (python %s, %s ms)', tostring(sb.mode), tostring(sb.python), tostring(sb.milliseconds)))
  else
    report.error(string.format('%s: the REPL could not run a cell: %s', tostring(sb.mode), tostring(sb.error)),
      { 'Without a working sandbox no question can be answered; see the layers below and the rlmd README.' })
  end
  for _, layer in ipairs(type(sb.layers) == 'table' and sb.layers or {}) do
    local line = string.format('%s: %s', tostring(layer.name), tostring(layer.detail))
    if layer.active then
      report.ok(line)
    else
      report.warn(line .. ' (inactive)')
    end
  end
end

local function providers(report, doctor, options)
  report.start('rlm: model providers')
  if options.provider or options.base_url then
    report.info(string.format('setup(): provider %s, base_url %s (sent to the daemon at start)', tostring(options.provider), tostring(options.base_url)))
  end
  if doctor.configFile ~= nil and doctor.configFile ~= vim.NIL then
    report.info('config file: ' .. tostring(doctor.configFile))
  end
  local list = type(doctor.providers) == 'table' and doctor.providers or {}
  if #list == 0 then
    return report.warn('no provider is configured', {
      'Set OPENAI_API_KEY or ANTHROPIC_API_KEY, or RLMD_BASE_URL for an OpenAI-compatible server (llama.cpp, vLLM, Ollama)',
      'or name a provider in ~/.config/rlmd/config.toml',
      "or pass provider / base_url to require('rlm').setup()",
    })
  end
  if doctor.defaultProvider ~= nil and doctor.defaultProvider ~= vim.NIL then
    report.info('default provider: ' .. tostring(doctor.defaultProvider))
  end
  for _, provider in ipairs(list) do
    local line = string.format('%s [%s %s %s]', tostring(provider.name), tostring(provider.kind), tostring(provider.baseURL), tostring(provider.model))
    if provider.ok then
      report.ok(line .. string.format(': answered in %s ms', tostring(provider.milliseconds)))
    else
      report.error(line .. ': ' .. tostring(provider.error))
    end
  end
end

local function index(report, root)
  report.start('rlm: index of ' .. root)
  local client = require('rlm.client')
  local err, status = client.request_sync(root, 'rlm/status', vim.empty_dict(), 30000)
  -- A daemon started just now is building its first index: give it a few seconds to finish.
  local deadline = uv.hrtime() + INDEX_WAIT_MS * 1e6
  while not err and status.index == 'building' and uv.hrtime() < deadline do
    vim.wait(100)
    err, status = client.request_sync(root, 'rlm/status', vim.empty_dict(), 30000)
  end
  if err then
    return report.error(require('rlm.errors').describe(err))
  end
  local state = tostring(status.index)
  local files = status.files ~= nil and status.files ~= vim.NIL and string.format(' (%d files)', status.files) or ''
  if state == 'ready' then
    report.ok('index ready' .. files)
  elseif state == 'failed' then
    report.error('the index failed: ' .. tostring(status.indexError), { 'Fix what it names, then :RlmReindex' })
  else
    report.info('index ' .. state .. files)
  end
  report.info(string.format('%d running · spent $%.4f on %d model calls', #(status.jobs or {}), tonumber(status.spend and status.spend.costUsd) or 0,
    tonumber(status.spend and status.spend.calls) or 0))
end

function M.check()
  local report = compat.health()
  local options = config.get()
  report.start('rlm')
  local version = vim.version()
  report.ok(string.format('Neovim %d.%d.%d', version.major, version.minor, version.patch))
  local exe = vim.fn.exepath(options.cmd)
  if exe == '' then
    return report.error(require('rlm.errors').missing_daemon(options.cmd).message)
  end
  local _, version_text = run({ exe, '--version' }, {})
  report.ok(string.format('rlmd: %s (%s)', exe, vim.trim(version_text)))

  local status, out = run({ exe, 'doctor', '--json', '--timeout', '10' }, doctor_env(options))
  local ok, doctor = pcall(vim.json.decode, out, { luanil = { object = true, array = true } })
  if status == nil then
    report.error(string.format('`rlmd doctor --json` did not finish within %d s', DOCTOR_TIMEOUT_MS / 1000))
  elseif not ok or type(doctor) ~= 'table' then
    report.error(string.format('`rlmd doctor --json` exited with %d and printed no report: %s', status, out:sub(1, 200)))
  else
    sandbox(report, doctor.sandbox)
    providers(report, doctor, options)
  end

  local roots = require('rlm.root')
  index(report, roots.for_buffer(0) or roots.find(vim.fn.getcwd()))
end

return M
