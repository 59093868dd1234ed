/**
 * The plan as text (the CLI's `plan` command, the Markdown export): tokens and their basis, the
 * recommended and the fastest plan, the Pareto frontier, the GPU bound and the cost constants.
 */
import type { Plan, PlanResult } from '../plan/plan';
import type { MicroBatchExplore } from '../report';
import { capacityLabel } from '../sim/hardware';
import { formatBytes, formatCount, formatDuration, formatInteger, formatPercent, formatRate, formatSeconds } from './units';

/** Frontier rows printed in full up to this many; beyond it a readable subset (the JSON lists all). */
const FULL_TABLE_ROWS = 24;

export function formatPlanDays(days: number): string {
  return formatDuration(days * 86_400);
}

export function formatEnergy(kWh: number): string {
  if (!Number.isFinite(kWh)) return '–';
  if (kWh >= 1e9) return `${Number((kWh / 1e9).toPrecision(3))} TWh`;
  if (kWh >= 1e6) return `${Number((kWh / 1e6).toPrecision(3))} GWh`;
  if (kWh >= 1e3) return `${Number((kWh / 1e3).toPrecision(3))} MWh`;
  return `${Number(kWh.toPrecision(3))} kWh`;
}

export function describePlan(plan: Plan, preset: string): string {
  return (
    `${formatInteger(plan.systems)} x ${preset}, micro-batch ${formatInteger(plan.microBatch)}, MemoryX ${capacityLabel(plan.memoryxBytes)}: ` +
    `${formatPlanDays(plan.days)}, ${formatInteger(plan.systemHours)} system-hours, ${formatEnergy(plan.energyKWh)}`
  );
}

