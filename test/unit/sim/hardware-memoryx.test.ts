import * as assert from 'node:assert/strict';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import { capacityLabel, closestConstantName, hardwareConstants, resolveHardware } from '../../../language-server/core/sim/hardware';
import { memoryxBreakdown, simulateMemoryx, updateBytesTouched } from '../../../language-server/core/sim/memoryx';
import { cluster, gpt1t, TB } from './fixtures';

describe('hardware presets', () => {
  it('CS-3: 762 x 1172 = 893,064 addressable PEs, 44 GB SRAM, 48 KB per core, 15 PFLOP/s dense (assumption)', () => {
    const { hw, constants } = resolveHardware(cluster(1, 55 * TB));
    assert.equal(hw.peGridWidth * hw.peGridHeight, 893_064);
    assert.equal(hw.sramBytes, 44e9);
    assert.equal(hw.sramPerCoreBytes, 49_152);
    assert.equal(hw.denseFp16Flops, 15e15);
    assert.equal(constants.find((c) => c.name === 'dense_fp16_peak')!.assumption, true);
    assert.equal(hw.systemIoBandwidth * 8, 1.2e12, 'system I/O is 1.2 Tb/s');
    assert.equal(hw.dieColumns * hw.dieRows, 84);
  });

  it('CS-2: 757 x 996 PEs, 40 GB, 7.5 PFLOP/s dense (published, not an assumption)', () => {
    const { hw, constants } = resolveHardware(cluster(1, 4 * TB, 'cs-2'));
    assert.equal(hw.peGridWidth * hw.peGridHeight, 753_972);
    assert.equal(hw.sramBytes, 40e9);
    assert.equal(hw.denseFp16Flops, 7.5e15);
    assert.equal(constants.find((c) => c.name === 'dense_fp16_peak')!.assumption, false);
    assert.equal(hw.maxSystems, 192);
  });

  it('announces the CS-3 MemoryX tiers, with the 55 TB of the 1T run marked as a deployed configuration', () => {
    const { hw } = resolveHardware(cluster(1, 55 * TB));
    assert.deepEqual(hw.memoryxTiers.map((t) => t.bytes), [1.5e12, 12e12, 55e12, 1.2e15]);
    assert.deepEqual(hw.memoryxTiers.filter((t) => t.deployedOnly).map((t) => t.label), ['55 TB']);
  });

  it('every constant has a unit and a source, and the documented table names each one once', () => {
    for (const preset of ['cs-3', 'cs-2'] as const) {
      const table = hardwareConstants(preset);
      assert.equal(new Set(table.map((c) => c.name)).size, table.length);
      for (const c of table) {
        assert.ok(c.unit.length > 0 && c.source.length > 10, c.name);
        assert.ok(Number.isFinite(c.value) && c.value > 0, c.name);
      }
    }
  });

  it('applies overrides by name and reports unknown and unusable ones', () => {
    const resolved = resolveHardware(cluster(1, 55 * TB, 'cs-3', { system_io: 195e9, sysem_io: 1, sram_total: -4 }));
    assert.equal(resolved.hw.systemIoBandwidth, 195e9);
    assert.deepEqual(resolved.unknownOverrides, ['sysem_io']);
    assert.deepEqual(resolved.invalidOverrides, ['sram_total']);
    assert.equal(resolved.hw.sramBytes, 44e9);
    const use = resolved.constants.find((c) => c.name === 'system_io')!;
    assert.equal(use.overridden, true);
    assert.equal(use.value, 195e9);
    assert.equal(closestConstantName('sysem_io'), 'system_io');
    assert.equal(closestConstantName('completely_unrelated_name'), undefined);
  });

  it('falls back to CS-3 for an unknown system and says so', () => {
    const resolved = resolveHardware(cluster(1, 1 * TB, 'cs-9'));
    assert.equal(resolved.hw.preset, 'cs-3');
    assert.equal(resolved.unknownSystem, 'cs-9');
    assert.equal(resolveHardware(undefined).hw.preset, 'cs-3');
  });

  it('writes capacities the way a cluster file does', () => {
    assert.equal(capacityLabel(1.2e15), '1.2 PB');
    assert.equal(capacityLabel(55e12), '55 TB');
    assert.equal(capacityLabel(1.5e12), '1.5 TB');
  });
});

