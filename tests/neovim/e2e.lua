-- edgelint server in a real editor: Neovim (0.7, Debian's package) run headless, with the
-- client started the way docs/integrations.md tells users to (vim.lsp.start_client on 0.7).
-- Every wait has a deadline; any failure exits with status 1 (`cq`), success with 0.
local env = vim.env
local edgelint, work, expected = env.EDGELINT, env.WORK, vim.split(env.EXPECTED, ",")
local topology = work .. "/topology.yaml"

local function log(...)
  io.stderr:write(table.concat(vim.tbl_map(tostring, { ... }), " ") .. "\n")
end

local function fail(message)
  log("FAIL: " .. message)
  vim.cmd("cq")
end

local function check(ok, message)
  if not ok then
    fail(message)
  end
end

local function wait(what, condition)
  if not vim.wait(20000, condition, 50) then
    fail("timed out waiting for " .. what)
  end
end

local exit_code
local client_id = vim.lsp.start_client({
  name = "edgelint",
  cmd = { edgelint, "server", "--now", "2026-11-26T12:00:00Z" },
  root_dir = work,
  on_exit = function(code)
    exit_code = code
  end,
})
check(client_id ~= nil, "the client did not start")

local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  return buf
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, d.code)
  end
  table.sort(out)
  return out
end

-- 1. The findings of `edgelint check`.
local buf = open(topology)
wait("diagnostics", function()
  return #vim.diagnostic.get(buf) > 0
end)
local want = vim.deepcopy(expected)
table.sort(want)
check(vim.deep_equal(codes(buf), want),
  "codes " .. table.concat(codes(buf), ",") .. " instead of " .. table.concat(want, ","))
log("ok: the codes of edgelint check: " .. table.concat(codes(buf), ","))

-- 2. Hover on the first `file:` value: the certificate's subject and expiry.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local function line_of(pattern)
  for i, l in ipairs(lines) do
    local col = l:find(pattern)
    if col then
      return i, col - 1
    end
  end
  fail("no line with " .. pattern)
end
local row, col = line_of("file: ")
vim.api.nvim_win_set_cursor(0, { row, col + 8 })
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", vim.lsp.util.make_position_params(), 10000)
local text = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or ""
check(text:find("Subject: `CN=sip.contoso.com`", 1, true), "hover: " .. text)
check(text:find("expires in", 1, true), "hover without expiry: " .. text)
log("ok: hover shows the subject and the expiry")

-- 3. A suppression is offered; applied, its finding goes.
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = {} }
local answer = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000)
local actions = answer and answer[client_id] and answer[client_id].result or {}
local suppress
for _, a in ipairs(actions) do
  if a.title == "Suppress N002 on this line" then
    suppress = a
  end
end
check(suppress ~= nil, "no suppression among " .. vim.inspect(vim.tbl_map(function(a) return a.title end, actions)))
vim.lsp.util.apply_workspace_edit(suppress.edit, "utf-16")
wait("N002 to go", function()
  return not vim.tbl_contains(codes(buf), "N002")
end)
log("ok: the suppression action applied, N002 gone")

-- 4. Removing a line of the (unsaved) buffer removes the finding it caused.
lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
row = line_of("  office_web_apps:")
vim.api.nvim_buf_set_lines(buf, row - 1, row, false, {})
wait("W001 to go", function()
  return not vim.tbl_contains(codes(buf), "W001")
end)
check(vim.bo[buf].modified, "the buffer was saved")
log("ok: the unsaved edit removed W001")

-- 5. Broken YAML: T001, and the server keeps answering.
vim.api.nvim_buf_set_lines(buf, 2, 3, false, { "version: [1" })
wait("T001", function()
  return vim.tbl_contains(codes(buf), "T001")
end)
local again = vim.lsp.buf_request_sync(buf, "textDocument/hover", vim.lsp.util.make_position_params(), 10000)
check(again and again[client_id] and again[client_id].err == nil, "no answer after broken YAML")
log("ok: broken YAML is T001 and the server answers")

-- 6. Columns after characters outside the BMP (UTF-16 on the wire, bytes in Neovim).
local wide = open(work .. "/wide.yaml")
wait("diagnostics of wide.yaml", function()
  return #vim.diagnostic.get(wide) > 0
end)
local found = false
for _, d in ipairs(vim.diagnostic.get(wide)) do
  if d.message:find("`edge01`", 1, true) then
    local line = vim.api.nvim_buf_get_lines(wide, d.lnum, d.lnum + 1, false)[1]
    check(line:sub(d.col + 1, d.end_col) == "edge01", "edge01 at " .. d.col .. ": " .. line)
    found = true
  end
end
check(found, "no finding on edge01")
log("ok: columns after non-ASCII text")

-- 7. shutdown + exit: status 0.
vim.lsp.stop_client(client_id)
wait("the server to exit", function()
  return exit_code ~= nil
end)
check(exit_code == 0, "the server exited with " .. tostring(exit_code))
log("ok: shutdown and exit, status 0")
vim.cmd("qa!")
