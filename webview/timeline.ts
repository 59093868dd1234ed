/**
 * The weight-streaming timeline of one training step (lanes of bars, zoomable, with an overview
 * strip to brush), the systems selector, and the speedup curve against ideal and the published
 * 16-system result.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { brushX, type BrushBehavior, type D3BrushEvent } from 'd3-brush';
import { scaleLinear, scaleLog } from 'd3-scale';
import { select, type Selection as D3Selection } from 'd3-selection';
import { line } from 'd3-shape';
import { zoom as d3zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import type { Report, ScalingResult, TimelineResult } from '../protocol/index';
import { clear, el, placeholder, placeTooltip, setTooltipLines, svg } from './dom';
import { formatInteger, formatPercent, formatSeconds, formatSpeedup } from '../language-server/core/format/units';
import {
  LANE_LABELS,
  LANES,
  PUBLISHED_SCALING,
  barDetails,
  bottleneckText,
  laneGeometry,
  phaseTexts,
  speedupDomain,
  publishedReferenceApplies,
  systemsNote,
  scalingText,
  speedupSeries,
  systemsOptions,
  timeTicks,
  timelineExtent,
  timelineHeadline,
  type LaneBarGeometry,
} from './viewModel';

export interface TimelineCallbacks {
  onSystems(systems: number): void;
}

export interface TimelineData {
  report: Report | null;
  timeline?: TimelineResult;
  scaling?: ScalingResult;
  /** Systems the data is for. */
  systems: number;
  /** Systems the job is configured for. */
  jobSystems: number;
  /** Systems the user selected (may differ from `systems` while a request is in flight). */
  selectedSystems: number;
}

const LANE_HEIGHT = 20;
const LANE_GAP = 6;
// Room for the longest lane label ("Optimizer (MemoryX)") at VS Code's editor font sizes.
const LABEL_WIDTH = 156;
const MARGIN_RIGHT = 16;
const AXIS_HEIGHT = 26;
const OVERVIEW_LANE = 4;
const OVERVIEW_GAP = 1;
const OVERVIEW_HEIGHT = LANES.length * (OVERVIEW_LANE + OVERVIEW_GAP) + 4;

export class TimelineView {
  readonly root: HTMLElement;
  private readonly headline: HTMLElement;
  private readonly bottleneck: HTMLElement;
  private readonly phases: HTMLElement;
  private readonly systemsSelect: HTMLSelectElement;
  private readonly status: HTMLElement;
  private readonly chartWrap: HTMLElement;
  private readonly scalingWrap: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly content: HTMLElement;
  private readonly empty: HTMLElement;
  private data: TimelineData | undefined;
  private width = 0;
  private dirty = true;
  private visible = false;
  private readonly zoomBehavior: ZoomBehavior<SVGGElement, unknown>;
  private brush: BrushBehavior<unknown> | undefined;
  /**
   * Domain shown in the main chart (seconds), kept across re-renders of the same step length;
   * 'whole' once the user asked for the whole step, undefined for the default view.
   */
  private shownDomain: [number, number] | 'whole' | undefined;
  private syncing = false;

  constructor(private readonly callbacks: TimelineCallbacks) {
    this.systemsSelect = el('select', { className: 'systems-select', attrs: { id: 'ws-systems' } });
    this.systemsSelect.addEventListener('change', () => this.callbacks.onSystems(Number(this.systemsSelect.value)));
    this.status = el('span', { className: 'status-note', attrs: { 'aria-live': 'polite' } });
    const toolbar = el('div', { className: 'toolbar' }, [
      el('label', { className: 'field', attrs: { for: 'ws-systems' } }, [el('span', { text: 'CS-3 systems' })]),
      this.systemsSelect,
      this.status,
    ]);
    this.headline = el('p', { className: 'headline' });
    this.bottleneck = el('p', { className: 'bottleneck-line' });
    this.phases = el('ul', { className: 'phase-list' });
    this.tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip', hidden: true } });
    this.chartWrap = el('div', { className: 'chart timeline-chart' });
    this.scalingWrap = el('div', { className: 'chart scaling-chart' });
    this.content = el('div', { className: 'timeline-content' }, [
      this.headline,
      this.bottleneck,
      this.phases,
      el('h2', { className: 'section-title', text: 'One training step' }),
      el('p', {
        className: 'hint',
        text: 'Wheel or drag on the chart to zoom and pan; brush the strip below to pick a span; arrow keys, + / − and 0 when focused.',
      }),
      this.chartWrap,
      el('h2', { className: 'section-title', text: 'Scaling' }),
      this.scalingWrap,
    ]);
    this.empty = el('div', { className: 'view-empty', attrs: { hidden: true } });
    this.root = el('section', { className: 'view timeline-view scrolling', attrs: { 'aria-label': 'Timeline and scaling' } }, [
      toolbar,
      this.content,
      this.empty,
      this.tooltip,
    ]);
    this.zoomBehavior = d3zoom<SVGGElement, unknown>().scaleExtent([1, 1e6]);
    new ResizeObserver(() => {
      const width = Math.floor(this.root.getBoundingClientRect().width);
      if (width !== this.width && width > 0) {
        this.width = width;
        this.dirty = true;
        this.render();
      }
    }).observe(this.root);
  }

