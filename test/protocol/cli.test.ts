/**
 * The CLI contract other tools build on: exit codes (0 no errors, 1 error diagnostics, 2 bad input
 * or usage with one line on stderr), the `--json` shape, `--systems`, `--cluster` and `sweep`.
 * Runs the built dist/cli.js as a user would.
 */
import * as assert from '../unit/plainAssert';
import { spawnSync } from 'node:child_process';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('waferscope CLI', function () {
  this.timeout(30000);

  it('reports the 1T example as fitting, exit 0, with the exact parameter count', () => {
    const run = cli('report', 'examples/1t/gpt-1t.yaml');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1,008,038,758,400/);
    assert.match(run.stdout, /MemoryX: fits/);
    assert.match(run.stdout, /Wafer: fits/);
  });

  it('prints one JSON object with the documented fields', () => {
    const run = cli('report', 'examples/1t/gpt-1t.yaml', '--json');
    assert.equal(run.code, 0);
    const report = JSON.parse(run.stdout);
    assert.equal(report.format, 'modelzoo-trainer');
    assert.equal(report.model.parameters, 1008038758400);
    assert.equal(typeof report.model.parameters, 'number');
    assert.deepEqual(Object.keys(report.cluster).sort(), ['memoryxCapacityBytes', 'name', 'origin', 'system', 'systems']);
    for (const key of ['requiredBytes', 'capacityBytes', 'fits', 'breakdown', 'recommendedTierBytes']) assert.ok(key in report.memoryx, key);
    for (const key of ['sramBytes', 'perLayerPeakBytes', 'activationBytesPerLayer', 'fits', 'microBatch', 'maxMicroBatch']) assert.ok(key in report.wafer, key);
    for (const key of ['stepSeconds', 'tokensPerSecond', 'mfu', 'bottleneck', 'phases']) assert.ok(key in report.timeline, key);
    for (const key of ['systems', 'speedupVs1', 'efficiency', 'curve']) assert.ok(key in report.scaling, key);
    // No error and no fit warning; at the auto micro-batch 16 (the largest divisor of 1,024 that
    // keeps 10 % headroom) the weight stream is not hidden, which io-bound says.
    assert.deepEqual(report.diagnostics.map((d: { code: string }) => d.code).filter((c: string) => c !== 'io-bound'), []);
  });

  it('exits 1 with the memoryx-capacity error on a 12 TB cluster', () => {
    const run = cli('report', 'examples/1t/gpt-1t.yaml', '--cluster', 'examples/1t/small-12tb.cluster.yaml', '--json');
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.cluster.memoryxCapacityBytes, 12e12);
    assert.ok(report.diagnostics.some((d: { code: string; severity: string }) => d.code === 'memoryx-capacity' && d.severity === 'error'));
  });

  it('--systems overrides the systems the job uses', () => {
    const one = JSON.parse(cli('report', 'examples/1t/gpt-1t.yaml', '--json').stdout);
    const sixteen = JSON.parse(cli('report', 'examples/1t/gpt-1t.yaml', '--systems', '16', '--json').stdout);
    assert.equal(sixteen.training.numCsx, 16);
    assert.equal(sixteen.training.numCsxSource, 'cli');
    const speedup = one.timeline.stepSeconds / sixteen.timeline.stepSeconds;
    assert.ok(Math.abs(speedup - 15.3) <= 0.3, `16 systems: ${speedup.toFixed(2)}x`);
  });

  it("checks the batch against the cluster's systems when the config names no num_csx", () => {
    // gpt-1t-16x.yaml names the 16-system cluster and no num_csx; --systems stands in for another cluster size.
    const below = JSON.parse(cli('report', 'examples/1t/gpt-1t.yaml', '--systems', '2048', '--json').stdout);
    assert.ok(below.diagnostics.some((d: { code: string; severity: string }) => d.code === 'batch-below-systems' && d.severity === 'error'), JSON.stringify(below.diagnostics));
    const uneven = JSON.parse(cli('report', 'examples/1t/gpt-1t.yaml', '--systems', '3', '--json').stdout);
    const warning = uneven.diagnostics.find((d: { code: string }) => d.code === 'batch-not-multiple');
    assert.ok(warning, JSON.stringify(uneven.diagnostics));
    assert.match(warning.message, /1,024 does not split evenly over --systems 3/);
    const even = JSON.parse(cli('report', 'examples/1t/gpt-1t.yaml', '--systems', '16', '--json').stdout);
    assert.ok(!even.diagnostics.some((d: { code: string }) => d.code.startsWith('batch-')));
  });

  it('sweep prints the scaling table and --json its curve', () => {
    const table = cli('sweep', 'examples/1t/gpt-1t.yaml', '--systems', '1,2,16');
    assert.equal(table.code, 0);
    assert.match(table.stdout, /systems\s+step time\s+speedup/);
    assert.equal(table.stdout.trim().split('\n').length, 2 + 3);
    const curve = JSON.parse(cli('sweep', 'examples/1t/gpt-1t.yaml', '--systems', '1,2,16', '--json').stdout).curve;
    assert.deepEqual(curve.map((p: { systems: number }) => p.systems), [1, 2, 16]);
    assert.ok(curve[1].speedup > 1 && curve[2].speedup > curve[1].speedup && curve[2].speedup < 16);
  });

  it('exits 2 with one line on stderr for unreadable input and bad usage', () => {
    for (const args of [
      ['report', 'does/not/exist.yaml'],
      ['report'],
      ['frobnicate', 'examples/1t/gpt-1t.yaml'],
      ['report', 'examples/1t/gpt-1t.yaml', '--systems', 'many'],
      ['report', 'examples/1t/gpt-1t.yaml', '--systems', '4096'],
      ['report', 'examples/1t/gpt-1t.yaml', '--no-such-flag'],
    ]) {
      const run = cli(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: exit ${run.code}`);
      assert.match(run.stderr, /^waferscope: [^\n]+\n$/, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '', `${args.join(' ')} printed to stdout`);
    }
  });
});
