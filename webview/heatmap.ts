/**
 * The wafer heatmap: every PE of the grid on a <canvas>. One layer's colours are painted once into
 * an offscreen canvas at one pixel per PE (ImageData); pan and zoom only redraw that image scaled
 * with smoothing off, so a frame costs one drawImage of the visible part whatever the zoom.
 */
import { select, type Selection } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { HeatmapPayload, Report } from '../protocol/index';
import { clear, el, placeholder, placeTooltip, setTooltipLines, svg } from './dom';
import { formatInteger } from '../language-server/core/format/units';
import { perfRecord, type PerfRecord } from './host';
import { readCanvasTheme, type CanvasTheme } from './theme';
import {
  buildColourLut,
  buildRegionIndex,
  clampLayer,
  decodeHeatmap,
  dieBoundaries,
  fitTransform,
  heatmapSummaryText,
  OVER_CAPACITY_COLOUR,
  layerLabel,
  legendFor,
  packColour,
  paintCells,
  peAt,
  peDetails,
  visibleSource,
  type DecodedHeatmap,
  type HeatmapMetric,
  type RegionIndex,
} from './viewModel';

export interface HeatmapCallbacks {
  /** The user picked a layer (slider, keyboard or playback). */
  onLayer(layer: number): void;
  onMetric(metric: HeatmapMetric): void;
  /** The layer on screen finished painting (the app posts `rendered`). */
  onPainted(payload: HeatmapPayload): void;
}

/** Largest zoom: this many CSS pixels per PE. */
const MAX_PIXELS_PER_PE = 64;
/** Playback: time each layer stays on screen before the next one is requested. */
const PLAY_INTERVAL_MS = 350;
/** Keyboard pan step, in CSS pixels. */
const PAN_STEP = 60;
const ZOOM_STEP = 1.5;

export interface LayerEntry {
  payload: HeatmapPayload;
  data: DecodedHeatmap;
  regions: RegionIndex;
}

