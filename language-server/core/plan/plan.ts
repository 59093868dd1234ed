/**
 * The run planner: how many systems, which MemoryX and which micro-batch train a token budget by a
 * deadline, and what that costs.
 *
 * It searches every system count from 1 to the preset's maximum (2,048 CS-3; never more than the
 * global batch, since a system without a sequence does nothing), every micro-batch that fits on
 * the wafer (1 to the largest that fits, at most the per-system batch) and every announced MemoryX
 * tier that holds the model state (plus the cluster's own capacity). Each point's step time comes
 * from the simulator's `StepEvaluator`, i.e. it is exactly the step time `waferscope report`
 * gives for the same systems, micro-batch and MemoryX.
 *
 * Cost is system-hours (systems x wall-clock hours); energy is system-hours x the `system_power`
 * constant (an assumption; MemoryX, SwarmX and cooling are not in it). MemoryX capacity is not
 * priced, but it is not free either, so it is a third objective: the frontier keeps every plan that
 * no other plan beats on days, system-hours and MemoryX at once. The recommended plan is the one
 * with the fewest system-hours that meets the deadline (ties: smaller MemoryX, then fewer
 * systems); the fastest plan has the fewest days.
 */
import type { ConstantUse } from '../report';
import type { DiagnosticCode } from '../diagnosticCodes';
import { capacityLabel } from '../sim/hardware';
import { stepEvaluator, type MicroBatchCost, type SimulationInput } from '../sim/simulate';
import { formatBytes, formatCount, formatDuration, formatInteger } from '../format/units';
import { gpuBound, type GpuBound } from './gpuBound';

export interface PlanOptions {
  /** Tokens to train on; default: the config's budget, else Chinchilla's 20 per parameter. */
  tokens?: number;
  /** Wall-clock days the run must finish in; absent = no deadline. */
  deadlineDays?: number;
  /** Largest system count searched; default and cap: the preset's maximum. */
  maxSystems?: number;
}

export interface Plan {
  systems: number;
  microBatch: number;
  memoryxBytes: number;
  stepSeconds: number;
  accumulationSteps: number;
  days: number;
  systemHours: number;
  energyKWh: number;
  /** 1 - peak / SRAM at this micro-batch. */
  waferHeadroom: number;
  /**
   * The global batch is a whole number of micro-batches on every system. When it is not, the
   * step is still timed (the last micro-batch partly filled, as `report` does) but the config gets
   * a batch-not-multiple warning once the plan is applied.
   */
  evenSplit: boolean;
  meetsDeadline: boolean;
}

export interface PlanDiagnostic {
  severity: 'error' | 'warning' | 'information';
  code: DiagnosticCode;
  message: string;
}

export interface PlanResult {
  tokens: number;
  tokensSource: 'option' | 'config' | 'chinchilla';
  /** How the token count was arrived at, in words. */
  tokensBasis: string;
  deadlineDays: number | null;
  /** The Pareto frontier, by system count then MemoryX. */
  plans: Plan[];
  /** Index into `plans` of the cheapest plan meeting the deadline; null with a diagnostic when none does. */
  recommended: number | null;
  /** Index into `plans` of the plan with the fewest days (null when there is no plan). */
  fastest: number | null;
  /** Distinct (systems, micro-batch, MemoryX) points whose step time was computed. */
  evaluations: number;
  /** The search space: systems 1..maxSystems (capped at the global batch), micro-batches 1..largestMicroBatch. */
  searched: { maxSystems: number; limitedByGlobalBatch: boolean; largestMicroBatch: number; memoryxTiers: number[] };
  gpuBound?: GpuBound;
  /** Constants the cost figures rest on (system power), with their sources. */
  constants: ConstantUse[];
  diagnostics: PlanDiagnostic[];
}

/** The hardware constants the planner's own figures rest on, shown with the plan. */
const COST_CONSTANTS = ['system_power', 'max_systems'];
const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;

interface Candidate {
  systems: number;
  micro: number;
  tier: number;
  stepSeconds: number;
  accumulationSteps: number;
  seconds: number;
  systemHours: number;
  headroom: number;
}

