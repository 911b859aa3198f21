'use strict';
// Loads the extension's TextMate grammar the way VS Code does (vscode-textmate over the
// Oniguruma WebAssembly build) and tokenizes text line by line.
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const extensionRoot = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
const contribution = manifest.contributes.grammars.find((g) => g.language === 'concordance');

let grammarPromise;

/** The grammar contributed for the `concordance` language, loaded once. */
function loadGrammar() {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
      await oniguruma.loadWASM(wasm);
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
          createOnigString: (text) => new oniguruma.OnigString(text),
        }),
        loadGrammar: async (scopeName) => {
          if (scopeName !== contribution.scopeName) return null;
          const grammarPath = path.join(extensionRoot, contribution.path);
          return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
        },
      });
      const grammar = await registry.loadGrammar(contribution.scopeName);
      if (!grammar) throw new Error(`grammar ${contribution.scopeName} did not load from ${contribution.path}`);
      return grammar;
    })();
  }
  return grammarPromise;
}

/**
 * Tokenizes `text`; returns one entry per line: { line (1-based), text, tokens: [{ text, start, scopes }] }.
 * Scopes run from the root (`source.concordance`) to the innermost.
 */
async function tokenize(text) {
  const grammar = await loadGrammar();
  let state = vsctm.INITIAL;
  const lines = text.split(/\r?\n/);
  return lines.map((lineText, index) => {
    const result = grammar.tokenizeLine(lineText, state);
    state = result.ruleStack;
    const tokens = result.tokens.map((t) => ({
      text: lineText.substring(t.startIndex, t.endIndex),
      start: t.startIndex,
      scopes: t.scopes,
    }));
    return { line: index + 1, text: lineText, tokens };
  });
}

module.exports = { loadGrammar, tokenize, extensionRoot };
