'use strict';
// The grammar on what the sample and docs don't show: contextual keywords, every type form,
// block comments, junk characters and the parser's recovery after a missing '}'.
const test = require('node:test');
const assert = require('node:assert/strict');
const { tokenize } = require('./grammar-host');

const S = '.concordance';

/** Innermost scope and all scopes of the `nth` token `text` on line `lineNumber` (1-based). */
async function scopes(text, lineNumber, tokenText, nth = 0) {
  const lines = await tokenize(text);
  const line = lines[lineNumber - 1];
  const tokens = line.tokens.filter((t) => t.text === tokenText);
  assert.ok(tokens.length > nth, `line ${lineNumber} '${line.text}' has no token '${tokenText}' #${nth}: ${line.tokens.map((t) => JSON.stringify(t.text)).join(' ')}`);
  const all = tokens[nth].scopes;
  return { innermost: all[all.length - 1], all };
}

test('given a dotted namespace, each part is the namespace name and each dot an accessor', async () => {
  const text = 'namespace Shop.Orders.Api;';
  assert.equal((await scopes(text, 1, 'Orders')).innermost, `entity.name.namespace${S}`);
  const dot = await scopes(text, 1, '.', 1);
  assert.equal(dot.innermost, `punctuation.accessor.dot${S}`);
  assert.ok(dot.all.includes(`entity.name.namespace${S}`));
});

test('given fields named like clause keywords, they are fields, not keywords', async () => {
  const text = 'record Slot { key: string, state: int, start: guid, end: guid, on: bool, handle: guid, send: int, emit: int }\nrecord Day { date: date }';
  for (const field of ['key', 'state', 'start', 'end', 'on', 'handle', 'send', 'emit']) {
    assert.equal((await scopes(text, 1, field)).innermost, `variable.other.property${S}`, field);
  }
  assert.equal((await scopes(text, 2, 'date', 0)).innermost, `variable.other.property${S}`);
  assert.equal((await scopes(text, 2, 'date', 1)).innermost, `support.type.primitive${S}`);
});

test('given every built-in type, each is a primitive type', async () => {
  const types = ['string', 'bool', 'int', 'long', 'decimal', 'double', 'guid', 'timestamp', 'date', 'duration', 'bytes'];
  const text = `record All { ${types.map((t, i) => `f${i}: ${t}`).join(', ')} }`;
  for (const type of types) {
    const found = await scopes(text, 1, type);
    assert.equal(found.innermost, `support.type.primitive${S}`, type);
  }
});

test('given nested generic and nullable types, list and map are collections and the brackets type parameters', async () => {
  const text = 'record R { m: list<map<string, list<Line?>>>?, lines: list<Line> }';
  assert.equal((await scopes(text, 1, 'list', 0)).innermost, `support.type.collection${S}`);
  assert.equal((await scopes(text, 1, 'map')).innermost, `support.type.collection${S}`);
  assert.equal((await scopes(text, 1, '<', 1)).innermost, `punctuation.definition.typeparameters.begin${S}`);
  for (const nth of [0, 1, 2]) assert.equal((await scopes(text, 1, '>', nth)).innermost, `punctuation.definition.typeparameters.end${S}`);
  assert.equal((await scopes(text, 1, 'Line')).innermost, `entity.name.type.reference${S}`);
  assert.equal((await scopes(text, 1, '?', 0)).innermost, `keyword.operator.nullable${S}`);
  assert.equal((await scopes(text, 1, '?', 1)).innermost, `keyword.operator.nullable${S}`);
  assert.equal((await scopes(text, 1, 'lines')).innermost, `variable.other.property${S}`);
});

test('given an enum with a fallback member, fallback is a keyword, but a member named fallback is a member', async () => {
  const text = 'enum Tier { Gold, Silver, fallback Unknown }\nenum Odd { fallback, Other }';
  assert.equal((await scopes(text, 1, 'fallback')).innermost, `keyword.other.fallback${S}`);
  assert.equal((await scopes(text, 1, 'Unknown')).innermost, `variable.other.enummember${S}`);
  assert.equal((await scopes(text, 2, 'fallback')).innermost, `variable.other.enummember${S}`);
});

test('given a versioned event and its upcast, versions are version constants and the upcast names an event', async () => {
  const text = 'event Placed v1 { id: string }\nevent Placed v12 { id: string, channel: string }\nupcast Placed v1 -> v12;';
  assert.equal((await scopes(text, 1, 'v1')).innermost, `constant.numeric.version${S}`);
  assert.equal((await scopes(text, 2, 'v12')).innermost, `constant.numeric.version${S}`);
  assert.equal((await scopes(text, 2, 'Placed')).innermost, `entity.name.type.event${S}`);
  assert.equal((await scopes(text, 3, 'upcast')).innermost, `keyword.declaration.upcast${S}`);
  assert.equal((await scopes(text, 3, 'Placed')).innermost, `entity.name.type.reference.event${S}`);
  assert.equal((await scopes(text, 3, 'v12')).innermost, `constant.numeric.version${S}`);
  assert.equal((await scopes(text, 3, ';')).innermost, `punctuation.terminator.statement${S}`);
});

