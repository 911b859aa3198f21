'use strict';
// The language configuration VS Code reads: comments, brackets, pairs, indentation, Enter rules.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const language = manifest.contributes.languages.find((l) => l.id === 'concordance');
const config = JSON.parse(fs.readFileSync(path.join(root, language.configuration), 'utf8'));
/** VS Code's reading of a pattern setting: a string, or { pattern, flags }. */
const regex = (value) => (typeof value === 'string' ? new RegExp(value) : new RegExp(value.pattern, value.flags));

test('given the manifest, .concordance files are the concordance language with the grammar and the configuration', () => {
  assert.deepEqual(language.extensions, ['.concordance']);
  const grammar = manifest.contributes.grammars.find((g) => g.language === 'concordance');
  assert.equal(grammar.scopeName, 'source.concordance');
  assert.ok(fs.existsSync(path.join(root, grammar.path)), grammar.path);
  assert.ok(manifest.activationEvents.includes('onLanguage:concordance'));
  const settings = manifest.contributes.configuration.properties;
  assert.equal(settings['concordance.server.path'].default, 'concordance');
  assert.deepEqual(settings['concordance.server.args'].default, ['lsp']);
});

test('given an untrusted workspace, its settings cannot choose the server executable or its arguments', () => {
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  assert.deepEqual([...untrusted.restrictedConfigurations].sort(), ['concordance.server.args', 'concordance.server.path']);
});

test('given the configuration, // is the line comment and /* */ the block comment', () => {
  assert.equal(config.comments.lineComment, '//');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
});

test('given the configuration, braces, angle brackets and parentheses are brackets, auto-closed and surrounding', () => {
  const pairs = [['{', '}'], ['<', '>'], ['(', ')']];
  assert.deepEqual(config.brackets, pairs);
  assert.deepEqual(config.surroundingPairs, pairs);
  for (const [open, close] of pairs) {
    const pair = config.autoClosingPairs.find((p) => p.open === open);
    assert.ok(pair, `auto-closing ${open}`);
    assert.equal(pair.close, close);
    assert.deepEqual(pair.notIn, ['comment']);
  }
});

test('given a line opening a block, the next line indents; a line starting with } outdents', () => {
  const increase = regex(config.indentationRules.increaseIndentPattern);
  const decrease = regex(config.indentationRules.decreaseIndentPattern);
  assert.ok(increase.test('aggregate BankAccount {'));
  assert.ok(increase.test('    state {'));
  assert.ok(increase.test('command Open { id: string,'));
  assert.ok(!increase.test('command Open { id: string }'));
  assert.ok(!increase.test('// a comment with {'));
  assert.ok(decrease.test('}'));
  assert.ok(decrease.test('    }'));
  assert.ok(!decrease.test('    handle Open -> Opened'));
});

test('given Enter after a /// line, the doc comment continues; after //// or // it does not', () => {
  const rule = config.onEnterRules.find((r) => r.action.appendText === '/// ');
  const before = regex(rule.beforeText);
  assert.ok(before.test('/// Opens an account.'));
  assert.ok(before.test('    /// The key.'));
  assert.ok(!before.test('//// not a doc comment'));
  assert.ok(!before.test('// plain'));
});

test('given the word pattern, schema names with non-ASCII letters are one word, punctuation is not', () => {
  const word = regex(config.wordPattern);
  assert.equal('accountNumber: string'.match(word)[0], 'accountNumber');
  assert.equal('Größe_2: int'.match(word)[0], 'Größe_2');
  assert.equal('  -> Opened'.match(word)[0], 'Opened');
});
