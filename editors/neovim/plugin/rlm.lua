-- rlm.nvim: commands and <Plug> mappings. Nothing is loaded, and no daemon started, until one is used.
if vim.g.loaded_rlm == 1 then
  return
end
vim.g.loaded_rlm = 1

if vim.fn.has('nvim-0.7') == 0 then
  vim.api.nvim_echo({ { 'rlm.nvim needs Neovim 0.7 or newer', 'ErrorMsg' } }, true, {})
  return
end

local function command(name, run, opts)
  opts.desc = opts.desc or name
  vim.api.nvim_create_user_command(name, function(args)
    run(require('rlm'), args)
  end, opts)
end

command('RlmAsk', function(rlm, args)
  rlm.ask(args.args, args.range > 0 and { line1 = args.line1, line2 = args.line2 } or nil)
end, { nargs = '*', range = true, desc = 'rlm: ask about this repository (with a range: about those lines)' })

command('RlmFollowUp', function(rlm, args)
  rlm.follow_up(args.args)
end, { nargs = '*', desc = "rlm: ask on in the current answer's conversation" })

command('RlmSummarize', function(rlm, args)
  rlm.summarize(args.args)
end, { nargs = '?', complete = 'file', desc = 'rlm: summarize an AI-coding session (a file, or pick one)' })

command('RlmReindex', function(rlm)
  rlm.reindex()
end, { nargs = 0, desc = "rlm: refresh the workspace's index" })

command('RlmStatus', function(rlm)
  rlm.status()
end, { nargs = 0, desc = 'rlm: index state, running questions, spend' })

command('RlmCancel', function(rlm)
  rlm.cancel()
end, { nargs = 0, desc = 'rlm: cancel the running question' })

command('RlmTrajectory', function(rlm, args)
  rlm.trajectory(args.args, args.bang)
end, { nargs = '?', bang = true, desc = 'rlm: what a question did, turn by turn (!: in the HTML viewer)' })

command('RlmRestart', function(rlm)
  rlm.restart()
end, { nargs = 0, desc = "rlm: restart the workspace's daemon" })

command('RlmStop', function(rlm, args)
  rlm.stop(args.bang)
end, { nargs = 0, bang = true, desc = "rlm: stop the workspace's daemon (!: every daemon)" })

-- <Plug> mappings for the user to bind; the plugin binds no keys itself.
local plugs = {
  { '(RlmAsk)', '<Cmd>RlmAsk<CR>' },
  { '(RlmFollowUp)', '<Cmd>RlmFollowUp<CR>' },
  { '(RlmSummarize)', '<Cmd>RlmSummarize<CR>' },
  { '(RlmCancel)', '<Cmd>RlmCancel<CR>' },
  { '(RlmTrajectory)', '<Cmd>RlmTrajectory<CR>' },
  { '(RlmStatus)', '<Cmd>RlmStatus<CR>' },
  { '(RlmReindex)', '<Cmd>RlmReindex<CR>' },
}
for _, plug in ipairs(plugs) do
  vim.keymap.set('n', '<Plug>' .. plug[1], plug[2], { silent = true, desc = 'rlm: ' .. plug[1] })
end
-- In Visual mode `:` inserts the '<,'> range: the selection goes with the question.
vim.keymap.set('x', '<Plug>(RlmAsk)', ':RlmAsk<CR>', { silent = true, desc = 'rlm: ask about the selection' })

-- Only once a daemon runs (the client module is loaded): written files refresh its index, and with
-- `attach` set, buffers of its workspace are attached to it.
local group = vim.api.nvim_create_augroup('rlm', { clear = true })
for event, handler in pairs({ BufWritePost = 'saved', BufEnter = 'entered' }) do
  vim.api.nvim_create_autocmd(event, {
    group = group,
    callback = function(args)
      if package.loaded['rlm.client'] then
        require('rlm.client')[handler](args.buf)
      end
    end,
  })
end
