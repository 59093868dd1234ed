import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { fixture, only, rangeAfter } from './helpers';

const BASE = fixture('test/data/modelzoo/pairs/gptj__gptj_6b.yaml').text;

function read(text: string) {
  return readConfig('/m/params.yaml', text);
}

describe("Model Zoo's own rules as diagnostics", () => {
  it('the base config is clean of these rules', () => {
    const codes = read(BASE).diagnostics.map((d) => d.code);
    for (const code of ['cbfloat16-loss-scaling', 'step-count-overflow', 'no-effect-on-csx']) assert.ok(!codes.includes(code as never), code);
  });

  it('cbfloat16 without dynamic loss scaling is an error, with a fix', () => {
    const text = BASE.replace('loss_scaling_factor: dynamic', 'loss_scaling_factor: 128.0');
    const error = only(read(text), 'cbfloat16-loss-scaling');
    assert.equal(error.severity, 'error');
    assert.equal(error.fixes?.[0]?.edits[0]?.newText, 'dynamic');
    assert.deepEqual(error.fixes?.[0]?.edits[0]?.range, rangeAfter(text, 'loss_scaling_factor:', '128.0'));
    // bfloat16 has no such rule.
    const bf16 = read(text.replaceAll('cbfloat16', 'bfloat16'));
    assert.ok(!bf16.diagnostics.some((d) => d.code === 'cbfloat16-loss-scaling'));
  });

  it('legacy layout: cbfloat16 in the model block needs optimizer.loss_scaling_factor: dynamic', () => {
    const legacy = fixture('test/data/modelzoo/legacy-2.2/llama__params_llama2_70b.yaml').text;
    const withCb = legacy.replace(/fp16_type: *"?\w+"?/, 'fp16_type: cbfloat16');
    assert.notEqual(withCb, legacy, 'the legacy fixture names an fp16_type');
    const scaling = /loss_scaling_factor: *"?dynamic"?/.test(withCb);
    const doc = read(withCb.replace(/loss_scaling_factor: *"?dynamic"?/, 'loss_scaling_factor: 1.0'));
    assert.equal(only(doc, 'cbfloat16-loss-scaling').severity, 'error');
    if (scaling) assert.ok(!read(withCb).diagnostics.some((d) => d.code === 'cbfloat16-loss-scaling'));
  });

  it('step counts above 2^31-1 are errors on the value', () => {
    const text = BASE.replace('max_steps: 1493333', 'max_steps: 2147483648');
    const error = only(read(text), 'step-count-overflow');
    assert.deepEqual(error.range, rangeAfter(text, 'max_steps:', '2147483648'));
    assert.ok(!read(BASE.replace('max_steps: 1493333', 'max_steps: 2147483647')).diagnostics.some((d) => d.code === 'step-count-overflow'));
  });

  it('grad_accum_steps has no effect on CS-X (information)', () => {
    const text = BASE.replace('      eval_frequency: 10000', '      eval_frequency: 10000\n      grad_accum_steps: 4');
    assert.equal(only(read(text), 'no-effect-on-csx').severity, 'information');
  });
});
