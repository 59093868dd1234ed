/**
 * Planner bench (bundled by bench/run.mjs), on the 1T example (examples/1t/gpt-1t.yaml, default
 * cluster: one CS-3 with 55 TB), read with the project's own config reader.
 *
 *  - evaluations per second: one evaluation is the step time of one distinct configuration
 *    (systems, micro-batch, MemoryX tier) exactly as `report` would give it - the per-micro-batch
 *    part (wafer working set, the per-layer stream/compute pass) and the per-system-count part
 *    (batch split, SwarmX tree) are shared between the points of one plan, as the planner does.
 *    Measured as evaluations / time of a whole plan with the structure built afresh (nothing
 *    cached: the preparation, every micro-batch cost and every split are computed inside the
 *    timed run). Target: at least 20,000 per second.
 *    Baseline in the same run: a full `simulate()` per point (micro-batch pinned, --systems, the
 *    tier as the cluster's MemoryX; preparation cached), i.e. what planning by calling the report
 *    once per configuration would cost.
 *  - plan time: the whole 1T plan (every system count, micro-batch and tier) from a fresh
 *    structure, and the same including reading and analysing the file (what a plan request costs
 *    the language server). Target: under 200 ms. Baseline: one full `simulate()` of the config
 *    from a fresh structure.
 *
 * Medians after warm-up. Prints a human summary, then ONE JSON object on the last stdout line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../language-server/core/analyze';
import { readConfig } from '../language-server/core/config/read';
import { buildModelStructure } from '../language-server/core/model/structure';
import { planRun } from '../language-server/core/plan/plan';
import { simulate, type SimulationInput } from '../language-server/core/sim/simulate';
import { resolveCluster } from '../language-server/core/config/cluster';
import { median, round, time } from './timing';

const EVALUATIONS_TARGET_PER_SECOND = 20_000;
const PLAN_TARGET_MS = 200;

const root = process.cwd();
const modelFile = resolve(root, 'examples/1t/gpt-1t.yaml');
const modelText = readFileSync(modelFile, 'utf8');


const document = readConfig(modelFile, modelText);
if (!document.model || !document.training) {
  console.log(JSON.stringify({ name: 'plan', pass: false, error: `could not read ${modelFile}` }));
  process.exit(0);
}
const model = document.model;
const training = document.training;
const cluster = resolveCluster(document, { readFile: () => undefined }).cluster;
const freshInput = (): SimulationInput => ({ model, structure: buildModelStructure(model), training, cluster });

// The whole plan from a fresh structure: evaluations per second and plan time.
let evaluations = 0;
let planCount = 0;
const planTimes = time(15, 3, () => {
  const result = planRun(freshInput(), {});
  evaluations = result.evaluations;
  planCount = result.plans.length;
});
const planMs = median(planTimes);
const evaluationsPerSecond = evaluations / (planMs / 1000);

// The same as a plan request in the language server: read, analyse, plan.
const requestMs = median(
  time(10, 2, () => {
    const analysis = analyze(modelFile, modelText, { readFile: () => undefined });
    if (analysis.simulationInput) planRun(analysis.simulationInput, {});
  }),
);

// Baseline 1: a full simulate() per point, over a spread of distinct points of the same plan.
const sample = planRun(freshInput(), {});
const shared = freshInput();
simulate(shared);
const points: { systems: number; micro: number; capacity: number }[] = [];
const tiers = sample.searched.memoryxTiers;
for (let systems = 1; systems <= sample.searched.maxSystems; systems += 7) {
  const micro = Math.max(1, Math.min(sample.searched.largestMicroBatch, Math.ceil(1024 / systems)) - (systems % 3));
  points.push({ systems, micro, capacity: tiers[systems % tiers.length] });
}
const simulatePoint = (point: { systems: number; micro: number; capacity: number }) =>
  simulate({ ...shared, systems: point.systems, training: { ...training, microBatchSize: point.micro }, cluster: { ...cluster, memoryxCapacityBytes: point.capacity } });
for (const point of points.slice(0, 20)) simulatePoint(point);
const baselineStart = performance.now();
for (const point of points) simulatePoint(point);
const baselineSeconds = (performance.now() - baselineStart) / 1000;
const baselinePerSecond = points.length / baselineSeconds;

// Baseline 2: one full simulation of the config from a fresh structure.
const simulateMs = median(time(15, 3, () => simulate(freshInput())));

const output = {
  name: 'plan',
  scenario: '1T GPT (examples/1t/gpt-1t.yaml), default cluster (1 x CS-3, 55 TB), no deadline',
  evaluation: 'the step time of one distinct (systems, micro-batch, MemoryX tier) configuration, equal to what report gives for it',
  evaluations: {
    perSecond: Math.round(evaluationsPerSecond),
    perPlan: evaluations,
    baselineFullSimulatePerSecond: Math.round(baselinePerSecond),
    baselinePoints: points.length,
    ratioToBaseline: round(evaluationsPerSecond / baselinePerSecond, 1),
    target: EVALUATIONS_TARGET_PER_SECOND,
    pass: evaluationsPerSecond >= EVALUATIONS_TARGET_PER_SECOND,
  },
  plan: {
    medianMs: round(planMs, 2),
    withReadAndAnalyseMedianMs: round(requestMs, 2),
    frontierPlans: planCount,
    baselineOneSimulateMs: round(simulateMs, 2),
    ratioToOneSimulate: round(planMs / simulateMs, 2),
    planByFullSimulateEstimateMs: Math.round((evaluations / baselinePerSecond) * 1000),
    targetMs: PLAN_TARGET_MS,
    pass: requestMs < PLAN_TARGET_MS,
  },
  pass: false,
};
output.pass = output.evaluations.pass && output.plan.pass;

const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
console.log(
  `evaluations: ${output.evaluations.perSecond.toLocaleString('en-US')}/s (${evaluations.toLocaleString('en-US')} per plan) vs full simulate() per point ` +
    `${output.evaluations.baselineFullSimulatePerSecond.toLocaleString('en-US')}/s (${output.evaluations.ratioToBaseline}x) target >= ${EVALUATIONS_TARGET_PER_SECOND.toLocaleString('en-US')} ${mark(output.evaluations.pass)}`,
);
console.log(
  `1T plan: median ${planMs.toFixed(1)} ms, with read + analyse ${requestMs.toFixed(1)} ms (one simulate() ${simulateMs.toFixed(1)} ms; ` +
    `by full simulate() per point ~${output.plan.planByFullSimulateEstimateMs} ms) target < ${PLAN_TARGET_MS} ms ${mark(output.plan.pass)}`,
);
console.log(JSON.stringify(output));
