import * as assert from 'node:assert/strict';
import { analyze } from '../../../language-server/core/analyze';

const CLUSTER = `cluster:
  name: lab
  system: cs-3
  systems: 2
  memoryx:
    capacity: 12 TB
  overrides:
    sysem_io: 2.0e+11
    dense_fp16_peak: 0
    clock: 1.2e+9
`;

describe('cluster file overrides', () => {
  const report = analyze('/lab.cluster.yaml', CLUSTER, { readFile: () => undefined }).report;
  const lines = CLUSTER.split('\n');

  it('warns about a name that is no hardware constant, with did-you-mean and a fix', () => {
    const unknown = report.diagnostics.find((d) => d.code === 'unknown-override');
    assert.ok(unknown, JSON.stringify(report.diagnostics));
    assert.equal(unknown.range.start.line, lines.findIndex((l) => l.includes('sysem_io')));
    assert.match(unknown.message, /Did you mean "system_io"/);
    assert.equal(unknown.fixes?.[0].edits[0].newText, 'system_io');
  });

  it('rejects a value the simulator cannot use, on that value', () => {
    const invalid = report.diagnostics.filter((d) => d.code === 'invalid-value');
    assert.equal(invalid.length, 1, JSON.stringify(report.diagnostics));
    assert.equal(invalid[0].range.start.line, lines.findIndex((l) => l.includes('dense_fp16_peak')));
    assert.equal(invalid[0].severity, 'error');
  });

  it('accepts a valid override silently', () => {
    const line = lines.findIndex((l) => l.includes('clock'));
    assert.ok(!report.diagnostics.some((d) => d.range.start.line === line));
  });
});
