-- Drives `doclint lsp` from Neovim (0.7 or later) as a user would meet it, on a two-page doc set
-- written to a temporary folder: the findings appear as diagnostics on the right characters of
-- a line with é, 😀 and 中 in it, the quick fix of one is applied by Neovim and clears it, hover
-- explains the other, and the server stops when Neovim stops it.
--
-- Usage: DOCLINT=target/release/doclint nvim --headless --clean -u NONE -c "luafile scripts/lsp-nvim-check.lua"
-- Prints what it saw; the exit code is 1 when a check fails.

local failed = false
local function say(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
end
local function check(ok, what)
  say(ok and 'ok:    ' or 'FAILED:', what)
  failed = failed or not ok
end

local root = vim.fn.tempname()
vim.fn.mkdir(root, 'p')
local line = 'Café 😀 中文: see [the details](other.md#details) and [widgets](Other.md).'
vim.fn.writefile({
  '---', 'title: Delete widget', 'description: Delete a widget.', '---', '', '# Delete widget', '',
  line, '', '## Response', '', '<!-- { "blockType": "response" } -->', '```http',
  'HTTP/1.1 204 No content', '```',
}, root .. '/page.md')
vim.fn.writefile({
  '---', 'title: Widgets', 'description: What widgets are.', '---', '', '# Widgets', '',
  'Widgets are small. Deleting one: [delete](page.md).',
}, root .. '/other.md')

vim.cmd('edit ' .. root .. '/page.md')
local doclint = vim.fn.fnamemodify(os.getenv('DOCLINT') or 'doclint', ':p')
local id = vim.lsp.start_client({ name = 'doclint', cmd = { doclint, 'lsp' }, root_dir = root })
vim.lsp.buf_attach_client(0, id)
local client = vim.lsp.get_client_by_id(id)

local function by_code()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    found[d.code] = d
  end
  return found
end
vim.wait(30000, function() return by_code()['DL402'] ~= nil end, 50)
local found = by_code()
for _, d in ipairs(vim.diagnostic.get(0)) do
  say('diagnostic', d.code, 'line ' .. (d.lnum + 1), (d.message:gsub('\n.*', '')))
end
local function covers(d)
  return d and d.lnum == 7 and line:sub(d.col + 1, d.end_col) or nil
end
check(covers(found['DL403']) == '[the details](other.md#details)', 'DL403 on the link to the missing anchor')
check(covers(found['DL402']) == '[widgets](Other.md)', 'DL402 on the link written in the wrong case')
check(found['DL303'] ~= nil and found['DL303'].lnum == 13, 'DL303 on the status line')

-- The quick fix, as `vim.lsp.buf.code_action()` asks for it at the cursor.
vim.api.nvim_win_set_cursor(0, { 8, found['DL402'].col })
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics() }
local applied = false
for _, response in pairs(vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000) or {}) do
  for _, action in ipairs(response.result or {}) do
    say('code action', action.kind, action.title)
    if action.kind == 'quickfix' and action.diagnostics[1].code == 'DL402' then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      applied = true
    end
  end
end
check(applied, 'a quick fix for DL402')
check(vim.api.nvim_buf_get_lines(0, 7, 8, false)[1] == line:gsub('%(Other', '(other'), 'the fix rewrites the link')
vim.wait(10000, function() return by_code()['DL402'] == nil end, 50)
check(by_code()['DL402'] == nil and by_code()['DL403'] ~= nil, 'the fixed finding goes, the other stays')

local column = vim.str_utfindex(line, line:find('other.md#details', 1, true))
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = 7, character = column },
}, 10000) or {}
local text = ''
for _, response in pairs(hover) do
  text = text .. (response.result and response.result.contents.value or '')
end
check(text:find('DL403 link-anchor-missing', 1, true) ~= nil, 'hover explains the rule')
check(text:find('no heading or anchor there has this id', 1, true) ~= nil, 'hover says where the link leads')

client.stop()
vim.wait(5000, function() return client.is_stopped() end, 50)
check(client.is_stopped(), 'the server stops')
vim.fn.delete(root, 'rf')
vim.cmd(failed and 'cquit 1' or 'qall!')
