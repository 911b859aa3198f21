'use strict';
// How the client finds the language server: concordance.server.path and .args.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { resolveServerCommand } = require('../server-command');

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concordance-vscode-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in `concordance` that prints its arguments, so the test can run what was resolved. */
function fakeTool(dir, name = 'concordance') {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\necho "args: $*"\n', { mode: 0o755 });
  return file;
}

test('given the default settings and concordance on PATH, the server is concordance lsp from PATH', (t) => {
  const bin = tempDir(t);
  const tool = fakeTool(bin);
  const resolved = resolveServerCommand({ path: 'concordance', args: ['lsp'], env: { PATH: `/nonexistent:${bin}` }, homedir: tempDir(t) });
  assert.deepEqual(resolved, { command: tool, args: ['lsp'] });
  const run = spawnSync(resolved.command, resolved.args, { encoding: 'utf8' });
  assert.equal(run.stdout.trim(), 'args: lsp');
});

test('given unset settings, the defaults are concordance and lsp', (t) => {
  const bin = tempDir(t);
  const tool = fakeTool(bin);
  assert.deepEqual(resolveServerCommand({ path: undefined, args: undefined, env: { PATH: bin }, homedir: tempDir(t) }), { command: tool, args: ['lsp'] });
});

test('given concordance only in ~/.dotnet/tools, where dotnet tool install -g puts it, the server is found there', (t) => {
  const home = tempDir(t);
  const tools = path.join(home, '.dotnet', 'tools');
  fs.mkdirSync(tools, { recursive: true });
  const tool = fakeTool(tools);
  assert.deepEqual(resolveServerCommand({ path: 'concordance', args: ['lsp'], env: { PATH: '/usr/bin' }, homedir: home }), { command: tool, args: ['lsp'] });
});

test('given a path relative to the workspace and custom args, both are used', (t) => {
  const workspace = tempDir(t);
  fs.mkdirSync(path.join(workspace, 'tools'));
  const tool = fakeTool(path.join(workspace, 'tools'), 'my-concordance');
  const resolved = resolveServerCommand({ path: './tools/my-concordance', args: ['lsp', '--log', 'trace'], workspaceFolder: workspace, env: { PATH: '' } });
  assert.deepEqual(resolved, { command: tool, args: ['lsp', '--log', 'trace'] });
  assert.equal(spawnSync(resolved.command, resolved.args, { encoding: 'utf8' }).stdout.trim(), 'args: lsp --log trace');
});

test('given a path under ~, it is read from the home folder', (t) => {
  const home = tempDir(t);
  const tool = fakeTool(home);
  assert.deepEqual(resolveServerCommand({ path: '~/concordance', args: ['lsp'], env: { PATH: '' }, homedir: home }), { command: tool, args: ['lsp'] });
});

test('given no concordance anywhere, the error says where it looked and how to install the tool or set the path', (t) => {
  const home = tempDir(t);
  const resolved = resolveServerCommand({ path: 'concordance', args: ['lsp'], env: { PATH: tempDir(t) }, homedir: home });
  assert.equal(resolved.command, undefined);
  assert.match(resolved.error, /'concordance' was not found on PATH or in .*\.dotnet.tools/);
  assert.match(resolved.error, /dotnet tool install -g Concordance\.Tool/);
  assert.match(resolved.error, /concordance\.server\.path/);
});

test('given a configured path that does not exist, the error names that path', (t) => {
  const workspace = tempDir(t);
  const resolved = resolveServerCommand({ path: 'bin/concordance', args: ['lsp'], workspaceFolder: workspace, env: { PATH: '' } });
  assert.match(resolved.error, new RegExp(`was not found at ${path.join(workspace, 'bin', 'concordance').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

test('given a file that is not executable, it is not taken for the server', (t) => {
  const bin = tempDir(t);
  fs.writeFileSync(path.join(bin, 'concordance'), 'not a program', { mode: 0o644 });
  assert.ok(resolveServerCommand({ path: 'concordance', args: ['lsp'], env: { PATH: bin }, homedir: tempDir(t) }).error);
});