  setData(data: TimelineData): void {
    const previous = this.data?.timeline;
    if (!previous || !data.timeline || timelineExtent(previous)[1] !== timelineExtent(data.timeline)[1]) {
      this.shownDomain = undefined;
    }
    this.data = data;
    this.dirty = true;
    this.renderControls();
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.render();
    else this.tooltip.hidden = true;
  }

  onThemeChange(): void {
    // SVG colours come from CSS variables; nothing to recompute.
  }

  private renderControls(): void {
    const data = this.data;
    clear(this.systemsSelect);
    if (!data) return;
    for (const n of systemsOptions(data.jobSystems)) {
      const option = el('option', { text: n === data.jobSystems ? `${formatInteger(n)} (as configured)` : formatInteger(n), attrs: { value: n } });
      if (n === data.selectedSystems) option.selected = true;
      this.systemsSelect.appendChild(option);
    }
    this.systemsSelect.disabled = !data.timeline;
    const loading = data.selectedSystems !== data.systems;
    const note = systemsNote(data.selectedSystems, data.report);
    this.status.textContent = loading ? `Simulating ${formatInteger(data.selectedSystems)} systems…` : note;
    this.content.classList.toggle('stale', loading);
  }

  private render(): void {
    if (!this.dirty || !this.visible || this.width <= 0) return;
    this.dirty = false;
    const data = this.data;
    const timeline = data?.timeline;
    if (!data || !timeline) {
      this.content.hidden = true;
      this.empty.hidden = false;
      clear(this.empty);
      this.empty.appendChild(
        placeholder(
          data?.report?.model ? 'No timeline for this config.' : 'No model in this file.',
          'The timeline shows one training step: weights streaming in, forward and backward, gradients out, the optimizer update.',
        ),
      );
      return;
    }
    this.content.hidden = false;
    this.empty.hidden = true;
    clear(this.headline);
    timelineHeadline(timeline, data.systems).forEach((part, i) => {
      if (i) this.headline.appendChild(el('span', { className: 'sep', text: ' · ', attrs: { 'aria-hidden': 'true' } }));
      this.headline.appendChild(el('span', { text: part }));
    });
    this.bottleneck.textContent = bottleneckText(timeline);
    clear(this.phases);
    for (const text of phaseTexts(timeline)) this.phases.appendChild(el('li', { text }));
    this.renderTimeline(timeline);
    this.renderScaling(data.scaling, data.systems);
  }

  // -------------------------------------------------------------------------------------------
  // Lanes

