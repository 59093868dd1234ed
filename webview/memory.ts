/**
 * Memory breakdown: what MemoryX must hold against its capacity, and what one layer needs on the
 * wafer against SRAM (largest layer, a typical decoder layer, then every layer).
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { max } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import type { LayerMemory, Report } from '../protocol/index';
import { clear, el, placeholder, placeTooltip, setTooltipLines, svg } from './dom';
import { formatBytes, formatCount, formatPercent } from '../language-server/core/format/units';
import {
  capacityCaption,
  memoryxSegments,
  waferBarRows,
  waferCaption,
  type Segment,
} from './viewModel';

interface BarRow {
  label: string;
  detail?: string;
  segments: Segment[];
}

interface Marker {
  value: number;
  label: string;
  className: string;
}

const ROW_HEIGHT = 30;
const ROW_GAP = 30;
const LABEL_WIDTH = 190;
/** A capacity marker more than this many times the largest bar is drawn off scale. */
const MARKER_REACH = 5;

export class MemoryView {
  readonly root: HTMLElement;
  private readonly content: HTMLElement;
  private readonly tooltip: HTMLElement;
  private report: Report | null = null;
  private width = 0;
  private visible = false;
  private dirty = true;

  constructor() {
    this.content = el('div', { className: 'memory-content' });
    this.tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip', hidden: true } });
    this.root = el('section', { className: 'view memory-view scrolling', attrs: { 'aria-label': 'Memory breakdown' } }, [
      this.content,
      this.tooltip,
    ]);
    new ResizeObserver(() => {
      const width = Math.floor(this.root.getBoundingClientRect().width);
      if (width > 0 && width !== this.width) {
        this.width = width;
        this.dirty = true;
        this.render();
      }
    }).observe(this.root);
  }

  setReport(report: Report | null): void {
    this.report = report;
    this.dirty = true;
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.render();
    else this.tooltip.hidden = true;
  }

  private render(): void {
    if (!this.dirty || !this.visible || this.width <= 0) return;
    this.dirty = false;
    clear(this.content);
    const report = this.report;
    if (!report?.memoryx && !report?.wafer) {
      this.content.appendChild(
        placeholder(
          report?.model ? 'No memory estimate for this config.' : 'No model in this file.',
          'The memory view compares what MemoryX and the wafer must hold with what they have.',
        ),
      );
      return;
    }
    // Never wider than the panel (a 350 px panel must not scroll sideways).
    const width = Math.max(240, Math.min(1100, this.width - 4));
    if (report.memoryx) this.renderMemoryx(report, width);
    if (report.wafer) this.renderWafer(report, width);
    this.fitLabelContrast();
  }

  onThemeChange(): void {
    this.fitLabelContrast();
  }

  /** Segment labels in dark or light text, whichever reads on the segment's themed colour. */
  private fitLabelContrast(): void {
    for (const group of Array.from(this.content.querySelectorAll<SVGGElement>('.stack-segment'))) {
      const rect = group.querySelector('rect');
      const label = group.querySelector('text');
      if (!rect || !label) continue;
      const luminance = relativeLuminance(getComputedStyle(rect).fill);
      label.classList.toggle('on-dark', luminance !== undefined && luminance < 0.4);
    }
  }

  private renderMemoryx(report: Report, width: number): void {
    const mx = report.memoryx!;
    const params = report.model?.parameters;
    this.content.appendChild(el('h2', { className: 'section-title', text: 'MemoryX: model state outside the wafer' }));
    this.content.appendChild(
      el('p', {
        className: `caption${mx.fits ? '' : ' problem'}`,
        text: capacityCaption(mx.requiredBytes, mx.capacityBytes, 'MemoryX capacity'),
      }),
    );
    this.content.appendChild(
      el('p', {
        className: 'hint',
        text: `${mx.bytesPerParameter.toFixed(1)} bytes per parameter${params ? ` × ${formatCount(params)} parameters` : ''}. The vendor sizes MemoryX at about 50 bytes per parameter (${formatBytes(
          mx.vendorRuleBytes,
        )} here); the bar shows this model's own breakdown.${
          mx.recommendedTierBytes !== null ? ` Smallest announced tier that holds it: ${formatBytes(mx.recommendedTierBytes)}.` : ''
        }`,
      }),
    );
    this.content.appendChild(
      this.stackedBars(
        [{ label: 'Required', detail: formatBytes(mx.requiredBytes), segments: memoryxSegments(mx) }],
        [
          { value: mx.capacityBytes, label: `capacity ${formatBytes(mx.capacityBytes)}`, className: 'marker-capacity' },
          { value: mx.vendorRuleBytes, label: `~50 B/param ${formatBytes(mx.vendorRuleBytes)}`, className: 'marker-reference' },
        ],
        width,
        'MemoryX requirement against capacity',
      ),
    );
  }

