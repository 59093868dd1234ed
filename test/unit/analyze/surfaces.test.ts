/**
 * One answer everywhere (issue 9): for every config in the test data, the code lens, hover, status
 * bar tooltip, CLI report, panel header, memory tab and summary show the wafer and MemoryX figures
 * of one computed value, in the same words; and every quick fix, applied, removes its diagnostic
 * without adding a fit warning.
 */
import * as assert from '../plainAssert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyze, type Analysis } from '../../../language-server/core/analyze';
import { formatReport } from '../../../language-server/core/format/reportText';
import { memoryxPair, memoryxText, parametersText, waferOccupancyText, waferPair } from '../../../language-server/core/format/figures';
import { codeLenses } from '../../../language-server/services/codeLens';
import { hover } from '../../../language-server/services/hover';
import type { CoreDiagnostic, FixData } from '../../../language-server/core/types';
import { decodeHeatmap, defaultLayer, OCCUPANCY_OVER_CAPACITY, panelStatus, summaryRows, waferBarRows, waferCaption } from '../../../webview/viewModel';
import { heatmapFor } from '../../../language-server/server/panelData';
import { formatBytes } from '../../../language-server/core/format/units';

// The unit tier runs from the repository root (the bundle lives in dist/).
const root = process.cwd();

function configs(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(name.name) && !/cluster\.ya?ml$/.test(name.name) && !/expected|measured/.test(name.name)) out.push(path);
    }
  };
  walk(join(root, 'examples'));
  walk(join(root, 'test/data'));
  return out.sort();
}

const readFile = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const run = (file: string, text: string, files: Record<string, string> = {}): Analysis =>
  analyze(file, text, { readFile: (path) => files[path] ?? readFile(path), headroomWarning: 0.1 });
const FIT_CODES = ['wafer-sram', 'wafer-headroom', 'memoryx-capacity', 'memoryx-headroom'];
const fitCodes = (diagnostics: CoreDiagnostic[]) => diagnostics.map((d) => d.code).filter((c) => FIT_CODES.includes(c)).sort();

function offsetOf(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line; i++) offset += lines[i].length + 1;
  return offset + character;
}

/** Applies a fix's edits to the config and to other files (created or edited); returns the new texts. */
function applyFix(file: string, text: string, fix: FixData, files: Record<string, string>): { text: string; files: Record<string, string> } {
  const out = { text, files: { ...files } };
  const byFile = new Map<string, FixData['edits']>();
  for (const edit of fix.edits) byFile.set(edit.file ?? file, [...(byFile.get(edit.file ?? file) ?? []), edit]);
  for (const [target, edits] of byFile) {
    let content = target === file ? out.text : edits.some((e) => e.create) ? '' : (out.files[target] ?? readFile(target) ?? '');
    for (const edit of [...edits].sort((a, b) => offsetOf(content, b.range.start.line, b.range.start.character) - offsetOf(content, a.range.start.line, a.range.start.character))) {
      const start = offsetOf(content, edit.range.start.line, edit.range.start.character);
      const end = offsetOf(content, edit.range.end.line, edit.range.end.character);
      content = content.slice(0, start) + edit.newText + content.slice(end);
    }
    if (target === file) out.text = content;
    else out.files[target] = content;
  }
  return out;
}

