/**
 * How far a cluster file may move a hardware constant. An override describes a variant system (a
 * faster link, a bigger MemoryX), not a different universe: past these bounds a value is a typo or
 * an attack (`pe_grid_width: 1e8` made one heatmap request take seconds and most of a gigabyte), so
 * it gets an 'out-of-range' error and the preset value stays.
 *
 * Assumption (WaferScope's, not published): a plausible variant lies within a factor of
 * PLAUSIBLE_FACTOR of the preset value; the PE grid and the die grid, which size what the panel
 * draws, have absolute caps instead.
 */
export const PLAUSIBLE_FACTOR = 1000;

/**
 * A side of the PE grid: WSE-3 is 762 x 1172; 2,048 x 2,048 is 4.7 times its area. One heatmap of a
 * 2,048-square grid takes ~0.2 s and ~110 MB; a 4,096-square one 0.5 s and 250 MB (measured with
 * heatmapForLayer on the 1T example).
 */
export const MAX_PE_GRID_SIDE = 2048;

const ABSOLUTE: Record<string, { min: number; max: number }> = {
  pe_grid_width: { min: 1, max: MAX_PE_GRID_SIDE },
  pe_grid_height: { min: 1, max: MAX_PE_GRID_SIDE },
  cores: { min: 1, max: MAX_PE_GRID_SIDE * MAX_PE_GRID_SIDE },
  die_columns: { min: 1, max: 64 },
  die_rows: { min: 1, max: 64 },
  fp32_rate_fraction: { min: 1e-3, max: 1 },
  swarmx_fan_out: { min: 2, max: 4096 },
  /** The CLI and the panel sweep system counts; past a million a sweep is no plan. */
  max_systems: { min: 1, max: 1_000_000 },
  stream_slice_columns: { min: 1, max: 1_000_000 },
};

/** The range an override of `name` (preset value `presetValue`) must lie in. */
export function overrideBounds(name: string, presetValue: number): { min: number; max: number } {
  const absolute = ABSOLUTE[name];
  if (absolute) return absolute;
  return { min: presetValue / PLAUSIBLE_FACTOR, max: presetValue * PLAUSIBLE_FACTOR };
}
