-- :RlmAsk (a question, then a linewise and a characterwise selection), the answer buffer, the quickfix
-- list, <CR> on a citation, progress, :RlmFollowUp, :RlmTrajectory (buffer and HTML), :RlmStatus,
-- :RlmReindex, and that no buffer gets the rlmd client.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  local progress = t.record_progress()
  -- What Neovim's own $/progress handler made of rlmd's reports: the events fidget.nvim listens to
  -- (0.7: User LspProgressUpdate; 0.10+: LspProgress) and vim.lsp.status().
  local builtin = { events = {}, status = {} }
  vim.api.nvim_create_autocmd('User', { pattern = 'LspProgressUpdate', callback = function()
    table.insert(builtin.events, 'LspProgressUpdate')
  end })
  if vim.fn.exists('##LspProgress') == 1 then
    vim.api.nvim_create_autocmd('LspProgress', { callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      table.insert(builtin.events, string.format('LspProgress %s %s', client and client.name, args.data.params.value.kind))
      table.insert(builtin.status, vim.lsp.status())
    end })
  end
  local answer = require('rlm.answer')
  local out = {}

  vim.cmd('edit src/app.py')
  local origin = vim.api.nvim_get_current_win()
  -- No question given: it is asked for (vim.ui.input, answered here as a user would).
  local typed = 'Where is retry defined?'
  vim.ui.input = function(opts, on_confirm)
    out.prompt = opts.prompt
    on_confirm(typed)
  end
  vim.cmd('RlmAsk')
  out.focus_on_answer = vim.api.nvim_buf_get_name(0) == 'rlm://answer'
  t.wait('the answer', function()
    return answer.current ~= nil
  end)
  local buf = t.buffer('rlm://answer')
  out.answer = t.lines('rlm://answer')
  out.options = { filetype = vim.bo[buf].filetype, buftype = vim.bo[buf].buftype, modifiable = vim.bo[buf].modifiable,
    listed = vim.bo[buf].buflisted }
  out.quickfix = t.quickfix()
  out.quickfix_title = vim.fn.getqflist({ title = 1 }).title
  out.progress = progress
  out.builtin = builtin
  out.nvim = { vim.version().major, vim.version().minor }
  out.first = { trajectory = answer.current.trajectory, conversation = answer.current.conversation }

  -- <CR> on the src/app.py:5 citation opens it in the window the question was asked from.
  local answer_win = vim.fn.bufwinid(buf)
  vim.api.nvim_set_current_win(answer_win)
  vim.api.nvim_win_set_cursor(answer_win, { t.find_line('rlm://answer', '`src/app.py:5`'), 0 })
  vim.cmd('execute "normal \\<CR>"')
  out.jump = { file = vim.api.nvim_buf_get_name(0), line = vim.api.nvim_win_get_cursor(0)[1], in_origin = vim.api.nvim_get_current_win() == origin }
  -- and on the unresolved one it says so.
  vim.api.nvim_set_current_win(answer_win)
  vim.api.nvim_win_set_cursor(answer_win, { t.find_line('rlm://answer', '`src/gone.py:3`'), 0 })
  local before = #t.notifications
  vim.cmd('execute "normal \\<CR>"')
  out.unresolved_jump = t.notified('src/gone.py:3', before)
  out.still_in_answer = vim.api.nvim_get_current_win() == answer_win

  -- A follow-up continues the conversation.
  vim.cmd('RlmFollowUp How many attempts?')
  t.wait('the follow-up answer', function()
    return answer.current.question == 'How many attempts?'
  end)
  out.follow_up = { lines = t.lines('rlm://answer'), conversation = answer.current.conversation, trajectory = answer.current.trajectory }
  out.answer_buffers = #vim.tbl_filter(function(b)
    return vim.api.nvim_buf_get_name(b) == 'rlm://answer'
  end, vim.api.nvim_list_bufs())

  -- The trajectory of the first answer, in a buffer.
  vim.cmd('RlmTrajectory ' .. out.first.trajectory)
  t.wait('the trajectory buffer', function()
    return #t.lines('rlm://trajectory') > 1
  end)
  out.trajectory = t.lines('rlm://trajectory')

  -- The HTML viewer: opened in the "browser" when this rlmd writes one, else said to be unavailable.
  local opened = {}
  require('rlm').setup({ browser = function(path)
    table.insert(opened, path)
    return true
  end })
  before = #t.notifications
  vim.cmd('RlmTrajectory! ' .. out.first.trajectory)
  t.wait('the HTML viewer or the message that it is unavailable', function()
    return #opened > 0 or t.notified('HTML trajectory viewer is unavailable', before) ~= nil
  end)
  out.html = { opened = opened, unavailable = t.notified('HTML trajectory viewer is unavailable', before) ~= nil,
    trajectory_shown = #t.lines('rlm://trajectory') > 1 }

  -- q closes the trajectory window.
  local trajectory_win = vim.fn.bufwinid(t.buffer('rlm://trajectory'))
  vim.api.nvim_set_current_win(trajectory_win)
  local windows = #vim.api.nvim_tabpage_list_wins(0)
  vim.cmd('normal q')
  out.q_closed = not vim.api.nvim_win_is_valid(trajectory_win) and #vim.api.nvim_tabpage_list_wins(0) == windows - 1

  -- A linewise selection: its text and path:start-end go to the model.
  vim.cmd('edit src/retry.py')
  vim.cmd('normal! ggVj\27')
  vim.cmd("'<,'>RlmAsk What does this do?")
  t.wait('the answer about the selection', function()
    return answer.current.question:find('What does this do?', 1, true) ~= nil
  end)
  out.selection_answer = t.lines('rlm://answer')

  -- A characterwise one, through the <Plug>(RlmAsk) Visual mapping: only the selected characters.
  vim.cmd('edit src/retry.py')
  vim.keymap.set('x', '<F5>', '<Plug>(RlmAsk)')
  typed = 'Which name is this?'
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('gg0wvf(<F5>', true, false, true), 'x', false)
  t.wait('the answer about the characters', function()
    return answer.current.question:find('Which name is this?', 1, true) ~= nil
  end)

  before = #t.notifications
  vim.cmd('RlmStatus')
  out.status = t.wait_notified('index ready', before).message
  before = #t.notifications
  vim.cmd('RlmReindex')
  out.reindex = t.wait_notified('rlm: indexed', before).message

  -- A file opened after the questions gets no LSP client; the one rlmd client has no buffer.
  vim.cmd('edit README.md')
  local ids = {}
  for _, root in ipairs(require('rlm.client').roots()) do
    table.insert(ids, require('rlm.client').info(root).client_id)
  end
  out.daemons = #ids
  local rlmd = vim.lsp.get_client_by_id(ids[1])
  local buffers = rlmd.attached_buffers and vim.tbl_keys(rlmd.attached_buffers) or vim.lsp.get_buffers_by_client_id(ids[1])
  out.client = { name = rlmd.name, attached = #buffers }
  out.attached = { readme = t.attached(0), app = t.attached(vim.fn.bufnr('src/app.py')) }
  out.statusline_after = require('rlm').statusline()

  -- Writing a new file of the workspace refreshes the daemon's index (textDocument/didSave).
  local root = require('rlm.client').roots()[1]
  local function files()
    local _, status = require('rlm.client').request_sync(root, 'rlm/status', vim.empty_dict(), 5000)
    return status.files
  end
  out.files_before = files()
  vim.cmd('edit src/extra.py')
  vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'EXTRA = 1' })
  vim.cmd('write')
  t.wait('the index to take in the written file', function()
    return files() == out.files_before + 1
  end, 10000)
  return out
end)
