-- Which workspace a buffer belongs to: its git work tree, else its folder.
local uv = require('rlm.compat').uv

local M = {}

local function real(path)
  return uv.fs_realpath(path) or path
end

local function parent(dir)
  local up = vim.fn.fnamemodify(dir, ':h')
  return up ~= dir and up or nil
end

--- The git work tree holding `dir` (the nearest folder with a `.git` folder or file: worktrees and
--- submodules have a file), else `dir` itself. Walks up by hand: vim.fs.find is 0.8+.
function M.find(dir)
  dir = real(dir)
  local folder = dir
  while folder do
    if uv.fs_stat(folder .. '/.git') then
      return folder
    end
    folder = parent(folder)
  end
  return dir
end

--- The file a buffer shows, as an absolute real path, or nil for buffers that are not files
--- (scratch buffers, rlm://answer, help, terminals).
function M.file(buf)
  local name = vim.api.nvim_buf_get_name(buf)
  if name == '' or vim.bo[buf].buftype ~= '' or name:match('^%a[%w+.-]*://') then
    return nil
  end
  return real(vim.fn.fnamemodify(name, ':p'))
end

--- The workspace of a buffer: that of its file, else nil.
function M.for_buffer(buf)
  local file = M.file(buf)
  if not file then
    return nil
  end
  local dir = vim.fn.fnamemodify(file, ':h')
  while dir and not uv.fs_stat(dir) do -- a new file in a folder not yet written
    dir = parent(dir)
  end
  return M.find(dir or vim.fn.getcwd())
end

--- `file` relative to `root` when it lies inside it, else as it is.
function M.relative(file, root)
  local prefix = root:sub(-1) == '/' and root or root .. '/'
  if file:sub(1, #prefix) == prefix then
    return file:sub(#prefix + 1)
  end
  return file
end

return M
