import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../language-server/core/analyze';
import { exportPlan, exportReport } from '../../../language-server/core/format/export';
import { planRun } from '../../../language-server/core/plan/plan';

/** A small CSV reader for the test (quoted cells with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  return rows;
}

const text = readFileSync('examples/1t/gpt-1t.yaml', 'utf8').replace('batch_size: 1024', 'batch_size: 1000').replace('micro_batch_size: auto', 'micro_batch_size: 30');
const analysis = analyze('/tmp/export-1t.yaml', text, { readFile: () => undefined });

describe('export: report and plan as Markdown, CSV, JSON', () => {
  it('CSV carries the exact values in base units, and quotes messages with commas', () => {
    const rows = parseCsv(exportReport(analysis.report, 'csv'));
    assert.deepEqual(rows[0], ['section', 'quantity', 'value', 'unit']);
    const find = (section: string, name: string) => rows.find((r) => r[0] === section && r[1] === name)!;
    assert.equal(Number(find('Model', 'parameters')[2]), 1008038758400);
    assert.equal(Number(find('MemoryX', 'required')[2]), analysis.report.memoryx!.requiredBytes);
    assert.equal(Number(find('Step', 'step time')[2]), analysis.report.timeline!.stepSeconds);
    const diagnostics = rows.filter((r) => r[0] === 'Diagnostics');
    assert.equal(diagnostics.length, analysis.report.diagnostics.length);
    assert.ok(diagnostics.length > 0, 'batch 1,000 with micro-batch 30 gives a batch-not-multiple warning');
    assert.ok(diagnostics.every((r, i) => r[2] === analysis.report.diagnostics[i].message));
    assert.ok(rows.every((r) => r.length === 4));
  });

  it('Markdown has one table per section and one row per figure', () => {
    const md = exportReport(analysis.report, 'markdown');
    const csvRows = parseCsv(exportReport(analysis.report, 'csv')).length - 1;
    for (const section of ['Model', 'Cluster', 'Training', 'MemoryX', 'Wafer', 'Step', 'Scaling']) assert.match(md, new RegExp(`^## ${section}$`, 'm'));
    const tableRows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| quantity') && !l.startsWith('| ---'));
    assert.equal(tableRows.length, csvRows);
    assert.ok(tableRows.every((l) => (l.match(/(?<!\\)\|/g) ?? []).length === 3), 'two cells per row');
  });

  it('JSON is the report itself', () => {
    assert.deepEqual(JSON.parse(exportReport(analysis.report, 'json')), JSON.parse(JSON.stringify(analysis.report)));
  });

  it('the plan: one CSV row per frontier plan, the recommended one marked; Markdown names it', () => {
    const result = planRun(analysis.simulationInput!, { deadlineDays: 20 * 365 });
    const rows = parseCsv(exportPlan(result, 'csv'));
    assert.equal(rows.length, result.plans.length + 1);
    assert.equal(rows[result.recommended! + 1].at(-1), 'recommended');
    assert.equal(Number(rows[1][3]), result.plans[0].stepSeconds);
    const md = exportPlan(result, 'markdown');
    assert.equal(md.split('\n').filter((l) => /^\| [\d,]+ x CS-3 \|/.test(l)).length, result.plans.length);
    assert.match(md, /recommended \|$/m);
    assert.deepEqual(JSON.parse(exportPlan(result, 'json')).plans.length, result.plans.length);
  });
});