test('given comments of each kind, //// is a plain comment, /// a doc comment, /* */ a block comment over lines', async () => {
  const text = '//// not a doc\n  /// Docs a field\n/* block\n   command Nope { } */ command Yes { }\n// plain';
  assert.ok((await scopes(text, 1, '//')).all.includes(`comment.line.double-slash${S}`));
  assert.ok(!(await scopes(text, 1, '//')).all.includes(`comment.line.documentation${S}`));
  assert.ok((await scopes(text, 2, '///')).all.includes(`comment.line.documentation${S}`));
  assert.equal((await scopes(text, 3, '/*')).innermost, `punctuation.definition.comment.begin${S}`);
  assert.equal((await scopes(text, 4, '   command Nope { } ')).innermost, `comment.block${S}`);
  assert.equal((await scopes(text, 4, '*/')).innermost, `punctuation.definition.comment.end${S}`);
  assert.equal((await scopes(text, 4, 'command')).innermost, `keyword.declaration.command${S}`);
  assert.ok((await scopes(text, 5, ' plain')).all.includes(`comment.line.double-slash${S}`));
});

test('given a doc comment inside a field list and a state block, it is a doc comment there too', async () => {
  const text = 'command Open {\n    /// The account.\n    id: string\n}';
  assert.ok((await scopes(text, 2, '///')).all.includes(`comment.line.documentation${S}`));
  assert.equal((await scopes(text, 3, 'id')).innermost, `variable.other.property${S}`);
});

test('given characters the language has no use for, they are invalid; a stray number is a number', async () => {
  const text = 'command C { name: "text" @ 42 }\n# heading';
  assert.equal((await scopes(text, 1, '"')).innermost, `invalid.illegal.character${S}`);
  assert.equal((await scopes(text, 1, '@')).innermost, `invalid.illegal.character${S}`);
  assert.equal((await scopes(text, 1, '42')).innermost, `constant.numeric.integer${S}`);
  assert.equal((await scopes(text, 2, '#')).innermost, `invalid.illegal.character${S}`);
});

test('given names with non-ASCII letters, they are names as the lexer reads them', async () => {
  const text = 'record Café { naïveValue: string, Größe: int }';
  assert.equal((await scopes(text, 1, 'Café')).innermost, `entity.name.type.record${S}`);
  assert.equal((await scopes(text, 1, 'naïveValue')).innermost, `variable.other.property${S}`);
  assert.equal((await scopes(text, 1, 'Größe')).innermost, `variable.other.property${S}`);
});

test('given a subscription list continued after a comma, the next line still names events until a clause keyword starts a line', async () => {
  const text = 'process P {\n    on A,\n       B\n    send Cmd\n    end on Done; start on Begin\n}';
  assert.equal((await scopes(text, 3, 'B')).innermost, `entity.name.type.reference.event${S}`);
  assert.equal((await scopes(text, 4, 'send')).innermost, `keyword.other.send${S}`);
  assert.equal((await scopes(text, 4, 'Cmd')).innermost, `entity.name.type.reference.command${S}`);
  assert.equal((await scopes(text, 5, ';')).innermost, `punctuation.terminator.statement${S}`);
  assert.equal((await scopes(text, 5, 'start')).innermost, `keyword.other.start${S}`);
  assert.equal((await scopes(text, 5, 'Begin')).innermost, `entity.name.type.reference.event${S}`);
});

test('given an aggregate whose } is missing, a declaration at the start of a line recovers, as the parser does', async () => {
  const text = 'aggregate Account {\n    key id\n    handle Open -> Opened\nevent Opened { id: string }\ncommand Open { id: string';
  const event = await scopes(text, 4, 'event');
  assert.equal(event.innermost, `keyword.declaration.event${S}`);
  assert.ok(!event.all.includes(`meta.declaration.aggregate${S}`), event.all.join(' '));
  assert.equal((await scopes(text, 4, 'id')).innermost, `variable.other.property${S}`);
  assert.equal((await scopes(text, 5, 'command')).innermost, `keyword.declaration.command${S}`);
});

test('given a field list whose } is missing, the next declaration line recovers', async () => {
  const text = 'command Open { id: string,\nevent Opened { id: string }';
  const event = await scopes(text, 2, 'event');
  assert.equal(event.innermost, `keyword.declaration.event${S}`);
  assert.ok(!event.all.includes(`meta.declaration.command${S}`), event.all.join(' '));
});

test('given clause keywords of another component kind, they are not keywords there', async () => {
  // A projector has only 'on'; 'handle' and 'send' are errors the server reports, not keywords.
  const text = 'projector Ledger {\n    handle X -> Y\n    on Opened\n}';
  const line = (await tokenize(text))[1];
  const handle = line.tokens.find((t) => t.text.includes('handle'));
  assert.ok(handle.scopes.every((s) => !s.startsWith('keyword')), handle.scopes.join(' '));
  assert.equal((await scopes(text, 3, 'on')).innermost, `keyword.other.on${S}`);
});

test('given clauses on one line with the braces of a one-line component, each keyword and name is scoped', async () => {
  const text = 'projector AccountLedger { on AccountCreated }\ngateway Payments { on Placed\n    emit Paid }';
  assert.equal((await scopes(text, 1, 'AccountCreated')).innermost, `entity.name.type.reference.event${S}`);
  assert.equal((await scopes(text, 1, '}')).innermost, `punctuation.section.block.end${S}`);
  assert.equal((await scopes(text, 3, 'emit')).innermost, `keyword.other.emit${S}`);
  assert.equal((await scopes(text, 3, 'Paid')).innermost, `entity.name.type.reference.event${S}`);
});
