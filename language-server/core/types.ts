/**
 * The shared vocabulary of WaferScope's core: the normalised description of a model, a training
 * job and a cluster that the config readers produce and the simulator consumes, plus the
 * editor-neutral diagnostic type that both the CLI and the language server publish.
 *
 * Nothing in `language-server/core/` may import `vscode` or any LSP package: the CLI, the tests and
 * the language server all run this same code.
 */
import type { DiagnosticCode } from './diagnosticCodes';

/** Zero-based, like LSP, so the server can pass ranges through unchanged. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One text edit; `file` is an absolute path when the edit targets another file (a cluster file). */
export interface FixEdit {
  file?: string;
  range: Range;
  newText: string;
  /** The edit writes a new file (`file`, with `newText` as its whole content). */
  create?: boolean;
}

/** What a quick fix does; carried in `diagnostic.data` so the server can build the code action. */
export interface FixData {
  title: string;
  edits: FixEdit[];
  /** An editor command to run instead of (or after) the edits, e.g. `waferscope.selectCluster`. */
  command?: string;
}

/** Another place that drives a diagnostic (LSP related information); `file` absent: the same document. */
export interface RelatedLocation {
  file?: string;
  range: Range;
  message: string;
}

export interface CoreDiagnostic {
  severity: Severity;
  /** Stable, kebab-case, listed in diagnosticCodes.ts and documented in the README's reference section. */
  code: DiagnosticCode;
  message: string;
  range: Range;
  /** Quick fixes for this diagnostic, most useful first. */
  fixes?: FixData[];
  /** The other keys that drive it. */
  related?: RelatedLocation[];
}

/** Where a normalised value was written: the key and the value, so diagnostics land on the right token. */
export interface SourceRef {
  /** YAML/JSON path of the key, e.g. ['trainer','init','model','hidden_size']. */
  path: (string | number)[];
  keyRange: Range;
  valueRange: Range;
}

export type ConfigFormat = 'modelzoo-trainer' | 'modelzoo-legacy' | 'hf-config' | 'cluster';

/** The structural kind of a decoder layer; the parameter count and the simulator branch on it. */
export type Architecture = 'gpt' | 'llama' | 'falcon' | 'bloom' | 'deepseek';

export interface MoeDescription {
  /** Routed experts per MoE layer. */
  numExperts: number;
  /** Routed experts used per token. */
  topK: number;
  /** Always-on shared experts (DeepSeek-V3); 0 for Mixtral. */
  numSharedExperts: number;
  /** Intermediate size of one routed expert. */
  expertFfnSize: number;
  /** Intermediate size of one shared expert. */
  sharedExpertFfnSize: number;
  /** The first `firstDenseLayers` layers use a dense MLP of `ffnSize` instead (DeepSeek-V3: 3). */
  firstDenseLayers: number;
  /**
   * The router is a Linear with a bias parameter (gpt-oss). DeepSeek-V3's `e_score_correction_bias`
   * is a buffer in transformers (no gradient, no optimizer state), so it does not set this.
   */
  routerBias: boolean;
  /** Every routed expert's matrices carry biases (gpt-oss). */
  expertBias?: boolean;
  /** Qwen2-MoE: a sigmoid gate Linear(hidden, 1) in front of the shared expert. */
  sharedExpertGate?: boolean;
}

/**
 * Exact norm flavour for the tensor list. `normKind` stays the coarse kind the simulator reads;
 * this says which tensors a norm has: RMSNorm a weight, LayerNorm a weight and a bias, Cohere's
 * LayerNorm only a weight, OLMo's non-parametric LayerNorm nothing.
 */
export type NormVariant = 'rmsnorm' | 'layernorm' | 'layernorm-no-bias' | 'non-parametric';

/** What one decoder layer is: attention over the whole context or a sliding window; dense MLP or experts. */
export interface LayerPattern {
  attention: 'global' | 'sliding';
  mlp: 'dense' | 'moe';
}