  private renderTimeline(timeline: TimelineResult): void {
    clear(this.chartWrap);
    const width = Math.max(320, this.width - 2);
    const plotWidth = width - LABEL_WIDTH - MARGIN_RIGHT;
    const lanesHeight = LANES.length * (LANE_HEIGHT + LANE_GAP) - LANE_GAP;
    const height = lanesHeight + AXIS_HEIGHT + 12 + OVERVIEW_HEIGHT + 20;
    const extent = timelineExtent(timeline);
    const overviewX = scaleLinear().domain(extent).range([0, plotWidth]);
    const initial = this.shownDomain === 'whole' ? extent : (this.shownDomain ?? defaultDomain(timeline, extent));
    const x = scaleLinear().domain(initial).range([0, plotWidth]);

    const root = select(
      svg('svg', {
        className: 'timeline-svg',
        attrs: { width, height, role: 'img', 'aria-label': `Timeline of one step, ${formatSeconds(timeline.stepSeconds)}` },
      }),
    );
    this.chartWrap.appendChild(root.node() as SVGSVGElement);
    const clipId = 'ws-timeline-clip';
    root
      .append('defs')
      .append('clipPath')
      .attr('id', clipId)
      .append('rect')
      .attr('width', plotWidth)
      .attr('height', lanesHeight + 4)
      .attr('y', -2);

    const labels = root.append('g').attr('class', 'lane-labels');
    LANES.forEach((lane, i) => {
      labels
        .append('text')
        .attr('class', 'lane-label')
        .attr('x', LABEL_WIDTH - 10)
        .attr('y', i * (LANE_HEIGHT + LANE_GAP) + LANE_HEIGHT / 2 + 4)
        .attr('text-anchor', 'end')
        .text(LANE_LABELS[lane]);
    });

    const plot = root.append('g').attr('transform', `translate(${LABEL_WIDTH},4)`);
    plot
      .append('g')
      .attr('class', 'lane-bands')
      .selectAll('rect')
      .data(LANES)
      .join('rect')
      .attr('class', 'lane-band')
      .attr('x', 0)
      .attr('width', plotWidth)
      .attr('y', (_, i) => i * (LANE_HEIGHT + LANE_GAP))
      .attr('height', LANE_HEIGHT);
    const gridG = plot.append('g').attr('class', 'grid');
    const barsG = plot.append('g').attr('clip-path', `url(#${clipId})`);
    const marksG = plot.append('g').attr('clip-path', `url(#${clipId})`);
    const axisG = plot
      .append('g')
      .attr('class', 'axis')
      .attr('transform', `translate(0,${lanesHeight + 4})`);
    root
      .append('text')
      .attr('class', 'axis-title')
      .attr('x', LABEL_WIDTH - 10)
      .attr('y', lanesHeight + 4 + 4 + 14)
      .attr('text-anchor', 'end')
      .text('time in step');

    // The zoom listens on the whole plot group, so wheel and drag over bars (which keep their own
    // hover) bubble to it; this rect under the bars gives empty space a hit area and the focus.
    const surface = plot
      .insert('rect', ':first-child')
      .attr('class', 'zoom-surface')
      .attr('width', plotWidth)
      .attr('height', lanesHeight)
      .attr('tabindex', 0)
      .attr('aria-label', 'Timeline lanes: arrow keys pan, plus and minus zoom, 0 shows the whole step');

    const drawMain = () => {
      const ticks = Math.max(2, Math.floor(plotWidth / 90));
      const tickValues = timeTicks(x.domain() as [number, number], ticks);
      axisG.call(
        axisBottom(x)
          .tickValues(tickValues)
          .tickFormat((d) => formatSeconds(Number(d))),
      );
      gridG
        .selectAll('line')
        .data(tickValues)
        .join('line')
        .attr('x1', (d) => x(d))
        .attr('x2', (d) => x(d))
        .attr('y1', 0)
        .attr('y2', lanesHeight);
      const geometry = laneGeometry(timeline, x, { laneHeight: LANE_HEIGHT, gap: LANE_GAP, minWidth: 1, cull: [-2, plotWidth + 2] });
      // Bottleneck bars: full colour with a mark above; the others dimmed (a stroke would swamp
      // the hundreds of one-pixel bars of a per-layer lane).
      marksG
        .selectAll<SVGRectElement, LaneBarGeometry>('rect')
        .data(geometry.filter((g) => g.bottleneck))
        .join('rect')
        .attr('class', 'bottleneck-mark')
        .attr('x', (g) => Math.max(-2, g.x))
        .attr('width', (g) => Math.min(g.width, plotWidth + 4))
        .attr('y', (g) => g.y - 1)
        .attr('height', 2);
      barsG
        .selectAll<SVGRectElement, LaneBarGeometry>('rect')
        .data(geometry)
        .join('rect')
        .attr('class', (g) => `bar lane-${g.bar.lane}${g.bottleneck ? ' bottleneck' : ''}`)
        .attr('x', (g) => Math.max(-2, g.x))
        .attr('width', (g) => Math.min(g.width, plotWidth + 4))
        .attr('y', (g) => g.y + 2)
        .attr('height', (g) => g.height - 2)
        .on('pointerenter', (event: PointerEvent, g) => {
          setTooltipLines(this.tooltip, barDetails(g.bar));
          this.tooltip.hidden = false;
          placeTooltip(this.tooltip, this.root, event.clientX, event.clientY);
        })
        .on('pointermove', (event: PointerEvent) => placeTooltip(this.tooltip, this.root, event.clientX, event.clientY))
        .on('pointerleave', () => (this.tooltip.hidden = true));
    };

    // Overview strip with a brush.
    const overviewTop = lanesHeight + AXIS_HEIGHT + 16;
    const overview = root.append('g').attr('transform', `translate(${LABEL_WIDTH},${overviewTop})`);
    root
      .append('text')
      .attr('class', 'lane-label muted')
      .attr('x', LABEL_WIDTH - 10)
      .attr('y', overviewTop + OVERVIEW_HEIGHT / 2 + 4)
      .attr('text-anchor', 'end')
      .text('whole step');
    overview
      .append('rect')
      .attr('class', 'overview-band')
      .attr('width', plotWidth)
      .attr('height', OVERVIEW_HEIGHT);
    overview
      .append('g')
      .selectAll('rect')
      .data(laneGeometry(timeline, overviewX, { laneHeight: OVERVIEW_LANE, gap: OVERVIEW_GAP, minWidth: 0.5 }))
      .join('rect')
      .attr('class', (g) => `overview-bar lane-${g.bar.lane}`)
      .attr('x', (g) => g.x)
      .attr('width', (g) => g.width)
      .attr('y', (g) => g.y + 2)
      .attr('height', (g) => g.height);
    overview
      .append('g')
      .attr('class', 'axis overview-axis')
      .attr('transform', `translate(0,${OVERVIEW_HEIGHT})`)
      .call(
        axisBottom(overviewX)
          .tickValues(timeTicks(extent, Math.max(2, Math.floor(plotWidth / 120))))
          .tickFormat((d) => formatSeconds(Number(d))),
      );

    const brush = brushX<unknown>().extent([
      [0, 0],
      [plotWidth, OVERVIEW_HEIGHT],
    ]);
    this.brush = brush;
    const brushG = overview.append('g').attr('class', 'brush');

    const zoomBehavior = this.zoomBehavior
      .extent([
        [0, 0],
        [plotWidth, lanesHeight],
      ])
      .translateExtent([
        [0, 0],
        [plotWidth, lanesHeight],
      ])
      .scaleExtent([1, Math.max(1, (extent[1] - extent[0]) / 1e-7)]);

    const applyDomain = (domain: [number, number], from: 'zoom' | 'brush') => {
      x.domain(domain);
      const whole = domain[0] <= extent[0] + 1e-12 && domain[1] >= extent[1] - 1e-12;
      this.shownDomain = whole ? 'whole' : domain;
      drawMain();
      if (this.syncing) return;
      this.syncing = true;
      if (from === 'zoom') {
        brushG.call(brush.move, whole ? null : [overviewX(domain[0]), overviewX(domain[1])]);
      } else {
        const k = (extent[1] - extent[0]) / Math.max(1e-12, domain[1] - domain[0]);
        plot.call(zoomBehavior.transform, zoomIdentity.scale(k).translate(-overviewX(domain[0]), 0));
      }
      this.syncing = false;
    };

    zoomBehavior.on('zoom', (event: D3ZoomEvent<SVGGElement, unknown>) => {
      if (this.syncing) return;
      applyDomain(event.transform.rescaleX(overviewX).domain() as [number, number], 'zoom');
    });
    brush.on('brush end', (event: D3BrushEvent<unknown>) => {
      if (this.syncing) return;
      const selection = event.selection as [number, number] | null;
      if (!selection) {
        if (event.type === 'end') applyDomain(extent, 'brush');
        return;
      }
      applyDomain([overviewX.invert(selection[0]), overviewX.invert(selection[1])], 'brush');
    });
    brushG.call(brush);
    plot.call(zoomBehavior);
    plot.on('dblclick.zoom', null);

    const start = initial[0] <= extent[0] && initial[1] >= extent[1] ? undefined : initial;
    this.syncing = true;
    if (start) {
      brushG.call(brush.move, [overviewX(start[0]), overviewX(start[1])]);
      const k = (extent[1] - extent[0]) / Math.max(1e-12, start[1] - start[0]);
      plot.call(zoomBehavior.transform, zoomIdentity.scale(k).translate(-overviewX(start[0]), 0));
    } else {
      plot.call(zoomBehavior.transform, zoomIdentity);
    }
    this.syncing = false;
    drawMain();

    (surface.node() as SVGRectElement).addEventListener('keydown', (event) => {
      const span = x.domain()[1] - x.domain()[0];
      const shift = span * (event.shiftKey ? 0.5 : 0.1);
      let domain: [number, number] | undefined;
      switch (event.key) {
        case 'ArrowLeft':
          domain = [x.domain()[0] - shift, x.domain()[1] - shift];
          break;
        case 'ArrowRight':
          domain = [x.domain()[0] + shift, x.domain()[1] + shift];
          break;
        case '+':
        case '=':
          domain = [x.domain()[0] + span / 6, x.domain()[1] - span / 6];
          break;
        case '-':
        case '_':
          domain = [x.domain()[0] - span / 4, x.domain()[1] + span / 4];
          break;
        case '0':
          domain = extent;
          break;
        default:
          return;
      }
      event.preventDefault();
      applyDomain(clampDomain(domain, extent), 'brush');
      this.syncing = true;
      const shown = x.domain();
      const whole = shown[0] <= extent[0] && shown[1] >= extent[1];
      brushG.call(brush.move, whole ? null : [overviewX(shown[0]), overviewX(shown[1])]);
      this.syncing = false;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Speedup curve

  private renderScaling(scaling: ScalingResult | undefined, systems: number): void {
    clear(this.scalingWrap);
    const series = speedupSeries(scaling?.curve);
    if (!scaling || !series.length) {
      this.scalingWrap.appendChild(placeholder('No scaling curve for this config.'));
      return;
    }
    const summary = el('p', { className: 'scaling-summary', text: scalingText(scaling) });
    this.scalingWrap.appendChild(summary);

    const width = Math.min(720, Math.max(320, this.width - 2));
    const height = 300;
    const margin = { top: 14, right: 20, bottom: 44, left: 64 };
    const innerWidth = width - margin.left - margin.right;
    const innerHeight = height - margin.top - margin.bottom;
    const domain = speedupDomain(series);
    const x = scaleLog().base(2).domain(domain).range([0, innerWidth]);
    const y = scaleLog().base(2).domain(domain).range([innerHeight, 0]);
    const powers: number[] = [];
    for (let v = domain[0]; v <= domain[1]; v *= 2) powers.push(v);
    const tickValues = powers.length > 8 ? powers.filter((_, i) => i % 2 === 0) : powers;

    const root = select(
      svg('svg', {
        className: 'scaling-svg',
        attrs: { width, height, role: 'img', 'aria-label': 'Speedup against the number of systems, with ideal linear scaling' },
      }),
    );
    this.scalingWrap.appendChild(root.node() as SVGSVGElement);
    const g = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
    g.append('g')
      .attr('class', 'grid')
      .selectAll('line')
      .data(tickValues)
      .join('line')
      .attr('x1', 0)
      .attr('x2', innerWidth)
      .attr('y1', (d) => y(d))
      .attr('y2', (d) => y(d));
    g.append('g')
      .attr('class', 'axis')
      .attr('transform', `translate(0,${innerHeight})`)
      .call(axisBottom(x).tickValues(tickValues).tickFormat((d) => formatInteger(Number(d))));
    g.append('g')
      .attr('class', 'axis')
      .call(axisLeft(y).tickValues(tickValues).tickFormat((d) => `${formatInteger(Number(d))}×`));
    g.append('text')
      .attr('class', 'axis-title')
      .attr('x', innerWidth / 2)
      .attr('y', innerHeight + 36)
      .attr('text-anchor', 'middle')
      .text('CS-3 systems (log scale)');
    g.append('text')
      .attr('class', 'axis-title')
      .attr('transform', `translate(${-48},${innerHeight / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .text('speedup vs 1 system (log scale)');

    g.append('line')
      .attr('class', 'ideal-line')
      .attr('x1', x(domain[0]))
      .attr('y1', y(domain[0]))
      .attr('x2', x(domain[1]))
      .attr('y2', y(domain[1]));
    const modelLine = line<{ systems: number; speedup: number }>()
      .x((p) => x(p.systems))
      .y((p) => y(p.speedup));
    g.append('path').attr('class', 'speedup-line').attr('d', modelLine(series));

    const points = g
      .append('g')
      .selectAll('circle')
      .data(series)
      .join('circle')
      .attr('class', (p) => `speedup-point${p.systems === systems ? ' selected' : ''}`)
      .attr('cx', (p) => x(p.systems))
      .attr('cy', (p) => y(p.speedup))
      .attr('r', (p) => (p.systems === systems ? 5 : 3));
    points
      .on('pointerenter', (event: PointerEvent, p) => {
        setTooltipLines(this.tooltip, [
          `${formatInteger(p.systems)} system${p.systems === 1 ? '' : 's'}`,
          `speedup ${formatSpeedup(p.speedup)} (ideal ${formatSpeedup(p.systems)})`,
          `efficiency ${formatPercent(p.efficiency)}`,
          `step ${formatSeconds(p.stepSeconds)}`,
          ...(p.systemsUsed !== undefined && p.systemsUsed < p.systems
            ? [`only ${formatInteger(p.systemsUsed)} systems do work at this size`]
            : []),
          ...(p.microBatchSize !== undefined
            ? [`micro-batch ${formatInteger(p.microBatchSize)}${p.accumulationSteps !== undefined ? ` × ${formatInteger(p.accumulationSteps)} accumulation steps` : ''}`]
            : []),
        ]);
        this.tooltip.hidden = false;
        placeTooltip(this.tooltip, this.root, event.clientX, event.clientY);
      })
      .on('pointerleave', () => (this.tooltip.hidden = true));

    // The published point, only on the model it was measured on: a diamond with its label.
    if (!publishedReferenceApplies(this.data?.report)) return this.scalingLegend(g);
    const px = x(PUBLISHED_SCALING.systems);
    const py = y(PUBLISHED_SCALING.speedup);
    const published = g.append('g').attr('class', 'published-point').attr('transform', `translate(${px},${py})`);
    published.append('path').attr('d', 'M0,-7L7,0L0,7L-7,0Z');
    // The label goes on the side with room; a narrow chart gets the short form (the full one in the tooltip).
    const approxWidth = (text: string) => text.length * 6.4;
    const roomRight = innerWidth - px - 12;
    const roomLeft = px - 12;
    const label = Math.max(roomLeft, roomRight) >= approxWidth(PUBLISHED_SCALING.label) ? PUBLISHED_SCALING.label : PUBLISHED_SCALING.shortLabel;
    const labelLeft = roomRight < approxWidth(label) && roomLeft > roomRight;
    published.append('title').text(PUBLISHED_SCALING.label);
    published
      .append('text')
      .attr('x', labelLeft ? -12 : 12)
      .attr('y', -10)
      .attr('text-anchor', labelLeft ? 'end' : 'start')
      .text(label);

    this.scalingLegend(g);
  }

  private scalingLegend(g: D3Selection<SVGGElement, unknown, null, undefined>): void {
    const legend = g.append('g').attr('class', 'chart-legend').attr('transform', `translate(8,4)`);
    const entries: [string, string][] = [
      ['ideal-line', 'ideal (linear)'],
      ['speedup-line', 'WaferScope estimate'],
    ];
    entries.forEach(([cls, text], i) => {
      const row = legend.append('g').attr('transform', `translate(0,${i * 16})`);
      row.append('line').attr('class', cls).attr('x1', 0).attr('x2', 22).attr('y1', 0).attr('y2', 0);
      row.append('text').attr('x', 28).attr('y', 0).attr('dy', '0.32em').text(text);
    });
  }
}

/**
 * The first micro-batch, when the rest of the step (more micro-batches, the update) would squeeze
 * its per-layer bars into slivers; the whole step otherwise.
 */
function defaultDomain(timeline: TimelineResult, extent: [number, number]): [number, number] {
  const detail = timeline.microBatchSeconds;
  if (Number.isFinite(detail) && detail > 0 && detail < 0.6 * (extent[1] - extent[0])) return [extent[0], Math.min(extent[1], detail * 1.02)];
  return extent;
}

function clampDomain(domain: [number, number], extent: [number, number]): [number, number] {
  const span = Math.min(extent[1] - extent[0], Math.max(1e-9, domain[1] - domain[0]));
  let start = Math.max(extent[0], domain[0]);
  if (start + span > extent[1]) start = extent[1] - span;
  return [start, start + span];
}