function positiveOrUndefined(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function planRun(input: SimulationInput, options: PlanOptions = {}): PlanResult {
  const evaluator = stepEvaluator(input);
  const deadlineDays = positiveOrUndefined(options.deadlineDays) ?? null;
  const empty = (diagnostic: PlanDiagnostic, tokens = 0): PlanResult => ({
    tokens,
    tokensSource: 'option',
    tokensBasis: '',
    deadlineDays,
    plans: [],
    recommended: null,
    fastest: null,
    evaluations: 0,
    searched: { maxSystems: 0, limitedByGlobalBatch: false, largestMicroBatch: 0, memoryxTiers: [] },
    constants: [],
    diagnostics: [diagnostic],
  });
  if (!evaluator) return empty({ severity: 'error', code: 'internal-error', message: 'The simulator could not prepare this config for planning.' });

  const hw = evaluator.hw;
  const requestedTokens = positiveOrUndefined(options.tokens);
  const tokens = requestedTokens ?? evaluator.trainingTokens.tokens;
  const tokensSource: PlanResult['tokensSource'] = requestedTokens !== undefined ? 'option' : evaluator.trainingTokens.source;
  const tokensBasis = requestedTokens !== undefined ? 'given with --tokens' : evaluator.trainingTokens.basis;
  const maxSystems = Math.min(hw.maxSystems, Math.floor(positiveOrUndefined(options.maxSystems) ?? hw.maxSystems)) || 1;
  const powerWatts = hw.systemPowerWatts;
  const constants = evaluator.constants.filter((c) => COST_CONSTANTS.includes(c.name));

  const required = evaluator.memoryxRequiredBytes;
  const capacities = new Set<number>();
  for (const tier of hw.memoryxTiers) if (tier.bytes >= required) capacities.add(tier.bytes);
  const own = input.cluster?.memoryxCapacityBytes;
  if (typeof own === 'number' && Number.isFinite(own) && own >= required) capacities.add(own);
  const tiers = [...capacities].sort((a, b) => a - b);
  // The one micro-batch rule: a plan, once applied, must not bring a headroom warning, so the
  // search stays within the margin whenever any micro-batch keeps it.
  const largestMicro = evaluator.largestMicroBatchWithHeadroom >= 1 ? evaluator.largestMicroBatchWithHeadroom : evaluator.largestMicroBatch;
  const systemsLimit = Math.min(maxSystems, evaluator.globalBatch);
  const searched = { maxSystems: systemsLimit, limitedByGlobalBatch: systemsLimit < maxSystems, largestMicroBatch: Math.min(largestMicro, evaluator.globalBatch), memoryxTiers: tiers };
  const base = { tokens, tokensSource, tokensBasis, deadlineDays, searched, constants };

  const bound = gpuBound(input.model, input.structure, {
    stateBytes: required,
    microBatch: evaluator.configRun.microBatch,
    sequenceLength: evaluator.sequenceLength,
    elementBytes: evaluator.activationElementBytes,
  });

  const noPlan = (message: string): PlanResult => ({
    ...base,
    plans: [],
    recommended: null,
    fastest: null,
    evaluations: 0,
    gpuBound: bound,
    diagnostics: [{ severity: 'error', code: 'plan-no-candidate', message }],
  });
  if (!tiers.length) {
    const largest = hw.memoryxTiers[hw.memoryxTiers.length - 1];
    return noPlan(`The model state needs ${formatBytes(required)} in MemoryX; no ${hw.preset.toUpperCase()} MemoryX tier holds it (the largest is ${largest ? largest.label : 'none'}).`);
  }
  if (largestMicro < 1) {
    return noPlan(`Not even one sequence of ${formatInteger(evaluator.sequenceLength)} tokens fits on the wafer, so no micro-batch can run.`);
  }

  // Per micro-batch once, whatever the system count and tier.
  const costs: MicroBatchCost[] = [];
  for (let micro = 1; micro <= largestMicro && micro <= evaluator.globalBatch; micro++) costs.push(evaluator.microBatchCost(micro));
  const tokensPerStep = evaluator.globalBatch * evaluator.sequenceLength;

  // For one (tier, systems) every micro-batch gives the same systems, so the fastest one is the
  // cheapest too: keep only it (ties: the smaller micro-batch, more headroom).
  const candidates: Candidate[] = [];
  let evaluations = 0;
  for (let t = 0; t < tiers.length; t++) {
    const updateSeconds = evaluator.memoryxAt(tiers[t]).updateSeconds;
    for (let systems = 1; systems <= systemsLimit; systems++) {
      const split = evaluator.systemsSplit(systems);
      const microLimit = Math.min(costs.length, split.perSystemBatch);
      let best: Candidate | undefined;
      for (let m = 0; m < microLimit; m++) {
        const step = evaluator.stepOf(costs[m], split, updateSeconds);
        evaluations++;
        if (best && step.stepSeconds >= best.stepSeconds) continue;
        // The report's time to train: tokens / throughput.
        const seconds = tokens / (tokensPerStep / step.stepSeconds);
        best = {
          systems: split.systemsUsed,
          micro: costs[m].microBatch,
          tier: t,
          stepSeconds: step.stepSeconds,
          accumulationSteps: step.accumulationSteps,
          seconds,
          systemHours: (split.systemsUsed * seconds) / SECONDS_PER_HOUR,
          headroom: costs[m].headroom,
        };
      }
      if (best) candidates.push(best);
    }
  }

  const frontier = paretoFrontier(candidates, tiers.length);
  frontier.sort((a, b) => a.systems - b.systems || a.tier - b.tier);
  const deadlineSeconds = deadlineDays !== null ? deadlineDays * SECONDS_PER_DAY : Infinity;
  const plans: Plan[] = frontier.map((c) => ({
    systems: c.systems,
    microBatch: c.micro,
    memoryxBytes: tiers[c.tier],
    stepSeconds: c.stepSeconds,
    accumulationSteps: c.accumulationSteps,
    days: c.seconds / SECONDS_PER_DAY,
    systemHours: c.systemHours,
    energyKWh: (c.systemHours * powerWatts) / 1000,
    waferHeadroom: c.headroom,
    evenSplit: evaluator.globalBatch % (c.systems * c.micro) === 0,
    meetsDeadline: c.seconds <= deadlineSeconds,
  }));

  let recommended: number | null = null;
  let fastest: number | null = null;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    if (fastest === null || plan.days < plans[fastest].days || (plan.days === plans[fastest].days && plan.systemHours < plans[fastest].systemHours)) fastest = i;
    if (!plan.meetsDeadline) continue;
    if (recommended === null) {
      recommended = i;
      continue;
    }
    const r = plans[recommended];
    if (plan.systemHours < r.systemHours || (plan.systemHours === r.systemHours && (plan.memoryxBytes < r.memoryxBytes || (plan.memoryxBytes === r.memoryxBytes && plan.systems < r.systems)))) {
      recommended = i;
    }
  }

  const diagnostics: PlanDiagnostic[] = [];
  if (recommended === null && fastest !== null) {
    const f = plans[fastest];
    diagnostics.push({
      severity: 'error',
      code: 'plan-deadline-missed',
      message:
        `No plan trains ${formatCount(tokens)} tokens within ${formatDuration((deadlineDays ?? 0) * SECONDS_PER_DAY)}: the fastest takes ${formatDuration(f.days * SECONDS_PER_DAY)} ` +
        `on ${formatInteger(f.systems)} ${hw.preset.toUpperCase()} (micro-batch ${f.microBatch}, MemoryX ${capacityLabel(f.memoryxBytes)}).` +
        (systemsLimit < hw.maxSystems && systemsLimit === evaluator.globalBatch
          ? ` More systems cannot help: the global batch of ${formatInteger(evaluator.globalBatch)} sequences gives each at most one.`
          : systemsLimit < hw.maxSystems
            ? ` The search stopped at ${formatInteger(systemsLimit)} systems.`
            : ''),
    });
  }
  return { ...base, plans, recommended, fastest, evaluations, gpuBound: bound, diagnostics };
}

/**
 * Plans no other plan beats on days, system-hours and MemoryX together. Sorted by days (then
 * hours, then tier), a plan is dominated exactly when an earlier plan with a tier no larger has
 * no more system-hours; `bestHours[t]` is the fewest hours seen so far at tier t or below.
 */
function paretoFrontier(candidates: Candidate[], tierCount: number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.seconds - b.seconds || a.systemHours - b.systemHours || a.tier - b.tier || a.systems - b.systems);
  const bestHours = new Array<number>(tierCount).fill(Infinity);
  const frontier: Candidate[] = [];
  for (const candidate of sorted) {
    if (bestHours[candidate.tier] <= candidate.systemHours) continue;
    frontier.push(candidate);
    for (let t = candidate.tier; t < tierCount; t++) bestHours[t] = Math.min(bestHours[t], candidate.systemHours);
  }
  return frontier;
}
