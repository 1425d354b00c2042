-- doc/rlm.txt: helptags accepts it (no duplicate tags), and :help finds its tags.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  -- A copy: helptags writes a tags file beside the help file.
  local folder = os.getenv('RLM_DOC_COPY')
  vim.fn.mkdir(folder .. '/doc', 'p')
  vim.fn.writefile(vim.fn.readfile(os.getenv('RLM_PLUGIN_DIR') .. '/doc/rlm.txt'), folder .. '/doc/rlm.txt')
  vim.cmd('helptags ' .. vim.fn.fnameescape(folder .. '/doc'))
  vim.opt.rtp:prepend(folder)
  local out = { found = {}, missing = {} }
  for _, tag in ipairs(vim.split(os.getenv('RLM_HELP_TAGS'), ',', { plain = true })) do
    local ok = pcall(vim.cmd, 'help ' .. tag)
    if ok and vim.api.nvim_buf_get_name(0):match('rlm%.txt$') then
      table.insert(out.found, tag)
    else
      table.insert(out.missing, tag)
    end
  end
  out.tags = vim.fn.readfile(folder .. '/doc/tags')
  return out
end)