describe('one answer on every surface, for every config in the test data', () => {
  const files = configs();
  it('finds the 1T examples, the Model Zoo and the Hugging Face fixtures', () => {
    assert.ok(files.some((f) => f.includes('examples/1t/gpt-1t.yaml')));
    assert.ok(files.filter((f) => f.includes('/modelzoo/')).length >= 10);
    assert.ok(files.filter((f) => f.includes('/hf/')).length >= 4);
  });

  for (const file of files) {
    const name = file.slice(root.length + 1);
    it(`${name}: lens, hover, status tooltip, CLI report, panel header, memory tab and summary agree`, () => {
      const text = readFileSync(file, 'utf8');
      const analysis = run(file, text);
      const { report } = analysis;
      if (!report.wafer || !report.memoryx || !report.model) {
        assert.ok(['not-modelled', 'invalid'].includes(analysis.status), `${analysis.status} without a simulation`);
        return;
      }
      const wafer = report.wafer;
      // The one value: the occupancy is the largest resident figure, at the named layer.
      const resident = Math.max(...wafer.layers.map((l) => l.residentBytes));
      assert.ok(Math.abs(wafer.peakBytes - resident) <= 1e-6 * resident, `peak ${wafer.peakBytes} vs layers ${resident}`);
      assert.equal(wafer.layers[wafer.peakLayer.index].residentBytes, resident);
      assert.ok(Math.abs(1 - wafer.headroom - wafer.peakBytes / wafer.sramBytes) < 1e-12);

      const pair = waferPair(wafer);
      const occupancy = waferOccupancyText(wafer);
      const lens = codeLenses('file:///x', analysis).map((l) => l.command!.title);
      assert.deepEqual(lens.slice(0, 3), ['Run Simulation', 'Show Wafer Heatmap', 'Plan Training Run'], 'commands first');
      const summary = lens[3];
      assert.ok(summary.includes(`wafer ${pair}`), `lens: ${summary}`);
      assert.ok(summary.includes(`MemoryX ${memoryxPair(report.memoryx)}`), `lens: ${summary}`);
      assert.ok(summary.includes(parametersText(report.model)));
      // The status bar tooltip and the panel header print the same line.
      assert.equal(analysis.summary, summary);
      const notification = { uri: 'file:///x', version: 1, inputs: analysis.inputs, status: analysis.status, summary: analysis.summary, report };
      assert.equal(panelStatus(notification).headline, summary);

      const cli = formatReport(report);
      assert.ok(cli.includes(occupancy), 'CLI report');
      assert.ok(cli.includes(memoryxText(report.memoryx)), 'CLI report MemoryX');
      const rows = summaryRows(report);
      assert.equal(rows.find((r) => r.label === 'Occupancy')?.value, occupancy, 'summary');
      assert.equal(rows.find((r) => r.label === 'Peak layer')?.value, wafer.peakLayer.name);
      assert.ok(waferCaption(wafer).startsWith(occupancy), 'memory tab caption');
      const bars = waferBarRows(wafer);
      const peakBar = bars[0].segments.reduce((sum, s) => sum + s.bytes, 0);
      assert.ok(Math.abs(peakBar - wafer.peakBytes) <= 1e-6 * wafer.peakBytes, `memory bar ${peakBar} vs ${wafer.peakBytes}`);

      const microKey = analysis.document.sources['training.microBatchSize'];
      if (microKey) {
        const markdown = hover(text, analysis, microKey.keyRange.start, [])?.contents as { value: string } | undefined;
        assert.ok(markdown?.value.includes(occupancy), `hover: ${markdown?.value}`);
      }
      // Every wafer figure a warning names is the same occupancy.
      for (const d of report.diagnostics.filter((x) => x.code === 'wafer-headroom')) assert.ok(d.message.includes(occupancy.split(' SRAM')[0].replace(' of ', ' of ')));
    });

    it(`${name}: every quick fix, applied, removes its diagnostic and adds no fit warning; auto's choice written out warns of nothing`, () => {
      const text = readFileSync(file, 'utf8');
      const base = run(file, text);
      if (!base.report.wafer) return;
      const variants: { label: string; text: string }[] = [{ label: 'as shipped', text }];
      const micro = base.document.sources['training.microBatchSize'];
      const replaceMicro = (value: string) => {
        const start = offsetOf(text, micro!.valueRange.start.line, micro!.valueRange.start.character);
        const end = offsetOf(text, micro!.valueRange.end.line, micro!.valueRange.end.character);
        return text.slice(0, start) + value + text.slice(end);
      };
      if (micro) {
        const w = base.report.wafer;
        if (w.largestFittingMicroBatch > 0) variants.push({ label: 'largest that fits', text: replaceMicro(String(w.largestFittingMicroBatch)) });
        variants.push({ label: 'too large', text: replaceMicro(String(Math.max(2, w.maxMicroBatch * 4))) });
        if (w.recommendedMicroBatch > 0) {
          const written = run(file, replaceMicro(String(w.recommendedMicroBatch)));
          assert.deepEqual(fitCodes(written.report.diagnostics), [], `recommended ${w.recommendedMicroBatch} written out`);
          assert.ok(!written.report.diagnostics.some((d) => d.code === 'batch-not-multiple'));
        }
      }
      if (base.report.training?.microBatchSource === 'auto' && micro) {
        const auto = base.report.training.microBatchSize;
        const written = run(file, replaceMicro(String(auto)));
        assert.deepEqual(fitCodes(written.report.diagnostics), fitCodes(base.report.diagnostics), `auto's ${auto} written out`);
      }
      for (const variant of variants) {
        const analysis = run(file, variant.text);
        for (const diagnostic of analysis.report.diagnostics) {
          for (const fix of diagnostic.fixes ?? []) {
            if (!fix.edits.length) continue;
            const applied = applyFix(file, variant.text, fix, {});
            const after = run(file, applied.text, applied.files);
            const still = after.report.diagnostics.filter((d) => d.code === diagnostic.code);
            assert.equal(still.length, 0, `${variant.label}: "${fix.title}" leaves ${diagnostic.code}: ${still.map((d) => d.message).join(' | ')}`);
            const added = fitCodes(after.report.diagnostics).filter((c) => !fitCodes(analysis.report.diagnostics).includes(c));
            // The "largest that fits" fix is labelled as leaving less headroom.
            if (!/largest that fits/.test(fix.title)) assert.deepEqual(added, [], `${variant.label}: "${fix.title}" adds ${added.join(', ')}`);
            for (const edit of fix.edits) if (edit.file && edit.file !== file) assert.ok(edit.create || existsSync(edit.file) || dirname(edit.file));
          }
        }
      }
    });
  }

  it('the MemoryX error against the embedded default offers a cluster file with the smallest tier that fits, and picking one', () => {
    const file = join(root, 'examples/1t/gpt-1t.yaml');
    const text = readFileSync(file, 'utf8').replace('num_hidden_layers: 128', 'num_hidden_layers: 512');
    const analysis = run(file, text);
    const error = analysis.report.diagnostics.find((d) => d.code === 'memoryx-capacity')!;
    assert.ok(error, 'a 4T model does not fit 55 TB');
    assert.equal(error.range.start.line, text.split('\n').findIndex((l) => l.includes('num_hidden_layers: 512')), 'on the key that drives it');
    assert.ok((error.related ?? []).length >= 2, 'the other driving keys as related information');
    const create = error.fixes!.find((f) => f.edits.some((e) => e.create))!;
    assert.match(create.title, /Create gpt-1t\.cluster\.yaml with a .+ MemoryX and use it/);
    assert.ok(error.fixes!.some((f) => f.command === 'waferscope.selectCluster'));
    const applied = applyFix(file, text, create, {});
    assert.match(applied.text.split('\n')[0], /^# waferscope: cluster=gpt-1t\.cluster\.yaml$/);
    const after = run(file, applied.text, applied.files);
    assert.equal(after.report.cluster.origin, 'file');
    assert.ok(after.report.memoryx!.fits);
  });
});

describe('a config that does not fit shows why, on every surface', () => {
  const file = join(root, 'examples/1t/gpt-1t.yaml');
  const text = readFileSync(file, 'utf8').replace('hidden_size: 25600', 'hidden_size: 51200');
  const analysis = run(file, text);
  const wafer = analysis.report.wafer!;

  it('over SRAM: no step time but the reason, the panel opens on the failing layer, the heatmap marks it', () => {
    assert.equal(analysis.status, 'does-not-fit');
    assert.equal(wafer.fits, false);
    assert.ok(wafer.peakBytes > wafer.sramBytes);
    // The lens and the status tooltip: why, not a step time.
    assert.match(analysis.summary, /does not fit: .*'decoder \d+' needs [\d.]+ \/ 44 GB of SRAM/);
    assert.doesNotMatch(analysis.summary, /step \d/);
    assert.match(formatReport(analysis.report), /step time\s+none: it does not fit .* if it fitted/);
    const step = summaryRows(analysis.report).find((r) => r.label === 'Step time')!;
    assert.ok(step.problem && /does not fit/.test(step.value));
    assert.equal(defaultLayer(analysis.report), wafer.peakLayer.index);
    assert.match(wafer.peakLayer.name, /^decoder/);
    const payload = heatmapFor('file:///x', analysis, wafer.peakLayer.index)!;
    const decoded = decodeHeatmap(payload);
    assert.ok(decoded.ok);
    assert.ok(decoded.ok && decoded.data.occupancy.some((v) => v === OCCUPANCY_OVER_CAPACITY), 'over-capacity PEs carry their own value');
  });

  it('the hover says no micro-batch fits instead of "largest that fits: 0"', () => {
    const micro = analysis.document.sources['training.microBatchSize'];
    const value = (hover(text, analysis, micro!.keyRange.start, [])?.contents as { value: string }).value;
    assert.doesNotMatch(value, /fits: \**0/);
    assert.match(value, /No micro-batch fits/);
  });

  it('the wafer error sits on the key that drives it, with the other drivers related', () => {
    const error = analysis.report.diagnostics.find((d) => d.code === 'wafer-sram')!;
    assert.equal(error.range.start.line, text.split('\n').findIndex((l) => l.includes('hidden_size: 51200')));
    assert.ok(error.message.includes(`needs ${formatBytes(wafer.peakBytes)} on the wafer`), error.message);
    assert.ok(!analysis.report.diagnostics.some((d) => d.code === 'io-bound'), 'no I/O advice for a run that cannot run');
  });
});

describe('a syntax error is an invalid file, not a misfit', () => {
  it('says invalid while the YAML does not parse', () => {
    const file = join(root, 'examples/1t/gpt-1t.yaml');
    const analysis = run(file, `${readFileSync(file, 'utf8')}\nbroken: a: b\n`);
    assert.ok(analysis.report.diagnostics.some((d) => d.code === 'syntax'));
    assert.equal(analysis.status, 'invalid');
  });
});

describe('batch warnings that name a value get a fix', () => {
  it('batch_size not a multiple of micro-batch x systems: the next multiple clears it, the wafer unchanged', () => {
    const file = join(root, 'examples/1t/gpt-1t.yaml');
    const text = readFileSync(file, 'utf8')
      .replace('batch_size: 1024', 'batch_size: 1000')
      .replace('csx.performance.micro_batch_size: auto', 'csx.performance.micro_batch_size: 16');
    const analysis = run(file, text);
    const warning = analysis.report.diagnostics.find((d) => d.code === 'batch-not-multiple')!;
    assert.ok(warning, 'batch 1000 is not a multiple of 16');
    const fix = warning.fixes![0];
    assert.equal(fix.title, 'Set batch_size to 1008 (a multiple of 16)');
    const after = run(file, applyFix(file, text, fix, {}).text);
    assert.ok(!after.report.diagnostics.some((d) => d.code === 'batch-not-multiple'));
    assert.equal(after.report.wafer!.peakBytes, analysis.report.wafer!.peakBytes);
    assert.deepEqual(fitCodes(after.report.diagnostics), fitCodes(analysis.report.diagnostics));
  });
});
