/**
 * The README's sizes, counts and timings are written by `npm run readme:figures` between
 * `<!-- figure:NAME -->` markers. These tests keep the markers and the script working; the figures
 * themselves are measured by the script, never asserted here.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const script = 'scripts/readme-figures.mjs';
const MARKER = /<!-- figure:([a-z0-9-]+) -->([\s\S]*?)<!-- \/figure -->/g;

function run(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60000 });
}

describe('README figures', () => {
  it('every figure has exactly one marker in the README, and every marker a figure', () => {
    const result = run('--check');
    assert.equal(result.status, 0, result.stderr);
  });

  it('no marker sits inside a code block, where it would show as text', () => {
    const readme = readFileSync('README.md', 'utf8');
    const fenced = [...readme.matchAll(/^```[\s\S]*?^```/gm)].map((m) => m[0]).join('\n');
    assert.doesNotMatch(fenced, /<!-- figure:/);
  });

  it('measures the package and rewrites only what is between the markers', function () {
    this.timeout(60000);
    const result = run('--only', 'package', '--stdout');
    assert.equal(result.status, 0, result.stderr);
    const before = readFileSync('README.md', 'utf8');
    const after = result.stdout;
    const size = [...after.matchAll(MARKER)].find((m) => m[1] === 'package-size')?.[2];
    assert.match(size ?? '', /^\d+(\.\d)? (KB|MB)$/);
    const strip = (text: string) => text.replace(MARKER, '<!-- figure:$1 -->');
    assert.equal(strip(after), strip(before));
  });
});
