/**
 * The hardware (and the few modelling choices) every simulator number rests on, as one documented
 * table per system preset. Each entry is `{ name, value, unit, source, assumption }`; entries with
 * `assumption: true` are not published by the vendor and are shown to the user as such. A cluster
 * file may override any entry by its name (`overrides: { system_io: 195e9 }`).
 *
 * Units are base SI units throughout: bytes, bytes per second, FLOP per second, seconds, hertz.
 * Capacities use decimal prefixes (1 TB = 1e12 B), the convention Cerebras announces them in.
 *
 * | name | CS-3 (WSE-3) | CS-2 (WSE-2) | unit | assumption |
 * | --- | --- | --- | --- | --- |
 * | cores | 900,000 | 850,000 | cores | no |
 * | sram_per_core | 49,152 (48 KB) | 49,152 | B | no |
 * | sram_total | 44e9 | 40e9 | B | no |
 * | pe_grid_width x pe_grid_height | 762 x 1172 | 757 x 996 | PEs | no (SDK fabric size) |
 * | sram_bandwidth | 21e15 | 20e15 | B/s | no |
 * | fabric_bandwidth | 26.75e15 (214 Pb/s) | 27.5e15 (220 Pb/s) | B/s | no |
 * | dense_fp16_peak | 15e15 | 7.5e15 | FLOP/s | CS-3 yes, CS-2 no |
 * | sparse_ai_peak | 125e15 | 62.5e15 | FLOP/s | no (shown only) |
 * | fp32_rate_fraction | 0.5 | 0.5 | ratio | yes |
 * | simd_width | 8 | 4 | lanes | no (trade press) |
 * | clock | 1.1e9 | 1.1e9 | Hz | yes |
 * | die_columns x die_rows | 7 x 12 | 7 x 12 | dies | yes (84 dies stated, layout not) |
 * | system_io | 150e9 | 150e9 | B/s per direction | no (1.2 Tb/s); full duplex is an assumption |
 * | memoryx_tier_* | 1.5 TB, 12 TB, 55 TB (deployed), 1.2 PB | 4 TB, 2.4 PB | B | no |
 * | memoryx_update_bandwidth_per_tb | 130e9 | 130e9 | B/s per TB of capacity | yes, calibrated (docs/calibration.md) |
 * | swarmx_link | 12.5e9 | 12.5e9 | B/s | no (100 Gb/s NICs) |
 * | swarmx_fan_out | 4 | 4 | systems per node | no |
 * | swarmx_level_latency | 100e-6 | 100e-6 | s | yes |
 * | activation_server_bandwidth | 150e9 | 150e9 | B/s | yes |
 * | vendor_bytes_per_parameter | 50 | 50 | B | no (derived from vendor sizing) |
 * | max_systems | 2048 | 192 | systems | no |
 * | workspace_per_pe | 4096 | 4096 | B | yes |
 * | stream_slice_columns | 2048 | 2048 | columns | yes |
 * | chinchilla_tokens_per_parameter | 20 | 20 | tokens | no (Hoffmann et al. 2022) |
 * | system_power | 23e3 | 23e3 | W per system | yes (third-party figure; the planner's energy) |
 */
import { overrideBounds } from './overrideBounds';
import type { ClusterDescription } from '../types';
import type { ConstantUse } from '../report';
import { didYouMean } from '../config/suggest';

export interface HardwareConstant {
  name: string;
  value: number;
  unit: string;
  source: string;
  assumption: boolean;
}

export type PresetName = 'cs-3' | 'cs-2';

export interface MemoryxTier {
  bytes: number;
  /** As a cluster file would write it, e.g. '1.2 PB'. */
  label: string;
  /** A capacity that has been deployed but is not in the announced catalogue (the 55 TB of the 1T run). */
  deployedOnly: boolean;
}

/** The resolved hardware, in base units, after a cluster's overrides. */
export interface Hardware {
  preset: PresetName;
  /** 'CS-3 (WSE-3)'. */
  name: string;
  cores: number;
  sramPerCoreBytes: number;
  sramBytes: number;
  peGridWidth: number;
  peGridHeight: number;
  sramBandwidth: number;
  fabricBandwidth: number;
  denseFp16Flops: number;
  sparseAiFlops: number;
  fp32RateFraction: number;
  simdWidth: number;
  clockHz: number;
  dieColumns: number;
  dieRows: number;
  dieLayoutAssumed: boolean;
  /** Per direction (weights in and gradients out run at the same time). */
  systemIoBandwidth: number;
  memoryxTiers: MemoryxTier[];
  memoryxUpdateBandwidthPerTb: number;
  swarmxLinkBandwidth: number;
  swarmxFanOut: number;
  swarmxLevelLatency: number;
  activationServerBandwidth: number;
  vendorBytesPerParameter: number;
  maxSystems: number;
  workspacePerPeBytes: number;
  streamSliceColumns: number;
  chinchillaTokensPerParameter: number;
  /** Electrical power of one system at full load (W), for the planner's energy. */
  systemPowerWatts: number;
  denseFp16PeakIsAssumption: boolean;
}

