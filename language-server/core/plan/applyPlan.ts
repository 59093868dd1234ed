/**
 * The edits that make a config run a chosen plan: `micro_batch_size` pinned, the systems and the
 * MemoryX capacity. They are returned as plain edits (and, when the config uses no cluster file,
 * one file to create) so the editor applies them as one undoable WorkspaceEdit.
 *
 *  - micro-batch: the config's `micro_batch_size` value is replaced (a `{explore: ...}` mapping too);
 *  - systems: `num_csx` is replaced when the config names it; otherwise the job uses every system of
 *    its cluster, so the cluster's `systems` is set. The cluster never keeps fewer systems than the
 *    plan uses (that would be a num-csx-exceeds-cluster error);
 *  - MemoryX: the cluster file's `memoryx.capacity` is replaced.
 * A config on the embedded default cluster gets a new cluster file next to it, named by a first-line
 * `# waferscope: cluster=<file>` comment.
 */
import type { ConfigDocument, FixEdit, Range } from '../types';
import { capacityLabel } from '../sim/hardware';

export interface PlanChoice {
  systems: number;
  microBatch: number;
  memoryxBytes: number;
}

export interface PlanEdits {
  edits: FixEdit[];
  /** Files to create (absolute path, full text). */
  createFiles: { file: string; text: string }[];
  /** What the edits do, in words. */
  summary: string;
}

function replaceValue(document: ConfigDocument, field: string, text: string, file?: string): FixEdit | undefined {
  const source = document.sources[field];
  if (!source) return undefined;
  const edit: FixEdit = { range: source.valueRange, newText: text };
  if (file) edit.file = file;
  return edit;
}

/** Replaces `key: <value>` from the end of the key, so a block mapping value becomes a scalar. */
export function pinScalarEdit(document: ConfigDocument, field: string, text: string): FixEdit | undefined {
  const source = document.sources[field];
  if (!source) return undefined;
  const end = source.valueRange.end;
  const endsLine = end.character === 0 && end.line > source.keyRange.end.line;
  const range: Range = { start: source.keyRange.end, end };
  return { range, newText: `: ${text}${endsLine ? '\n' : ''}` };
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function planEdits(
  config: ConfigDocument,
  cluster: { document?: ConfigDocument; file?: string; systems: number; system: string },
  choice: PlanChoice,
  newClusterFile: (base: string) => string,
): PlanEdits | { error: string } {
  const edits: FixEdit[] = [];
  const words: string[] = [];
  const micro = pinScalarEdit(config, 'training.microBatchSize', String(choice.microBatch));
  if (!micro) return { error: 'The config sets no micro_batch_size to pin (a Hugging Face config.json has no training section).' };
  edits.push(micro);
  words.push(`micro_batch_size ${choice.microBatch}`);

  const numCsx = replaceValue(config, 'training.numCsx', String(choice.systems));
  if (numCsx) {
    edits.push(numCsx);
    words.push(`num_csx ${choice.systems}`);
  }
  const memoryx = capacityLabel(choice.memoryxBytes);
  const clusterDocument = cluster.document;
  if (clusterDocument && cluster.file) {
    const capacity = replaceValue(clusterDocument, 'cluster.memoryxCapacity', memoryx, cluster.file);
    if (!capacity) return { error: `The cluster file ${cluster.file} has no memoryx.capacity to set.` };
    edits.push(capacity);
    words.push(`MemoryX ${memoryx} in ${baseName(cluster.file)}`);
    if (!numCsx || cluster.systems < choice.systems) {
      const systems = replaceValue(clusterDocument, 'cluster.systems', String(choice.systems), cluster.file);
      if (!systems) return { error: `The cluster file ${cluster.file} has no systems to set.` };
      edits.push(systems);
      words.push(`systems ${choice.systems} in ${baseName(cluster.file)}`);
    }
    return { edits, createFiles: [], summary: words.join(', ') };
  }
  // The embedded default cluster: a cluster file of the plan's own, named by the config.
  const file = newClusterFile(baseName(config.file).replace(/\.(ya?ml|json)$/i, ''));
  const name = baseName(file).replace(/\.cluster\.ya?ml$/i, '');
  const text =
    `# Written by WaferScope (Plan Training Run): the systems and MemoryX of the chosen plan.\n` +
    `cluster:\n  name: ${name}\n  system: ${cluster.system || 'cs-3'}\n  systems: ${choice.systems}\n  memoryx:\n    capacity: ${memoryx}\n`;
  edits.push({ range: START, newText: `# waferscope: cluster=./${baseName(file)}\n` });
  words.push(`new cluster file ${baseName(file)} (${choice.systems} systems, MemoryX ${memoryx})`);
  return { edits, createFiles: [{ file, text }], summary: words.join(', ') };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
