import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../language-server/core/analyze';

const ONE_T = readFileSync('examples/1t/gpt-1t.yaml', 'utf8');
const AUTO = 'csx.performance.micro_batch_size: auto';

function run(replacement: string, batch = 1024) {
  const text = ONE_T.replace(AUTO, replacement).replace('batch_size: 1024', `batch_size: ${batch}`);
  return { text, analysis: analyze('/tmp/explore-1t.yaml', text, { readFile: () => undefined }) };
}

/** Applies single-line-or-more edits of a fix to the text (positions are 0-based line/character). */
function apply(text: string, edit: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
}

describe('micro_batch_size: explore', () => {
  it('prices every fitting divisor of the per-system batch; the fastest that keeps the headroom margin is what the report simulates', () => {
    for (const batch of [1024, 96, 360]) {
      const { analysis } = run('csx.performance.micro_batch_size: explore', batch);
      const explore = analysis.report.microBatchExplore!;
      assert.ok(explore, `batch ${batch}`);
      const largest = analysis.report.wafer!.maxMicroBatch;
      const expected = [];
      for (let d = 1; d <= Math.min(batch, largest); d++) if (batch % d === 0) expected.push(d);
      assert.deepEqual(explore.rows.map((r) => r.microBatch), expected);
      // One micro-batch rule: among the rows that keep the headroom margin (all rows if none does).
      const keeping = explore.rows.filter((r) => r.headroom >= analysis.report.wafer!.headroomTarget);
      const fastest = (keeping.length ? keeping : explore.rows).reduce((a, b) => (b.stepSeconds < a.stepSeconds ? b : a));
      assert.equal(explore.best, fastest.microBatch);
      assert.equal(analysis.report.training!.microBatchSize, explore.best, `batch ${batch}`);
      assert.equal(fastest.stepSeconds, analysis.report.timeline!.stepSeconds);
      for (const row of explore.rows) assert.ok(row.headroom > 0 && row.headroom < 1);
    }
  });

  it('{explore: {min, max}} limits the search, and the report follows it', () => {
    const { analysis } = run('csx.performance.micro_batch_size:\n          explore:\n            min: 4\n            max: 16');
    const explore = analysis.report.microBatchExplore!;
    assert.deepEqual(explore.rows.map((r) => r.microBatch), [4, 8, 16]);
    assert.equal(analysis.report.training!.microBatchSize, 16);
    assert.ok(!analysis.report.diagnostics.some((d) => d.code === 'unknown-key'), JSON.stringify(analysis.report.diagnostics));
  });

  it('offers a quick fix that pins the best, for the word and for the mapping, after which the report agrees', () => {
    for (const form of ['csx.performance.micro_batch_size: explore', 'csx.performance.micro_batch_size:\n          explore:\n            max: 16']) {
      const { text, analysis } = run(form);
      const note = analysis.report.diagnostics.find((d) => d.code === 'micro-batch-explore')!;
      assert.equal(note.severity, 'information');
      const best = analysis.report.microBatchExplore!.best!;
      const fixed = apply(text, note.fixes![0].edits[0]);
      assert.match(fixed, new RegExp(`csx\\.performance\\.micro_batch_size: ${best}\\n {4}- ComputeNorm`));
      const after = analyze('/tmp/explore-1t.yaml', fixed, { readFile: () => undefined });
      assert.equal(after.report.training!.microBatchSize, best);
      assert.equal(after.report.training!.microBatchSource, 'config');
      assert.equal(after.report.timeline!.stepSeconds, analysis.report.timeline!.stepSeconds);
      assert.equal(after.report.microBatchExplore, undefined);
    }
  });
});