const SANDIA = 'Sandia National Laboratories and Cerebras, 1T-parameter training on one CS-3 (Dec 2024)';

/** The constants shared by both presets (interconnect, MemoryX behaviour and modelling choices). */
function common(maxSystems: number, systemsSource: string): HardwareConstant[] {
  return [
    {
      name: 'system_io',
      value: 150e9,
      unit: 'B/s',
      source:
        'Cerebras SwarmX glossary: 1.2 Tb/s (12 x 100 GbE) between a CS-X and the outside; taken per direction ' +
        '(full duplex Ethernet: weights in while gradients go out) - the duplex use is an assumption; CS-3 may be ~30 % higher (uncertain)',
      assumption: false,
    },
    {
      name: 'memoryx_update_bandwidth_per_tb',
      value: 130e9,
      unit: 'B/s per TB',
      source:
        'assumption, calibrated once on the 1T scenario so that 16 CS-3 run 15.3x faster than one (Sandia result): the ' +
        'optimizer update at the iteration boundary streams 28 B per parameter (AdamW, mixed precision) through MemoryX DRAM; ' +
        '130 GB/s of effective streaming bandwidth per TB of capacity (7.2 TB/s for 55 TB) is what 1U DDR5 servers of ~1.5 TB ' +
        'sustain on a memory-bound read-modify-write kernel (~195 GB/s each, about 40 % of a 12-channel DDR5-4800 socket). ' +
        'See docs/calibration.md',
      assumption: true,
    },
    {
      name: 'swarmx_link',
      value: 12.5e9,
      unit: 'B/s',
      source: 'SwarmX nodes use 100 Gb/s NICs (Cerebras); a system reaches its full system I/O over several links in parallel',
      assumption: false,
    },
    {
      name: 'swarmx_fan_out',
      value: 4,
      unit: 'systems per node',
      source: 'Cerebras: one SwarmX node does one 1:4 (or two 1:2) broadcast-reduce; latency grows with log4 of the system count',
      assumption: false,
    },
    {
      name: 'swarmx_level_latency',
      value: 100e-6,
      unit: 's',
      source:
        'assumption: store-and-forward of one ~1 MB chunk at 100 Gb/s (84 us) plus ~16 us of reduce and switching per tree level; ' +
        'paid once at the start (weight broadcast) and once at the end (gradient reduce) of every step. See docs/calibration.md',
      assumption: true,
    },
    {
      name: 'activation_server_bandwidth',
      value: 150e9,
      unit: 'B/s',
      source:
        'assumption: layer-input checkpoints that do not fit on the wafer go to activation servers (max_act_per_csx) over the ' +
        'same system I/O as the weights; enough servers are assumed to keep that link busy',
      assumption: true,
    },
    {
      name: 'vendor_bytes_per_parameter',
      value: 50,
      unit: 'B/param',
      source: 'vendor MemoryX sizing: 1.2 PB for 24T parameters, 55 TB for the 1T run (' + SANDIA + ')',
      assumption: false,
    },
    { name: 'max_systems', value: maxSystems, unit: 'systems', source: systemsSource, assumption: false },
    {
      name: 'workspace_per_pe',
      value: 4096,
      unit: 'B',
      source:
        'assumption: each PE keeps program code, fabric routing state and a stack (~8 % of its 48 KB) that no tensor can use',
      assumption: true,
    },
    {
      name: 'stream_slice_columns',
      value: 2048,
      unit: 'columns',
      source:
        'assumption: a wide matrix (MLP up/gate/down, experts, LM head) streams in slices of this many columns of its long ' +
        'dimension, and the intermediates of one slice are consumed before the next arrives (not published)',
      assumption: true,
    },
    {
      name: 'chinchilla_tokens_per_parameter',
      value: 20,
      unit: 'tokens/param',
      source: 'Hoffmann et al. 2022 (Chinchilla): compute-optimal training uses about 20 tokens per parameter',
      assumption: false,
    },
    {
      name: 'system_power',
      value: 23e3,
      unit: 'W',
      source:
        'assumption: about 23 kW per system at full load, a third-party figure (CS-3 is described as drawing the same power ' +
        'as CS-2); the planner multiplies it by system-hours; MemoryX, SwarmX, activation servers and cooling are not included',
      assumption: true,
    },
  ];
}

