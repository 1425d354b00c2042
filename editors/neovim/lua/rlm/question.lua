-- A question on its way: rlm/ask, rlm/followUp or rlm/summarizeSession with a work-done token, its
-- progress in the answer buffer, and how it ends (answer, error, or cancelled with its partial trajectory).
local answer = require('rlm.answer')
local client = require('rlm.client')
local errors = require('rlm.errors')
local progress = require('rlm.progress')

local M = {}

local running = {} -- token -> { job, question, root, cancelling }
local latest -- the token of the question asked last: the one the answer buffer shows

-- The partial trajectory and conversation a cancelled question's error names.
local function cancelled_data(err)
  local data = type(err.data) == 'table' and err.data or {}
  local id = data.trajectory ~= nil and data.trajectory ~= vim.NIL and tostring(data.trajectory) or nil
  return id, data.conversation
end

--- How a question ended, shown in the answer buffer (and said in a message where it adds something).
local function show(entry, err, result)
  local question, root = entry.question, entry.root
  if err and err.code == errors.codes.cancelled then
    local id, conversation = cancelled_data(err)
    answer.cancelled(question, root, id, conversation)
    vim.notify('rlm: cancelled' .. (id and ('; partial trajectory ' .. id) or ''), vim.log.levels.INFO, { title = 'rlm' })
  elseif err then
    local message = errors.describe(err)
    answer.failed(question, root, message)
    if err.code ~= errors.exited then -- the exit was reported already, with the daemon's stderr
      vim.notify(message, vim.log.levels.ERROR, { title = 'rlm' })
    end
  elseif type(result) ~= 'table' then
    answer.failed(question, root, 'rlm: the daemon answered ' .. vim.inspect(result))
  else
    answer.answered(question, result, root)
  end
end

--- The end of a question that is no longer the one the answer buffer shows: said in a message.
local function said_elsewhere(entry, err, result)
  local question = vim.split(entry.question, '\n', { plain = true })[1]
  if err and err.code == errors.codes.cancelled then
    local id = cancelled_data(err)
    vim.notify(string.format('rlm: an earlier question was cancelled: %s%s', question, id and (' (partial trajectory ' .. id .. ')') or ''),
      vim.log.levels.INFO, { title = 'rlm' })
  elseif err then
    if err.code ~= errors.exited then
      vim.notify(string.format('%s\n(an earlier question: %s)', errors.describe(err), question), vim.log.levels.ERROR, { title = 'rlm' })
    end
  else
    local id = type(result) == 'table' and result.trajectory and (' (:RlmTrajectory ' .. tostring(result.trajectory) .. ')') or ''
    vim.notify(string.format('rlm: an earlier question was answered: %s%s', question, id), vim.log.levels.INFO, { title = 'rlm' })
  end
end

--- Sends `method` with `params` to the daemon of `root`; `question` is what the answer buffer shows.
--- A question asked while another runs takes the answer buffer; the earlier one's end is only said.
function M.send(root, method, params, question)
  local _, failure = client.ensure(root)
  if failure then
    return errors.notify(failure)
  end
  local token = progress.token()
  params.workDoneToken = token
  local entry = { question = question, root = root }
  running[token] = entry
  latest = token
  answer.begin(question, root)

  progress.watch(token, function(value, state)
    if value.kind == 'report' and token == latest then
      answer.working(progress.describe(state))
    elseif value.kind == 'end' and value.reason == 'cancelled' then
      -- Neovim 0.7's client drops the -32800 answer: the end is all we get.
      client.settle(entry.job, { code = errors.codes.cancelled, data = { trajectory = value.trajectory, conversation = value.conversation } })
    end
  end)

  entry.job = client.request(root, method, params, function(err, result)
    running[token] = nil
    progress.unwatch(token)
    if token == latest then
      show(entry, err, result)
    else
      said_elsewhere(entry, err, result)
    end
  end)
end

--- Cancels every question running; returns how many.
function M.cancel()
  local count = 0
  for _, entry in pairs(running) do
    if entry.job and not entry.cancelling then
      entry.cancelling = true
      client.cancel(entry.job)
      count = count + 1
    end
  end
  return count
end

return M