export class HeatmapView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly offscreen: HTMLCanvasElement;
  private readonly offscreenContext: CanvasRenderingContext2D;
  private readonly wrap: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly summaryLine: HTMLElement;
  private readonly layerText: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly playButton: HTMLButtonElement;
  private readonly metricButtons: Record<HeatmapMetric, HTMLButtonElement>;
  private readonly legend: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly canvasSelection: Selection<HTMLCanvasElement, unknown, null, undefined>;

  private theme: CanvasTheme;
  private current: LayerEntry | undefined;
  private imageData: ImageData | undefined;
  private metric: HeatmapMetric = 'sram';
  private layer = 0;
  private layerNames: string[] = [];
  private report: Report | null = null;
  private transform: ZoomTransform = zoomIdentity;
  /** The user has not moved the view since it was fitted: keep fitting on resize. */
  private fitted = true;
  private cssWidth = 0;
  private cssHeight = 0;
  private drawScheduled = false;
  private hover: { x: number; y: number } | null = null;
  private playing = false;
  private playTimer: ReturnType<typeof setTimeout> | undefined;
  private visible = false;
  private readonly resizeObserver: ResizeObserver;
  private readonly luts = new Map<HeatmapMetric, Uint32Array>();

  constructor(private readonly callbacks: HeatmapCallbacks) {
    this.theme = readCanvasTheme();

    const sram = el('button', { className: 'segment', text: 'SRAM occupancy', attrs: { type: 'button', role: 'radio' } });
    const compute = el('button', {
      className: 'segment',
      text: 'Compute utilization',
      attrs: { type: 'button', role: 'radio' },
    });
    this.metricButtons = { sram, compute };
    const metricGroup = el('div', { className: 'segmented', attrs: { role: 'radiogroup', 'aria-label': 'Colour PEs by' } }, [
      sram,
      compute,
    ]);
    for (const [metric, button] of Object.entries(this.metricButtons) as [HeatmapMetric, HTMLButtonElement][]) {
      button.addEventListener('click', () => this.callbacks.onMetric(metric));
    }
    metricGroup.addEventListener('keydown', (event) => {
      if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(event.key)) return;
      event.preventDefault();
      const next: HeatmapMetric = this.metric === 'sram' ? 'compute' : 'sram';
      this.callbacks.onMetric(next);
      this.metricButtons[next].focus();
    });

    this.playButton = el('button', {
      className: 'icon-button play-button',
      text: '▶',
      attrs: { type: 'button', 'aria-label': 'Play through layers', title: 'Play through layers' },
    });
    this.playButton.addEventListener('click', () => (this.playing ? this.stop() : this.play()));

    this.slider = el('input', {
      className: 'layer-slider',
      attrs: { type: 'range', min: 0, max: 0, step: 1, value: 0, 'aria-label': 'Layer' },
    });
    this.slider.addEventListener('input', () => {
      this.stop();
      this.selectLayer(Number(this.slider.value));
    });
    this.layerText = el('span', { className: 'layer-text', attrs: { 'aria-hidden': 'true' } });

    const toolbar = el('div', { className: 'toolbar' }, [
      metricGroup,
      el('div', { className: 'layer-control' }, [this.playButton, this.slider, this.layerText]),
    ]);
    this.summaryLine = el('p', { className: 'summary-line', attrs: { 'aria-live': 'polite' } });

    this.canvas = el('canvas', {
      className: 'heatmap-canvas',
      attrs: {
        tabindex: 0,
        role: 'img',
        'aria-label': 'Wafer heatmap. Arrow keys pan, plus and minus zoom, 0 resets the view.',
      },
    });
    this.context = this.canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
    this.offscreen = document.createElement('canvas');
    this.offscreenContext = this.offscreen.getContext('2d') as CanvasRenderingContext2D;
    this.tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip', hidden: true } });

    const zoomIn = el('button', { className: 'icon-button', text: '+', attrs: { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in (+)' } });
    const zoomOut = el('button', { className: 'icon-button', text: '−', attrs: { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out (-)' } });
    const reset = el('button', { className: 'icon-button', text: '⤢', attrs: { type: 'button', 'aria-label': 'Show the whole wafer', title: 'Show the whole wafer (0)' } });
    zoomIn.addEventListener('click', () => this.zoomBy(ZOOM_STEP));
    zoomOut.addEventListener('click', () => this.zoomBy(1 / ZOOM_STEP));
    reset.addEventListener('click', () => this.resetView());
    const zoomControls = el('div', { className: 'zoom-controls' }, [zoomIn, zoomOut, reset]);

    this.wrap = el('div', { className: 'canvas-wrap' }, [this.canvas, this.tooltip, zoomControls]);
    this.legend = el('aside', { className: 'legend', attrs: { 'aria-label': 'Legend' } });
    this.body = el('div', { className: 'heatmap-body' }, [this.wrap, this.legend]);
    this.empty = el('div', { className: 'view-empty', attrs: { hidden: true } });
    this.root = el('section', { className: 'view heatmap-view', attrs: { 'aria-label': 'Wafer heatmap' } }, [
      toolbar,
      this.summaryLine,
      this.body,
      this.empty,
    ]);

    this.zoomBehavior = d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.01, MAX_PIXELS_PER_PE])
      .on('start', () => this.hideTooltip())
      .on('zoom', (event: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        this.transform = event.transform;
        if (event.sourceEvent) this.fitted = false;
        this.scheduleDraw();
      });
    this.canvasSelection = select(this.canvas);
    this.canvasSelection.call(this.zoomBehavior);
    // Double-click zoom fights with clicking to read a PE; +/- and the wheel remain.
    this.canvasSelection.on('dblclick.zoom', null);

    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    this.canvas.addEventListener('pointermove', (event) => this.onPointer(event));
    this.canvas.addEventListener('pointerleave', () => {
      this.hover = null;
      this.hideTooltip();
      this.scheduleDraw();
    });
    this.canvas.addEventListener('blur', () => this.hideTooltip());

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.wrap);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.stop();
    });
    this.setMetric('sram');
  }

  /** A new report: the slider's range and names; the payload for the layer follows separately. */
  setReport(report: Report | null, layer: number): void {
    this.report = report;
    const layers = report?.wafer?.layers ?? [];
    this.layerNames = layers.map((l) => l.name);
    if (!layers.length) {
      this.stop();
      this.current = undefined;
      this.body.hidden = true;
      this.summaryLine.textContent = '';
      this.empty.hidden = false;
      clear(this.empty);
      this.empty.appendChild(
        placeholder(
          report?.model ? 'No wafer mapping for this config.' : 'No model in this file.',
          'The heatmap shows how one layer of a model is laid out on the wafer.',
        ),
      );
      this.slider.max = '0';
      this.slider.disabled = true;
      this.playButton.disabled = true;
      this.layerText.textContent = '';
      return;
    }
    this.body.hidden = false;
    this.empty.hidden = true;
    this.slider.disabled = layers.length < 2;
    this.playButton.disabled = layers.length < 2;
    this.slider.max = String(layers.length - 1);
    this.setLayer(layer);
  }

  /** The selected layer changed (by the user or restored state): labels only, data comes later. */
  setLayer(layer: number): void {
    this.layer = clampLayer(layer, Math.max(1, this.layerNames.length));
    this.slider.value = String(this.layer);
    const text = layerLabel(this.layer, this.layerNames.length, this.layerNames[this.layer]);
    this.layerText.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
    const showing = this.current?.payload.layer === this.layer;
    this.wrap.classList.toggle('stale', !!this.current && !showing);
    if (this.current && !showing) this.summaryLine.textContent = `Loading ${text}…`;
  }

  setMetric(metric: HeatmapMetric): void {
    this.metric = metric;
    for (const [m, button] of Object.entries(this.metricButtons) as [HeatmapMetric, HTMLButtonElement][]) {
      const on = m === metric;
      button.setAttribute('aria-checked', String(on));
      button.tabIndex = on ? 0 : -1;
      button.classList.toggle('selected', on);
    }
    if (this.current) {
      this.paint();
      // The offscreen image changed: put it on the canvas now, not at the next pan or zoom.
      this.drawNow();
      this.renderLegend();
      this.refreshTooltip();
    }
  }

  /** Decodes a payload (for the cache); null with a message when it is malformed. */
  static decode(payload: HeatmapPayload): LayerEntry | { error: string } {
    const decoded = decodeHeatmap(payload);
    if (!decoded.ok) return { error: decoded.error };
    // The base64 text is no longer needed; the cache keeps only the typed arrays.
    const slim: HeatmapPayload = { ...payload, occupancy: '', utilization: '' };
    return { payload: slim, data: decoded.data, regions: buildRegionIndex(payload.regions, payload.width, payload.height) };
  }

  /** Shows a decoded layer. `receivedAt` is when its message arrived (performance.now()), for the bench. */
  show(entry: LayerEntry, receivedAt?: number, decodeMs = 0): void {
    const previous = this.current;
    this.current = entry;
    const gridChanged = !previous || previous.data.width !== entry.data.width || previous.data.height !== entry.data.height;
    const paintStart = performance.now();
    this.paint();
    if (gridChanged) this.resetView(false);
    this.drawNow();
    const paintEnd = performance.now();
    if (receivedAt !== undefined) {
      performance.measure('waferscope:heatmap-paint', { start: receivedAt, end: paintEnd });
      const perf = perfRecord();
      if (perf) {
        const record: PerfRecord['heatmapPaints'][number] = {
          layer: entry.payload.layer,
          decodeMs,
          paintMs: paintEnd - paintStart,
          totalMs: paintEnd - receivedAt,
        };
        perf.heatmapPaints.push(record);
        // The next animation frame is the one that shows the new image.
        requestAnimationFrame(() => (record.frameMs = performance.now() - receivedAt));
      }
    }
    this.wrap.classList.toggle('stale', entry.payload.layer !== this.layer);
    this.summaryLine.textContent = this.summaryText(entry);
    this.renderLegend();
    this.refreshTooltip();
    this.callbacks.onPainted(entry.payload);
    if (this.playing) this.scheduleNextPlayStep();
  }

  showError(message: string): void {
    this.stop();
    this.summaryLine.textContent = message;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) {
      this.stop();
      this.hideTooltip();
    } else {
      this.resize();
    }
  }

  onThemeChange(): void {
    this.theme = readCanvasTheme();
    if (this.current) {
      this.paint();
      this.renderLegend();
    }
    this.scheduleDraw();
  }

  play(): void {
    if (this.layerNames.length < 2 || !this.visible) return;
    this.playing = true;
    this.playButton.textContent = '❚❚';
    this.playButton.setAttribute('aria-label', 'Pause');
    this.playButton.title = 'Pause';
    this.playButton.classList.add('active');
    if (this.layer >= this.layerNames.length - 1) this.selectLayer(0);
    else this.scheduleNextPlayStep();
  }

  stop(): void {
    this.playing = false;
    if (this.playTimer !== undefined) clearTimeout(this.playTimer);
    this.playTimer = undefined;
    this.playButton.textContent = '▶';
    this.playButton.setAttribute('aria-label', 'Play through layers');
    this.playButton.title = 'Play through layers';
    this.playButton.classList.remove('active');
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  // -------------------------------------------------------------------------------------------

  private selectLayer(layer: number): void {
    this.setLayer(layer);
    this.callbacks.onLayer(this.layer);
  }

  private scheduleNextPlayStep(): void {
    if (this.playTimer !== undefined) clearTimeout(this.playTimer);
    this.playTimer = setTimeout(() => {
      this.playTimer = undefined;
      if (!this.playing || !this.visible || document.visibilityState === 'hidden') return this.stop();
      // Wait for the layer on screen to arrive before moving on, so playback never queues requests.
      if (this.current?.payload.layer !== this.layer) return;
      if (this.layer >= this.layerNames.length - 1) return this.stop();
      this.selectLayer(this.layer + 1);
    }, PLAY_INTERVAL_MS);
  }

  /** Colours every PE into the offscreen image (one pixel per PE). */
  private paint(): void {
    const entry = this.current;
    if (!entry) return;
    const { width, height } = entry.data;
    if (this.offscreen.width !== width || this.offscreen.height !== height) {
      this.offscreen.width = width;
      this.offscreen.height = height;
      this.imageData = undefined;
    }
    if (!this.imageData) this.imageData = this.offscreenContext.createImageData(width, height);
    const pixels = new Uint32Array(this.imageData.data.buffer);
    let lut = this.luts.get(this.metric);
    if (!lut) this.luts.set(this.metric, (lut = buildColourLut(this.metric)));
    paintCells(entry.data, this.metric, lut, packColour(this.theme.idle), pixels, packColour(OVER_CAPACITY_COLOUR));
    this.offscreenContext.putImageData(this.imageData, 0, 0);
  }

  private resize(): void {
    const box = this.wrap.getBoundingClientRect();
    const width = Math.max(1, Math.floor(box.width));
    const height = Math.max(1, Math.floor(box.height));
    if (width === this.cssWidth && height === this.cssHeight) return;
    this.cssWidth = width;
    this.cssHeight = height;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.updateExtents();
    if (this.fitted) this.resetView(false);
    this.drawNow();
  }

  private updateExtents(): void {
    const entry = this.current;
    if (!entry) return;
    const fit = fitTransform(this.cssWidth, this.cssHeight, entry.data.width, entry.data.height);
    const { width, height } = entry.data;
    this.zoomBehavior
      .extent([
        [0, 0],
        [this.cssWidth, this.cssHeight],
      ])
      .scaleExtent([fit.k / 2, Math.max(fit.k * 2, MAX_PIXELS_PER_PE)])
      // Keep at least part of the wafer on screen when panning.
      .translateExtent([
        [-width * 0.75, -height * 0.75],
        [width * 1.75, height * 1.75],
      ]);
  }

  /** Back to the whole wafer. */
  resetView(fromUser = true): void {
    const entry = this.current;
    if (!entry || this.cssWidth < 2) return;
    this.updateExtents();
    const fit = fitTransform(this.cssWidth, this.cssHeight, entry.data.width, entry.data.height);
    this.canvasSelection.call(this.zoomBehavior.transform, zoomIdentity.translate(fit.x, fit.y).scale(fit.k));
    this.fitted = true;
    if (fromUser) this.scheduleDraw();
  }

  private zoomBy(factor: number): void {
    this.fitted = false;
    this.canvasSelection.call(this.zoomBehavior.scaleBy, factor);
  }

  private onKey(event: KeyboardEvent): void {
    const pan = (dx: number, dy: number) => {
      this.fitted = false;
      this.canvasSelection.call(this.zoomBehavior.translateBy, dx / this.transform.k, dy / this.transform.k);
    };
    const step = event.shiftKey ? PAN_STEP * 4 : PAN_STEP;
    switch (event.key) {
      case 'ArrowLeft':
        pan(step, 0);
        break;
      case 'ArrowRight':
        pan(-step, 0);
        break;
      case 'ArrowUp':
        pan(0, step);
        break;
      case 'ArrowDown':
        pan(0, -step);
        break;
      case '+':
      case '=':
        this.zoomBy(ZOOM_STEP);
        break;
      case '-':
      case '_':
        this.zoomBy(1 / ZOOM_STEP);
        break;
      case '0':
        this.resetView();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private onPointer(event: PointerEvent): void {
    if (!this.current) return;
    if (event.buttons) {
      this.hideTooltip();
      return;
    }
    const box = this.canvas.getBoundingClientRect();
    const pe = peAt(this.transform, event.clientX - box.left, event.clientY - box.top, this.current.data.width, this.current.data.height);
    const changed = pe?.x !== this.hover?.x || pe?.y !== this.hover?.y;
    this.hover = pe;
    if (!pe) {
      this.hideTooltip();
    } else {
      if (changed) this.fillTooltip();
      this.tooltip.hidden = false;
      placeTooltip(this.tooltip, this.wrap, event.clientX, event.clientY);
    }
    if (changed && this.transform.k >= 3) this.scheduleDraw();
  }

  private fillTooltip(): void {
    if (!this.current || !this.hover) return;
    const details = peDetails(this.current.payload, this.current.data, this.current.regions, this.hover.x, this.hover.y);
    if (details) setTooltipLines(this.tooltip, details.lines);
  }

  private refreshTooltip(): void {
    if (!this.tooltip.hidden) this.fillTooltip();
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  private scheduleDraw(): void {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      const start = performance.now();
      this.drawNow();
      const perf = perfRecord();
      if (perf) {
        perf.redraws++;
        perf.redrawMs.push(performance.now() - start);
      }
    });
  }

  /** One frame: the visible part of the offscreen image, then outlines and labels on top. */
  private drawNow(): void {
    const ctx = this.context;
    const ratio = this.canvas.width / Math.max(1, this.cssWidth);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = this.theme.background;
    ctx.fillRect(0, 0, this.cssWidth, this.cssHeight);
    const entry = this.current;
    if (!entry) return;
    const { width, height } = entry.data;
    const t = { k: this.transform.k, x: this.transform.x, y: this.transform.y };
    const source = visibleSource(t, this.cssWidth, this.cssHeight, width, height);
    if (source) {
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(this.offscreen, source.sx, source.sy, source.sw, source.sh, source.dx, source.dy, source.dw, source.dh);
    }
    this.drawOverlays(entry, t);
  }

  private drawOverlays(entry: LayerEntry, t: { k: number; x: number; y: number }): void {
    const ctx = this.context;
    const { width, height } = entry.data;
    const left = t.x;
    const top = t.y;
    const right = t.x + width * t.k;
    const bottom = t.y + height * t.k;
    const crisp = (v: number) => Math.round(v) + 0.5;

    // Die boundaries: a dark line with light dashes on top, visible over any colour of the map.
    const dies = dieBoundaries(width, height, entry.payload.dies);
    const dieLines = new Path2D();
    for (const x of dies.xs) {
      const sx = crisp(t.x + x * t.k);
      if (sx < 0 || sx > this.cssWidth) continue;
      dieLines.moveTo(sx, Math.max(0, top));
      dieLines.lineTo(sx, Math.min(this.cssHeight, bottom));
    }
    for (const y of dies.ys) {
      const sy = crisp(t.y + y * t.k);
      if (sy < 0 || sy > this.cssHeight) continue;
      dieLines.moveTo(Math.max(0, left), sy);
      dieLines.lineTo(Math.min(this.cssWidth, right), sy);
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = this.theme.dieShadow;
    ctx.stroke(dieLines);
    ctx.strokeStyle = this.theme.dieLine;
    ctx.setLineDash(entry.payload.dies?.assumption ? [4, 4] : []);
    ctx.stroke(dieLines);
    ctx.setLineDash([]);
    ctx.strokeStyle = this.theme.foreground;
    ctx.strokeRect(crisp(left), crisp(top), Math.round(right) - Math.round(left), Math.round(bottom) - Math.round(top));

    // Regions: outlines, and labels where they fit.
    const regions = entry.regions.regions;
    if (regions.length <= 2000) {
      // Region edges: a light line in a dark halo, so they read over pale and dark cells alike.
      const outlines = new Path2D();
      for (const r of regions) {
        const w = r.width * t.k;
        const h = r.height * t.k;
        if (w < 4 || h < 4) continue;
        outlines.rect(crisp(t.x + r.x * t.k), crisp(t.y + r.y * t.k), Math.round(w) - 1, Math.round(h) - 1);
      }
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(0, 0, 0, 0.55)';
      ctx.stroke(outlines);
      ctx.lineWidth = 1;
      ctx.strokeStyle = this.theme.regionLine;
      ctx.stroke(outlines);
      ctx.font = `11px ${this.theme.fontFamily}`;
      ctx.textBaseline = 'top';
      ctx.lineJoin = 'round';
      for (const r of regions) {
        const x = t.x + r.x * t.k;
        const y = t.y + r.y * t.k;
        const w = r.width * t.k;
        const h = r.height * t.k;
        if (h < 18 || w < 30 || x > this.cssWidth || y > this.cssHeight || x + w < 0 || y + h < 0) continue;
        const text = r.label;
        const measured = ctx.measureText(text).width;
        if (measured + 8 > w) continue;
        const tx = Math.max(x + 4, 4);
        const ty = Math.max(y + 4, 4);
        ctx.lineWidth = 3;
        ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)';
        ctx.strokeText(text, tx, ty);
        ctx.fillStyle = '#ffffff';
        ctx.fillText(text, tx, ty);
      }
      ctx.lineWidth = 1;
    }

    // The hovered PE, once PEs are big enough to see.
    if (this.hover && t.k >= 3) {
      ctx.strokeStyle = this.theme.highlight;
      ctx.lineWidth = 2;
      ctx.strokeRect(t.x + this.hover.x * t.k, t.y + this.hover.y * t.k, t.k, t.k);
      ctx.lineWidth = 1;
    }
  }

  /** The layer's SRAM figure comes from the report (the same as the header and memory tab). */
  private summaryText(entry: LayerEntry): string {
    const wafer = this.report?.wafer;
    return heatmapSummaryText(entry.payload.summary, wafer?.layers[entry.payload.layer], wafer?.sramBytes);
  }

  private renderLegend(): void {
    const entry = this.current;
    clear(this.legend);
    if (!entry) return;
    const legend = legendFor(entry.payload, this.metric);
    const barHeight = 200;
    const barWidth = 14;
    const gradientId = 'ws-legend-gradient';
    const stops = legend.stops.map((colour, i) =>
      svg('stop', { attrs: { offset: `${(i / (legend.stops.length - 1)) * 100}%`, 'stop-color': colour } }),
    );
    const gradient = svg('linearGradient', { attrs: { id: gradientId, x1: 0, y1: 1, x2: 0, y2: 0 } }, stops);
    const ticks = legend.ticks.map((tick) => {
      const y = 6 + (1 - tick.position) * barHeight;
      return svg('g', { className: 'legend-tick', attrs: { transform: `translate(0, ${y.toFixed(1)})` } }, [
        svg('line', { attrs: { x1: barWidth, x2: barWidth + 4, y1: 0, y2: 0 } }),
        svg('text', { text: tick.label, attrs: { x: barWidth + 7, y: 0, dy: '0.32em' } }),
      ]);
    });
    const chart = svg('svg', { className: 'legend-scale', attrs: { width: 110, height: barHeight + 12, 'aria-hidden': 'true' } }, [
      svg('defs', {}, [gradient]),
      svg('rect', { className: 'legend-bar', attrs: { x: 0, y: 6, width: barWidth, height: barHeight, fill: `url(#${gradientId})` } }),
      ...ticks,
    ]);
    const idle = el('div', { className: 'legend-idle' }, [
      el('span', { className: 'swatch swatch-idle', attrs: { 'aria-hidden': 'true' } }),
      el('span', { text: 'idle (nothing mapped)' }),
    ]);
    const over = this.metric === 'sram'
      ? el('div', { className: 'legend-over' }, [
          el('span', { className: 'swatch swatch-over', attrs: { 'aria-hidden': 'true' } }),
          el('span', { text: 'over capacity (needs more than the PE has)' }),
        ])
      : null;
    const dies = entry.payload.dies;
    const dieNote = el('div', { className: 'legend-dies' }, [
      el('span', { className: `swatch swatch-die${dies?.assumption ? ' dashed' : ''}`, attrs: { 'aria-hidden': 'true' } }),
      el('span', { text: `${dies?.columns ?? 1} × ${dies?.rows ?? 1} dies` }),
    ]);
    const children: HTMLElement[] = [
      el('div', { className: 'legend-title', text: legend.title }),
      el('div', { className: 'legend-unit', text: legend.unit }),
      el('div', { className: 'legend-chart' }, []),
      idle,
      ...(over ? [over] : []),
      dieNote,
    ];
    children[2].appendChild(chart);
    if (dies?.assumption) children.push(el('div', { className: 'legend-note assumption', text: 'die layout: assumption' }));
    children.push(el('div', { className: 'legend-note', text: `${formatInteger(entry.data.width)} × ${formatInteger(entry.data.height)} PEs` }));
    children.push(el('div', { className: 'legend-note hint', text: 'Drag to pan, wheel or + / − to zoom, 0 to fit.' }));
    for (const child of children) this.legend.appendChild(child);
  }
}
