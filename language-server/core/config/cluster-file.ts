/**
 * WaferScope cluster files (`*.cluster.yaml`, or any YAML/JSON whose top level is `cluster:`):
 *
 *   cluster:
 *     name: Kingfisher-16
 *     system: cs-3          # preset (cs-3, cs-2); hardware constants can be overridden below
 *     systems: 16           # CS-X systems available
 *     memoryx:
 *       capacity: 55 TB     # bytes, or a number with a unit: TB = 1e12 B, TiB = 2^40 B
 *     overrides: {}         # hardware constants by their documented name
 *
 * The schema for editors is media/schemas/cluster.schema.json.
 */
import { basename } from 'node:path';
import type { ClusterDescription } from '../types';
import { formatNumber, type ReadContext } from './context';
import { CLUSTER_BLOCK_KEYS, MEMORYX_BLOCK_KEYS, SYSTEM_PRESETS } from './keys';
import { LIMITS } from './limits';
import { describeNode, entryOf, type ScalarValue, type SourceNode } from './source';
import { didYouMean } from './suggest';

/** Decimal units are powers of 1000, binary (…iB) powers of 1024, as IEC 80000-13 defines them. */
const CAPACITY_UNITS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  eb: 1e18,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
  eib: 2 ** 60,
};
const UNIT_SPELLINGS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export type CapacityResult = { bytes: number } | { error: string; suggestion?: string };

