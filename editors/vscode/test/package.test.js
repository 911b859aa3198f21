'use strict';
// Builds the .vsix with @vscode/vsce as a user would (`npx vsce package`) and checks what it
// holds: what VS Code loads, the runtime dependencies, and nothing of the tests or build tools.
// The package is left beside package.json (concordance-<version>.vsix) for installing.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { spawnSync } = require('node:child_process');
const { readZip } = require('./zip');

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsixPath = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
let entries;

test.before(() => {
  fs.rmSync(vsixPath, { force: true });
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const run = spawnSync(process.execPath, [vsce, 'package', '--out', vsixPath], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  assert.equal(run.status, 0, `vsce package failed:\n${run.stdout}\n${run.stderr}`);
  entries = readZip(vsixPath);
});

test('given vsce package, the .vsix holds the manifest, client, grammar, language configuration, readme, changelog and license', () => {
  for (const name of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/extension.js',
    'extension/server-command.js',
    'extension/syntaxes/concordance.tmLanguage.json',
    'extension/language-configuration.json',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
  ]) {
    assert.ok(entries.has(name), `${name} is in the .vsix`);
  }
  const packaged = JSON.parse(entries.get('extension/package.json').toString('utf8'));
  assert.equal(packaged.name, 'concordance');
  assert.equal(packaged.publisher, manifest.publisher);
  assert.equal(packaged.version, manifest.version);
  assert.deepEqual(packaged.contributes, manifest.contributes);
  assert.equal(
    entries.get('extension/syntaxes/concordance.tmLanguage.json').toString('utf8'),
    fs.readFileSync(path.join(root, 'syntaxes', 'concordance.tmLanguage.json'), 'utf8'),
  );
  assert.match(entries.get('extension.vsixmanifest').toString('utf8'), new RegExp(`Id="concordance" Version="${manifest.version.replace(/\./g, '\\.')}" Publisher="${manifest.publisher}"`));
});

test('given vsce package, the language client and its runtime dependencies are in the .vsix', () => {
  for (const name of [
    'extension/node_modules/vscode-languageclient/node.js',
    'extension/node_modules/vscode-languageclient/package.json',
    'extension/node_modules/vscode-languageserver-protocol/package.json',
    'extension/node_modules/vscode-jsonrpc/package.json',
  ]) {
    assert.ok(entries.has(name), `${name} is in the .vsix`);
  }
});

test('given vsce package, the tests, the lock file and the dev tools (vsce, vscode-textmate, vscode-oniguruma) are not in the .vsix', () => {
  const names = [...entries.keys()];
  for (const excluded of ['extension/test/', 'extension/node_modules/@vscode/', 'extension/node_modules/vscode-textmate/', 'extension/node_modules/vscode-oniguruma/', 'extension/package-lock.json', 'extension/.npmrc']) {
    assert.deepEqual(names.filter((n) => n.startsWith(excluded)), [], `${excluded} is left out`);
  }
  assert.deepEqual(names.filter((n) => n.endsWith('.vsix')), []);
});

test('given the unpacked .vsix, extension.js loads with only what the package holds and activates against a stand-in editor', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concordance-vsix-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of entries) {
    if (name.endsWith('/')) continue;
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  const extensionDir = path.join(dir, 'extension');

  // 'vscode' is the editor's own module; everything else must resolve inside the unpacked package.
  const shown = [];
  const vscode = standInEditor(shown);
  const resolve = Module._resolveFilename;
  const outside = [];
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'vscode') return 'vscode';
    const resolved = resolve.call(this, request, parent, ...rest);
    if (path.isAbsolute(resolved) && !resolved.startsWith(extensionDir)) outside.push(`${request} -> ${resolved}`);
    return resolved;
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
  t.after(() => {
    Module._resolveFilename = resolve;
    delete require.cache.vscode;
  });

  const extension = require(path.join(extensionDir, 'extension.js'));
  assert.equal(typeof extension.activate, 'function');
  assert.equal(typeof extension.deactivate, 'function');
  assert.deepEqual(outside, [], 'every module the extension loads comes from the .vsix');

  // No concordance executable where the stand-in settings point: activation shows the error.
  await extension.activate({ subscriptions: [] });
  assert.equal(shown.length, 1);
  assert.match(shown[0], /the language server executable '.*concordance-not-installed' was not found/);
  await extension.deactivate();
});

/**
 * The part of the `vscode` API the extension touches at activation, recording error messages.
 * The language client subclasses editor types when it loads (CompletionItem, …): any other name
 * reads as an empty class.
 */
function standInEditor(shown) {
  const disposable = { dispose() {} };
  const api = {
    window: {
      createOutputChannel: () => ({ appendLine() {}, append() {}, show() {}, dispose() {} }),
      // Like a notification nobody has dismissed yet: activation must not wait for it.
      showErrorMessage: (message) => {
        shown.push(message);
        return new Promise(() => {});
      },
    },
    commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
    workspace: {
      workspaceFolders: undefined,
      onDidChangeConfiguration: () => disposable,
      getConfiguration: () => ({
        get: (key) => ({ path: path.join(os.tmpdir(), 'concordance-not-installed'), args: ['lsp'] })[key],
      }),
      createFileSystemWatcher: () => ({ dispose() {}, onDidCreate() {}, onDidChange() {}, onDidDelete() {} }),
    },
  };
  return new Proxy(api, { get: (target, name) => (name in target ? target[name] : class {}) });
}
