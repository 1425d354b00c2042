-- Errors of the daemon and of starting it, as sentences that say what to fix.
local M = {}

M.codes = {
  cancelled = -32800,
  invalid_params = -32602,
  no_provider = -32900,
  budget = -32901,
  index = -32902,
  sandbox = -32903,
  provider = -32904,
  unknown_trajectory = -32905,
}

-- Errors that never reached the daemon (its `code` is one of these strings).
M.missing = 'missing' -- rlmd is not installed where the plugin looks
M.exited = 'exited' -- the daemon exited before it answered

local advice = {
  [M.codes.no_provider] = 'Set OPENAI_API_KEY or ANTHROPIC_API_KEY, point RLMD_BASE_URL at an OpenAI-compatible server, '
    .. 'name a provider in ~/.config/rlmd/config.toml (or the file $RLMD_CONFIG names), '
    .. "or pass provider / base_url to require('rlm').setup(), then :RlmRestart.",
  [M.codes.budget] = "Raise the budget that ran out in require('rlm').setup({ budgets = { max_usd = ..., max_calls = ..., "
    .. 'max_iterations = ..., max_tokens = ..., max_seconds = ... } }) (or in the rlmd config file), then :RlmRestart.',
  [M.codes.index] = 'Fix what the message names, then :RlmReindex; :checkhealth rlm shows the index state.',
  [M.codes.sandbox] = ':checkhealth rlm shows which sandbox layer failed and why.',
  [M.codes.provider] = ':checkhealth rlm checks that each configured provider answers.',
  [M.codes.unknown_trajectory] = ':RlmTrajectory with no argument shows the current answer\'s trajectory.',
}

local labels = {
  [M.codes.no_provider] = 'no model provider is configured',
  [M.codes.budget] = 'a budget ran out',
  [M.codes.index] = 'the index is unavailable',
  [M.codes.sandbox] = 'the REPL sandbox could not start',
  [M.codes.provider] = 'the model provider failed',
  [M.codes.unknown_trajectory] = 'unknown trajectory',
  [M.codes.cancelled] = 'cancelled',
}

--- The message for an error answer `{ code, message, data }` of the daemon (or one of ours).
function M.describe(err)
  if type(err) ~= 'table' then
    return 'rlm: ' .. tostring(err)
  end
  local message = type(err.message) == 'string' and err.message or vim.inspect(err)
  if err.code == M.missing or err.code == M.exited then
    return message
  end
  local label = labels[err.code]
  local text
  if not label then
    text = string.format('rlm: %s (error %s)', message, tostring(err.code))
  elseif message:lower():sub(1, #label) == label then -- the daemon's message may say it already
    text = 'rlm: ' .. message
  else
    text = string.format('rlm: %s: %s', label, message)
  end
  if advice[err.code] then
    text = text .. '\n' .. advice[err.code]
  end
  return text
end

--- The error for a missing executable, with how to install it.
function M.missing_daemon(cmd)
  return {
    code = M.missing,
    message = string.format(
      "rlm: the rlmd executable was not found (looked for %q%s). Install it: in an rlmd checkout run `make release` "
        .. "and put its .build/release folder on PATH, or give the path: require('rlm').setup({ cmd = '/path/to/rlmd' }).",
      cmd,
      cmd:find('/') and '' or ' on PATH'
    ),
  }
end

function M.notify(err)
  vim.notify(M.describe(err), vim.log.levels.ERROR, { title = 'rlm' })
end

return M
