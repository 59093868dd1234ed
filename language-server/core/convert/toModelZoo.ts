/**
 * A Hugging Face config.json of a family the Cerebras Model Zoo trains, written as the equivalent
 * Model Zoo trainer-layout YAML (Model Zoo's own key names: num_heads, filter_size, nonlinearity,
 * share_embedding_weights, extra_attention_params.num_kv_groups, ...).
 *
 * The YAML is offered only when WaferScope reads it back to exactly the same parameter count as
 * the config.json (checked here, by reading it), so a conversion never changes the model.
 */
import * as YAML from 'yaml';
import { readConfig } from '../config/read';
import { countParameters } from '../model/structure';
import type { ModelDescription, TrainingDescription } from '../types';

/** HF model type -> Model Zoo model `name` for the families the Model Zoo ships. */
export const MODELZOO_FAMILY_OF: Record<string, string> = {
  gpt2: 'gpt2',
  llama: 'llama',
  mistral: 'mistral',
  mixtral: 'mixtral',
  falcon: 'falcon',
  bloom: 'bloom',
  gptj: 'gptj',
  gpt_bigcode: 'starcoder',
  gemma2: 'gemma2',
};

export interface ModelZooConversion {
  /** Model Zoo family name written into the file. */
  family: string;
  /** Suggested file name, beside the config.json. */
  fileName: string;
  yaml: string;
}

/** GELU for the plain MLPs, SwiGLU / GeGLU for the gated ones, as the families use them. */
function nonlinearityOf(model: ModelDescription, family: string): string {
  if (model.mlpKind === 'plain') return 'gelu';
  return family === 'gemma2' ? 'geglu' : 'swiglu';
}

function modelBlock(model: ModelDescription, family: string): Record<string, unknown> {
  const block: Record<string, unknown> = {
    name: family,
    vocab_size: model.vocabSize,
    hidden_size: model.hiddenSize,
    num_hidden_layers: model.numLayers,
    num_heads: model.numHeads,
    filter_size: model.ffnSize,
    max_position_embeddings: model.maxPositionEmbeddings,
    position_embedding_type: model.positionEmbedding === 'none' ? null : model.positionEmbedding,
    nonlinearity: nonlinearityOf(model, family),
    norm_type: model.normKind,
    share_embedding_weights: model.tiedEmbeddings,
    use_projection_bias_in_attention: model.bias.qkv,
    use_ffn_bias_in_attention: model.bias.attnOut,
    use_ffn_bias: model.bias.mlp,
    use_bias_in_output: model.bias.lmHead,
    dropout_rate: 0.0,
  };
  if (model.headDim * model.numHeads !== model.hiddenSize) block.attention_inner_dim = model.headDim * model.numHeads;
  if (model.numKvHeads !== model.numHeads) {
    block.attention_module = 'multiquery_attention';
    block.extra_attention_params = { num_kv_groups: model.numKvHeads };
  }
  if (model.embeddingNorm) block.embedding_layer_norm = true;
  // Falcon-40B/180B: parallel attention and MLP with a norm each.
  if (family === 'falcon' && model.normsPerLayer === 2) block.use_untied_layer_norm = true;
  if (model.normsPerLayer === 4) block.norm_first_sandwich = true;
  if (model.slidingWindow !== undefined && model.layerPatterns?.some((p) => p.attention === 'sliding')) {
    block.attention_sliding_window_length = model.slidingWindow;
    const everyOther = model.layerPatterns.every((p, i) => (p.attention === 'sliding') === (i % 2 === 0));
    if (everyOther) block.sliding_window_every_other_decoder_layer = true;
  }
  if (model.moe) block.moe = { num_experts: model.moe.numExperts, top_k: model.moe.topK };
  return block;
}

function fp16Type(training: TrainingDescription): string {
  return training.precision === 'fp16' ? 'float16' : 'bfloat16';
}

/**
 * The trainer-layout YAML for a config.json's model, or undefined when its family is not one the
 * Model Zoo ships or the YAML would not read back to the same count.
 */
export function toModelZooYaml(modelType: string, model: ModelDescription, training: TrainingDescription): ModelZooConversion | undefined {
  const family = MODELZOO_FAMILY_OF[modelType];
  if (!family || model.approximation) return undefined;
  const document = {
    trainer: {
      init: {
        backend: { backend_type: 'CSX' },
        model: modelBlock(model, family),
        optimizer: { AdamW: { betas: [0.9, 0.95], weight_decay: 0.1 } },
        precision: { enabled: true, fp16_type: fp16Type(training), loss_scaling_factor: 'dynamic' },
        loop: { max_steps: training.maxSteps ?? 1000 },
        callbacks: [{ ScopedTrainFlags: { 'csx.performance.micro_batch_size': 'auto' } }],
      },
      fit: {
        train_dataloader: {
          data_processor: 'GptHDF5MapDataProcessor',
          batch_size: training.globalBatchSize,
          max_sequence_length: training.sequenceLength,
        },
      },
    },
  };
  const header =
    `# ${family} in Cerebras Model Zoo trainer layout, written by WaferScope from a Hugging Face config.json.\n` +
    '# The training settings are the ones WaferScope assumed for the config.json (AdamW, batch 512, the context\n' +
    '# capped at 8,192 tokens); set your own. data_dir is yours to add.\n';
  const yaml = header + YAML.stringify(document, { lineWidth: 0 });
  const fileName = `params_${family}_from_hf.yaml`;
  // Read it back: only a file that means the same model is offered.
  const back = readConfig(`/${fileName}`, yaml);
  if (!back.model || back.diagnostics.some((d) => d.severity === 'error')) return undefined;
  if (countParameters(back.model).total !== countParameters(model).total) return undefined;
  return { family, fileName, yaml };
}
