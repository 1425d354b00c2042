-- The Neovim APIs that changed between 0.7 and 0.11, behind one name each.
local M = {}

M.uv = vim.uv or vim.loop -- vim.uv since 0.10; vim.loop stays as an alias

function M.has(feature)
  return vim.fn.has(feature) == 1
end

--- Calls a method of an LSP client. 0.11 made them methods of a class (`client:request(...)`, the
--- dot form warns that it goes away in 0.13); up to 0.10 they were fields called with a dot.
function M.call(client, name, ...)
  local class = getmetatable(client)
  if type(class) == 'table' and type(rawget(class, name)) == 'function' then
    return client[name](client, ...)
  end
  return client[name](...)
end

--- Starts an LSP client attached to no buffer; returns its id, or nil and why not.
--- `vim.lsp.start` attaches the current buffer unless told `attach = false`, which only 0.11 knows;
--- before it, `vim.lsp.start_client` (deprecated in 0.11) is the way to start a client on its own.
function M.start_client(config)
  if M.has('nvim-0.11') then
    local id = vim.lsp.start(config, { attach = false, silent = true, reuse_client = function()
      return false
    end })
    return id, id == nil and 'vim.lsp.start() could not start it (see :LspLog)' or nil
  end
  local ok, id = pcall(vim.lsp.start_client, config)
  if not ok then
    return nil, tostring(id)
  end
  return id, id == nil and 'vim.lsp.start_client() could not start it (see :LspLog)' or nil
end

--- Runs the `User <pattern>` autocommands; `data` reaches their callbacks where Neovim passes it (0.8+).
function M.user_event(pattern, data)
  local opts = { pattern = pattern, modeline = false }
  if M.has('nvim-0.8') then
    opts.data = data
  end
  vim.api.nvim_exec_autocmds('User', opts)
end

--- Opens a file or URL outside Neovim: vim.ui.open (0.10+), else xdg-open / open.
function M.open_external(path)
  if vim.ui.open then
    local _, err = vim.ui.open(path)
    return err == nil, err
  end
  local opener = M.has('mac') and 'open' or 'xdg-open'
  if vim.fn.executable(opener) == 0 then
    return false, opener .. ' is not installed'
  end
  local job = vim.fn.jobstart({ opener, path }, { detach = true })
  return job > 0, job <= 0 and ('could not run ' .. opener) or nil
end

--- Reports for :checkhealth: vim.health.start/ok/... (0.10+), vim.health.report_* (0.8, 0.9), or the
--- health#report_* functions (0.7).
function M.health()
  local health = vim.health
  if health and health.start then
    return { start = health.start, ok = health.ok, info = health.info, warn = health.warn, error = health.error }
  end
  if health and health.report_start then
    return {
      start = health.report_start,
      ok = health.report_ok,
      info = health.report_info,
      warn = health.report_warn,
      error = health.report_error,
    }
  end
  local function report(kind)
    return function(message, advice)
      if advice ~= nil then
        vim.fn['health#report_' .. kind](message, type(advice) == 'table' and advice or { advice })
      else
        vim.fn['health#report_' .. kind](message)
      end
    end
  end
  return { start = report('start'), ok = report('ok'), info = report('info'), warn = report('warn'), error = report('error') }
end

return M
