import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModelStructure, countParameters } from '../../../language-server/core/model/structure';
import type { ModelDescription } from '../../../language-server/core/types';
import {
  bloom7b1, deepseekV3, falcon180b, falcon7b, gpt2Small, llama2_70b, llama3_8b, llama3p2_1b, mistral7b,
  mixtral8x7b, qwen2_7b,
} from './descriptions';

/** Parameter counts Hugging Face transformers reported (built on the meta device and summed). */
const expected = JSON.parse(readFileSync('test/data/hf/expected-parameters.json', 'utf8')) as Record<string, number>;

function total(model: ModelDescription): bigint {
  return countParameters(model).total;
}

describe('model structure: exact parameter counts', () => {
  it('GPT-2 small matches the transformers count', () => {
    // By hand: layer = (4h^2 + 4h) attention + (8h^2 + 5h) MLP + 4h two LayerNorms = 12h^2 + 13h
    // = 7,087,872 for h = 768; x12 = 85,054,464; + wte 50257*768 = 38,597,376
    // + wpe 1024*768 = 786,432 + ln_f 1,536 = 124,439,808 (tied LM head not counted again).
    assert.equal(total(gpt2Small), 124_439_808n);
    assert.equal(total(gpt2Small), BigInt(expected['gpt2']));
  });

  it('Llama-2-70B matches the transformers count', () => {
    // By hand: attention h*a*d + 2*h*k*d + a*d*h = 67,108,864*2 + 16,777,216 = 150,994,944;
    // MLP 3*8192*28672 = 704,643,072; norms 2*8192; layer 855,654,400; x80 = 68,452,352,000;
    // embed + untied head 2*32000*8192 = 524,288,000; final norm 8192 -> 68,976,648,192.
    assert.equal(total(llama2_70b), 68_976_648_192n);
    assert.equal(total(llama2_70b), BigInt(expected['llama2-70b']));
  });

  it('Llama-3.2-1B (tied) matches the transformers count', () => {
    // By hand: attention 2048*2048*2 + 2*2048*512 = 10,485,760; MLP 3*2048*8192 = 50,331,648;
    // norms 4096; layer 60,821,504; x16 = 973,144,064; embedding 128256*2048 = 262,668,288 once
    // (tied); final norm 2048 -> 1,235,814,400.
    assert.equal(total(llama3p2_1b), 1_235_814_400n);
    assert.equal(total(llama3p2_1b), BigInt(expected['llama3.2-1b']));
  });

  it('Mixtral-8x7B matches the transformers count, and active counts only top-2 experts', () => {
    // By hand: attention 41,943,040 (as Llama-3-8B); 8 experts x 3*4096*14336 = 1,409,286,144;
    // router 4096*8 = 32,768; norms 8192; layer 1,451,270,144; x32 = 46,440,644,608;
    // embed + head 2*32000*4096 = 262,144,000; final norm 4096 -> 46,702,792,704.
    const counts = countParameters(mixtral8x7b);
    assert.equal(counts.total, 46_702_792_704n);
    assert.equal(counts.total, BigInt(expected['mixtral-8x7b']));
    // Active: 2 experts 352,321,536 instead of 8; layer 394,305,536; x32 = 12,617,777,152;
    // + 262,144,000 + 4096 = 12,879,925,248.
    assert.equal(counts.active, 12_879_925_248n);
  });

  it('Llama-3-8B', () => {
    // By hand: attention 4096*4096*2 + 2*4096*1024 = 41,943,040; MLP 3*4096*14336 = 176,160,768;
    // norms 8192; layer 218,112,000; x32 = 6,979,584,000; embed + head 2*128256*4096
    // = 1,050,673,152; final 4096 -> 8,030,261,248.
    assert.equal(total(llama3_8b), 8_030_261_248n);
  });

  it('Mistral-7B', () => {
    // Same block as Llama-3-8B (218,112,000 x 32 = 6,979,584,000) with V = 32000:
    // 2*32000*4096 = 262,144,000; final 4096 -> 7,241,732,096.
    assert.equal(total(mistral7b), 7_241_732_096n);
  });

  it('Qwen2-7B (Q/K/V biases)', () => {
    // By hand: q 3584^2 = 12,845,056 + bias 3584; k,v 2*3584*512 = 3,670,016 + bias 1024;
    // o 12,845,056 -> attention 29,364,736; MLP 3*3584*18944 = 203,685,888; norms 7168;
    // layer 233,057,792; x28 = 6,525,618,176; embed + head 2*152064*3584 = 1,089,994,752;
    // final 3584 -> 7,615,616,512.
    assert.equal(total(qwen2_7b), 7_615_616_512n);
  });

  it('Falcon-180B (new decoder architecture, fused QKV h*(a+2k)*d, two LayerNorms, no biases)', () => {
    // By hand: qkv 14848*(232+16)*64 = 235,667,456; dense 14848^2 = 220,463,104;
    // MLP 2*14848*59392 = 1,763,704,832; ln_attn + ln_mlp 4*14848 = 59,392; layer 2,219,894,784;
    // x80 = 177,591,582,720; embedding 65024*14848 = 965,476,352 (tied); ln_f 29,696
    // -> 178,557,088,768.
    assert.equal(total(falcon180b), 178_557_088_768n);
  });

  it('Falcon-7B (multi-query, one shared LayerNorm per parallel block)', () => {
    // By hand: qkv 4544*(4544 + 2*64) = 21,229,568; dense 4544^2 = 20,647,936;
    // MLP 2*4544*18176 = 165,183,488; one LayerNorm 9,088; layer 207,070,080;
    // x32 = 6,626,242,560; embedding 65024*4544 = 295,469,056; ln_f 9,088 -> 6,921,720,704.
    assert.equal(total(falcon7b), 6_921_720_704n);
  });

  it('BLOOM-7b1 (embedding LayerNorm, biases everywhere, ALiBi)', () => {
    // By hand: layer = 12h^2 + 13h = 201,326,592 + 53,248 = 201,379,840; x30 = 6,041,395,200;
    // embedding 250880*4096 = 1,027,604,480; embedding LayerNorm 8192 + ln_f 8192
    // -> 7,069,016,064.
    assert.equal(total(bloom7b1), 7_069_016_064n);
  });

  it('DeepSeek-V3 (MLA, 256 routed + 1 shared expert, 3 dense layers, no MTP layer)', () => {
    // By hand, attention: q_a 7168*1536 = 11,010,048; q_a norm 1536; q_b 1536*128*192
    // = 37,748,736; kv_a 7168*576 = 4,128,768; kv_a norm 512; kv_b 512*128*256 = 16,777,216;
    // o 128*128*7168 = 117,440,512 -> 187,107,328; + two norms 14,336 = 187,121,664.
    // Dense layer: + 3*7168*18432 = 396,361,728 -> 583,483,392; x3 = 1,750,450,176.
    // MoE layer: experts 256*3*7168*2048 = 11,274,289,152; shared 44,040,192; router 1,835,008
    // -> 11,507,286,016 (e_score_correction_bias is a buffer, not a parameter); x58 = 667,422,588,928.
    // Embedding and untied head 2*129280*7168 = 1,853,358,080; final norm 7168
    // -> 671,026,404,352.
    const counts = countParameters(deepseekV3);
    assert.equal(counts.total, 671_026_404_352n);
    // Active: 8 routed experts instead of 256: per MoE layer 248*44,040,192 = 10,921,967,616 fewer;
    // x58 = 633,474,121,728 -> 37,552,282,624 active.
    assert.equal(counts.active, 37_552_282_624n);
  });
});