const CS3: HardwareConstant[] = [
  { name: 'cores', value: 900_000, unit: 'cores', source: 'Cerebras WSE-3 product page: 900,000 AI cores', assumption: false },
  { name: 'sram_per_core', value: 48 * 1024, unit: 'B', source: 'Cerebras; ALCF user guide: 48 KB per core', assumption: false },
  { name: 'sram_total', value: 44e9, unit: 'B', source: 'Cerebras WSE-3: 44 GB on-wafer SRAM', assumption: false },
  { name: 'pe_grid_width', value: 762, unit: 'PEs', source: 'Cerebras SDK: addressable WSE-3 fabric 762 x 1172', assumption: false },
  { name: 'pe_grid_height', value: 1172, unit: 'PEs', source: 'Cerebras SDK: addressable WSE-3 fabric 762 x 1172', assumption: false },
  { name: 'sram_bandwidth', value: 21e15, unit: 'B/s', source: 'Cerebras WSE-3: 21 PB/s memory bandwidth', assumption: false },
  { name: 'fabric_bandwidth', value: 214e15 / 8, unit: 'B/s', source: 'Cerebras WSE-3: 214 Pb/s fabric', assumption: false },
  {
    name: 'dense_fp16_peak',
    value: 15e15,
    unit: 'FLOP/s',
    source:
      'assumption: WSE-3 dense figure not published; WSE-2 dense/sparse ratio (7.5/62.5) applied to 125 PFLOP/s; ' +
      '900k cores x 8-wide FP16 SIMD x 2 FLOP x ~1.1 GHz gives 15.8',
    assumption: true,
  },
  { name: 'sparse_ai_peak', value: 125e15, unit: 'FLOP/s', source: 'Cerebras CS-3: 125 PFLOP/s peak AI (sparsity-inclusive)', assumption: false },
  {
    name: 'fp32_rate_fraction',
    value: 0.5,
    unit: 'ratio',
    source: 'assumption: FP32 matmuls use half the FP16 SIMD lanes (used only when precision is disabled)',
    assumption: true,
  },
  { name: 'simd_width', value: 8, unit: 'FP16 lanes', source: 'trade press (WSE-3 doubled the WSE-2 SIMD width)', assumption: false },
  { name: 'clock', value: 1.1e9, unit: 'Hz', source: 'assumption: not published; ~1.1 GHz derived for WSE-2', assumption: true },
  {
    name: 'die_columns',
    value: 7,
    unit: 'dies',
    source: 'assumption: 84 die regions; a 7 x 12 grid fits the wafer edge but is not stated',
    assumption: true,
  },
  {
    name: 'die_rows',
    value: 12,
    unit: 'dies',
    source: 'assumption: 84 die regions; a 7 x 12 grid fits the wafer edge but is not stated',
    assumption: true,
  },
  { name: 'memoryx_tier_small', value: 1.5e12, unit: 'B', source: 'Cerebras CS-3 MemoryX announced capacity: 1.5 TB', assumption: false },
  { name: 'memoryx_tier_medium', value: 12e12, unit: 'B', source: 'Cerebras CS-3 MemoryX announced capacity: 12 TB', assumption: false },
  {
    name: 'memoryx_tier_deployed_1t',
    value: 55e12,
    unit: 'B',
    source:
      'a deployed configuration, not an announced catalogue tier: the 55 TB MemoryX of the 1T run (' +
      SANDIA +
      '); offered as a tier because it is the smallest size known to have run',
    assumption: false,
  },
  { name: 'memoryx_tier_large', value: 1.2e15, unit: 'B', source: 'Cerebras CS-3 MemoryX announced capacity: 1.2 PB', assumption: false },
  ...common(2048, 'Cerebras: up to 2,048 CS-3 in one cluster'),
];