/** Bytes from a number of bytes or a string such as '55 TB', '1.5 TB', '512 GiB', '2 TiB'. */
export function parseCapacity(value: ScalarValue): CapacityResult {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return { error: `capacity must be a positive number of bytes, not ${formatNumber(value)}.` };
    return { bytes: Math.round(value) };
  }
  if (typeof value !== 'string') {
    return { error: 'capacity must be a number of bytes or a string such as "55 TB" or "2 TiB".' };
  }
  // Trimmed first: the pattern's \s* runs would backtrack over a long run of spaces.
  const written = value.trim();
  const match = written.length > 64 ? null : /^((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)$/.exec(written);
  if (!match) {
    return { error: `capacity '${shortened(written)}' is not a number with a unit (for example 55 TB, 1.5 TB, 512 GiB, 2 TiB).` };
  }
  const amount = Number(match[1]);
  const unitText = match[2] ?? '';
  const multiplier = unitText === '' ? 1 : CAPACITY_UNITS[unitText.toLowerCase()];
  if (multiplier === undefined) {
    const suggestion = didYouMean(unitText, UNIT_SPELLINGS);
    return {
      error: `capacity unit '${unitText}' is not one of ${UNIT_SPELLINGS.join(', ')}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
      suggestion,
    };
  }
  const bytes = amount * multiplier;
  if (!Number.isFinite(bytes) || bytes <= 0) return { error: `capacity must be positive, not '${shortened(written)}'.` };
  return { bytes: Math.round(bytes) };
}

function shortened(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** The cluster's name when the file gives none: the file name without its extensions. */
export function defaultName(file: string): string {
  return basename(file).replace(/\.cluster\.(ya?ml|json)$/i, '').replace(/\.(ya?ml|json)$/i, '');
}

/** Reads a cluster file; undefined when it has errors (each reported on its key or value). */
export function readClusterFile(ctx: ReadContext, root: SourceNode | undefined, file: string): ClusterDescription | undefined {
  const start = ctx.range(0, 0);
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  const clusterEntry = entryOf(root, 'cluster');
  if (root && root.kind === 'map') ctx.unknownKeys(root, ['cluster'], 'a cluster file');
  if (!clusterEntry) {
    ctx.report('error', 'missing-key', 'A cluster file needs a top-level cluster: block.', start);
    return undefined;
  }
  const cluster = clusterEntry.value;
  if (cluster.kind !== 'map') {
    ctx.report('error', 'wrong-type', `cluster must be a mapping, not ${describeNode(cluster)}.`, ctx.valueRange(cluster));
    return undefined;
  }
  ctx.sources['cluster.block'] = { path: ['cluster'], keyRange: ctx.keyRange(clusterEntry), valueRange: ctx.valueRange(cluster) };
  ctx.unknownKeys(cluster, CLUSTER_BLOCK_KEYS, 'the cluster block');

  const name = ctx.string(cluster, ['cluster'], 'name');
  const system = ctx.enumeration(cluster, ['cluster'], 'system', SYSTEM_PRESETS, 'error', 'cluster.system');
  const systems = ctx.integer(cluster, ['cluster'], 'systems', { max: LIMITS.systems, field: 'cluster.systems' });

  let capacityBytes: number | undefined;
  const memoryxEntry = entryOf(cluster, 'memoryx');
  if (!memoryxEntry) {
    ctx.report('error', 'missing-key', 'memoryx.capacity is missing: the cluster needs a MemoryX capacity (for example 55 TB).', ctx.keyRange(clusterEntry));
  } else if (memoryxEntry.value.kind !== 'map') {
    ctx.report('error', 'wrong-type', `memoryx must be a mapping with a capacity, not ${describeNode(memoryxEntry.value)}.`, ctx.valueRange(memoryxEntry.value));
  } else {
    const memoryx = memoryxEntry.value;
    ctx.unknownKeys(memoryx, MEMORYX_BLOCK_KEYS, 'the memoryx block');
    const capacityEntry = entryOf(memoryx, 'capacity');
    if (!capacityEntry || (capacityEntry.value.kind === 'scalar' && capacityEntry.value.value === null)) {
      ctx.missing('capacity', 'the memoryx block', capacityEntry, ctx.keyRange(memoryxEntry));
    } else if (capacityEntry.value.kind !== 'scalar') {
      ctx.report('error', 'wrong-type', `capacity must be bytes or a string such as "55 TB", not ${describeNode(capacityEntry.value)}.`, ctx.valueRange(capacityEntry.value));
    } else {
      const parsed = parseCapacity(capacityEntry.value.value);
      const range = ctx.valueRange(capacityEntry.value);
      if ('error' in parsed) {
        const code = typeof capacityEntry.value.value === 'string' || typeof capacityEntry.value.value === 'number' ? 'invalid-value' : 'wrong-type';
        ctx.report('error', code, parsed.error, range);
      } else if (parsed.bytes > LIMITS.capacityBytes) {
        ctx.report('error', 'out-of-range', `capacity ${formatNumber(parsed.bytes)} bytes is out of range: WaferScope plans up to ${formatNumber(LIMITS.capacityBytes)} bytes.`, range);
      } else {
        capacityBytes = parsed.bytes;
        ctx.record('cluster.memoryxCapacity', ['cluster', 'memoryx', 'capacity'], capacityEntry);
      }
    }
  }

  const overrides: Record<string, number> = {};
  const overridesEntry = entryOf(cluster, 'overrides');
  if (overridesEntry && !(overridesEntry.value.kind === 'scalar' && overridesEntry.value.value === null)) {
    if (overridesEntry.value.kind !== 'map') {
      ctx.report('error', 'wrong-type', `overrides must be a mapping of hardware constant names to numbers, not ${describeNode(overridesEntry.value)}.`, ctx.valueRange(overridesEntry.value));
    } else {
      for (const entry of overridesEntry.value.entries) {
        const value = entry.value;
        if (value.kind !== 'scalar' || typeof value.value !== 'number' || !Number.isFinite(value.value)) {
          ctx.report('error', 'wrong-type', `overrides.${entry.key} must be a number, not ${describeNode(value)}.`, ctx.valueRange(value));
          continue;
        }
        overrides[entry.key] = value.value;
        ctx.record(`cluster.overrides.${entry.key}`, ['cluster', 'overrides', entry.key], entry);
      }
    }
  }

  const errorsAfter = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  if (errorsAfter > errorsBefore || capacityBytes === undefined || system.bad || systems.bad) return undefined;
  return {
    name: name.value ?? defaultName(file),
    // Defaults: one CS-3 (the system of the 1T-on-one-CS-3 run).
    system: system.value ?? 'cs-3',
    systems: systems.value ?? 1,
    memoryxCapacityBytes: capacityBytes,
    overrides,
    origin: { kind: 'file', file },
  };
}
