'use strict';
// The TextMate grammar over the bank sample's schema: each token class gets its scope.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { tokenize } = require('./grammar-host');
const { bankSchemaPath } = require('./schema-sources');

const S = '.concordance';
let bank;

test.before(async () => {
  bank = await tokenize(fs.readFileSync(bankSchemaPath, 'utf8'));
});

/** The innermost scope of the `nth` token `text` on the first line matching `linePattern`. */
function scopeOf(lines, linePattern, text, nth = 0) {
  const line = lines.find((l) => linePattern.test(l.text));
  assert.ok(line, `no line matches ${linePattern}`);
  const tokens = line.tokens.filter((t) => t.text === text);
  assert.ok(tokens.length > nth, `line ${line.line} '${line.text}' has no token '${text}' #${nth} (tokens: ${line.tokens.map((t) => JSON.stringify(t.text)).join(' ')})`);
  const scopes = tokens[nth].scopes;
  return { innermost: scopes[scopes.length - 1], all: scopes };
}

test('given the bank schema, namespace is a keyword and Bank a namespace name', () => {
  assert.equal(scopeOf(bank, /^namespace Bank;/, 'namespace').innermost, `keyword.other.namespace${S}`);
  assert.equal(scopeOf(bank, /^namespace Bank;/, 'Bank').innermost, `entity.name.namespace${S}`);
  assert.equal(scopeOf(bank, /^namespace Bank;/, ';').innermost, `punctuation.terminator.statement${S}`);
});

test('given the bank schema, each declaration keyword is a keyword and the declared name a type declaration of its kind', () => {
  const declarations = [
    [/^command CreateAccount/, 'command', 'CreateAccount'],
    [/^event AccountCreated/, 'event', 'AccountCreated'],
    [/^enum TransferStatus/, 'enum', 'TransferStatus'],
    [/^aggregate BankAccount/, 'aggregate', 'BankAccount'],
    [/^projector AccountLedger/, 'projector', 'AccountLedger'],
    [/^process InterbankTransfer/, 'process', 'InterbankTransfer'],
    [/^gateway WireNetwork/, 'gateway', 'WireNetwork'],
  ];
  for (const [line, keyword, name] of declarations) {
    assert.equal(scopeOf(bank, line, keyword).innermost, `keyword.declaration.${keyword}${S}`);
    assert.equal(scopeOf(bank, line, name).innermost, `entity.name.type.${keyword}${S}`);
  }
});

test('given the bank schema, /// lines are doc comments, not plain comments', () => {
  const doc = scopeOf(bank, /^\/\/\/ Opens a new account/, '///');
  assert.equal(doc.innermost, `punctuation.definition.comment${S}`);
  assert.ok(doc.all.includes(`comment.line.documentation${S}`), doc.all.join(' '));
  const text = bank.find((l) => l.text.startsWith('/// Opens')).tokens[1];
  assert.equal(text.scopes[text.scopes.length - 1], `comment.line.documentation${S}`);
});

test('given the bank schema, field names are properties, built-in types are types, ? is the nullable operator', () => {
  assert.equal(scopeOf(bank, /^command DepositFunds/, 'accountNumber').innermost, `variable.other.property${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, ':').innermost, `punctuation.separator.colon${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, 'decimal').innermost, `support.type.primitive${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, 'string').innermost, `support.type.primitive${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, '?').innermost, `keyword.operator.nullable${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, ',').innermost, `punctuation.separator.comma${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, '{').innermost, `punctuation.section.block.begin${S}`);
  assert.equal(scopeOf(bank, /^command DepositFunds/, '}').innermost, `punctuation.section.block.end${S}`);
});

test('given a field list continued on the next line, the continuation still holds fields', () => {
  assert.equal(scopeOf(bank, /^\s+wireTransferId: string, targetRoutingNumber/, 'targetRoutingNumber').innermost, `variable.other.property${S}`);
  assert.equal(scopeOf(bank, /^\s+wireTransferId: string, targetRoutingNumber/, 'string').innermost, `support.type.primitive${S}`);
});

