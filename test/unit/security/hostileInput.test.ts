/**
 * Findings 4, 5, 7, 8 and 10 of issue 12 from minimal inputs, at the core: floods are capped with a
 * summary, deep nesting gets a plain diagnostic, line ends follow the LSP, control characters are
 * escaped, and the cursor is found without parsing again.
 */
import * as assert from 'node:assert/strict';
import { analyze } from '../../../language-server/core/analyze';
import { parsedSourceOf, readConfig } from '../../../language-server/core/config/read';
import { hasKeyLine, LineIndex, MAX_NESTING } from '../../../language-server/core/config/source';
import { boundDiagnostics, MAX_DIAGNOSTICS_PER_DOCUMENT } from '../../../language-server/core/diagnosticLimits';
import { resolveHardware } from '../../../language-server/core/sim/hardware';
import { aggregateLayerBars } from '../../../language-server/core/sim/timeline';
import { cursorPath } from '../../../language-server/services/documentPath';
import { SMALL_TRAINER_MODEL } from '../config/helpers';

const noFiles = { readFile: () => undefined };

describe('hostile input at the core', () => {
  it('lists 100 of 100,000 duplicate keys and counts the rest in one warning', () => {
    const text = `${SMALL_TRAINER_MODEL}${Array.from({ length: 100_000 }, () => 'x: 1').join('\n')}\n`;
    const diagnostics = analyze('/w/dups.yaml', text, noFiles).report.diagnostics;
    assert.ok(diagnostics.length <= 102, `${diagnostics.length} diagnostics`);
    assert.ok(diagnostics.some((d) => /^99,899 more duplicate keys from line \d+ on/.test(d.message)), JSON.stringify(diagnostics.slice(-2)));
  });

  it('caps any document at 500 diagnostics, errors first, the first one counting the rest', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({
      severity: i % 3 === 0 ? ('error' as const) : ('warning' as const),
      code: 'unknown-key' as const,
      message: `problem ${i}`,
      range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
    }));
    const bounded = boundDiagnostics(many);
    assert.equal(bounded.length, MAX_DIAGNOSTICS_PER_DOCUMENT);
    assert.equal(bounded[0]!.code, 'too-many-diagnostics');
    assert.match(bounded[0]!.message, /701 more problems not shown \(701 warnings\)/);
    assert.equal(bounded.filter((d) => d.severity === 'error').length, 400, 'every error is kept before any warning');
  });

  it('collapses a syntax-error flood after one typo in a flow map', () => {
    const text = `a: {b: [1, 2}\n${'c: d, '.repeat(20_000)}\n`;
    const diagnostics = readConfig('/w/flood.yaml', `${SMALL_TRAINER_MODEL}${text}`).diagnostics;
    assert.ok(diagnostics.length <= 101, `${diagnostics.length} diagnostics`);
    assert.ok(diagnostics.length > 0);
  });

  it('reads YAML nested 900 deep and JSON nested 5,000 deep as a plain diagnostic', () => {
    let yaml = 'trainer:\n';
    for (let i = 1; i < 900; i++) yaml += `${'  '.repeat(i)}k${i}:\n`;
    const fromYaml = readConfig('/w/deep.yaml', yaml);
    assert.deepEqual(fromYaml.diagnostics.map((d) => d.code), ['too-deeply-nested']);
    assert.match(fromYaml.diagnostics[0]!.message, new RegExp(`deeper than ${MAX_NESTING} levels`));
    const json = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const fromJson = readConfig('/w/config.json', json);
    assert.deepEqual(fromJson.diagnostics.map((d) => d.code), ['too-deeply-nested']);
    const flow = readConfig('/w/flow.yaml', `trainer: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    assert.deepEqual(flow.diagnostics.map((d) => d.code), ['too-deeply-nested']);
    // Hover and completion on such files find nothing rather than throw.
    assert.deepEqual(cursorPath(json, { line: 0, character: 10 }).path, []);
    assert.doesNotThrow(() => cursorPath(yaml, { line: 500, character: 3 }));
  });

  it('does not call shallow real configs deep', () => {
    const doc = readConfig('/w/ok.yaml', SMALL_TRAINER_MODEL);
    assert.ok(!doc.diagnostics.some((d) => d.code === 'too-deeply-nested'));
  });

  it('counts \\r\\n, \\r and \\n as line ends, as the LSP does', () => {
    const lines = new LineIndex('a\r\nb\rc\nd');
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.position(7), { line: 3, character: 0 });
    // Between \r and \n is still the end of line 0, never one past it.
    assert.deepEqual(lines.position(2), { line: 0, character: 1 });
    assert.equal(lines.lineText(1), 'b');
  });

  it('reads a CR-only file like the same file with \\n', () => {
    const lf = readConfig('/w/lf.yaml', SMALL_TRAINER_MODEL);
    const cr = readConfig('/w/cr.yaml', SMALL_TRAINER_MODEL.replace(/\n/g, '\r'));
    assert.deepEqual(cr.diagnostics, lf.diagnostics);
    assert.deepEqual(cr.model, lf.model);
    assert.deepEqual(cr.sources['model.hiddenSize'], lf.sources['model.hiddenSize']);
  });

  it('escapes control characters in messages and fix titles', () => {
    // A double-quoted YAML key may hold any character through an escape (\a is BEL).
    const text = 'cluster:\n  "sys\\atems": 2\n  memoryx:\n    capacity: 55 TB\n';
    const diagnostics = analyze('/w/c.cluster.yaml', text, noFiles).report.diagnostics;
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
       
      assert.doesNotMatch(d.message, /[\u0000-\u001f]/, d.message);
       
      for (const fix of d.fixes ?? []) assert.doesNotMatch(fix.title, /[\u0000-\u001f]/, fix.title);
    }
    assert.ok(diagnostics.some((d) => d.message.includes('\\u0007')), JSON.stringify(diagnostics));
  });

  it('finds `key:` lines without a regular expression', () => {
    assert.equal(hasKeyLine('a: 1\ncluster :\n', 'cluster', 'top'), true);
    assert.equal(hasKeyLine('a: 1\n  cluster:\n', 'cluster', 'top'), false);
    assert.equal(hasKeyLine('a: 1\n\tmemoryx:\n', 'memoryx', 'indented'), true);
    assert.equal(hasKeyLine('memoryx:\n', 'memoryx', 'indented'), false);
    assert.equal(hasKeyLine('clusters: 1\n', 'cluster', 'any'), false);
    assert.equal(hasKeyLine(`a: 1${'\n'.repeat(200_000)}  cluster:`, 'cluster', 'any'), true);
    assert.equal(hasKeyLine('a: 1\rcluster:\r', 'cluster', 'top'), true, 'a bare CR ends a line');
  });

  it('quotes at most 40 characters of a capacity it cannot read', () => {
    const report = analyze('/w/c.cluster.yaml', `cluster:\n  memoryx:\n    capacity: "${'9'.repeat(50)}${' '.repeat(100_000)}x"\n`, noFiles).report;
    const message = report.diagnostics.find((d) => d.range.start.line === 2)?.message ?? '';
    assert.match(message, /is not a number with a unit/);
    assert.ok(message.length < 200, `${message.length} characters`);
  });

  it("finds the cursor in the analysis's tree, and by indentation without one", () => {
    const doc = readConfig('/w/m.yaml', SMALL_TRAINER_MODEL);
    const parsed = parsedSourceOf(doc);
    assert.ok(parsed, 'the reader keeps its tree');
    const onKey = { line: 4, character: 8 }; // hidden_size
    assert.deepEqual(cursorPath(SMALL_TRAINER_MODEL, onKey, parsed).path, ['trainer', 'init', 'model', 'hidden_size']);
    assert.deepEqual(cursorPath(SMALL_TRAINER_MODEL, onKey).path, ['trainer', 'init', 'model', 'hidden_size']);
    const cr = SMALL_TRAINER_MODEL.replace(/\n/g, '\r');
    assert.deepEqual(cursorPath(cr, onKey).path, ['trainer', 'init', 'model', 'hidden_size']);
    // A long run of spaces above the cursor: the scan is one pass (the old regex was quadratic).
    const spaces = `trainer:\n  init:\n    x${' '.repeat(144_000)}\n    `;
    assert.deepEqual(cursorPath(spaces, { line: 3, character: 4 }).path, ['trainer', 'init']);
  });
});

describe('bounded sizes', () => {
  it('refuses an override outside its plausible range and keeps the preset value', () => {
    const cluster = 'cluster:\n  memoryx:\n    capacity: 55 TB\n  overrides:\n    pe_grid_width: 1.0e+8\n    pe_grid_height: 1\n    system_io: 1.0e+30\n';
    const report = analyze('/w/lab.cluster.yaml', cluster, noFiles).report;
    const outOfRange = report.diagnostics.filter((d) => d.code === 'out-of-range');
    assert.deepEqual(outOfRange.map((d) => d.range.start.line), [4, 6], JSON.stringify(report.diagnostics));
    const model = analyze('/w/m.yaml', `# waferscope: cluster=/w/lab.cluster.yaml\n${SMALL_TRAINER_MODEL}`, { readFile: () => cluster });
    assert.equal(model.simulationInput && resolveHardware(model.simulationInput.cluster).hw.peGridWidth, 762);
  });

  it('refuses 10,000 layers and merges the timeline bars of a deep model', () => {
    const deep = analyze('/w/deep.yaml', SMALL_TRAINER_MODEL.replace('num_hidden_layers: 12', 'num_hidden_layers: 10000'), noFiles).report;
    assert.ok(deep.diagnostics.some((d) => d.code === 'out-of-range' && d.severity === 'error'), JSON.stringify(deep.diagnostics));
    const bars = Array.from({ length: 1000 }, (_, layer) => ({ lane: 'forward' as const, start: layer, end: layer + 1, layer, label: `decoder ${layer}: forward` }));
    aggregateLayerBars(bars, 256);
    assert.ok(bars.length <= 256, `${bars.length} bars`);
    assert.equal(bars[0]!.start, 0);
    assert.equal(bars[bars.length - 1]!.end, 1000, 'the merged bars still span the whole pass');
    assert.equal(bars[0]!.label, 'layers 1-4: forward');
  });
});