/** Indices of the rows a long frontier shows: powers of two, the ends, the recommended and fastest plans. */
export function frontierRowsToShow(result: PlanResult): number[] {
  const n = result.plans.length;
  if (n <= FULL_TABLE_ROWS) return result.plans.map((_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  if (result.recommended !== null) keep.add(result.recommended);
  if (result.fastest !== null) keep.add(result.fastest);
  result.plans.forEach((plan, i) => {
    if ((plan.systems & (plan.systems - 1)) === 0) keep.add(i);
  });
  return [...keep].sort((a, b) => a - b);
}

function pad(text: string, width: number, left = false): string {
  return left ? text.padEnd(width) : text.padStart(width);
}

export function formatPlan(result: PlanResult, options: { file: string; preset: string; milliseconds?: number }): string {
  const { preset } = options;
  const lines: string[] = [];
  lines.push(`WaferScope plan: ${options.file}`, '');
  lines.push(`Tokens     ${formatCount(result.tokens)} (${result.tokensBasis})`);
  lines.push(`Deadline   ${result.deadlineDays === null ? 'none (the cheapest plan is recommended)' : formatPlanDays(result.deadlineDays)}`);
  const s = result.searched;
  lines.push(
    `Searched   1-${formatInteger(s.maxSystems)} systems${s.limitedByGlobalBatch ? ' (the global batch: one sequence each at most)' : ''}, micro-batches 1-${formatInteger(s.largestMicroBatch)} (all that fit), ` +
      `MemoryX ${s.memoryxTiers.map(capacityLabel).join(', ') || 'none holds the state'}: ${formatInteger(result.evaluations)} evaluations` +
      (options.milliseconds !== undefined ? ` in ${formatSeconds(options.milliseconds / 1000)}` : ''),
  );
  lines.push('');
  if (result.recommended !== null) lines.push(`Recommended  ${describePlan(result.plans[result.recommended], preset)}`);
  else lines.push('Recommended  none (see below)');
  if (result.fastest !== null) lines.push(`Fastest      ${describePlan(result.plans[result.fastest], preset)}`);
  for (const d of result.diagnostics) lines.push(`${d.severity} ${d.code}: ${d.message}`);

  if (result.plans.length) {
    const rows = frontierRowsToShow(result);
    lines.push('');
    lines.push(
      `Pareto frontier: days vs system-hours vs MemoryX (${formatInteger(result.plans.length)} plans` +
        (rows.length < result.plans.length ? `, ${rows.length} shown; --json lists all)` : ')'),
    );
    lines.push(`  ${pad('systems', 8)} ${pad('micro', 6)} ${pad('MemoryX', 8)} ${pad('step', 10)} ${pad('days', 12)} ${pad('system-hours', 14)} ${pad('energy', 10)} ${pad('headroom', 9)} ${pad('split', 7)}  deadline`);
    for (const i of rows) {
      const plan = result.plans[i];
      const mark = i === result.recommended ? ' < recommended' : i === result.fastest ? ' < fastest' : '';
      lines.push(
        `  ${pad(formatInteger(plan.systems), 8)} ${pad(formatInteger(plan.microBatch), 6)} ${pad(capacityLabel(plan.memoryxBytes), 8)} ` +
          `${pad(formatSeconds(plan.stepSeconds), 10)} ${pad(formatPlanDays(plan.days), 12)} ${pad(formatInteger(plan.systemHours), 14)} ` +
          `${pad(formatEnergy(plan.energyKWh), 10)} ${pad(formatPercent(plan.waferHeadroom), 9)} ${pad(plan.evenSplit ? 'even' : 'uneven', 7)}  ${result.deadlineDays === null ? '-' : plan.meetsDeadline ? 'met' : 'missed'}${mark}`,
      );
    }
  }

  const gpu = result.gpuBound;
  if (gpu) {
    lines.push('');
    lines.push(`GPU comparison (${gpu.label}: memory only, says nothing about time)`);
    lines.push(
      `  state ${formatBytes(gpu.stateBytes)} + activations ${formatBytes(gpu.activationBytes)} (micro-batch ${formatInteger(gpu.microBatch)} x ${formatInteger(gpu.sequenceLength)} tokens, full recompute)`,
    );
    for (const row of gpu.rows) lines.push(`  ${pad(`>= ${formatInteger(row.gpus)}`, 10, true)} ${row.name}`);
    lines.push(`  basis: ${gpu.basis}`);
  }
  if (result.constants.length) {
    lines.push('');
    lines.push('Cost constants');
    for (const c of result.constants) lines.push(`  ${c.name} = ${formatInteger(c.value)} ${c.unit}${c.assumption ? ' (assumption)' : ''}: ${c.source}`);
    lines.push('  MemoryX capacity is not priced; it is kept as a third objective of the frontier.');
    lines.push('  split "uneven": the global batch is not a whole number of micro-batches per system (a batch-not-multiple warning once applied).');
  }
  return `${lines.join('\n')}\n`;
}

/** The candidates of `micro_batch_size: explore` as a Markdown table (hover, export). */
export function exploreTableMarkdown(explore: MicroBatchExplore): string {
  if (!explore.rows.length) {
    return `No micro-batch from ${explore.range.min} to ${explore.range.max} fits on the wafer (largest that fits: ${formatInteger(explore.largestThatFits)}).`;
  }
  const lines = [
    `explore on ${formatInteger(explore.systems)} system${explore.systems === 1 ? '' : 's'}: divisors of the per-system batch ${formatInteger(explore.perSystemBatch)} that fit`,
    '',
    '| micro-batch | step | throughput | headroom |',
    '| ---: | ---: | ---: | ---: |',
  ];
  for (const row of explore.rows) {
    const best = row.microBatch === explore.best;
    const cell = (text: string) => (best ? `**${text}**` : text);
    lines.push(`| ${cell(formatInteger(row.microBatch))} | ${cell(formatSeconds(row.stepSeconds))} | ${cell(formatRate(row.tokensPerSecond, 'tokens/s'))} | ${cell(formatPercent(row.headroom))} |`);
  }
  if (explore.omittedRows) lines.push('', `${formatInteger(explore.omittedRows)} smaller candidates not shown.`);
  if (explore.best !== null) lines.push('', `Best: **${formatInteger(explore.best)}**, the fastest that keeps the headroom margin (the quick fix pins it).`);
  return lines.join('\n');
}