  private renderWafer(report: Report, width: number): void {
    const wafer = report.wafer!;
    this.content.appendChild(el('h2', { className: 'section-title', text: 'Wafer SRAM: one layer at a time' }));
    this.content.appendChild(
      el('p', {
        className: `caption${wafer.fits ? '' : ' problem'}`,
        text: waferCaption(wafer),
      }),
    );
    this.content.appendChild(
      el('p', {
        className: 'hint',
        text: `Weights stream in one layer at a time, so SRAM holds one layer's working set. Layer-input checkpoints of all layers (${formatBytes(
          wafer.checkpoints.bytes,
        )} per micro-batch) live on ${wafer.checkpoints.location === 'wafer' ? 'the wafer' : 'the activation servers'}.`,
      }),
    );
    const rows: BarRow[] = waferBarRows(wafer);
    if (rows.length) {
      this.content.appendChild(
        this.stackedBars(
          rows,
          [{ value: wafer.sramBytes, label: `SRAM ${formatBytes(wafer.sramBytes)}`, className: 'marker-capacity' }],
          width,
          'Per-layer working set against wafer SRAM',
        ),
      );
    }
    if (wafer.layers.length > 1) {
      this.content.appendChild(el('h2', { className: 'section-title', text: 'Working set of every layer' }));
      this.content.appendChild(this.layerColumns(wafer.layers, wafer.sramBytes, 0, width));
    }
  }

