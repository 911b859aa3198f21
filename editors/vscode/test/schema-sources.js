'use strict';
// The schema text the grammar tests run over: the sample's schema and every ```concordance
// block of the README and docs/*.md.
const fs = require('node:fs');
const path = require('node:path');

const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
const bankSchemaPath = path.join(repositoryRoot, 'samples', 'BankAccount', 'Bank.concordance');

/** The Markdown files whose examples must colour cleanly. */
function markdownFiles() {
  const docs = path.join(repositoryRoot, 'docs');
  return [
    path.join(repositoryRoot, 'README.md'),
    ...fs
      .readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => path.join(docs, f)),
  ];
}

/** Every fenced code block of a Markdown file: { file, line (of the first code line), lang, text }. */
function codeBlocks(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const blocks = [];
  let open;
  lines.forEach((line, index) => {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (!open) {
      if (fence) open = { fence: fence[2], lang: fence[3], start: index + 1, body: [] };
      return;
    }
    if (fence && fence[2].startsWith(open.fence) && line.trim() === fence[2]) {
      blocks.push({ file: path.relative(repositoryRoot, file), line: open.start + 1, lang: open.lang, text: open.body.join('\n') });
      open = undefined;
      return;
    }
    open.body.push(line);
  });
  return blocks;
}

/** The ```concordance blocks of the README and docs/*.md. */
function concordanceBlocks() {
  return markdownFiles().flatMap(codeBlocks).filter((b) => b.lang === 'concordance');
}

module.exports = { repositoryRoot, bankSchemaPath, markdownFiles, codeBlocks, concordanceBlocks };
