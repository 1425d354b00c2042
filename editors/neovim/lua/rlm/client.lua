-- One `rlmd serve --stdio` per workspace root, started on first use through Neovim's LSP client (named
-- `rlmd`, attached to no buffer unless `attach` is set, so the user's language servers are untouched).
-- Requests wait until the daemon has answered `initialize`; when it exits, whatever waited fails with
-- the last lines of its stderr, and the next request starts a new one.
local compat = require('rlm.compat')
local config = require('rlm.config')
local errors = require('rlm.errors')
local progress = require('rlm.progress')
local roots = require('rlm.root')

local M = {}

local daemons = {} -- root -> { root, id, client, ready, queue, pending, files, stopping, exited }
local STDERR_LINES = 12

--- The command line, or nil when the executable is missing. Neovim's client writes a server's stderr
--- to its LSP log only, so a shell sends it to a file of ours, and writes its pid to another (its `exec`
--- keeps the pid; Neovim 0.11's client no longer tells it).
local function command(options, files)
  local exe = vim.fn.exepath(options.cmd)
  if exe == '' then
    return nil
  end
  local argv = vim.list_extend({ exe, 'serve', '--stdio' }, options.args)
  if compat.has('win32') or vim.fn.executable('sh') == 0 then
    return argv
  end
  local script = 'echo $$ >"$1"; exec 2>"$2"; shift 2; exec "$@"'
  return vim.list_extend({ 'sh', '-c', script, 'rlmd', files .. '.pid', files .. '.stderr' }, argv)
end

local function stderr_tail(path)
  local ok, lines = pcall(vim.fn.readfile, path, '', -STDERR_LINES)
  if not ok then
    return {}
  end
  while #lines > 0 and lines[#lines] == '' do
    table.remove(lines)
  end
  return lines
end

local function finish(job, err, result)
  if job.done then
    return
  end
  job.done = true
  if job.daemon and job.id then
    job.daemon.pending[job.id] = nil
  end
  job.handler(err, result)
end

-- The client object on_init gave (0.7's get_client_by_id knows it only once on_init has returned).
local function lsp_client(daemon)
  return daemon.client or vim.lsp.get_client_by_id(daemon.id)
end

local function send(daemon, job)
  local client = lsp_client(daemon)
  local ok, id = false, nil
  if client then
    ok, id = compat.call(client, 'request', job.method, job.params, function(err, result)
      finish(job, err, result)
    end)
  end
  if not ok then
    return finish(job, { code = errors.exited, message = 'rlm: rlmd is not running (it stopped); run the command again' })
  end
  job.id = id
  daemon.pending[id] = job
end

local function attach(daemon, buf)
  if vim.api.nvim_buf_is_loaded(buf) and roots.for_buffer(buf) == daemon.root and not vim.lsp.buf_is_attached(buf, daemon.id) then
    vim.lsp.buf_attach_client(buf, daemon.id)
  end
end

local function on_ready(daemon, client)
  daemon.client = client
  daemon.ready = true
  if config.get().attach then
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      attach(daemon, buf)
    end
  end
  local queue = daemon.queue
  daemon.queue = {}
  for _, job in ipairs(queue) do
    send(daemon, job)
  end
end

-- Where the daemon writes its log (with the environment it was given).
local function log_path()
  local env = config.get().env
  local state = env.XDG_STATE_HOME or os.getenv('XDG_STATE_HOME') or ((env.HOME or os.getenv('HOME') or '~') .. '/.local/state')
  return state .. '/rlmd/rlmd.log'
end

local function how(code, signal)
  if signal and signal ~= 0 then
    return 'was killed by signal ' .. signal
  end
  return 'exited with status ' .. tostring(code)
end

local function on_exit(daemon, code, signal)
  daemon.exited = true
  if daemons[daemon.root] == daemon then
    daemons[daemon.root] = nil
  end
  progress.forget_client(daemon.id)
  local lines = stderr_tail(daemon.files .. '.stderr')
  os.remove(daemon.files .. '.stderr')
  os.remove(daemon.files .. '.pid')
  local message = 'rlm: rlmd stopped before it answered'
  if not daemon.stopping then
    message = string.format('rlm: rlmd (workspace %s) %s.', daemon.root, how(code, signal))
    if #lines > 0 then
      message = message .. ' The last lines of its stderr:\n' .. table.concat(lines, '\n')
    else
      message = message .. ' It wrote nothing to stderr; its log is ' .. log_path() .. '.'
    end
    message = message .. '\nThe next :Rlm command starts it again.'
    if vim.v.exiting == vim.NIL then
      vim.notify(message, vim.log.levels.ERROR, { title = 'rlm' })
    end
  end
  local waiting = daemon.queue
  for _, job in pairs(daemon.pending) do
    table.insert(waiting, job)
  end
  daemon.queue, daemon.pending = {}, {}
  for _, job in ipairs(waiting) do
    finish(job, { code = errors.exited, message = message })
  end
end

local function start(root)
  local options = config.get()
  local files = vim.fn.tempname()
  local cmd = command(options, files)
  if not cmd then
    return nil, errors.missing_daemon(options.cmd)
  end
  local daemon = { root = root, ready = false, queue = {}, pending = {}, files = files }
  local id, why = compat.start_client({
    name = 'rlmd',
    cmd = cmd,
    cmd_cwd = root,
    cmd_env = next(options.env) and options.env or nil,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = config.initialization_options(options),
    handlers = { ['$/progress'] = progress.handler },
    on_init = function(client)
      on_ready(daemon, client)
    end,
    on_exit = function(code, signal)
      -- Called from the process's exit callback, where most of the API may not run.
      vim.schedule(function()
        on_exit(daemon, code, signal)
      end)
    end,
  })
  if not id then
    return nil, { code = errors.exited, message = 'rlm: could not start rlmd: ' .. tostring(why) }
  end
  daemon.id = id
  daemons[root] = daemon
  return daemon
end

--- The daemon of `root`, started when none runs; nil and an error when it cannot start.
function M.ensure(root)
  local daemon = daemons[root]
  if daemon then
    return daemon
  end
  return start(root)
end

--- The running daemon of `root`, if any (never starts one).
function M.running(root)
  return daemons[root]
end

--- Sends `method` to the daemon of `root` (starting it); `handler(err, result)` runs exactly once.
--- Returns the job, for M.cancel.
function M.request(root, method, params, handler)
  local job = { method = method, params = params, handler = handler, root = root }
  local daemon, err = M.ensure(root)
  if not daemon then
    finish(job, err)
    return job
  end
  job.daemon = daemon
  if daemon.ready then
    send(daemon, job)
  else
    table.insert(daemon.queue, job)
  end
  return job
end

--- The same, waiting up to `timeout_ms` for the answer (for :checkhealth); returns err, result.
function M.request_sync(root, method, params, timeout_ms)
  local answered, err, result = false, nil, nil
  local job = M.request(root, method, params, function(e, r)
    answered, err, result = true, e, r
  end)
  if not vim.wait(timeout_ms, function()
    return answered
  end, 10) then
    M.cancel(job)
    return { code = errors.exited, message = string.format('rlm: rlmd did not answer %s within %d ms', method, timeout_ms) }
  end
  return err, result
end

--- Asks the daemon to cancel `job` (`$/cancelRequest`); a job not yet sent ends at once.
function M.cancel(job)
  if job.done then
    return
  end
  local daemon = job.daemon
  if not job.id then
    for i, queued in ipairs(daemon and daemon.queue or {}) do
      if queued == job then
        table.remove(daemon.queue, i)
        break
      end
    end
    return finish(job, { code = errors.codes.cancelled, message = 'cancelled before it was sent' })
  end
  local client = lsp_client(daemon)
  if client then
    compat.call(client, 'cancel_request', job.id)
  end
end

--- Ends `job` with `err` now: the answer of a cancelled request never reaches us on Neovim 0.7 (its
--- client drops -32800 answers), so the question ends on the progress `end` instead.
function M.settle(job, err)
  finish(job, err)
end

--- Sends a notification to the daemon of `root` when one is running and ready.
function M.notify(root, method, params)
  local daemon = daemons[root]
  local client = daemon and daemon.ready and lsp_client(daemon)
  if client then
    compat.call(client, 'notify', method, params)
  end
end

--- Stops the daemon of `root` (shutdown, then exit); calls `done()` once it has exited.
function M.stop(root, done)
  local daemon = daemons[root]
  if not daemon then
    return done and done()
  end
  daemon.stopping = true
  daemons[root] = nil
  local client = lsp_client(daemon)
  if client then
    compat.call(client, 'stop')
  end
  if done then
    vim.wait(5000, function()
      return daemon.exited
    end, 20)
    done()
  end
end

function M.roots()
  local list = vim.tbl_keys(daemons)
  table.sort(list)
  return list
end

--- What is known of the daemon of `root`: { root, client_id, pid, ready } or nil.
function M.info(root)
  local daemon = daemons[root]
  if not daemon then
    return nil
  end
  local ok, written = pcall(vim.fn.readfile, daemon.files .. '.pid')
  local pid = ok and tonumber(written[1])
  if not pid then
    local client = lsp_client(daemon)
    pid = client and type(client.rpc) == 'table' and client.rpc.pid or nil
  end
  return { root = root, client_id = daemon.id, pid = pid, ready = daemon.ready }
end

-- The running daemon of the workspace of a file buffer, if any.
local function daemon_of(buf)
  local root = roots.for_buffer(buf)
  return root and daemons[root]
end

--- BufWritePost: a written file of a workspace whose daemon runs refreshes its index (`textDocument/didSave`;
--- attached buffers send it through Neovim's client already).
function M.saved(buf)
  local daemon = config.get().notify_saves and daemon_of(buf)
  if daemon and not vim.lsp.buf_is_attached(buf, daemon.id) then
    M.notify(daemon.root, 'textDocument/didSave', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  end
end

--- BufEnter with `attach` set: buffers of a running daemon's workspace are attached to it.
function M.entered(buf)
  local daemon = config.get().attach and daemon_of(buf)
  if daemon and daemon.ready then
    attach(daemon, buf)
  end
end

return M
