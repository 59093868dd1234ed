/**
 * Small hand-written reports and payloads for the view-model tests. The numbers are chosen so the
 * expected results can be worked out by hand in each test; they are not simulator output.
 */
import type { HeatmapPayload, LayerMemory, Report, ResultNotification, TimelineResult } from '../../../protocol/index';

export function layer(index: number, name: string, workingSetBytes: number): LayerMemory {
  // Split the working set 40/40/15/5 so segments are easy to check.
  return {
    index,
    name,
    parameters: workingSetBytes / 5,
    workingSetBytes,
    weightBytes: workingSetBytes * 0.4,
    gradientBytes: workingSetBytes * 0.4,
    activationBytes: workingSetBytes * 0.15,
    workspaceBytes: workingSetBytes * 0.05,
    checkpointBytes: 0,
    residentBytes: workingSetBytes,
  };
}

export const timeline: TimelineResult = {
  stepSeconds: 10,
  tokensPerSecond: 4096,
  mfu: 0.42,
  peak: { flops: 15e15, name: 'dense FP16 15 PFLOP/s per CS-3 (assumption)' },
  bottleneck: 'weight-streaming',
  phases: [
    { name: 'forward', seconds: 3, bound: 'weight-streaming' },
    { name: 'backward', seconds: 6, bound: 'compute' },
    { name: 'optimizer update', seconds: 1, bound: 'memoryx' },
  ],
  bars: [
    { lane: 'weights-fwd', start: 0, end: 1, layer: 0, label: 'layer 0 weights', bound: 'weight-streaming' },
    { lane: 'forward', start: 1, end: 3, layer: 0, label: 'layer 0 forward', bound: 'compute' },
    { lane: 'backward', start: 3, end: 9, layer: 0, label: 'layer 0 backward', bound: 'compute' },
    { lane: 'optimizer', start: 9, end: 10, label: 'update', bound: 'memoryx' },
  ],
  microBatchSeconds: 9,
  accumulationSteps: 1,
  timeToTrain: { tokens: 1e9, seconds: 86400, basis: '20 tokens per parameter' },
};

export function report(overrides: Partial<Report> = {}): Report {
  const layers = [
    layer(0, 'embedding', 1e9),
    layer(1, 'decoder 0', 30e9),
    layer(2, 'decoder 1', 31e9),
    layer(3, 'decoder 2', 29e9),
    layer(4, 'final norm + LM head', 2e9),
  ];
  return {
    file: '/work/example/gpt.yaml',
    format: 'modelzoo-trainer',
    model: {
      family: 'gpt3',
      architecture: 'gpt',
      parameters: 1_000_000_000_000,
      activeParameters: 1_000_000_000_000,
      embeddingParameters: 1e9,
      layers: 3,
      hiddenSize: 8192,
      numHeads: 64,
      numKvHeads: 64,
      ffnSize: 32768,
      vocabSize: 50257,
      sequenceLength: 2048,
    },
    cluster: { name: 'test', system: 'cs-3', systems: 16, memoryxCapacityBytes: 55e12, origin: 'default' },
    training: {
      globalBatchSize: 256,
      microBatchSize: 8,
      microBatchSource: 'config',
      numCsx: 4,
      numCsxSource: 'config',
      accumulationSteps: 8,
      optimizer: 'adamw',
      precision: 'bf16',
      sequenceLength: 2048,
    },
    memoryx: {
      requiredBytes: 16e12,
      capacityBytes: 55e12,
      fits: true,
      breakdown: { weights: 2e12, gradients: 2e12, masterWeights: 4e12, optimizerState: 8e12 },
      bytesPerParameter: 16,
      recommendedTierBytes: 1.2e15,
      vendorRuleBytes: 50e12,
      updateSeconds: 1,
    },
    wafer: {
      sramBytes: 44e9,
      perLayerPeakBytes: 31e9,
      activationBytesPerLayer: 4.65e9,
      fits: true,
      microBatch: 8,
      maxMicroBatch: 12,
      recommendedMicroBatch: 8,
      largestFittingMicroBatch: 12,
      headroomTarget: 0.1,
      largestLayer: { index: 2, name: 'decoder 1', parameters: 6.2e9, bytes: 31e9 },
      checkpoints: { bytes: 1e9, location: 'wafer' },
      layers,
      peakBytes: 32e9,
      peakLayer: { index: 2, name: 'decoder 1' },
      headroom: 1 - 32 / 44,
    },
    timeline,
    scaling: {
      systems: 4,
      speedupVs1: 3.9,
      efficiency: 0.975,
      curve: [
        { systems: 4, stepSeconds: 10, speedup: 3.9, efficiency: 0.975 },
        { systems: 1, stepSeconds: 39, speedup: 1, efficiency: 1 },
        { systems: 2, stepSeconds: 19.7, speedup: 1.98, efficiency: 0.99 },
      ],
    },
    constants: [
      { name: 'sramPerPe', value: 49152, unit: 'bytes', source: 'vendor', assumption: false },
      { name: 'denseFp16Peak', value: 15e15, unit: 'FLOP/s', source: 'ratio', assumption: true },
    ],
    diagnostics: [
      { severity: 'hint', code: 'io-bound', message: 'hint', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } },
      { severity: 'error', code: 'wafer-sram', message: 'error', range: { start: { line: 9, character: 0 }, end: { line: 9, character: 1 } } },
      { severity: 'warning', code: 'memoryx-headroom', message: 'warning', range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } } },
    ],
    ...overrides,
  };
}

export function result(status: ResultNotification['status'], r: Report | null = report()): ResultNotification {
  return { uri: 'file:///work/example/gpt.yaml', version: 3, inputs: 'abc-1', status, summary: 'one line', report: r };
}

/** Run-length coded as the protocol says, written with Node's own Buffer (independent of the decoder). */
function runsBase64(values: ArrayLike<number>): string {
  const pairs: number[] = [];
  for (let i = 0; i < values.length; ) {
    let end = i + 1;
    while (end < values.length && values[end] === values[i]) end++;
    pairs.push(end - i, values[i]);
    i = end;
  }
  const bytes = Buffer.alloc(pairs.length * 4);
  pairs.forEach((v, i) => bytes.writeUInt32LE(v, 4 * i));
  return bytes.toString('base64');
}

/** A payload with the given per-PE values. */
export function payload(width: number, height: number, occupancy: Uint16Array, utilization: Uint8Array, extra: Partial<HeatmapPayload> = {}): HeatmapPayload {
  return {
    uri: 'file:///work/example/gpt.yaml',
    layer: 1,
    layerName: 'decoder 0',
    layerCount: 5,
    width,
    height,
    sramPerPeBytes: 48 * 1024,
    dies: { columns: 7, rows: 12, assumption: true },
    occupancy: runsBase64(occupancy),
    utilization: runsBase64(utilization),
    regions: [],
    summary: { busyPes: 0, totalPes: width * height, sramUsedBytes: 0, sramTotalBytes: width * height * 48 * 1024, idleFraction: 1 },
    ...extra,
  };
}
