import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readConfig } from '../../../language-server/core/config/read';
import { countParameters } from '../../../language-server/core/model/structure';
import type { ConfigDocument } from '../../../language-server/core/types';
import { allFixtures, errors, fixture, rangeAfter, rangeOfText } from './helpers';

/** Parameter counts Hugging Face transformers reported for the HF fixtures. */
const expected = JSON.parse(readFileSync('test/data/hf/expected-parameters.json', 'utf8')) as Record<string, number>;

function read(path: string): ConfigDocument {
  const f = fixture(path);
  return readConfig(f.absolute, f.text);
}

function total(doc: ConfigDocument): bigint {
  assert.ok(doc.model, `no model in ${doc.file}: ${JSON.stringify(doc.diagnostics)}`);
  return countParameters(doc.model).total;
}

describe('config fixtures', () => {
  it('reads every fixture without an error diagnostic or an unknown key', () => {
    const fixtures = allFixtures();
    assert.ok(fixtures.length >= 17, `only ${fixtures.length} fixtures found`);
    for (const f of fixtures) {
      const doc = readConfig(f.absolute, f.text);
      assert.notEqual(doc.format, 'unknown', f.path);
      assert.deepEqual(errors(doc), [], f.path);
      assert.deepEqual(doc.diagnostics.filter((d) => d.code === 'unknown-key'), [], f.path);
      if (!doc.unmodelledFamily) {
        assert.ok(doc.model, `${f.path} has no model`);
        assert.ok(doc.training, `${f.path} has no training`);
      }
    }
  });

  it('BERT gives exactly one not-modelled information and nothing else', () => {
    const path = 'test/data/modelzoo/current/bert__bert_base_MSL128.yaml';
    const f = fixture(path);
    const doc = readConfig(f.absolute, f.text);
    assert.equal(doc.format, 'modelzoo-trainer');
    assert.equal(doc.unmodelledFamily, 'bert');
    assert.equal(doc.model, undefined);
    assert.equal(doc.diagnostics.length, 1);
    const [diagnostic] = doc.diagnostics;
    assert.equal(diagnostic!.severity, 'information');
    assert.equal(diagnostic!.code, 'not-modelled');
    assert.deepEqual(diagnostic!.range, rangeOfText(f.text, '"bert"'));
  });

  it('detects the layout of each fixture', () => {
    assert.equal(read('test/data/modelzoo/current/gpt3__params_gpt3_xl.yaml').format, 'modelzoo-trainer');
    assert.equal(read('test/data/modelzoo/legacy-2.2/gpt3__params_gpt3_xl.yaml').format, 'modelzoo-legacy');
    assert.equal(read('test/data/modelzoo/legacy-1.8/gpt3__Cerebras_GPT_6p7b.yaml').format, 'modelzoo-legacy');
    assert.equal(read('test/data/hf/gpt2.config.json').format, 'hf-config');
  });

  it('GPT-3 XL (trainer): model, training and where each key was written', () => {
    const path = 'test/data/modelzoo/current/gpt3__params_gpt3_xl.yaml';
    const f = fixture(path);
    const doc = readConfig(f.absolute, f.text);
    const model = doc.model!;
    assert.equal(model.family, 'gpt3');
    assert.equal(model.architecture, 'gpt');
    assert.equal(model.hiddenSize, 2048);
    assert.equal(model.numLayers, 24);
    assert.equal(model.numHeads, 16);
    assert.equal(model.numKvHeads, 16);
    assert.equal(model.headDim, 128);
    assert.equal(model.ffnSize, 8192);
    assert.equal(model.vocabSize, 50257);
    assert.equal(model.positionEmbedding, 'learned');
    assert.equal(model.mlpKind, 'plain');
    assert.equal(model.normKind, 'layernorm');
    assert.equal(model.tiedEmbeddings, true);
    assert.deepEqual(model.bias, { qkv: true, attnOut: true, mlp: true, lmHead: false });
    assert.deepEqual(doc.training, {
      globalBatchSize: 528,
      microBatchSize: 88,
      sequenceLength: 2048,
      precision: 'cbf16',
      optimizer: 'adamw',
      maxSteps: 24334,
    });
    assert.deepEqual(doc.sources['model.hiddenSize']!.path, ['trainer', 'init', 'model', 'hidden_size']);
    assert.deepEqual(doc.sources['model.hiddenSize']!.keyRange, rangeOfText(f.text, 'hidden_size'));
    assert.deepEqual(doc.sources['model.hiddenSize']!.valueRange, rangeOfText(f.text, '2048'));
    assert.deepEqual(doc.sources['training.microBatchSize']!.path, [
      'trainer', 'init', 'callbacks', 0, 'ScopedTrainFlags', 'csx.performance.micro_batch_size',
    ]);
    assert.deepEqual(doc.sources['training.microBatchSize']!.valueRange, rangeAfter(f.text, 'ScopedTrainFlags', '88'));
    assert.deepEqual(doc.sources['training.globalBatchSize']!.valueRange, rangeAfter(f.text, 'batch_size:', '528'));
    assert.deepEqual(doc.sources['training.optimizer']!.keyRange, rangeOfText(f.text, 'AdamW'));
    assert.deepEqual(doc.sources['training.precision']!.valueRange, rangeAfter(f.text, 'fp16_type:', 'cbfloat16'));
    assert.deepEqual(doc.sources['training.maxSteps']!.valueRange, rangeAfter(f.text, 'max_steps:', '24334'));
    assert.deepEqual(doc.sources['model.block']!.keyRange, rangeAfter(f.text, 'backend_type', 'model'));
    // GPT-3 XL by hand: layer 12h^2 + 13h = 50,358,272 (h = 2048, f = 4h); x24 = 1,208,598,528;
    // wte 50257*2048 = 102,926,336; wpe 2048*2048 = 4,194,304; ln_f 4096 -> 1,315,723,264.
    assert.equal(total(doc), 1_315_723_264n);
  });

  it('legacy GPT-3 XL reads the same model and training as the trainer layout', () => {
    const trainer = read('test/data/modelzoo/current/gpt3__params_gpt3_xl.yaml');
    const legacy = read('test/data/modelzoo/legacy-2.2/gpt3__params_gpt3_xl.yaml');
    assert.deepEqual(legacy.model, trainer.model);
    assert.deepEqual(legacy.training, trainer.training);
    assert.deepEqual(legacy.sources['training.microBatchSize']!.path, ['train_input', 'micro_batch_size']);
  });

  it('Cerebras-GPT 6.7B: 1.x legacy (use_bfloat16) and trainer agree', () => {
    const legacy = read('test/data/modelzoo/legacy-1.8/gpt3__Cerebras_GPT_6p7b.yaml');
    const trainer = read('test/data/modelzoo/current/gpt3__Cerebras_GPT_6p7b.yaml');
    // By hand: 12h^2 + 13h = 201,379,840 (h = 4096) x32 = 6,444,154,880; wte 50257*4096
    // = 205,852,672; wpe 2048*4096 = 8,388,608; ln_f 8192 -> 6,658,404,352.
    assert.equal(total(legacy), 6_658_404_352n);
    assert.equal(total(trainer), 6_658_404_352n);
    assert.equal(legacy.training!.precision, 'bf16');
    assert.equal(trainer.training!.precision, 'bf16');
    // The legacy file predates the global batch: 130 = 65 micro x 2 accumulation per box.
    assert.equal(legacy.training!.globalBatchSize, 130);
    assert.equal(legacy.training!.sequenceLength, 2048);
    assert.equal(trainer.training!.globalBatchSize, 1040);
    assert.equal(trainer.training!.microBatchSize, undefined);
  });

  it('Llama-2-70B: Model Zoo (both layouts) and Hugging Face give 68,976,648,192', () => {
    const hf = read('test/data/hf/llama2-70b.config.json');
    const trainer = read('test/data/modelzoo/current/llama__params_llama2_70b.yaml');
    const legacy = read('test/data/modelzoo/legacy-2.2/llama__params_llama2_70b.yaml');
    for (const doc of [hf, trainer, legacy]) {
      assert.equal(total(doc), 68_976_648_192n, doc.file);
      assert.equal(total(doc), BigInt(expected['llama2-70b']));
      assert.equal(doc.model!.numKvHeads, 8);
      assert.equal(doc.model!.mlpKind, 'gated');
      assert.equal(doc.model!.tiedEmbeddings, false);
    }
    assert.equal(legacy.model!.family, 'llama');
    assert.equal(legacy.training!.precision, 'cbf16');
    assert.equal(trainer.training!.globalBatchSize, 55);
    assert.equal(trainer.training!.microBatchSize, undefined);
  });

  it('Llama-3.2-1B: Model Zoo matches the Hugging Face count (tied)', () => {
    const mz = read('test/data/modelzoo/current/llama__params_llama3p2_1b_msl_8k.yaml');
    const hf = read('test/data/hf/llama3.2-1b.config.json');
    assert.equal(total(mz), BigInt(expected['llama3.2-1b']));
    assert.equal(total(hf), BigInt(expected['llama3.2-1b']));
    assert.equal(mz.model!.tiedEmbeddings, true);
    assert.equal(mz.training!.microBatchSize, 8);
    assert.equal(mz.training!.globalBatchSize, 1024);
    // No max_sequence_length in the dataloader: the model's 8192 positions.
    assert.equal(mz.training!.sequenceLength, 8192);
  });

  it('Mixtral-8x7B: Model Zoo matches the Hugging Face count, with top-2 routing', () => {
    const mz = read('test/data/modelzoo/current/mixtral__params_mixtral_8x7b.yaml');
    const hf = read('test/data/hf/mixtral-8x7b.config.json');
    assert.equal(total(mz), BigInt(expected['mixtral-8x7b']));
    assert.equal(total(hf), BigInt(expected['mixtral-8x7b']));
    for (const doc of [mz, hf]) {
      assert.equal(doc.model!.moe!.numExperts, 8);
      assert.equal(doc.model!.moe!.topK, 2);
      assert.equal(doc.model!.moe!.expertFfnSize, 14336);
    }
    assert.ok(mz.sources['moe.numExperts']);
    assert.ok(mz.sources['moe.topK']);
    // Active: 2 of 8 experts, 12,879,925,248 (see the structure tests for the derivation).
    assert.equal(countParameters(mz.model!).active, 12_879_925_248n);
  });

  it('GPT-2 config.json matches the transformers count', () => {
    const doc = read('test/data/hf/gpt2.config.json');
    assert.equal(total(doc), BigInt(expected['gpt2']));
    assert.equal(doc.model!.ffnSize, 3072);
    assert.equal(doc.model!.maxPositionEmbeddings, 1024);
  });

  it('BLOOM 7B: ALiBi, embedding LayerNorm, biases: 7,069,016,064', () => {
    const doc = read('test/data/modelzoo/current/bloom__params_bloom_7b.yaml');
    assert.equal(doc.model!.architecture, 'bloom');
    assert.equal(doc.model!.positionEmbedding, 'alibi');
    assert.equal(doc.model!.embeddingNorm, true);
    // By hand in the structure tests: 30 x (12h^2 + 13h) + V*h + 4h.
    assert.equal(total(doc), 7_069_016_064n);
  });

  it('Falcon-180B: GQA with 8 KV heads, two LayerNorms per parallel block', () => {
    const doc = read('test/data/modelzoo/current/falcon__params_falcon_180b.yaml');
    assert.equal(doc.model!.architecture, 'falcon');
    assert.equal(doc.model!.numKvHeads, 8);
    assert.equal(doc.model!.normsPerLayer, 2);
    assert.equal(doc.training!.optimizer, 'adamw');
    // By hand in the structure tests: 178,557,088,768.
    assert.equal(total(doc), 178_557_088_768n);
  });

  it('Llama-3.1-70B and 405B as the Model Zoo writes them', () => {
    const l70 = read('test/data/modelzoo/current/llama__params_llama3p1_70b_msl_8k.yaml');
    // Llama-3.1-70B by hand: attention 2*8192^2 + 2*8192*1024 = 150,994,944; MLP 3*8192*28672
    // = 704,643,072; norms 16,384; layer 855,654,400 x80 = 68,452,352,000; embed + head
    // 2*128256*8192 = 2,101,346,304; final 8192 -> 70,553,706,496.
    assert.equal(total(l70), 70_553_706_496n);
    const l405 = read('test/data/modelzoo/current/llama__params_llama3p1_405b_msl_128k.yaml');
    // The Model Zoo file sets num_kv_groups: 16 (Meta's model has 8 KV heads, 405,853,388,800).
    // By hand with 16: attention 2*16384^2 + 2*16384*2048 = 603,979,776; MLP 3*16384*53248
    // = 2,617,245,696; norms 32,768; layer 3,221,258,240 x126 = 405,878,538,240; embed + head
    // 2*128256*16384 = 4,202,692,608; final 16,384 -> 410,081,247,232.
    assert.equal(l405.model!.numKvHeads, 16);
    assert.equal(total(l405), 410_081_247_232n);
    assert.equal(l405.training!.sequenceLength, 131072);
    assert.equal(l405.training!.microBatchSize, 1);
  });
});
