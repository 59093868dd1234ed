/** Data the panel asks for on demand: one layer's heatmap, the timeline on another system count. */
import type { HeatmapPayload, TimelinePayload } from '../../protocol';
import type { Analysis } from '../core/analyze';
import { heatmapForLayer, simulate } from '../core/sim/simulate';

export function heatmapFor(uri: string, analysis: Analysis, layer: number): HeatmapPayload | null {
  const input = analysis.simulationInput;
  if (!input) return null;
  return heatmapForLayer(input, { uri, layer }) ?? null;
}

export function timelineFor(uri: string, analysis: Analysis, systems: number): TimelinePayload | null {
  const input = analysis.simulationInput;
  if (!input || !Number.isInteger(systems) || systems < 1) return null;
  const output = simulate({ ...input, systems });
  return { uri, systems, timeline: output.timeline, scaling: output.scaling };
}
