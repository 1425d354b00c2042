-- :checkhealth rlm: the executable, `rlmd doctor --json` (sandbox layers, providers) and the index state.
package.path = os.getenv('RLM_TEST_LIB') .. '/?.lua;' .. package.path
local t = require('helpers')

t.run(function()
  vim.cmd('checkhealth rlm')
  return { lines = vim.api.nvim_buf_get_lines(0, 0, -1, false) }
end)
