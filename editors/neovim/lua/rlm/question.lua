-- A question on its way: rlm/ask, rlm/followUp or rlm/summarizeSession with a work-done token, its
-- progress in the answer buffer, and how it ends (answer, error, or cancelled with its partial trajectory).
local answer = require('rlm.answer')
local client = require('rlm.client')
local errors = require('rlm.errors')
local progress = require('rlm.progress')

local M = {}

local running = {} -- token -> { job, question, root, cancelling }

--- Sends `method` with `params` to the daemon of `root`; `question` is what the answer buffer shows.
function M.send(root, method, params, question)
  local _, failure = client.ensure(root)
  if failure then
    return errors.notify(failure)
  end
  local token = progress.token()
  params.workDoneToken = token
  local entry = { question = question, root = root }
  running[token] = entry
  answer.begin(question, root)

  local function finished()
    running[token] = nil
    progress.unwatch(token)
  end

  progress.watch(token, function(value, state)
    if value.kind == 'report' then
      answer.working(progress.describe(state))
    elseif value.kind == 'end' and value.reason == 'cancelled' then
      -- Neovim 0.7's client drops the -32800 answer: the end is all we get.
      client.settle(entry.job, { code = errors.codes.cancelled, data = { trajectory = value.trajectory, conversation = value.conversation } })
    end
  end)

  entry.job = client.request(root, method, params, function(err, result)
    finished()
    if err and err.code == errors.codes.cancelled then
      local data = type(err.data) == 'table' and err.data or {}
      answer.cancelled(question, root, data.trajectory, data.conversation)
      local id = data.trajectory and data.trajectory ~= vim.NIL and (' partial trajectory ' .. tostring(data.trajectory)) or ''
      vim.notify('rlm: cancelled;' .. id, vim.log.levels.INFO, { title = 'rlm' })
    elseif err then
      local message = errors.describe(err)
      answer.failed(question, root, message)
      vim.notify(message, vim.log.levels.ERROR, { title = 'rlm' })
    elseif type(result) ~= 'table' then
      answer.failed(question, root, 'rlm: the daemon answered ' .. vim.inspect(result))
    else
      answer.answered(question, result, root)
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

function M.count()
  return vim.tbl_count(running)
end

return M