  /** Horizontal stacked bars sharing one byte axis, with vertical capacity markers. */
  private stackedBars(rows: BarRow[], markers: Marker[], width: number, title: string): HTMLElement {
    // Narrow panels give the labels less room rather than push the plot off screen.
    const labelWidth = Math.min(LABEL_WIDTH, Math.round(width * 0.36));
    const plotWidth = width - labelWidth - 24;
    const markerSpace = markers.length * 16 + 6;
    const height = markerSpace + rows.length * (ROW_HEIGHT + ROW_GAP) + 10;
    const total = max(rows, (r) => r.segments.reduce((sum, s) => sum + s.bytes, 0)) ?? 0;
    // The axis fits the data: a capacity far above the bar would squash it to nothing (a 436 GB
    // model on a 0-60 TB axis), so such a marker is drawn at the edge, labelled "off scale".
    const reach = total > 0 ? total * MARKER_REACH : 1;
    const inRange = markers.filter((m) => m.value <= reach).map((m) => m.value);
    const x = scaleLinear()
      .domain([0, Math.max(total, ...inRange, 1) * 1.04])
      .range([0, plotWidth])
      .nice();
    const domainEnd = x.domain()[1];
    const root = select(svg('svg', { className: 'memory-svg', attrs: { width, height, role: 'img', 'aria-label': title } }));
    const g = root.append('g').attr('transform', `translate(${labelWidth},${markerSpace})`);
    const rowsHeight = rows.length * (ROW_HEIGHT + ROW_GAP) - ROW_GAP;
    g.append('g')
      .attr('class', 'grid')
      .selectAll('line')
      .data(x.ticks(6))
      .join('line')
      .attr('x1', (d) => x(d))
      .attr('x2', (d) => x(d))
      .attr('y1', 0)
      .attr('y2', rowsHeight);
    rows.forEach((row, i) => {
      const y = i * (ROW_HEIGHT + ROW_GAP);
      root
        .append('text')
        .attr('class', 'row-label')
        .attr('x', labelWidth - 10)
        .attr('y', markerSpace + y + ROW_HEIGHT / 2 - 2)
        .attr('text-anchor', 'end')
        .text(truncate(row.label, Math.max(8, Math.floor((labelWidth - 10) / 6.6))));
      if (row.detail) {
        root
          .append('text')
          .attr('class', 'row-detail')
          .attr('x', labelWidth - 10)
          .attr('y', markerSpace + y + ROW_HEIGHT / 2 + 12)
          .attr('text-anchor', 'end')
          .text(row.detail);
      }
      const segs = g
        .append('g')
        .selectAll('g')
        .data(row.segments.filter((s) => s.bytes > 0))
        .join('g')
        .attr('class', (s) => `stack-segment seg-${s.key}`);
      segs
        .append('rect')
        .attr('x', (s) => x(s.start))
        .attr('y', y)
        .attr('width', (s) => Math.max(1, x(s.start + s.bytes) - x(s.start)))
        .attr('height', ROW_HEIGHT);
      segs
        .append('text')
        .attr('class', 'segment-label')
        .attr('x', (s) => x(s.start) + 5)
        .attr('y', y + ROW_HEIGHT / 2)
        .attr('dy', '0.32em')
        .text((s) => {
          const room = x(s.start + s.bytes) - x(s.start) - 10;
          const full = `${s.label} ${formatBytes(s.bytes)}`;
          if (full.length * 6.2 <= room) return full;
          const short = formatBytes(s.bytes);
          return short.length * 6.2 <= room ? short : '';
        });
      segs
        .on('pointerenter', (event: PointerEvent, s) => {
          const rowTotal = row.segments.reduce((sum, t) => sum + t.bytes, 0);
          setTooltipLines(this.tooltip, [row.label, `${s.label}: ${formatBytes(s.bytes)}`, `${formatPercent(rowTotal ? s.bytes / rowTotal : 0)} of ${formatBytes(rowTotal)}`]);
          this.tooltip.hidden = false;
          placeTooltip(this.tooltip, this.root, event.clientX, event.clientY);
        })
        .on('pointermove', (event: PointerEvent) => placeTooltip(this.tooltip, this.root, event.clientX, event.clientY))
        .on('pointerleave', () => (this.tooltip.hidden = true));
    });
    markers.forEach((m, i) => {
      const offScale = m.value > domainEnd;
      const mx = Math.round(x(Math.min(m.value, domainEnd))) + 0.5;
      const marker = g.append('g').attr('class', `marker ${m.className}`);
      marker.append('line').attr('x1', mx).attr('x2', mx).attr('y1', -markerSpace + 4 + i * 16 + 6).attr('y2', rowsHeight + 4);
      const anchorEnd = mx > plotWidth * 0.7;
      marker
        .append('text')
        .attr('x', mx + (anchorEnd ? -5 : 5))
        .attr('y', -markerSpace + 4 + i * 16 + 8)
        .attr('text-anchor', anchorEnd ? 'end' : 'start')
        .text(offScale ? `${m.label} (off scale) →` : m.label);
    });
    g.append('g')
      .attr('class', 'axis')
      .attr('transform', `translate(0,${rowsHeight + 6})`)
      .call(
        axisBottom(x)
          // About one tick per 90 px, so labels like "10 TB" never run into each other.
          .ticks(Math.max(2, Math.floor(plotWidth / 90)))
          .tickFormat((d) => formatBytes(Number(d))),
      );
    root.attr('height', markerSpace + rowsHeight + 32);

    const legend = el('ul', { className: 'segment-legend' });
    const seen = new Set<string>();
    for (const row of rows) {
      for (const s of row.segments) {
        if (seen.has(s.key)) continue;
        seen.add(s.key);
        legend.appendChild(
          el('li', {}, [
            el('span', { className: `swatch seg-${s.key}`, attrs: { 'aria-hidden': 'true' } }),
            el('span', { text: rows.length === 1 ? `${s.label} ${formatBytes(s.bytes)}` : s.label }),
          ]),
        );
      }
    }
    return el('div', { className: 'chart' }, [root.node() as SVGSVGElement, legend]);
  }

