/**
 * Hover on a key: what it means (from the key table the readers use), then the numbers it drives in
 * this config. Numbers that rest on an assumption say so.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Analysis } from '../core/analyze';
import { parsedSourceOf } from '../core/config/read';
import { lookupKey, type KeyDoc } from '../core/config/keys';
import { formatBytes, formatCount, formatPercent, formatSeconds, formatSpeedup } from '../core/format/units';
import { approximatePrefix, constantValueText, memoryxText, parametersText, waferOccupancyText } from '../core/format/figures';
import type { ConstantUse } from '../core/report';
import type { ConfigFormat, Position } from '../core/types';
import { cursorPath } from './documentPath';
import { exploreTableMarkdown } from '../core/format/planText';

export function hover(text: string, analysis: Analysis, position: Position, dependents: Analysis[]): Hover | null {
  const format = analysis.document.format;
  if (format === 'unknown') return null;
  const at = cursorPath(text, position, parsedSourceOf(analysis.document));
  if (!at.path.length) return null;
  const key = lookupKey(format as ConfigFormat, at.path);
  if (!key) return null;
  const lines: string[] = [`**${key.name}**`, '', key.doc];
  if (key.values?.length) lines.push('', `Values: ${key.values.map((v) => `\`${v}\``).join(', ')}`);
  if (key.default) lines.push('', `When absent: ${key.default}`);
  const numbers = key.field ? numbersFor(key, analysis, dependents) : [];
  // One paragraph per number: Markdown would run single lines together.
  if (numbers.length) lines.push('', '---', '', numbers.filter((line) => line !== '').join('\n\n'));
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: at.keyRange };
}

/** Assumption constants whose name mentions one of the words, as a closing line. */
function assumptionsLine(constants: ConstantUse[] | undefined, words: RegExp): string[] {
  const used = (constants ?? []).filter((c) => c.assumption && words.test(c.name));
  if (!used.length) return [];
  return ['', `_Assumptions: ${used.map((c) => `${c.name} = ${constantValueText(c)}`).join('; ')}._`];
}

function numbersFor(key: KeyDoc, analysis: Analysis, dependents: Analysis[]): string[] {
  const { report, structure } = analysis;
  const model = report.model;
  switch (key.field) {
    case 'model.hiddenSize':
    case 'model.numLayers':
    case 'model.numHeads':
    case 'model.ffnSize': {
      if (!model || !structure) return [];
      const decoder = structure.layers.filter((layer) => layer.kind === 'decoder');
      const perLayer = decoder.length ? Number(decoder[decoder.length - 1].parameters) : 0;
      const decoderTotal = decoder.reduce((sum, layer) => sum + Number(layer.parameters), 0);
      const approx = approximatePrefix(model);
      return [
        `Parameters per decoder layer: **${approx}${formatCount(perLayer)}** (${formatPercent(perLayer / model.parameters, 2)} of the total)`,
        `All ${model.layers} decoder layers: ${approx}${formatCount(decoderTotal)} (${formatPercent(decoderTotal / model.parameters)})`,
        `Model total: **${parametersText(model)}**`,
        ...(model.approximation ? [`Approximate: ${model.approximation.reason}.`] : []),
      ];
    }
    case 'model.vocabSize': {
      if (!model) return [];
      return [`Embedding parameters: **${approximatePrefix(model)}${formatCount(model.embeddingParameters)}** (${formatPercent(model.embeddingParameters / model.parameters)} of the total)`];
    }
    case 'training.microBatchSize': {
      const { wafer, training } = report;
      if (!wafer || !training) return [];
      const margin = formatPercent(wafer.headroomTarget, 0);
      return [
        `Micro-batch simulated: **${training.microBatchSize}**${training.microBatchSource === 'auto' ? ` (auto: the fastest divisor of the batch that keeps ${margin} headroom)` : ''}`,
        `Wafer occupancy: **${waferOccupancyText(wafer)}**, peak in ${wafer.peakLayer.name}`,
        `Activations per decoder layer: ${formatBytes(wafer.activationBytesPerLayer)}`,
        wafer.largestFittingMicroBatch >= 1
          ? `Recommended micro-batch: **${wafer.recommendedMicroBatch}** (keeps ${margin} headroom); largest that fits: ${wafer.largestFittingMicroBatch}`
          : `**No micro-batch fits**: even one sequence overflows the wafer's SRAM`,
        ...(report.microBatchExplore ? [exploreTableMarkdown(report.microBatchExplore)] : []),
        ...assumptionsLine(report.constants, /activation|checkpoint|recompute|workspace|buffer/i),
      ];
    }
    case 'training.numCsx':
    case 'cluster.systems': {
      const source = key.field === 'cluster.systems' ? dependents.map((d) => d.report) : [report];
      const lines: string[] = [];
      for (const r of source) {
        if (!r.scaling || !r.timeline) continue;
        const name = key.field === 'cluster.systems' ? `${baseName(r.file)}: ` : '';
        lines.push(
          `${name}**${formatSpeedup(r.scaling.speedupVs1)}** faster than one system on ${r.scaling.systems} (efficiency ${formatPercent(r.scaling.efficiency)}), ${formatSeconds(r.timeline.stepSeconds)} per step`,
        );
      }
      if (lines.length) lines.push(...assumptionsLine(report.constants, /swarmx|latency|fill/i));
      return lines;
    }
    case 'training.globalBatchSize': {
      const t = report.training;
      if (!t) return [];
      return [`${t.globalBatchSize} = ${t.microBatchSize} (micro-batch) x ${t.numCsx} (systems) x ${t.accumulationSteps} (accumulation steps)`];
    }
    case 'cluster.memoryxCapacity': {
      const lines: string[] = [];
      for (const dependent of dependents) {
        const x = dependent.report.memoryx;
        if (!x) continue;
        lines.push(
          `${baseName(dependent.report.file)}: needs **${memoryxText(x)}** (${x.fits ? 'fits' : '**does not fit**'})`,
          `- weights ${formatBytes(x.breakdown.weights)}, gradients ${formatBytes(x.breakdown.gradients)}, master weights ${formatBytes(x.breakdown.masterWeights)}, optimizer state ${formatBytes(x.breakdown.optimizerState)}`,
          `- vendor sizing (~50 B/parameter): ${formatBytes(x.vendorRuleBytes)}`,
        );
      }
      if (!lines.length) lines.push('_Open a model config that uses this cluster to see what it needs._');
      return lines;
    }
    default:
      return [];
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
