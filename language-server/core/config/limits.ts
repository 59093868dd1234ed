/**
 * Upper bounds past which a value is treated as a typo rather than a plan ('out-of-range'). They
 * are far above any published model so no real configuration trips them, and low enough that
 * nothing downstream (one layer object per decoder block, bigint sums) can take noticeable time.
 */
export const LIMITS = {
  /** Largest published dense widths are ~2e4 (Llama-3.1-405B: 16,384). */
  hiddenSize: 1_000_000,
  /**
   * Deepest published LLMs have under 200 blocks (Llama-3.1-405B: 126). The simulator and the
   * report keep one entry per block, so 10,000 made every published result 2 MB or more.
   */
  numLayers: 1_000,
  numHeads: 100_000,
  headDim: 100_000,
  /** Largest published dense FFN ~5e4 (Llama-3.1-405B: 53,248). */
  ffnSize: 10_000_000,
  /** Largest published vocabularies ~2.6e5. */
  vocabSize: 100_000_000,
  /** Longest published contexts ~1e7 tokens. */
  maxPositionEmbeddings: 100_000_000,
  /** DeepSeek-V3: 256 routed experts, Kimi K2: 384. */
  numExperts: 100_000,
  loraRank: 1_000_000,
  /** Sequences per step. */
  batchSize: 1_000_000_000,
  sequenceLength: 100_000_000,
  maxSteps: 1_000_000_000_000,
  /** A SwarmX cluster holds up to 2,048 CS-3; past this the number is a typo. */
  systems: 1_000_000,
  /** 1 ZB; the largest announced MemoryX is 1.2 PB. */
  capacityBytes: 1e21,
} as const;