/** Multi-head latent attention (DeepSeek-V2/V3, Kimi K2). */
export interface MlaDescription {
  /** 0 means no low-rank query projection (q_proj is a full matrix). */
  qLoraRank: number;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

export interface ModelDescription {
  /** Family as the source names it: Model Zoo `name` (gpt3, llama, ...) or HF `model_type`. */
  family: string;
  architecture: Architecture;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  /** Key/value heads (GQA); equals numHeads for plain multi-head attention. */
  numKvHeads: number;
  headDim: number;
  /** Dense MLP intermediate ("filter") size. */
  ffnSize: number;
  vocabSize: number;
  maxPositionEmbeddings: number;
  positionEmbedding: 'learned' | 'rotary' | 'alibi' | 'none';
  /** `gated` = 3-matrix SwiGLU/GeGLU MLP, `plain` = 2-matrix GELU/ReLU MLP. */
  mlpKind: 'plain' | 'gated';
  normKind: 'layernorm' | 'rmsnorm';
  /** Norms per decoder layer (2 normally; Falcon-7B style parallel blocks have 1). */
  normsPerLayer: number;
  tiedEmbeddings: boolean;
  bias: {
    /** Q, K, V projections. */
    qkv: boolean;
    /** Attention output projection. */
    attnOut: boolean;
    /** MLP matrices. */
    mlp: boolean;
    /** LM head bias (Model Zoo use_bias_in_output); its own parameters even when the weight is tied. */
    lmHead: boolean;
  };
  /** LayerNorm right after the token embedding (BLOOM). */
  embeddingNorm: boolean;
  moe?: MoeDescription;
  mla?: MlaDescription;
  // ---- Optional architecture detail (absent = the plain block the fields above describe) ----
  /** Overrides `normKind` for which tensors each norm has. */
  normVariant?: NormVariant;
  /** Names of the norms in each decoder layer, in order (length `normsPerLayer`). */
  layerNormNames?: string[];
  /** Attention and MLP read the same input and are summed (GPT-J, Falcon, Phi, Cohere, GPT-NeoX). */
  parallelBlock?: boolean;
  /**
   * Query/key normalisation: 'per-head' = one head_dim-wide norm shared by all heads (Qwen3,
   * Gemma 3), 'full-width' = heads x head_dim values (OLMo 2, OLMoE, Cohere, StableLM).
   */
  qkNorm?: { width: 'per-head' | 'full-width'; variant: NormVariant };
  /** gpt-oss: one learned attention-sink logit per head. */
  attentionSinks?: boolean;
  /** Q, K and V in one matrix (same count; one matmul on the wafer). Default: by `architecture`. */
  fusedQkv?: boolean;
  /** A final norm before the LM head (default true). */
  finalNorm?: boolean;
  /** Sliding-window width in tokens for layers whose pattern says 'sliding'. */
  slidingWindow?: number;
  /** One entry per decoder layer; absent = every layer global, MoE from `moe.firstDenseLayers` on. */
  layerPatterns?: LayerPattern[];
  /** Tensors outside the decoder stack the model also owns (Gemma 3's vision tower and projector). */
  extraTensors?: WeightTensor[];
  /** transformers class the description follows (README table, hover). */
  definition?: string;
  /**
   * Set when the model type is outside the architecture table and the user asked to read it as
   * a supported type (`waferscope.readAs`): the count is an approximation, never exact.
   */
  approximation?: { readAs: string; reason: string };
}

export type Optimizer = 'adamw' | 'adam' | 'sgd' | 'sgd-momentum' | 'lamb' | 'adafactor';

export type Precision = 'fp32' | 'fp16' | 'bf16' | 'cbf16';

export type MicroBatchSetting = number | 'auto' | 'explore' | 'none';

export interface TrainingDescription {
  /** Global batch in sequences (Model Zoo >= 1.9.1: split over num_csx). */
  globalBatchSize: number;
  /** As written; undefined when the config names none (treated as 'auto'). */
  microBatchSize?: MicroBatchSetting;
  /** `micro_batch_size: {explore: {min, max}}`: the range the search is limited to. */
  microBatchExplore?: { min?: number; max?: number };
  /** Systems the job uses, from the config; undefined = all the cluster's systems. */
  numCsx?: number;
  sequenceLength: number;
  /** Mixed precision with this 16-bit type, or fp32 when precision is disabled. */
  precision: Precision;
  optimizer: Optimizer;
  /** Activation recompute policy; Cerebras does not publish it (assumption, see simulator). */
  recompute?: 'none' | 'selective' | 'full';
  maxSteps?: number;
}

export interface ClusterDescription {
  name: string;
  /** Hardware preset name: 'cs-3' or 'cs-2'. */
  system: string;
  /** CS-X systems available in the cluster. */
  systems: number;
  memoryxCapacityBytes: number;
  /** Hardware constant overrides, by their documented name. */
  overrides: Record<string, number>;
  /** Where this cluster came from. */
  origin: { kind: 'file'; file: string } | { kind: 'setting'; file: string } | { kind: 'default' };
}

/**
 * One config file, read and normalised. `sources` maps a canonical field name (for example
 * `model.hiddenSize`, `training.microBatchSize`, `training.numCsx`, `cluster.memoryxCapacity`)
 * to where it was written, so a diagnostic about that field lands on its key.
 */
export interface ConfigDocument {
  file: string;
  format: ConfigFormat | 'unknown';
  /** Decoder model, when the file describes one we model. */
  model?: ModelDescription;
  training?: TrainingDescription;
  /** A cluster file's own cluster. */
  cluster?: ClusterDescription;
  /** `# waferscope: cluster=<relative path>` as written, resolved against the file's folder. */
  clusterReference?: { path: string; range: Range };
  /** Model Zoo family we recognise but do not model (bert, t5, vit, ...). */
  unmodelledFamily?: string;
  sources: Record<string, SourceRef>;
  /** Syntax, type and validation diagnostics found while reading. */
  diagnostics: CoreDiagnostic[];
}

/** One weight tensor of a layer. `copies` > 1 for routed experts; `activeCopies` of them run per token. */
export interface WeightTensor {
  /** e.g. 'q_proj', 'mlp.up', 'experts.down', 'input_norm.weight'. */
  name: string;
  /** [rows, cols] for a matrix (input dim, output dim), [n] for a vector. */
  shape: [number, number] | [number];
  copies: number;
  activeCopies: number;
  /**
   * Set when this tensor shares its storage with another one (a tied LM head names the token
   * embedding). The matmul still runs, so the tensor is listed, but it is not counted again.
   */
  tiedTo?: string;
}

/** The layers the wafer runs one at a time in weight-streaming mode, in execution order. */
export interface LayerStructure {
  index: number;
  kind: 'embedding' | 'decoder' | 'head';
  /** e.g. 'embedding', 'decoder 0', 'decoder 3 (MoE)', 'final norm + LM head'. */
  name: string;
  tensors: WeightTensor[];
  parameters: bigint;
  activeParameters: bigint;
  /** A decoder layer's kind: global or sliding-window attention, dense or MoE MLP. */
  pattern?: LayerPattern;
}

export interface ModelStructure {
  layers: LayerStructure[];
  /** Exact, as Hugging Face transformers counts them (tied embeddings counted once). */
  totalParameters: bigint;
  activeParameters: bigint;
  /** Token (and learned position) embeddings. */
  embeddingParameters: bigint;
}
