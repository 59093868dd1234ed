/**
 * The contract of `waferscope plan`: the JSON shape, a recommended plan that meets the deadline, a
 * tighter deadline never needing fewer systems, each plan's step time equal to what `report` gives
 * for the same systems, micro-batch and MemoryX, and the exit codes. Runs the built dist/cli.js.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface PlanJson {
  tokens: number;
  tokensSource: string;
  deadlineDays: number | null;
  plans: { systems: number; microBatch: number; memoryxBytes: number; stepSeconds: number; days: number; systemHours: number; energyKWh: number; evenSplit: boolean; meetsDeadline: boolean }[];
  recommended: number | null;
  fastest: number | null;
  evaluations: number;
  diagnostics: { severity: string; code: string; message: string }[];
}

function plan(...args: string[]): { code: number | null; result: PlanJson } {
  const run = cli('plan', 'examples/1t/gpt-1t.yaml', '--json', ...args);
  return { code: run.code, result: JSON.parse(run.stdout) as PlanJson };
}

const YEAR = 365;

describe('waferscope plan', function () {
  this.timeout(60000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'waferscope-plan-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the documented JSON and recommends a plan that meets the deadline (exit 0)', () => {
    const { code, result } = plan('--days', String(20 * YEAR));
    assert.equal(code, 0);
    for (const key of ['tokens', 'tokensSource', 'deadlineDays', 'plans', 'recommended', 'fastest', 'evaluations', 'diagnostics']) assert.ok(key in result, key);
    for (const key of ['systems', 'microBatch', 'memoryxBytes', 'stepSeconds', 'days', 'systemHours', 'energyKWh', 'meetsDeadline']) assert.ok(key in result.plans[0], key);
    assert.equal(result.tokensSource, 'chinchilla');
    assert.equal(result.deadlineDays, 20 * YEAR);
    const chosen = result.plans[result.recommended!];
    assert.ok(chosen.meetsDeadline && chosen.days <= 20 * YEAR);
    // The cheapest of those that meet it.
    for (const other of result.plans) if (other.meetsDeadline) assert.ok(other.systemHours >= chosen.systemHours);
    assert.ok(result.evaluations > 1000);
    assert.deepEqual(result.diagnostics, []);
  });

  it('a tighter deadline never needs fewer systems', () => {
    let previous = 0;
    for (const years of [400, 60, 20, 12, 9]) {
      const { code, result } = plan('--days', String(years * YEAR));
      assert.equal(code, 0, `${years} years`);
      const systems = result.plans[result.recommended!].systems;
      assert.ok(systems >= previous, `${years} years: ${systems} systems, looser deadline needed ${previous}`);
      previous = systems;
    }
    assert.ok(previous > 1);
  });

  it("each plan's step time is the report's for the same systems, micro-batch and MemoryX", () => {
    const { result } = plan('--days', String(12 * YEAR));
    const picks = new Set([result.recommended!, result.fastest!, 0, Math.floor(result.plans.length / 2)]);
    const yaml = readFileSync('examples/1t/gpt-1t.yaml', 'utf8');
    for (const index of picks) {
      const p = result.plans[index];
      const config = join(dir, `plan-${index}.yaml`);
      const clusterFile = join(dir, `plan-${index}.cluster.yaml`);
      writeFileSync(config, yaml.replace('csx.performance.micro_batch_size: auto', `csx.performance.micro_batch_size: ${p.microBatch}`));
      writeFileSync(clusterFile, `cluster:\n  name: planned\n  system: cs-3\n  systems: ${p.systems}\n  memoryx:\n    capacity: ${p.memoryxBytes}\n`);
      const run = cli('report', config, '--systems', String(p.systems), '--cluster', clusterFile, '--json');
      const report = JSON.parse(run.stdout);
      assert.equal(report.training.microBatchSize, p.microBatch);
      assert.equal(report.cluster.memoryxCapacityBytes, p.memoryxBytes);
      assert.equal(report.timeline.stepSeconds, p.stepSeconds, `plan ${index}: ${p.systems} systems, micro-batch ${p.microBatch}`);
      // An uneven split is exactly when the report warns about the batch.
      const warned = report.diagnostics.some((d: { code: string }) => d.code === 'batch-not-multiple');
      assert.equal(warned, !p.evenSplit, `plan ${index}: evenSplit ${p.evenSplit}, diagnostics ${JSON.stringify(report.diagnostics.map((d: { code: string }) => d.code))}`);
    }
  });

  it('exits 1 with plan-deadline-missed when no plan meets the deadline', () => {
    const { code, result } = plan('--days', '30');
    assert.equal(code, 1);
    assert.equal(result.recommended, null);
    const diagnostic = result.diagnostics.find((d) => d.code === 'plan-deadline-missed');
    assert.ok(diagnostic, JSON.stringify(result.diagnostics));
    assert.equal(diagnostic.severity, 'error');
  });

  it('--tokens and --max-systems shape the search; the text form names the recommendation', () => {
    const { result } = plan('--tokens', '2T', '--max-systems', '64');
    assert.equal(result.tokens, 2e12);
    assert.equal(result.tokensSource, 'option');
    assert.ok(result.plans.every((p) => p.systems <= 64));
    const text = cli('plan', 'examples/1t/gpt-1t.yaml', '--days', String(20 * YEAR));
    assert.equal(text.code, 0);
    assert.match(text.stdout, /Recommended {2}\d[\d,]* x CS-3, micro-batch \d+, MemoryX/);
    assert.match(text.stdout, /Pareto frontier/);
    assert.match(text.stdout, /GPU comparison \(lower bound/);
  });

  it('exits 2 with one line on stderr for bad usage', () => {
    for (const args of [
      ['plan', 'examples/1t/gpt-1t.yaml', '--days', '-3'],
      ['plan', 'examples/1t/gpt-1t.yaml', '--days', 'soon'],
      ['plan', 'examples/1t/gpt-1t.yaml', '--tokens', 'lots'],
      ['plan', 'examples/1t/gpt-1t.yaml', '--max-systems', '0'],
      ['plan', 'examples/1t/gpt-1t.yaml', '--max-systems', '4096'],
      ['plan', 'examples/1t/gpt-1t.yaml', '--systems', '16'],
      ['report', 'examples/1t/gpt-1t.yaml', '--days', '3'],
      ['plan', 'examples/1t/no-such-file.yaml'],
      ['plan', 'examples/1t/sandia-16x.cluster.yaml'],
    ]) {
      const run = cli(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /^waferscope: /);
    }
  });
});
