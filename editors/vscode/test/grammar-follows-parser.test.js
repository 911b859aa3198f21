'use strict';
// The grammar knows the words the parser knows: the keyword sets and built-in types are read
// from the parser's and checker's sources, so a keyword added there and not here fails a test.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tokenize } = require('./grammar-host');
const { repositoryRoot } = require('./schema-sources');

const schemaSource = path.join(repositoryRoot, 'src', 'Concordance.Schema');
const parser = fs.readFileSync(path.join(schemaSource, 'Parsing', 'Parser.cs'), 'utf8');
const names = fs.readFileSync(path.join(schemaSource, 'Checking', 'SchemaNames.cs'), 'utf8');
const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'syntaxes', 'concordance.tmLanguage.json'), 'utf8'));

/** The string literals of the C# collection initializer that follows `declaration`. */
function stringsOf(source, declaration) {
  const match = new RegExp(`${declaration}[^{]*\\{([^}]*)\\}`).exec(source);
  assert.ok(match, `'${declaration}' not found in the C# source`);
  const words = [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(words.length > 0, `'${declaration}' lists no words`);
  return words;
}

async function innermostOf(text, lineIndex, word) {
  const line = (await tokenize(text))[lineIndex];
  const token = line.tokens.find((t) => t.text === word);
  assert.ok(token, `no token '${word}' in '${line.text}'`);
  return token.scopes[token.scopes.length - 1];
}

test("given the parser's top-level keywords, each starts a declaration the grammar scopes as a declaration keyword", async () => {
  const keywords = stringsOf(parser, 'TopLevelKeywords');
  assert.ok(keywords.includes('command') && keywords.includes('upcast'));
  for (const keyword of keywords) {
    const text = keyword === 'upcast' ? 'upcast Placed v1 -> v2' : `${keyword} Sample { }`;
    assert.equal(await innermostOf(text, 0, keyword), `keyword.declaration.${keyword}.concordance`, keyword);
  }
});

test("given the parser's clause lists for each component kind, each clause word is a keyword inside that kind", async () => {
  const kinds = { aggregate: 'AggregateClauses', process: 'ProcessClauses', projector: 'ProjectorClauses', gateway: 'GatewayClauses' };
  for (const [kind, declaration] of Object.entries(kinds)) {
    for (const clause of stringsOf(parser, declaration)) {
      const body = { key: 'key id', state: 'state { n: int }', start: 'start on Begun', end: 'end on Ended' }[clause] ?? `${clause} Something`;
      const text = `${kind} Sample {\n    ${body}\n}`;
      assert.equal(await innermostOf(text, 1, clause), `keyword.other.${clause}.concordance`, `${clause} in ${kind}`);
    }
  }
});

test("given the checker's built-in types, the grammar's primitive types are exactly those", async () => {
  const builtIns = stringsOf(names, 'BuiltInTypes');
  const rule = grammar.repository.type.patterns.find((p) => p.name === 'support.type.primitive.concordance');
  const inGrammar = /\(\?:([^)]*)\)/.exec(rule.match)[1].split('|');
  assert.deepEqual([...inGrammar].sort(), [...builtIns].sort());
  for (const type of builtIns) {
    assert.equal(await innermostOf(`record R { f: ${type} }`, 0, type), 'support.type.primitive.concordance', type);
  }
});