  /** One column per layer: its working set, and the SRAM a layer can use (less checkpoints kept on the wafer) as a line. */
  private layerColumns(layers: LayerMemory[], sramBytes: number, resident: number, width: number): HTMLElement {
    const sram = Math.max(0, sramBytes - resident);
    const height = 200;
    const margin = { top: 16, right: 16, bottom: 34, left: 64 };
    const innerWidth = width - margin.left - margin.right;
    const innerHeight = height - margin.top - margin.bottom;
    const x = scaleBand<number>()
      .domain(layers.map((l) => l.index))
      .range([0, innerWidth])
      .paddingInner(layers.length > 60 ? 0.1 : 0.25);
    const peak = max(layers, (l) => l.residentBytes) ?? 0;
    const y = scaleLinear()
      .domain([0, Math.max(peak, sram) * 1.08])
      .range([innerHeight, 0])
      .nice();
    const root = select(
      svg('svg', { className: 'memory-svg', attrs: { width, height, role: 'img', 'aria-label': 'Working set of every layer against SRAM' } }),
    );
    const g = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
    g.append('g')
      .attr('class', 'grid')
      .selectAll('line')
      .data(y.ticks(4))
      .join('line')
      .attr('x1', 0)
      .attr('x2', innerWidth)
      .attr('y1', (d) => y(d))
      .attr('y2', (d) => y(d));
    g.append('g')
      .selectAll('rect')
      .data(layers)
      .join('rect')
      .attr('class', (l) => `layer-column${l.residentBytes > sram ? ' over' : ''}`)
      .attr('x', (l) => x(l.index) ?? 0)
      .attr('width', Math.max(1, x.bandwidth()))
      .attr('y', (l) => y(l.residentBytes))
      .attr('height', (l) => Math.max(0, innerHeight - y(l.residentBytes)))
      .on('pointerenter', (event: PointerEvent, l) => {
        setTooltipLines(this.tooltip, [
          l.name,
          `on the wafer ${formatBytes(l.residentBytes)} (${formatPercent(sram ? l.residentBytes / sram : 0)} of SRAM)`,
          `weights ${formatBytes(l.weightBytes)} · gradients ${formatBytes(l.gradientBytes)}`,
          `activations ${formatBytes(l.activationBytes)} · workspace ${formatBytes(l.workspaceBytes)}`,
          `${formatCount(l.parameters)} parameters`,
        ]);
        this.tooltip.hidden = false;
        placeTooltip(this.tooltip, this.root, event.clientX, event.clientY);
      })
      .on('pointermove', (event: PointerEvent) => placeTooltip(this.tooltip, this.root, event.clientX, event.clientY))
      .on('pointerleave', () => (this.tooltip.hidden = true));
    const sramY = Math.round(y(sram)) + 0.5;
    const marker = g.append('g').attr('class', 'marker marker-capacity');
    marker.append('line').attr('x1', 0).attr('x2', innerWidth).attr('y1', sramY).attr('y2', sramY);
    marker
      .append('text')
      .attr('x', innerWidth - 4)
      .attr('y', sramY - 5)
      .attr('text-anchor', 'end')
      .text(resident > 0 ? `SRAM less checkpoints ${formatBytes(sram)}` : `SRAM ${formatBytes(sram)}`);
    const every = Math.max(1, Math.ceil(layers.length / Math.max(2, Math.floor(innerWidth / 50))));
    g.append('g')
      .attr('class', 'axis')
      .attr('transform', `translate(0,${innerHeight})`)
      .call(
        axisBottom(x)
          .tickValues(layers.map((l) => l.index).filter((_, i) => i % every === 0))
          .tickFormat((d) => String(d)),
      );
    g.append('g')
      .attr('class', 'axis')
      .call(
        axisLeft(y)
          .ticks(4)
          .tickFormat((d) => formatBytes(Number(d))),
      );
    g.append('text')
      .attr('class', 'axis-title')
      .attr('x', innerWidth / 2)
      .attr('y', innerHeight + 30)
      .attr('text-anchor', 'middle')
      .text('layer (execution order)');
    return el('div', { className: 'chart' }, [root.node() as SVGSVGElement]);
  }
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** WCAG relative luminance of an `rgb(…)` colour, undefined when it is not one. */
function relativeLuminance(css: string): number | undefined {
  const match = /rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(css);
  if (!match) return undefined;
  const [r, g, b] = [match[1], match[2], match[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
