import * as assert from 'node:assert/strict';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import type { TrainingDescription } from '../../../language-server/core/types';
import { simulate, type SimulationInput } from '../../../language-server/core/sim/simulate';
import { planRun, type Plan } from '../../../language-server/core/plan/plan';
import { GPU_MODELS } from '../../../language-server/core/plan/gpuBound';
import { cluster, gpt1t, gpt1tTraining, shipped, TB } from '../sim/fixtures';

const structure1t = buildModelStructure(gpt1t);
const input1t: SimulationInput = { model: gpt1t, structure: structure1t, training: gpt1tTraining, cluster: cluster(1, 55 * TB) };

/** The report for the plan's point: micro-batch pinned, --systems, the cluster's MemoryX set to the plan's. */
function reportAt(input: SimulationInput, plan: Pick<Plan, 'microBatch' | 'systems' | 'memoryxBytes'>) {
  const training: TrainingDescription = { ...input.training, microBatchSize: plan.microBatch };
  return simulate({ ...input, training, systems: plan.systems, cluster: { ...input.cluster, memoryxCapacityBytes: plan.memoryxBytes } });
}

function reportStep(input: SimulationInput, plan: Pick<Plan, 'microBatch' | 'systems' | 'memoryxBytes'>): number {
  return reportAt(input, plan).timeline.stepSeconds;
}

function dominates(a: Plan, b: Plan): boolean {
  const noWorse = a.days <= b.days && a.systemHours <= b.systemHours && a.memoryxBytes <= b.memoryxBytes;
  return noWorse && (a.days < b.days || a.systemHours < b.systemHours || a.memoryxBytes < b.memoryxBytes);
}