const CS2: HardwareConstant[] = [
  { name: 'cores', value: 850_000, unit: 'cores', source: 'Cerebras WSE-2: 850,000 cores', assumption: false },
  { name: 'sram_per_core', value: 48 * 1024, unit: 'B', source: 'Cerebras; ALCF user guide: 48 KB per core', assumption: false },
  { name: 'sram_total', value: 40e9, unit: 'B', source: 'Cerebras WSE-2: 40 GB on-wafer SRAM', assumption: false },
  { name: 'pe_grid_width', value: 757, unit: 'PEs', source: 'Cerebras SDK: addressable WSE-2 fabric 757 x 996', assumption: false },
  { name: 'pe_grid_height', value: 996, unit: 'PEs', source: 'Cerebras SDK: addressable WSE-2 fabric 757 x 996', assumption: false },
  { name: 'sram_bandwidth', value: 20e15, unit: 'B/s', source: 'Cerebras WSE-2: 20 PB/s memory bandwidth', assumption: false },
  { name: 'fabric_bandwidth', value: 220e15 / 8, unit: 'B/s', source: 'Cerebras WSE-2: 220 Pb/s fabric', assumption: false },
  {
    name: 'dense_fp16_peak',
    value: 7.5e15,
    unit: 'FLOP/s',
    source: 'Cerebras Andromeda: 16 CS-2 = 120 PFLOP/s dense, i.e. 7.5 per CS-2',
    assumption: false,
  },
  { name: 'sparse_ai_peak', value: 62.5e15, unit: 'FLOP/s', source: 'Cerebras CS-2: 62.5 PFLOP/s peak AI', assumption: false },
  {
    name: 'fp32_rate_fraction',
    value: 0.5,
    unit: 'ratio',
    source: 'assumption: FP32 matmuls use half the FP16 SIMD lanes (used only when precision is disabled)',
    assumption: true,
  },
  { name: 'simd_width', value: 4, unit: 'FP16 lanes', source: 'trade press', assumption: false },
  { name: 'clock', value: 1.1e9, unit: 'Hz', source: 'assumption: ~1.1 GHz derived from the published peak', assumption: true },
  { name: 'die_columns', value: 7, unit: 'dies', source: 'Cerebras: 84 dies; a 7 x 12 grid is assumed for drawing', assumption: true },
  { name: 'die_rows', value: 12, unit: 'dies', source: 'Cerebras: 84 dies; a 7 x 12 grid is assumed for drawing', assumption: true },
  { name: 'memoryx_tier_small', value: 4e12, unit: 'B', source: 'Cerebras CS-2 era MemoryX: from 4 TB', assumption: false },
  { name: 'memoryx_tier_large', value: 2.4e15, unit: 'B', source: 'Cerebras CS-2 era MemoryX: up to 2.4 PB', assumption: false },
  ...common(192, 'Cerebras: CS-2 clusters of up to 192 systems'),
];

const PRESETS: Record<PresetName, { name: string; constants: HardwareConstant[] }> = {
  'cs-3': { name: 'CS-3 (WSE-3)', constants: CS3 },
  'cs-2': { name: 'CS-2 (WSE-2)', constants: CS2 },
};

/** The documented table of a preset (a copy: callers may not change the presets). */
export function hardwareConstants(preset: PresetName): HardwareConstant[] {
  return PRESETS[preset].constants.map((c) => ({ ...c }));
}

/** Every name a cluster file may override. */
export function overridableConstantNames(preset: PresetName = 'cs-3'): string[] {
  return PRESETS[preset].constants.map((c) => c.name);
}

export function presetName(system: string | undefined): PresetName | undefined {
  const key = String(system ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]/g, '-');
  if (key === 'cs-3' || key === 'cs3' || key === 'wse-3' || key === 'wse3') return 'cs-3';
  if (key === 'cs-2' || key === 'cs2' || key === 'wse-2' || key === 'wse2') return 'cs-2';
  return undefined;
}

/** '1.2 PB', '55 TB', '1.5 TB': how a tier is written back into a cluster file. */
export function capacityLabel(bytes: number): string {
  const units: [number, string][] = [
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
  ];
  for (const [factor, unit] of units) {
    if (bytes >= factor) {
      const value = bytes / factor;
      const text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
      return `${text} ${unit}`;
    }
  }
  return `${Math.round(bytes)} B`;
}

export interface ResolvedHardware {
  hw: Hardware;
  constants: ConstantUse[];
  /** Override names that are not constants of the preset (the caller suggests the closest name). */
  unknownOverrides: string[];
  /** Overrides whose value is not a finite positive number; they are ignored. */
  invalidOverrides: string[];
  /** Overrides outside the plausible range of their constant (overrideBounds.ts); they are ignored. */
  outOfRangeOverrides: { name: string; min: number; max: number }[];
  /** Set when `cluster.system` names no preset; CS-3 is used instead. */
  unknownSystem?: string;
}