describe('model structure: layers in weight-streaming order', () => {
  it('lists embedding, one decoder layer per block, then the head', () => {
    const structure = buildModelStructure(llama2_70b);
    assert.equal(structure.layers.length, 82);
    assert.equal(structure.layers[0]!.kind, 'embedding');
    assert.equal(structure.layers[1]!.kind, 'decoder');
    assert.equal(structure.layers[80]!.kind, 'decoder');
    assert.equal(structure.layers[81]!.kind, 'head');
    structure.layers.forEach((layer, i) => assert.equal(layer.index, i));
    const sum = structure.layers.reduce((acc, l) => acc + l.parameters, 0n);
    assert.equal(sum, structure.totalParameters);
  });

  it('keeps a tied LM head in the head layer but does not count it', () => {
    const structure = buildModelStructure(llama3p2_1b);
    const head = structure.layers[structure.layers.length - 1]!;
    const lmHead = head.tensors.find((t) => t.name === 'lm_head');
    assert.ok(lmHead);
    assert.deepEqual(lmHead.shape, [2048, 128256]);
    assert.equal(lmHead.tiedTo, 'embed_tokens');
    // Head = final RMSNorm only.
    assert.equal(head.parameters, 2048n);
    const untied = buildModelStructure(llama2_70b).layers.at(-1)!;
    assert.equal(untied.tensors.find((t) => t.name === 'lm_head')!.tiedTo, undefined);
    assert.equal(untied.parameters, 8192n + 8192n * 32000n);
  });

  it('counts an output bias even when the LM head weight is tied (Model Zoo use_bias_in_output)', () => {
    const withBias = { ...gpt2Small, bias: { ...gpt2Small.bias, lmHead: true } };
    assert.equal(total(withBias) - total(gpt2Small), 50257n);
  });

  it('marks routed experts with copies and active copies, and names MoE layers', () => {
    const structure = buildModelStructure(deepseekV3);
    assert.equal(structure.layers[1]!.name, 'decoder 0');
    assert.equal(structure.layers[4]!.name, 'decoder 3 (MoE)');
    const up = structure.layers[4]!.tensors.find((t) => t.name === 'experts.up')!;
    assert.deepEqual(up.shape, [7168, 2048]);
    assert.equal(up.copies, 256);
    assert.equal(up.activeCopies, 8);
    assert.ok(!structure.layers[1]!.tensors.some((t) => t.name.startsWith('experts')));
    // DeepSeek-V3's correction bias is a buffer: no tensor for it.
    assert.ok(!structure.layers[4]!.tensors.some((t) => t.name === 'router.bias'));
  });

  it('embedding parameters are the token plus learned position tables', () => {
    // GPT-2: 50257*768 + 1024*768 = 39,383,808.
    assert.equal(countParameters(gpt2Small).embedding, 39_383_808n);
    // BLOOM: the embedding LayerNorm is not an embedding table: 250880*4096 = 1,027,604,480.
    assert.equal(countParameters(bloom7b1).embedding, 1_027_604_480n);
  });
});
