import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../language-server/core/analyze';
import { formatReport } from '../../../language-server/core/format/reportText';
import { SUPPORTED_MODEL_TYPES } from '../../../language-server/core/model/architectures';
import { inlayHints } from '../../../language-server/services/inlayHints';

const UNKNOWN = JSON.stringify({
  model_type: 'minimax_like',
  hidden_size: 2048,
  num_hidden_layers: 16,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  intermediate_size: 8192,
  vocab_size: 128256,
}, null, 2);

const options = { readFile: () => undefined };

describe('unknown model types: no number by default, a marked approximation on request', () => {
  it('gives no count and no verdict: status not-modelled, report.model null', () => {
    const analysis = analyze('/m/config.json', UNKNOWN, options);
    assert.equal(analysis.status, 'not-modelled');
    assert.equal(analysis.report.model, null);
    assert.equal(analysis.report.memoryx, undefined);
    assert.doesNotMatch(analysis.summary, /params/);
    const warning = analysis.report.diagnostics.find((d) => d.code === 'unsupported-model-type');
    assert.equal(warning?.severity, 'warning');
  });

  it('with readAs: every surface that prints the count prefixes ≈, the JSON carries the flag', () => {
    const analysis = analyze('/m/config.json', UNKNOWN, { ...options, readAs: { minimax_like: 'llama' } });
    const model = analysis.report.model!;
    assert.deepEqual(model.approximation?.readAs, 'llama');
    assert.match(model.approximation!.reason, /minimax_like/);
    assert.equal(JSON.parse(JSON.stringify(analysis.report)).model.approximation.readAs, 'llama');
    // Code lens / status bar / panel headline.
    assert.match(analysis.summary, /^≈[\d.]+[ \u00a0]B[ \u00a0]params/);
    // Report text: the count and its exact-looking integer both carry ≈.
    const text = formatReport(analysis.report);
    assert.match(text, /parameters\s+≈[\d,]+ \(≈[\d.]+[ \u00a0]B\)/);
    assert.match(text, /approximation\s+read as llama/);
    // Inlay hint on num_hidden_layers.
    const hints = inlayHints(analysis, { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } });
    assert.ok(hints.some((h) => String(h.label).startsWith('= ≈')), JSON.stringify(hints));
    assert.equal(analysis.report.diagnostics.find((d) => d.code === 'approximate-reading')?.severity, 'warning');
  });

  it('an exact count carries no ≈ anywhere', () => {
    const exact = analyze('/m/config.json', UNKNOWN.replace('minimax_like', 'llama'), options);
    assert.equal(exact.report.model!.approximation, undefined);
    assert.doesNotMatch(exact.summary, /≈/);
    assert.doesNotMatch(formatReport(exact.report), /≈/);
  });

  it('the waferscope.readAs setting offers exactly the supported types', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    const setting = manifest.contributes.configuration.find((group: { properties: Record<string, unknown> }) => 'waferscope.readAs' in group.properties).properties['waferscope.readAs'];
    assert.equal(setting.scope, 'resource');
    assert.deepEqual([...setting.additionalProperties.enum].sort(), [...SUPPORTED_MODEL_TYPES].sort());
  });
});
