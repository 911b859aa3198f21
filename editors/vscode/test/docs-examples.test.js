'use strict';
// Every schema in the repository's text colours cleanly: each non-blank piece of every line of
// the bank schema and of every ```concordance block in README.md and docs/*.md gets a scope of
// the grammar, none is invalid, and every block the grammar opens is closed by the end.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { tokenize } = require('./grammar-host');
const { bankSchemaPath, markdownFiles, codeBlocks, concordanceBlocks } = require('./schema-sources');

const ROOT = 'source.concordance';
const DECLARATION = /^\s*(namespace|command|event|record|enum|aggregate|projector|process|gateway|upcast)\b/;

/** Problems of one text: unscoped or invalid tokens, and a rule still open after the last line. */
async function scopeProblems(text, where) {
  const lines = await tokenize(text + '\n');
  const problems = [];
  for (const line of lines) {
    for (const token of line.tokens) {
      if (token.text.trim() === '') continue;
      const at = `${where.file}:${where.line + line.line - 1}:${token.start + 1} '${token.text}'`;
      if (token.scopes.length < 2) problems.push(`${at} has no scope but ${ROOT}`);
      const invalid = token.scopes.find((s) => s.startsWith('invalid'));
      if (invalid) problems.push(`${at} is ${invalid}`);
    }
  }
  // The extra empty line after the text: only the root scope may remain open.
  const last = lines[lines.length - 1];
  const open = last.tokens.flatMap((t) => t.scopes).filter((s) => s !== ROOT);
  if (open.length > 0) problems.push(`${where.file}: after the last line, scopes are still open: ${[...new Set(open)].join(' ')}`);
  return problems;
}

test('given the bank sample schema, every token has a grammar scope, none is invalid and nothing stays open', async () => {
  const problems = await scopeProblems(fs.readFileSync(bankSchemaPath, 'utf8'), { file: 'samples/BankAccount/Bank.concordance', line: 1 });
  assert.deepEqual(problems, []);
});

test('given every ```concordance block of README.md and docs/*.md, every token has a grammar scope, none is invalid and nothing stays open', async () => {
  const blocks = concordanceBlocks();
  // The README's quick start, the schema reference's construct tour and one example per diagnostic, …
  assert.ok(blocks.filter((b) => b.file === 'README.md').length >= 2, 'README.md has its schema examples tagged concordance');
  assert.ok(blocks.filter((b) => b.file.endsWith('schema.md')).length >= 15, 'docs/schema.md has its examples tagged concordance');
  const problems = [];
  for (const block of blocks) problems.push(...(await scopeProblems(block.text, block)));
  assert.deepEqual(problems, []);
});

test('given the README and docs, every untagged code block that starts with a schema declaration is tagged concordance', () => {
  const untagged = markdownFiles()
    .flatMap(codeBlocks)
    .filter((b) => b.lang === '' && DECLARATION.test(b.text.split('\n')[0]))
    .map((b) => `${b.file}:${b.line - 1}`);
  assert.deepEqual(untagged, [], 'write ```concordance on these fences, so the grammar tests cover them (```text for an illustration that is not a schema)');
});

test('given the docs examples, the keywords only they use get their scopes (record, upcast, v2, ->)', async () => {
  const constructs = concordanceBlocks().find((b) => b.file.endsWith('schema.md') && /^upcast /m.test(b.text));
  assert.ok(constructs, 'docs/schema.md has a block with an upcast');
  const lines = await tokenize(constructs.text);
  const innermost = (pattern, text) => {
    const line = lines.find((l) => pattern.test(l.text));
    assert.ok(line, `no line matches ${pattern}`);
    const token = line.tokens.find((t) => t.text === text);
    assert.ok(token, `no token '${text}' in '${line.text}'`);
    return token.scopes[token.scopes.length - 1];
  };
  assert.equal(innermost(/^record Address/, 'record'), 'keyword.declaration.record.concordance');
  assert.equal(innermost(/^record Address/, 'Address'), 'entity.name.type.record.concordance');
  assert.equal(innermost(/^event AccountCreated v2/, 'v2'), 'constant.numeric.version.concordance');
  assert.equal(innermost(/^upcast AccountCreated/, 'upcast'), 'keyword.declaration.upcast.concordance');
  assert.equal(innermost(/^upcast AccountCreated/, 'AccountCreated'), 'entity.name.type.reference.event.concordance');
  assert.equal(innermost(/^upcast AccountCreated/, 'v1'), 'constant.numeric.version.concordance');
  assert.equal(innermost(/^upcast AccountCreated/, '->'), 'keyword.operator.arrow.concordance');
  assert.equal(innermost(/^namespace Bank; +\/\/ first/, ' first, once: the C# namespace of the generated code'), 'comment.line.double-slash.concordance');
  assert.equal(innermost(/^\/\/\/ Opens a new account\. +\/\/ doc/, ' Opens a new account.               // doc comment: flows into the XML docs'), 'comment.line.documentation.concordance');
});
