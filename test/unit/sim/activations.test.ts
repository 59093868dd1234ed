import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  activationTerms,
  headResidentBytesPerToken,
  storedActivationBytes,
  waferResidentBytesPerToken,
  type ActivationShape,
} from '../../../language-server/core/sim/activations';

interface MeasuredRow {
  kind: 'gpt' | 'llama' | 'llama-ckpt' | 'mixtral';
  h: number;
  a: number;
  kv?: number;
  f?: number;
  E?: number;
  k?: number;
  drop?: number;
  attn?: 'eager' | 'sdpa';
  b: number;
  s: number;
  recompute?: 'none' | 'full';
  per_layer_bytes: number;
  korthikanti_bytes?: number;
}

const measured = JSON.parse(readFileSync('test/data/measured-activations.json', 'utf8')) as { activations_per_layer: MeasuredRow[] };

/** The layer shape of one measured row (GPT rows: 4h GELU MLP, multi-head attention). */
function shapeOf(row: MeasuredRow): ActivationShape {
  const gated = row.kind !== 'gpt';
  return {
    sequenceLength: row.s,
    microBatch: row.b,
    hiddenSize: row.h,
    numHeads: row.a,
    numKvHeads: row.kv ?? row.a,
    headDim: row.h / row.a,
    ffnSize: row.f ?? 4 * row.h,
    mlpKind: gated ? 'gated' : 'plain',
    normsPerLayer: 2,
    attention: row.attn === 'eager' ? 'eager' : 'flash',
    dropout: (row.drop ?? 0) > 0,
    recompute: row.recompute ?? 'none',
    elementBytes: 2,
    moe: row.kind === 'mixtral' ? { numExperts: row.E!, topK: row.k!, expertFfnSize: row.f!, numSharedExperts: 0, sharedExpertFfnSize: 0 } : undefined,
  };
}

/**
 * First-principles bytes, written from the published formulas (estimation.md), not from the code:
 * GPT: Korthikanti sbh(34 + 5as/h) with eager attention, 34 sbh with flash (no score terms);
 * Llama: 12sbh + 4sbkd + 6sbf (+ the 2as^2b softmax output with eager attention);
 * Mixtral: the Llama count with top-k expert MLPs; full recompute: the layer input 2sbh.
 */
function firstPrinciples(row: MeasuredRow): number {
  const { s, b, h, a } = row;
  const d = h / a;
  if (row.recompute === 'full') return 2 * s * b * h;
  if (row.kind === 'gpt') return row.attn === 'eager' ? s * b * h * (34 + (5 * a * s) / h) : 34 * s * b * h;
  const k = row.kv ?? a;
  const f = row.f!;
  const mlp = row.kind === 'mixtral' ? row.k! * 6 * s * b * f : 6 * s * b * f;
  const scores = row.attn === 'eager' ? 2 * a * s * s * b : 0;
  return 12 * s * b * h + 4 * s * b * k * d + mlp + scores;
}

describe('activation model: stored activations per layer', () => {
  for (const row of measured.activations_per_layer) {
    const name = `${row.kind} h=${row.h} a=${row.a}${row.kv ? ` kv=${row.kv}` : ''} s=${row.s} b=${row.b} ${row.attn ?? ''} ${row.recompute ?? ''}`;
    it(`lands between the first-principles count and the measured bytes: ${name}`, () => {
      const model = storedActivationBytes(shapeOf(row));
      const fp = firstPrinciples(row);
      const low = Math.min(fp, row.per_layer_bytes);
      const high = Math.max(fp, row.per_layer_bytes);
      assert.ok(model >= low && model <= high, `model ${model} not in [${low}, ${high}] (first principles ${fp}, measured ${row.per_layer_bytes})`);
    });
  }

  it('reproduces Korthikanti exactly for the dropout + eager GPT rows once the fp32 norm copies (4sbh) are removed', () => {
    const row = measured.activations_per_layer.find((r) => r.kind === 'gpt' && r.attn === 'eager' && r.h === 2048)!;
    const implementation = activationTerms(shapeOf(row))
      .filter((t) => t.kind === 'implementation')
      .reduce((sum, t) => sum + t.bytesPerToken, 0);
    // Two LayerNorms keep an fp32 input instead of a 16-bit one: 2 x 2h bytes per token.
    assert.equal(implementation, 4 * row.h);
    assert.equal(storedActivationBytes(shapeOf(row)) - implementation * row.s * row.b, row.korthikanti_bytes);
  });

  it('selective recompute drops exactly the 5as^2b score terms of an eager layer with dropout', () => {
    const row = measured.activations_per_layer.find((r) => r.kind === 'gpt' && r.attn === 'eager')!;
    const none = storedActivationBytes(shapeOf(row));
    const selective = storedActivationBytes({ ...shapeOf(row), recompute: 'selective' });
    assert.equal(none - selective, 5 * row.a * row.s * row.s * row.b);
  });

  it('grows linearly with the micro-batch', () => {
    const shape = shapeOf(measured.activations_per_layer[5]);
    const one = storedActivationBytes({ ...shape, microBatch: 1 });
    assert.equal(storedActivationBytes({ ...shape, microBatch: 7 }), 7 * one);
  });
});