describe('MemoryX', () => {
  const structure = buildModelStructure(gpt1t);
  // Hand count (see examples/1t/gpt-1t.yaml): 128 x (12h^2 + 13h) + V*h + 2048*h + 2h, h = 25600.
  const h = 25600n;
  const parameters = 128n * (12n * h * h + 13n * h) + 51200n * h + 2048n * h + 2n * h;
  const { hw } = resolveHardware(cluster(1, 55 * TB));

  it('the 1T example has 1,008,038,758,400 parameters', () => {
    assert.equal(parameters, 1_008_038_758_400n);
    assert.equal(structure.totalParameters, parameters);
  });

  it('mixed-precision AdamW needs 16 B/parameter: 2 + 2 + 4 + 8 (16.1 TB for 1T)', () => {
    const result = simulateMemoryx(structure, 'adamw', 'bf16', 55 * TB, hw);
    assert.equal(result.requiredBytes, Number(parameters * 16n));
    assert.deepEqual(result.breakdown, {
      weights: Number(parameters * 2n),
      gradients: Number(parameters * 2n),
      masterWeights: Number(parameters * 4n),
      optimizerState: Number(parameters * 8n),
    });
    assert.equal(result.bytesPerParameter, 16);
    assert.equal(result.fits, true);
    assert.equal(result.vendorRuleBytes, Number(parameters) * 50);
  });

  it('per optimizer: sgd 8, sgd-momentum 12, lamb 16 B/parameter mixed; fp32 AdamW 16 with no master copy', () => {
    const p = Number(parameters);
    assert.equal(simulateMemoryx(structure, 'sgd', 'bf16', 55 * TB, hw).requiredBytes, 8 * p);
    assert.equal(simulateMemoryx(structure, 'sgd-momentum', 'bf16', 55 * TB, hw).requiredBytes, 12 * p);
    assert.equal(simulateMemoryx(structure, 'lamb', 'cbf16', 55 * TB, hw).requiredBytes, 16 * p);
    const fp32 = memoryxBreakdown(structure, 'adamw', 'fp32');
    assert.equal(fp32.masterWeights, 0);
    assert.equal(fp32.weights, 4 * p);
    assert.equal(fp32.weights + fp32.gradients + fp32.optimizerState, 16 * p);
  });

  it('Adafactor keeps a factored fp32 second moment: 4 B x (rows + cols) per matrix', () => {
    // Per decoder layer: qkv (h x 3h), o (h x h), up (h x 4h), down (4h x h) -> 4 x (4h + 2h + 5h + 5h) = 64h;
    // vectors per layer: 3h + h + 4h + h + 4h (biases, two LayerNorms) = 13h, each 4 B.
    // Embedding tables: 4 x (V + h) + 4 x (2048 + h); final norm 2h x 4 B. The tied head adds nothing.
    const perLayer = 4n * (4n * h + 2n * h + 5n * h + 5n * h) + 4n * 13n * h;
    const expected = 128n * perLayer + 4n * (51200n + h) + 4n * (2048n + h) + 4n * 2n * h;
    assert.equal(memoryxBreakdown(structure, 'adafactor', 'bf16').optimizerState, Number(expected));
  });

  it('picks the smallest tier that fits and fails against 12 TB', () => {
    const small = simulateMemoryx(structure, 'adamw', 'bf16', 12 * TB, hw);
    assert.equal(small.fits, false);
    assert.equal(small.recommendedTierBytes, 55e12);
    const huge = simulateMemoryx(structure, 'adamw', 'bf16', 2e15, hw);
    assert.equal(huge.fits, true);
  });

  it('updates in MemoryX in (grads 2 + master 2x4 + moments 2x8 + new weights 2) = 28 B/parameter / bandwidth', () => {
    const result = simulateMemoryx(structure, 'adamw', 'bf16', 55 * TB, hw);
    assert.equal(updateBytesTouched(result.breakdown, 'bf16'), Number(parameters) * 28);
    const bandwidth = hw.memoryxUpdateBandwidthPerTb * 55;
    assert.ok(Math.abs(result.updateSeconds - (28 * Number(parameters)) / bandwidth) < 1e-9);
  });

  it('a larger MemoryX never makes the fit worse', () => {
    let previous = false;
    for (const capacity of [1, 5, 12, 16, 16.2, 55, 1200]) {
      const fits = simulateMemoryx(structure, 'adamw', 'bf16', capacity * TB, hw).fits;
      assert.ok(fits || !previous, `fit lost at ${capacity} TB`);
      previous = fits;
    }
    assert.equal(previous, true);
  });
});