test('given the bank schema, map<string, decimal> is a generic type with type-parameter brackets', () => {
  const state = /^\s+state \{ balance/;
  assert.equal(scopeOf(bank, state, 'state').innermost, `keyword.other.state${S}`);
  assert.equal(scopeOf(bank, state, 'reservedFunds').innermost, `variable.other.property${S}`);
  assert.equal(scopeOf(bank, state, 'map').innermost, `support.type.collection${S}`);
  assert.equal(scopeOf(bank, state, '<').innermost, `punctuation.definition.typeparameters.begin${S}`);
  assert.equal(scopeOf(bank, state, '>').innermost, `punctuation.definition.typeparameters.end${S}`);
  assert.equal(scopeOf(bank, state, 'string').innermost, `support.type.primitive${S}`);
});

test('given the bank schema, a state field of a declared enum type is a type reference', () => {
  assert.equal(scopeOf(bank, /^\s+state \{ accountNumber/, 'TransferStatus').innermost, `entity.name.type.reference${S}`);
});

test('given the bank schema, enum members are enum members', () => {
  assert.equal(scopeOf(bank, /^enum TransferStatus/, 'Requested').innermost, `variable.other.enummember${S}`);
  assert.equal(scopeOf(bank, /^enum TransferStatus/, 'Failed').innermost, `variable.other.enummember${S}`);
});

test('given the bank schema, key is a keyword and the key field a property reference', () => {
  assert.equal(scopeOf(bank, /^\s+key accountNumber/, 'key').innermost, `keyword.other.key${S}`);
  assert.equal(scopeOf(bank, /^\s+key accountNumber/, 'accountNumber').innermost, `variable.other.property.reference${S}`);
});

test('given handle C -> E, handle is a keyword, C a command reference, -> an operator and E an event reference', () => {
  const line = /^\s+handle CreateAccount -> AccountCreated/;
  assert.equal(scopeOf(bank, line, 'handle').innermost, `keyword.other.handle${S}`);
  assert.equal(scopeOf(bank, line, 'CreateAccount').innermost, `entity.name.type.reference.command${S}`);
  assert.equal(scopeOf(bank, line, '->').innermost, `keyword.operator.arrow${S}`);
  assert.equal(scopeOf(bank, line, 'AccountCreated').innermost, `entity.name.type.reference.event${S}`);
});

test('given the subscriptions of a projector, a process and a gateway, the clause words are keywords and the names event references', () => {
  assert.equal(scopeOf(bank, /^\s+on AccountCreated, FundsDeposited/, 'on').innermost, `keyword.other.on${S}`);
  assert.equal(scopeOf(bank, /^\s+on AccountCreated, FundsDeposited/, 'FundsCommitted').innermost, `entity.name.type.reference.event${S}`);
  assert.equal(scopeOf(bank, /^\s+start on WireTransferInitiated/, 'start').innermost, `keyword.other.start${S}`);
  assert.equal(scopeOf(bank, /^\s+start on WireTransferInitiated/, 'on').innermost, `keyword.other.on${S}`);
  assert.equal(scopeOf(bank, /^\s+start on WireTransferInitiated/, 'WireTransferInitiated').innermost, `entity.name.type.reference.event${S}`);
  assert.equal(scopeOf(bank, /^\s+end on FundsCommitted/, 'end').innermost, `keyword.other.end${S}`);
  assert.equal(scopeOf(bank, /^\s+end on FundsCommitted/, 'FundsReleased').innermost, `entity.name.type.reference.event${S}`);
  assert.equal(scopeOf(bank, /^\s+on FundsReserved, WireTransferSucceeded/, 'WireTransferFailed').innermost, `entity.name.type.reference.event${S}`);
  assert.equal(scopeOf(bank, /^\s+emit WireTransferSucceeded/, 'emit').innermost, `keyword.other.emit${S}`);
  assert.equal(scopeOf(bank, /^\s+emit WireTransferSucceeded/, 'WireTransferFailed').innermost, `entity.name.type.reference.event${S}`);
});

test('given send in a process, send is a keyword and the names command references', () => {
  assert.equal(scopeOf(bank, /^\s+send ReserveFunds/, 'send').innermost, `keyword.other.send${S}`);
  assert.equal(scopeOf(bank, /^\s+send ReserveFunds/, 'ReleaseFunds').innermost, `entity.name.type.reference.command${S}`);
});

test('given the bank schema, a process name is a declaration but the same word after on is a reference', () => {
  // FundsReserved is an event name, an enum member and a subscription: three scopes for one word.
  assert.equal(scopeOf(bank, /^event FundsReserved/, 'FundsReserved').innermost, `entity.name.type.event${S}`);
  assert.equal(scopeOf(bank, /^enum TransferStatus/, 'FundsReserved').innermost, `variable.other.enummember${S}`);
  assert.equal(scopeOf(bank, /^\s+on FundsReserved$/, 'FundsReserved').innermost, `entity.name.type.reference.event${S}`);
});
