-- The plugin's read-only scratch buffers (rlm://answer, rlm://trajectory): found by name, reused, shown
-- in a window of the current tab page.
local config = require('rlm.config')

local M = {}

--- The buffer named `name`, created on first use: unlisted, no file, no swap file, not modifiable.
function M.buffer(name, filetype)
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(buf) == name then
      return buf
    end
  end
  local buf = vim.api.nvim_create_buf(false, true) -- scratch: buftype=nofile, bufhidden=hide, noswapfile
  vim.api.nvim_buf_set_name(buf, name)
  vim.bo[buf].filetype = filetype
  vim.bo[buf].modifiable = false
  vim.keymap.set('n', 'q', function()
    M.close(buf)
  end, { buffer = buf, nowait = true, silent = true, desc = 'rlm: close this window' })
  return buf
end

--- Replaces the text of `buf` (modifiable only while it is written).
function M.set_lines(buf, lines)
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
end

--- A window of the current tab page showing `buf`, if any.
function M.window(buf)
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_buf(win) == buf then
      return win
    end
  end
end

--- Shows `buf` (in its window, else one opened with the `answer_window` command); enters it when
--- `focus`, else leaves the cursor where it was. Returns the window.
function M.show(buf, focus)
  local win = M.window(buf)
  if not win then
    local from = vim.api.nvim_get_current_win()
    local ok, err = pcall(vim.cmd, config.get().answer_window)
    if not ok then
      vim.notify('rlm: answer_window ' .. vim.inspect(config.get().answer_window) .. ' failed (' .. tostring(err) .. '); using botright split',
        vim.log.levels.WARN)
      vim.cmd('botright split')
    end
    win = vim.api.nvim_get_current_win()
    vim.api.nvim_win_set_buf(win, buf)
    vim.wo[win].wrap = true
    vim.wo[win].linebreak = true
    if not focus and vim.api.nvim_win_is_valid(from) then
      vim.api.nvim_set_current_win(from)
    end
  elseif focus then
    vim.api.nvim_set_current_win(win)
  end
  return win
end

--- `q`: closes the window, or shows another buffer when it is the last one.
function M.close(buf)
  local win = M.window(buf)
  if not win then
    return
  end
  if #vim.api.nvim_tabpage_list_wins(0) > 1 or #vim.api.nvim_list_tabpages() > 1 then
    vim.api.nvim_win_close(win, false)
  else
    vim.api.nvim_win_call(win, function()
      vim.cmd('enew')
    end)
  end
end

return M
