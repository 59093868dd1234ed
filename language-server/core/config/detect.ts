/**
 * Which kind of file this is, from its name and the shape of its top level. Anything that is not
 * clearly a Model Zoo config, a Hugging Face config.json or a cluster file is 'unknown' and gets
 * no diagnostics (docker-compose files, package.json, tsconfig.json, CI workflows, ...).
 */
import type { ConfigFormat } from '../types';
import { asMap, entryOf, hasKeyLine, valueOf, type SourceNode } from './source';

export function isClusterFileName(file: string): boolean {
  return /\.cluster\.(ya?ml|json)$/i.test(file);
}

export function detectFormat(file: string, root: SourceNode | undefined): ConfigFormat | 'unknown' {
  if (isClusterFileName(file)) return 'cluster';
  const map = asMap(root);
  if (!map) return 'unknown';

  // A top-level `cluster:` is ours only when it holds one of our keys (Helm values files and
  // the like use `cluster:` too).
  const cluster = asMap(valueOf(map, 'cluster'));
  if (cluster && ['system', 'systems', 'memoryx', 'overrides'].some((key) => entryOf(cluster, key))) return 'cluster';

  const trainer = valueOf(map, 'trainer');
  if (trainer) {
    if (trainer.kind === 'map' && (entryOf(trainer, 'init') || entryOf(trainer, 'fit'))) return 'modelzoo-trainer';
    if (trainer.kind === 'seq' && trainer.items.some((item) => asMap(valueOf(item, 'trainer')))) return 'modelzoo-trainer';
  }

  const model = asMap(valueOf(map, 'model'));
  if (model) {
    if (entryOf(map, 'train_input') || entryOf(map, 'runconfig') || entryOf(map, 'eval_input')) return 'modelzoo-legacy';
    const optimizer = asMap(valueOf(map, 'optimizer'));
    if (optimizer && entryOf(optimizer, 'optimizer_type') && (entryOf(model, 'hidden_size') || entryOf(model, 'num_hidden_layers'))) {
      return 'modelzoo-legacy';
    }
  }

  const modelType = valueOf(map, 'model_type');
  if (modelType && modelType.kind === 'scalar' && typeof modelType.value === 'string') return 'hf-config';
  const architectures = valueOf(map, 'architectures');
  if (architectures && architectures.kind === 'seq') return 'hf-config';
  return 'unknown';
}

/**
 * A file that does not parse can still be recognisably ours; then its syntax errors are worth
 * showing. Looks only at top-level keys written at the start of a line.
 */
export function guessFormatFromText(file: string, text: string): ConfigFormat | 'unknown' {
  if (isClusterFileName(file)) return 'cluster';
  const head = text.slice(0, 200_000);
  if (/^trainer\s*:/m.test(head)) return 'modelzoo-trainer';
  if (/^(train_input|runconfig)\s*:/m.test(head) && /^model\s*:/m.test(head)) return 'modelzoo-legacy';
  if (hasKeyLine(head, 'cluster', 'top') && hasKeyLine(head, 'memoryx', 'indented')) return 'cluster';
  if (/"model_type"\s*:/.test(head)) return 'hf-config';
  return 'unknown';
}