describe('activation model: what the wafer holds while a layer runs', () => {
  const gptXl: ActivationShape = {
    sequenceLength: 2048,
    microBatch: 1,
    hiddenSize: 2048,
    numHeads: 16,
    numKvHeads: 16,
    headDim: 128,
    ffnSize: 8192,
    mlpKind: 'plain',
    normsPerLayer: 2,
    attention: 'flash',
    dropout: false,
    recompute: 'full',
    elementBytes: 2,
  };

  it('GPT-3 XL layer: 12h whole-batch bytes plus one 2048-column MLP slice per token', () => {
    // X, mid residual, incoming gradient, normalised input (2 B each) + fp32 accumulator (4 B)
    // = 12 B per hidden element; MLP slice = pre-activation, activation output, its gradient
    // (3 x 2 B) x 2048 columns.
    const resident = waferResidentBytesPerToken(gptXl, 2048);
    assert.equal(resident.peak, 'mlp');
    assert.equal(resident.total, 12 * 2048 + 3 * 2 * 2048);
  });

  it('a gated MLP keeps the gate too: 4 tensors per slice column', () => {
    const resident = waferResidentBytesPerToken({ ...gptXl, mlpKind: 'gated', ffnSize: 5632 }, 2048);
    assert.equal(resident.total, 12 * 2048 + 4 * 2 * 2048);
  });

  it('a filter narrower than the slice is held whole', () => {
    const resident = waferResidentBytesPerToken({ ...gptXl, ffnSize: 1024 }, 2048);
    assert.equal(resident.total, 12 * 2048 + 3 * 2 * 1024);
  });

  it('MoE adds top-k slices and the dispatch buffers', () => {
    const moe = { numExperts: 8, topK: 2, expertFfnSize: 14336, numSharedExperts: 0, sharedExpertFfnSize: 0 };
    const resident = waferResidentBytesPerToken({ ...gptXl, hiddenSize: 4096, mlpKind: 'gated', moe }, 2048);
    // 12h + top-2 x 4 x 2 B x 2048 + (inputs and outputs of 2 routes: 2 x 2 x 2 B x h) + router 2 x 4 B x 8.
    assert.equal(resident.total, 12 * 4096 + 2 * 8 * 2048 + 8 * 4096 + 64);
  });

  it('is far below what a GPU keeps for the same layer (it recomputes instead of storing)', () => {
    const stored = storedActivationBytes({ ...gptXl, recompute: 'none' }) / 2048;
    assert.ok(waferResidentBytesPerToken(gptXl, 2048).total < stored);
  });

  it('the LM head never materialises the full fp32 logits', () => {
    const vocab = 128256;
    const head = headResidentBytesPerToken(16384, vocab, 2, 2048);
    // 2 x 2 B x h + fp32 accumulator 4h + 3 fp32 statistics + fp32 logits and gradient of one slice.
    assert.equal(head.total, 4 * 16384 + 4 * 16384 + 12 + 8 * 2048);
    assert.ok(head.total < 4 * vocab, 'sliced head must be smaller than 4V bytes per token of logits');
  });
});
