'use strict';
// The VS Code client: starts `concordance lsp` (configurable) over stdio and hands it every
// .concordance file. Colouring comes from the TextMate grammar and works without the server.
const vscode = require('vscode');
const { LanguageClient, TransportKind, State } = require('vscode-languageclient/node');
const { resolveServerCommand } = require('./server-command');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel('Concordance');
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('concordance.restartServer', () => restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('concordance.server')) restart();
    }),
  );
  await start();
}

async function deactivate() {
  await stop();
}

async function start() {
  const settings = vscode.workspace.getConfiguration('concordance.server');
  const folder = vscode.workspace.workspaceFolders?.[0];
  const resolved = resolveServerCommand({
    path: settings.get('path'),
    args: settings.get('args'),
    workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
  });
  if (resolved.error) {
    output.appendLine(resolved.error);
    // Not awaited: activation must not wait for the user to dismiss the notification.
    vscode.window.showErrorMessage(resolved.error, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') {
        vscode.commands.executeCommand('workbench.action.openSettings', 'concordance.server.path');
      }
    });
    return;
  }

  output.appendLine(`Starting the language server: ${[resolved.command, ...resolved.args].join(' ')}`);
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = {
    command: resolved.command,
    args: resolved.args,
    transport: TransportKind.stdio,
    options: folder?.uri.scheme === 'file' ? { cwd: folder.uri.fsPath } : undefined,
  };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'concordance' },
      { scheme: 'untitled', language: 'concordance' },
    ],
    synchronize: {
      // Schema files and lock files changed outside the editor (git checkout, the lock update).
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{concordance,concordance.lock}'),
    },
    outputChannel: output,
  };
  client = new LanguageClient('concordance', 'Concordance Language Server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = `Concordance: the language server '${resolved.command} ${resolved.args.join(' ')}' failed to start: ${error?.message ?? error}`;
    output.appendLine(message);
    vscode.window.showErrorMessage(message);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`Stopping the language server: ${error?.message ?? error}`);
    }
  }
}

async function restart() {
  await stop();
  await start();
}

module.exports = { activate, deactivate };
