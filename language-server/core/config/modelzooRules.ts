/**
 * Model Zoo's own rules about a run, checked where the Model Zoo would reject (or silently
 * ignore) a setting, so the user learns it in the editor rather than from a failed job:
 *  - `cbfloat16` needs dynamic loss scaling (Model Zoo raises otherwise);
 *  - step counts are 32-bit signed integers in the runtime: above 2^31-1 a job cannot start;
 *  - `grad_accum_steps` is a GPU setting: on CS-X the micro-batch decides accumulation.
 */
import type { ReadContext } from './context';
import type { ModelZooLayout } from './modelzoo';
import { asMap, entryOf, valueOf, type SourceEntry, type SourceMap, type SourceNode } from './source';

/** Largest step count the Model Zoo runtime holds (a signed 32-bit integer). */
export const MAX_STEP_COUNT = 2 ** 31 - 1;

/** Where each layout keeps the step counts Model Zoo reads. */
const STEP_KEYS: Record<ModelZooLayout, { path: string[]; key: string }[]> = {
  'modelzoo-trainer': [
    { path: ['init', 'loop'], key: 'max_steps' },
    { path: ['init', 'loop'], key: 'num_steps' },
    { path: ['init', 'loop'], key: 'eval_steps' },
    { path: ['init', 'loop'], key: 'eval_frequency' },
    { path: ['init', 'checkpoint'], key: 'steps' },
    { path: ['init', 'logging'], key: 'log_steps' },
  ],
  'modelzoo-legacy': [
    { path: ['runconfig'], key: 'max_steps' },
    { path: ['runconfig'], key: 'num_steps' },
    { path: ['runconfig'], key: 'eval_steps' },
    { path: ['runconfig'], key: 'checkpoint_steps' },
    { path: ['runconfig'], key: 'log_steps' },
  ],
};

function at(node: SourceNode | undefined, path: string[]): SourceNode | undefined {
  let current = node;
  for (const key of path) current = valueOf(current, key);
  return current;
}

function text(entry: SourceEntry | undefined): string | undefined {
  const node = entry?.value;
  return node && node.kind === 'scalar' && node.value !== null ? String(node.value).trim().toLowerCase() : undefined;
}

/**
 * `base` is the trainer mapping (trainer layout) or the file's root (legacy layout); `model` the
 * model block.
 */
export function checkModelZooRules(ctx: ReadContext, layout: ModelZooLayout, base: SourceMap | undefined, model: SourceMap): void {
  if (!base) return;
  // cbfloat16 and loss scaling: the trainer layout keeps both in init.precision (fp16_type may
  // also sit in the model block); the legacy one keeps fp16_type in the model block and
  // loss_scaling_factor in the optimizer block.
  const precision = layout === 'modelzoo-trainer' ? asMap(at(base, ['init', 'precision'])) : undefined;
  const fp16Entries = [entryOf(precision, 'fp16_type'), entryOf(model, 'fp16_type')].filter((e): e is SourceEntry => e !== undefined);
  const cbfloat = fp16Entries.find((entry) => text(entry) === 'cbfloat16');
  if (cbfloat) {
    const scaling = layout === 'modelzoo-trainer' ? entryOf(precision, 'loss_scaling_factor') : entryOf(valueOf(base, 'optimizer'), 'loss_scaling_factor');
    if (text(scaling) !== 'dynamic') {
      const where = layout === 'modelzoo-trainer' ? 'trainer.init.precision' : 'optimizer';
      ctx.report(
        'error',
        'cbfloat16-loss-scaling',
        `cbfloat16 requires dynamic loss scaling: set loss_scaling_factor: dynamic in ${where}` +
          (scaling ? ` (it is ${text(scaling)}).` : ' (it is not set).'),
        ctx.valueRange(cbfloat.value),
        scaling ? [{ title: 'Use dynamic loss scaling', edits: [{ range: ctx.valueRange(scaling.value), newText: 'dynamic' }] }] : undefined,
      );
    }
  }

  for (const { path, key } of STEP_KEYS[layout]) {
    const entry = entryOf(at(base, path), key);
    const node = entry?.value;
    if (entry && node && node.kind === 'scalar' && typeof node.value === 'number' && node.value > MAX_STEP_COUNT) {
      ctx.report(
        'error',
        'step-count-overflow',
        `${key} = ${node.value.toLocaleString('en-US')} is above 2^31-1 (${MAX_STEP_COUNT.toLocaleString('en-US')}), the largest step count the Model Zoo runtime holds.`,
        ctx.valueRange(node),
      );
    }
  }

  const accumulation = [entryOf(at(base, ['init', 'loop']), 'grad_accum_steps'), entryOf(valueOf(base, 'runconfig'), 'grad_accum_steps')];
  for (const entry of accumulation) {
    if (!entry) continue;
    ctx.report(
      'information',
      'no-effect-on-csx',
      'grad_accum_steps has no effect on CS-X systems: gradient accumulation follows from batch_size and micro_batch_size there (it applies to GPU runs only).',
      ctx.keyRange(entry),
    );
  }
}
