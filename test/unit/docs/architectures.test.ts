import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { architectureTableMarkdown } from '../../../language-server/core/model/architectureTable';

const START = '<!-- architecture-table:start (generated from language-server/core/model/architectures.ts; a unit test checks it) -->';
const END = '<!-- architecture-table:end -->';

describe('README architecture table', () => {
  it('is the table the code generates', () => {
    const readme = readFileSync('README.md', 'utf8');
    const from = readme.indexOf(START);
    const to = readme.indexOf(END);
    assert.ok(from >= 0 && to > from, 'README has the architecture table markers');
    const table = readme.slice(from + START.length, to).trim();
    assert.equal(table, architectureTableMarkdown(), 'regenerate the README table: node dist/test/unit/docs/architectures.test.js prints nothing; use architectureTableMarkdown()');
  });
});