/** Sanitised lookup: a constant is always present in a preset table, so this only guards against NaN. */
function valueOf(table: Map<string, HardwareConstant>, name: string): number {
  const value = table.get(name)?.value;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * The preset named by the cluster, with the cluster's overrides applied by constant name. Never
 * throws: unknown names, unusable values and unknown systems are reported, not fatal.
 */
export function resolveHardware(cluster: Pick<ClusterDescription, 'system' | 'overrides'> | undefined): ResolvedHardware {
  const requested = cluster?.system;
  const preset = presetName(requested) ?? 'cs-3';
  const unknownSystem = presetName(requested) === undefined && requested !== undefined && String(requested).trim() !== '' ? String(requested) : undefined;
  const table = new Map<string, HardwareConstant>();
  const overridden = new Set<string>();
  for (const constant of PRESETS[preset].constants) table.set(constant.name, { ...constant });

  const unknownOverrides: string[] = [];
  const invalidOverrides: string[] = [];
  const outOfRangeOverrides: ResolvedHardware['outOfRangeOverrides'] = [];
  const overrides = cluster?.overrides && typeof cluster.overrides === 'object' ? cluster.overrides : {};
  for (const [name, raw] of Object.entries(overrides)) {
    const constant = table.get(name);
    if (!constant) {
      unknownOverrides.push(name);
      continue;
    }
    const value = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      invalidOverrides.push(name);
      continue;
    }
    const bounds = overrideBounds(name, constant.value);
    if (value < bounds.min || value > bounds.max) {
      outOfRangeOverrides.push({ name, ...bounds });
      continue;
    }
    constant.value = value;
    overridden.add(name);
  }

  const v = (name: string) => valueOf(table, name);
  const tiers: MemoryxTier[] = [];
  for (const constant of table.values()) {
    if (!constant.name.startsWith('memoryx_tier_')) continue;
    tiers.push({ bytes: constant.value, label: capacityLabel(constant.value), deployedOnly: constant.name === 'memoryx_tier_deployed_1t' });
  }
  tiers.sort((a, b) => a.bytes - b.bytes);

  const hw: Hardware = {
    preset,
    name: PRESETS[preset].name,
    cores: v('cores'),
    sramPerCoreBytes: v('sram_per_core'),
    sramBytes: v('sram_total'),
    peGridWidth: Math.max(1, Math.round(v('pe_grid_width'))),
    peGridHeight: Math.max(1, Math.round(v('pe_grid_height'))),
    sramBandwidth: v('sram_bandwidth'),
    fabricBandwidth: v('fabric_bandwidth'),
    denseFp16Flops: v('dense_fp16_peak'),
    sparseAiFlops: v('sparse_ai_peak'),
    fp32RateFraction: Math.min(1, v('fp32_rate_fraction')),
    simdWidth: v('simd_width'),
    clockHz: v('clock'),
    dieColumns: Math.max(1, Math.round(v('die_columns'))),
    dieRows: Math.max(1, Math.round(v('die_rows'))),
    dieLayoutAssumed: !overridden.has('die_columns') || !overridden.has('die_rows'),
    systemIoBandwidth: v('system_io'),
    memoryxTiers: tiers,
    memoryxUpdateBandwidthPerTb: v('memoryx_update_bandwidth_per_tb'),
    swarmxLinkBandwidth: v('swarmx_link'),
    swarmxFanOut: Math.max(2, v('swarmx_fan_out')),
    swarmxLevelLatency: v('swarmx_level_latency'),
    activationServerBandwidth: v('activation_server_bandwidth'),
    vendorBytesPerParameter: v('vendor_bytes_per_parameter'),
    maxSystems: Math.max(1, Math.floor(v('max_systems'))),
    workspacePerPeBytes: v('workspace_per_pe'),
    streamSliceColumns: Math.max(1, Math.round(v('stream_slice_columns'))),
    chinchillaTokensPerParameter: v('chinchilla_tokens_per_parameter'),
    systemPowerWatts: v('system_power'),
    denseFp16PeakIsAssumption: table.get('dense_fp16_peak')!.assumption && !overridden.has('dense_fp16_peak'),
  };

  const constants: ConstantUse[] = [...table.values()].map((c) => {
    const use: ConstantUse = { name: c.name, value: c.value, unit: c.unit, source: c.source, assumption: c.assumption };
    if (overridden.has(c.name)) {
      use.overridden = true;
      use.source = `overridden by the cluster file (preset value ${PRESETS[preset].constants.find((p) => p.name === c.name)!.value}); ${c.source}`;
      use.assumption = false;
    }
    return use;
  });

  return { hw, constants, unknownOverrides, invalidOverrides, outOfRangeOverrides, unknownSystem };
}

/** Closest known constant name, for "did you mean" on unknown overrides (the readers' own matcher). */
export function closestConstantName(name: string, preset: PresetName = 'cs-3'): string | undefined {
  return didYouMean(name.toLowerCase(), overridableConstantNames(preset));
}