describe('planner', () => {
  it("gives every plan on the 1T frontier exactly the report's step time", () => {
    const result = planRun(input1t, { deadlineDays: 4000 });
    assert.ok(result.plans.length > 10, `${result.plans.length} plans`);
    for (const plan of result.plans) {
      const report = reportAt(input1t, plan);
      assert.equal(plan.stepSeconds, report.timeline.stepSeconds, `${plan.systems} systems, micro-batch ${plan.microBatch}`);
      assert.equal(plan.accumulationSteps, report.training.accumulationSteps);
      assert.equal(plan.waferHeadroom, report.wafer.headroom);
      assert.ok(report.memoryx.fits && report.wafer.fits);
    }
  });

  it('keeps exactly the plans no other searched point beats, checked by brute force through simulate()', () => {
    // GPT-3 XL with a small batch: every (systems, micro-batch, tier) point is simulated in full.
    const xl = shipped[0];
    const training: TrainingDescription = { ...xl.training, globalBatchSize: 24 };
    const input: SimulationInput = { model: xl.model, structure: buildModelStructure(xl.model), training, cluster: cluster(1, 1.5 * TB) };
    const result = planRun(input, { maxSystems: 12, tokens: 1e9 });
    const tiers = result.searched.memoryxTiers;
    const largest = result.searched.largestMicroBatch;
    const points: Plan[] = [];
    for (const memoryxBytes of tiers) {
      for (let systems = 1; systems <= 12; systems++) {
        for (let micro = 1; micro <= Math.min(largest, Math.ceil(24 / systems)); micro++) {
          const stepSeconds = reportStep(input, { microBatch: micro, systems, memoryxBytes });
          const days = 1e9 / (24 * 2048 / stepSeconds) / 86400;
          points.push({ systems, microBatch: micro, memoryxBytes, stepSeconds, days, systemHours: systems * days * 24 } as Plan);
        }
      }
    }
    assert.equal(result.evaluations, points.length);
    const expected = points.filter((p) => !points.some((q) => dominates(q, p)));
    const key = (p: Plan) => `${p.systems}/${p.memoryxBytes}/${p.stepSeconds}`;
    assert.deepEqual(new Set(result.plans.map(key)), new Set(expected.map(key)));
  });

  it('recommends the plan with the fewest system-hours that meets the deadline, and never fewer systems for a tighter one', () => {
    const loose = planRun(input1t, {});
    assert.notEqual(loose.recommended, null);
    const cheapest = Math.min(...loose.plans.map((p) => p.systemHours));
    assert.equal(loose.plans[loose.recommended!].systemHours, cheapest);
    let previous = 0;
    for (const years of [400, 100, 30, 12, 10, 9]) {
      const result = planRun(input1t, { deadlineDays: years * 365 });
      const plan = result.plans[result.recommended!];
      assert.ok(plan, `${years} years`);
      assert.ok(plan.days <= years * 365);
      assert.ok(result.plans.every((p) => !p.meetsDeadline || p.systemHours >= plan.systemHours));
      assert.ok(plan.systems >= previous, `${years} years: ${plan.systems} systems after ${previous}`);
      previous = plan.systems;
    }
  });

  it('says why there is no recommendation when no plan meets the deadline', () => {
    const result = planRun(input1t, { deadlineDays: 30 });
    assert.equal(result.recommended, null);
    assert.ok(result.plans.every((p) => !p.meetsDeadline));
    const diagnostic = result.diagnostics.find((d) => d.code === 'plan-deadline-missed');
    assert.ok(diagnostic && diagnostic.severity === 'error');
    assert.match(diagnostic.message, /fastest takes/);
    assert.equal(result.plans[result.fastest!].days, Math.min(...result.plans.map((p) => p.days)));
  });

  it('tokens: the config budget, else 20 per parameter, else the option, and says which', () => {
    const chinchilla = planRun(input1t, {});
    assert.equal(chinchilla.tokensSource, 'chinchilla');
    assert.equal(chinchilla.tokens, 20 * Number(structure1t.totalParameters));
    const budget = planRun({ ...input1t, training: { ...gpt1tTraining, maxSteps: 1000 } }, {});
    assert.equal(budget.tokensSource, 'config');
    assert.equal(budget.tokens, 1000 * 1024 * 2048);
    const given = planRun(input1t, { tokens: 1e12 });
    assert.equal(given.tokensSource, 'option');
    // Days scale with the tokens at the same point.
    const a = chinchilla.plans[0];
    const b = given.plans.find((p) => p.systems === a.systems && p.memoryxBytes === a.memoryxBytes)!;
    assert.ok(Math.abs(a.days / b.days - chinchilla.tokens / 1e12) < 1e-9);
  });

  it('only searches MemoryX tiers that hold the state, and energy is system-hours x system_power', () => {
    const result = planRun(input1t, {});
    assert.deepEqual(result.searched.memoryxTiers, [55 * TB, 1200 * TB]);
    for (const plan of result.plans) assert.ok(Math.abs(plan.energyKWh - plan.systemHours * 23) < 1e-6 * plan.energyKWh);
    const power = result.constants.find((c) => c.name === 'system_power')!;
    assert.equal(power.assumption, true);
    const overridden = planRun({ ...input1t, cluster: cluster(1, 55 * TB, 'cs-3', { system_power: 30000 }) }, {});
    assert.ok(Math.abs(overridden.plans[0].energyKWh - overridden.plans[0].systemHours * 30) < 1e-6 * overridden.plans[0].energyKWh);
  });

  it('never searches more systems than the global batch or the preset allows', () => {
    assert.equal(planRun(input1t, {}).searched.maxSystems, 1024);
    assert.equal(planRun(input1t, {}).searched.limitedByGlobalBatch, true);
    const big = planRun({ ...input1t, training: { ...gpt1tTraining, globalBatchSize: 8192 } }, { maxSystems: 5000 });
    assert.equal(big.searched.maxSystems, 2048);
    assert.ok(big.plans.every((p) => p.systems <= 2048));
    assert.equal(planRun(input1t, { maxSystems: 16 }).plans.every((p) => p.systems <= 16), true);
  });

  it('reports plan-no-candidate when no MemoryX tier holds the model', () => {
    const tiny = { memoryx_tier_small: 1e12, memoryx_tier_medium: 2e12, memoryx_tier_deployed_1t: 3e12, memoryx_tier_large: 4e12 };
    const result = planRun({ ...input1t, cluster: cluster(1, 4 * TB, 'cs-3', tiny) }, {});
    assert.deepEqual(result.plans, []);
    assert.equal(result.recommended, null);
    assert.equal(result.diagnostics[0].code, 'plan-no-candidate');
  });

  it('GPU bound: the fewest GPUs whose memory holds the state plus full-recompute activations', () => {
    const result = planRun(input1t, {});
    const bound = result.gpuBound!;
    const state = simulate(input1t).memoryx.requiredBytes;
    assert.equal(bound.stateBytes, state);
    // Layer inputs of 128 decoders (2 B x s x b x h) plus one GPT layer recomputed without checkpointing.
    const tokens = 2048 * bound.microBatch;
    assert.ok(bound.activationBytes > 128 * 2 * tokens * 25600);
    assert.ok(bound.activationBytes < 128 * 2 * tokens * 25600 + 200 * tokens * 25600);
    for (const [i, row] of bound.rows.entries()) {
      const memory = GPU_MODELS[i].memoryBytes;
      assert.ok(row.gpus * memory >= state + bound.activationBytes);
      assert.ok((row.gpus - 1) * memory < state + bound.activationBytes);
    }
    assert.ok(bound.rows[0].gpus > bound.rows[1].gpus);
  });
});
