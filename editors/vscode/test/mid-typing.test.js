'use strict';
// Half-typed schemas: wherever a line of the bank schema is cut off, the declarations after it
// still colour as declarations, the way the parser resumes at the next top-level keyword.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { tokenize } = require('./grammar-host');
const { bankSchemaPath } = require('./schema-sources');

const DECLARATION = /^(command|event|record|enum|aggregate|projector|process|gateway|upcast)\s+\w/;

test('given a line of the bank schema cut off mid-word or mid-block, the next declaration line still starts a declaration', async () => {
  const lines = fs.readFileSync(bankSchemaPath, 'utf8').split(/\r?\n/);
  let cuts = 0;
  for (let index = 0; index < lines.length; index++) {
    const next = lines.findIndex((line, i) => i > index && DECLARATION.test(line));
    if (next < 0) continue;
    for (let cut = 1; cut < lines[index].length; cut += 7) {
      const text = [...lines.slice(0, index), lines[index].slice(0, cut), ...lines.slice(index + 1, next + 1)].join('\n');
      const tokenized = await tokenize(text);
      const first = tokenized[next].tokens[0];
      const keyword = DECLARATION.exec(lines[next])[1];
      assert.equal(first.text, keyword);
      assert.deepEqual(first.scopes.slice(1), [`meta.declaration.${keyword}.concordance`, `keyword.declaration.${keyword}.concordance`].slice(keyword === 'upcast' ? 1 : 0),
        `line ${index + 1} cut after '${lines[index].slice(0, cut)}': line ${next + 1} '${lines[next]}' is ${first.scopes.join(' ')}`);
      cuts++;
    }
  }
  assert.ok(cuts >= 400, `${cuts} cuts tried`);
});
