'use strict';
// Finds the executable that runs the Concordance language server. Plain Node (no `vscode`), so
// the tests can run it: the extension passes in the settings and the environment.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DEFAULT_COMMAND = 'concordance';
const DEFAULT_ARGS = ['lsp'];

/**
 * Resolves `concordance.server.path` to an executable file.
 * - a bare name (`concordance`) is looked up on PATH, then in `~/.dotnet/tools`, where
 *   `dotnet tool install -g` puts it (that folder is often missing from the PATH an editor sees);
 * - `~/...` is under the home folder; a relative path is resolved against the workspace folder.
 * Returns `{ command, args }`, or `{ error }` with a message that says what to do.
 */
function resolveServerCommand({ path: configured, args, workspaceFolder, env = process.env, platform = process.platform, homedir = os.homedir() }) {
  const name = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : DEFAULT_COMMAND;
  const serverArgs = Array.isArray(args) ? args.map(String) : DEFAULT_ARGS;
  const extensions = platform === 'win32' ? windowsExtensions(env) : [''];
  const pathApi = platform === 'win32' ? path.win32 : path.posix;

  const isBareName = !name.includes('/') && !(platform === 'win32' && name.includes('\\')) && !name.startsWith('~');
  const candidates = [];
  if (isBareName) {
    const searchPath = env.PATH ?? env.Path ?? '';
    for (const dir of searchPath.split(pathApi.delimiter)) {
      if (dir) candidates.push(pathApi.join(dir, name));
    }
    if (homedir) candidates.push(pathApi.join(homedir, '.dotnet', 'tools', name));
  } else {
    let full = name;
    if (full === '~' || full.startsWith('~/') || full.startsWith('~\\')) full = pathApi.join(homedir, full.slice(1));
    else if (!pathApi.isAbsolute(full) && workspaceFolder) full = pathApi.resolve(workspaceFolder, full);
    candidates.push(full);
  }

  for (const candidate of candidates) {
    for (const extension of extensions) {
      const file = candidate + extension;
      if (isExecutableFile(file, platform)) return { command: file, args: serverArgs };
    }
  }

  const where = isBareName
    ? `on PATH or in ${pathApi.join(homedir || '~', '.dotnet', 'tools')}`
    : `at ${candidates[0]}`;
  return {
    error:
      `Concordance: the language server executable '${name}' was not found ${where}. ` +
      "Install the tool with 'dotnet tool install -g Concordance.Tool', or set 'concordance.server.path' " +
      'to the concordance executable. Syntax colouring works without it; diagnostics, completion and navigation need it.',
  };
}

function windowsExtensions(env) {
  const pathext = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return ['', ...pathext.map((e) => e.toLowerCase()), ...pathext];
}

function isExecutableFile(file, platform) {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

module.exports = { resolveServerCommand, DEFAULT_COMMAND, DEFAULT_ARGS };
