/**
 * Export from the panel: copy the report or the plan as Markdown, CSV or JSON (formatted by
 * core/format/export.ts, the same figures everywhere), and save the chart of the active view
 * (heatmap canvas, timeline, memory or plan chart) as PNG or SVG. The webview has no clipboard or
 * file access of its own: it hands the text or the bytes to the extension host, which writes them.
 *
 * A saved SVG must look the same outside the panel, where the theme's CSS variables do not exist:
 * each element's computed paint and font are written onto the copy as presentation attributes.
 */
import type { PlanResult, Report, WebviewToHost } from '../protocol/index';
import { el } from './dom';
import { exportPlan, exportReport, type ExportFormat } from '../language-server/core/format/export';

export interface ExportSources {
  report(): Report | null;
  plan(): { result: PlanResult; preset: string } | null;
  /** The active view's chart: an <svg> or the heatmap <canvas>, with a file name stem. */
  chart(): { element: SVGSVGElement | HTMLCanvasElement; name: string } | null;
  post(message: WebviewToHost): void;
}

const PAINT_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
] as const;

/** A standalone SVG document of `source`: computed styles as attributes, the theme background behind. */
export function standaloneSvg(source: SVGSVGElement): string {
  const copy = source.cloneNode(true) as SVGSVGElement;
  const originals = [source, ...source.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const style = getComputedStyle(original);
    for (const property of PAINT_PROPERTIES) {
      const value = style.getPropertyValue(property);
      if (value) copies[i].setAttribute(property, value);
    }
    copies[i].removeAttribute('class');
  });
  const box = source.getBoundingClientRect();
  const width = Number(source.getAttribute('width')) || Math.ceil(box.width);
  const height = Number(source.getAttribute('height')) || Math.ceil(box.height);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', getComputedStyle(document.body).backgroundColor || '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

function svgDataUrl(text: string): string {
  return `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
}

/** PNG bytes (base64) of the chart, at twice its size for sharpness. */
async function pngBase64(element: SVGSVGElement | HTMLCanvasElement): Promise<string> {
  if (element instanceof HTMLCanvasElement) return element.toDataURL('image/png').split(',')[1];
  const text = standaloneSvg(element);
  const image = new Image();
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    image.src = svgDataUrl(text);
  });
  const canvas = document.createElement('canvas');
  canvas.width = image.width * 2;
  canvas.height = image.height * 2;
  const context = canvas.getContext('2d')!;
  context.scale(2, 2);
  context.drawImage(image, 0, 0);
  return canvas.toDataURL('image/png').split(',')[1];
}

function svgOf(element: SVGSVGElement | HTMLCanvasElement): string {
  if (element instanceof SVGSVGElement) return standaloneSvg(element);
  // A canvas (the heatmap) goes into the SVG as an image.
  const href = element.toDataURL('image/png');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${element.width}" height="${element.height}"><image href="${href}" width="${element.width}" height="${element.height}"/></svg>`;
}

export class ExportBar {
  readonly root: HTMLElement;
  private readonly format: HTMLSelectElement;

  constructor(private readonly sources: ExportSources) {
    this.format = el('select', { className: 'plan-input export-format', attrs: { 'aria-label': 'Copy as' } }, [
      el('option', { text: 'Markdown', attrs: { value: 'markdown' } }),
      el('option', { text: 'CSV', attrs: { value: 'csv' } }),
      el('option', { text: 'JSON', attrs: { value: 'json' } }),
    ]);
    const button = (text: string, name: string, action: () => void | Promise<void>, title = text) => {
      const b = el('button', { className: 'plan-button', text, attrs: { type: 'button', name, title } });
      b.addEventListener('click', () => void action());
      return b;
    };
    this.root = el('div', { className: 'toolbar export-bar', attrs: { role: 'toolbar', 'aria-label': 'Export' } }, [
      this.format,
      button('Copy report', 'copy-report', () => this.copyReport()),
      button('Copy plan', 'copy-plan', () => this.copyPlan()),
      button('Save SVG', 'save-svg', () => this.saveChart('svg'), "Save this view's chart as SVG"),
      button('Save PNG', 'save-png', () => this.saveChart('png'), "Save this view's chart as PNG"),
    ]);
  }

  private get selected(): ExportFormat {
    return this.format.value as ExportFormat;
  }

  private copyReport(): void {
    const report = this.sources.report();
    if (!report) return this.sources.post({ type: 'export', action: 'notice', text: 'No report to copy yet.' });
    this.sources.post({ type: 'export', action: 'copy', text: exportReport(report, this.selected), what: `report (${this.format.selectedOptions[0]?.text})` });
  }

  private copyPlan(): void {
    const plan = this.sources.plan();
    if (!plan) return this.sources.post({ type: 'export', action: 'notice', text: 'Open the Plan tab first: there is no plan to copy yet.' });
    this.sources.post({ type: 'export', action: 'copy', text: exportPlan(plan.result, this.selected, plan.preset), what: `plan (${this.format.selectedOptions[0]?.text})` });
  }

  private async saveChart(kind: 'svg' | 'png'): Promise<void> {
    const chart = this.sources.chart();
    if (!chart) return this.sources.post({ type: 'export', action: 'notice', text: 'This view has no chart to save.' });
    try {
      if (kind === 'svg') this.sources.post({ type: 'export', action: 'save', fileName: `${chart.name}.svg`, text: svgOf(chart.element) });
      else this.sources.post({ type: 'export', action: 'save', fileName: `${chart.name}.png`, base64: await pngBase64(chart.element) });
    } catch (error) {
      this.sources.post({ type: 'export', action: 'notice', text: `Could not save the chart: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
