/**
 * The Plan tab: how many systems, which MemoryX and which micro-batch train the tokens by the
 * deadline. The server plans (the same planner as `waferscope plan`); this view asks, draws and
 * lets the user choose:
 *
 *  - inputs: tokens, deadline (days), maximum systems;
 *  - what-if controls (sequence length, global batch, micro-batch, systems, MemoryX tier): each change
 *    asks the server again, nothing is written to the file;
 *  - the Pareto frontier as a chart (days against systems, log-log, one colour per MemoryX tier,
 *    cost on hover) and as a table; clicking a plan copies it into the what-if controls;
 *  - "Apply" writes the what-if point's systems, micro-batch and MemoryX into the config and its
 *    cluster file (one undoable edit, done by the extension).
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLog } from 'd3-scale';
import { select } from 'd3-selection';
import type { MicroBatchExplore, Plan, PlanParams, PlanPayload, ResultNotification } from '../protocol/index';
import { clear, el, placeholder, placeTooltip, setTooltipLines, svg } from './dom';
import { formatBytes, formatCount, formatInteger, formatPercent, formatRate, formatSeconds } from '../language-server/core/format/units';
import { formatEnergy, formatPlanDays } from '../language-server/core/format/planText';

export interface PlanViewOptions {
  request(requestId: number, params: Omit<PlanParams, 'uri'>): void;
  apply(choice: { systems: number; microBatch: number; memoryxBytes: number }): void;
}

/** Inputs settle for this long before a request goes out (typing a number is several changes). */
const INPUT_DEBOUNCE_MS = 150;
const CHART_HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 40, left: 64 };

type WhatIfKey = 'sequenceLength' | 'globalBatch' | 'microBatch' | 'systems';

/** A number the user typed: positive, with k/M/B/T suffixes for token counts. */
export function parseAmount(text: string): number | undefined {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbt]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const factor = { '': 1, k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'b' | 't'];
  const value = Number(match[1]) * factor;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export class PlanView {
  readonly root: HTMLElement;
  private readonly options: PlanViewOptions;
  private result: ResultNotification | null = null;
  private payload: PlanPayload | null = null;
  private visible = false;
  private requestId = 0;
  private requestedFor = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The plan row last clicked (index into payload.result.plans). */
  private selected: number | null = null;
  /** The panel width the chart was last drawn for. */
  private chartWidth = 0;

  private readonly tokens: HTMLInputElement;
  private readonly deadline: HTMLInputElement;
  private readonly maxSystems: HTMLInputElement;
  private readonly whatIf: Record<WhatIfKey, HTMLInputElement>;
  private readonly tier: HTMLSelectElement;
  private readonly applyButton: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly applyStatus: HTMLElement;
  private readonly whatIfLine: HTMLElement;
  private readonly headline: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly table: HTMLElement;
  private readonly explore: HTMLElement;
  private readonly gpu: HTMLElement;

  constructor(options: PlanViewOptions) {
    this.options = options;
    const input = (name: string, label: string, placeholderText: string, type = 'text') => {
      const field = el('input', { className: 'plan-input', attrs: { type, name, 'aria-label': label, placeholder: placeholderText, inputmode: 'decimal' } });
      field.addEventListener('input', () => this.schedule());
      return field;
    };
    this.tokens = input('tokens', 'Tokens to train on', 'config budget');
    this.deadline = input('deadline', 'Deadline in days', 'none');
    this.maxSystems = input('maxSystems', 'Maximum systems', 'preset maximum');
    this.whatIf = {
      sequenceLength: input('sequenceLength', 'What-if sequence length', ''),
      globalBatch: input('globalBatch', 'What-if global batch', ''),
      microBatch: input('microBatch', 'What-if micro-batch', ''),
      systems: input('systems', 'What-if systems', ''),
    };
    this.tier = el('select', { className: 'plan-input', attrs: { name: 'memoryx', 'aria-label': 'What-if MemoryX tier' } });
    this.tier.addEventListener('change', () => this.schedule());
    this.applyButton = el('button', { className: 'plan-button primary', text: 'Apply', attrs: { type: 'button', name: 'apply', title: 'Write num_csx (or the cluster systems), micro_batch_size and the cluster MemoryX: one undoable edit' } });
    this.applyButton.addEventListener('click', () => this.applyWhatIf());
    this.resetButton = el('button', { className: 'plan-button', text: 'Reset what-if', attrs: { type: 'button', name: 'reset' } });
    this.resetButton.addEventListener('click', () => this.resetWhatIf());
    this.status = el('p', { className: 'hint plan-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.applyStatus = el('p', { className: 'plan-apply-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.whatIfLine = el('p', { className: 'plan-whatif-line' });
    this.headline = el('div', { className: 'plan-headline' });
    this.chart = el('div', { className: 'chart plan-chart' });
    this.tooltip = el('div', { className: 'tooltip', attrs: { hidden: true, role: 'tooltip' } });
    this.table = el('div', { className: 'plan-table-wrap' });
    this.explore = el('div', { className: 'plan-explore' });
    this.gpu = el('div', { className: 'plan-gpu' });

    const labelled = (text: string, control: HTMLElement) => el('label', { className: 'plan-field' }, [el('span', { className: 'plan-label', text }), control]);
    this.root = el('div', { className: 'view scrolling plan-view' }, [
      el('h2', { className: 'section-title', text: 'Plan a training run' }),
      el('div', { className: 'toolbar plan-inputs' }, [
        labelled('Tokens', this.tokens),
        labelled('Deadline (days)', this.deadline),
        labelled('Max systems', this.maxSystems),
      ]),
      el('h2', { className: 'section-title', text: 'What if' }),
      el('div', { className: 'toolbar plan-whatif' }, [
        labelled('Sequence length', this.whatIf.sequenceLength),
        labelled('Global batch', this.whatIf.globalBatch),
        labelled('Micro-batch', this.whatIf.microBatch),
        labelled('Systems', this.whatIf.systems),
        labelled('MemoryX', this.tier),
        this.applyButton,
        this.resetButton,
      ]),
      this.whatIfLine,
      this.applyStatus,
      this.status,
      this.headline,
      el('h2', { className: 'section-title', text: 'Pareto frontier: days against systems' }),
      el('div', { className: 'plan-chart-wrap' }, [this.chart, this.tooltip]),
      this.table,
      this.explore,
      this.gpu,
    ]);
    // The chart is drawn to the panel's width: draw it again when the panel is resized.
    new ResizeObserver(() => {
      const width = Math.floor(this.root.clientWidth);
      if (width > 0 && width !== this.chartWidth) {
        this.chartWidth = width;
        if (this.payload) this.renderChart(this.payload);
      }
    }).observe(this.root);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.requestIfStale();
  }

  /** A new analysis of the config: plan it again when the tab is on screen. */
  setResult(result: ResultNotification | null): void {
    const uriChanged = this.result?.uri !== result?.uri;
    this.result = result;
    if (uriChanged) {
      this.payload = null;
      this.selected = null;
      for (const field of Object.values(this.whatIf)) field.value = '';
      this.tier.value = '';
    }
    this.explore.replaceChildren();
    const explore = result?.report?.microBatchExplore;
    if (explore) this.renderExplore(explore);
    this.requestIfStale();
  }

  setPayload(payload: PlanPayload): void {
    if (!this.result || payload.uri !== this.result.uri) return;
    if (payload.requestId !== undefined && payload.requestId !== this.requestId) return;
    this.payload = payload;
    if (this.selected !== null && this.selected >= payload.result.plans.length) this.selected = null;
    this.render();
  }

  /** The last plan shown (for export), with its preset. */
  current(): { result: PlanPayload['result']; preset: string } | null {
    return this.payload ? { result: this.payload.result, preset: this.payload.preset } : null;
  }

  applied(ok: boolean, message: string): void {
    this.applyStatus.textContent = message;
    this.applyStatus.classList.toggle('plan-error', !ok);
    this.applyButton.disabled = false;
  }

  // -------------------------------------------------------------------------------------------

  private key(): string {
    return `${this.result?.uri}|${this.result?.version}|${JSON.stringify(this.params())}`;
  }

  private requestIfStale(): void {
    if (!this.visible || !this.result?.report?.timeline) return;
    if (this.key() === this.requestedFor) return;
    this.send();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.send(), INPUT_DEBOUNCE_MS);
  }

  private params(): Omit<PlanParams, 'uri'> {
    const number = (field: HTMLInputElement) => (field.value.trim() ? parseAmount(field.value) : undefined);
    const whatIf: NonNullable<PlanParams['whatIf']> = {};
    for (const key of Object.keys(this.whatIf) as WhatIfKey[]) {
      const value = number(this.whatIf[key]);
      if (value !== undefined) whatIf[key] = Math.round(value);
    }
    const tier = Number(this.tier.value);
    if (tier > 0) whatIf.memoryxBytes = tier;
    return { tokens: number(this.tokens), deadlineDays: number(this.deadline), maxSystems: number(this.maxSystems), whatIf };
  }

  private send(): void {
    if (!this.result) return;
    const invalid = [this.tokens, this.deadline, this.maxSystems, ...Object.values(this.whatIf)].filter((f) => f.value.trim() && parseAmount(f.value) === undefined);
    for (const field of [this.tokens, this.deadline, this.maxSystems, ...Object.values(this.whatIf)]) field.classList.toggle('invalid', invalid.includes(field));
    if (invalid.length) {
      this.status.textContent = `Not a positive number: ${invalid.map((f) => f.getAttribute('aria-label')).join(', ')}.`;
      return;
    }
    this.requestedFor = this.key();
    this.requestId++;
    this.status.textContent = 'Planning…';
    this.status.classList.remove('plan-error');
    this.options.request(this.requestId, this.params());
  }

  private applyWhatIf(): void {
    const point = this.payload?.whatIf;
    if (!point) return;
    this.applyButton.disabled = true;
    this.applyStatus.textContent = 'Applying…';
    this.applyStatus.classList.remove('plan-error');
    this.options.apply({ systems: point.systems, microBatch: point.microBatch, memoryxBytes: point.memoryxBytes });
  }

  private resetWhatIf(): void {
    for (const field of Object.values(this.whatIf)) field.value = '';
    this.tier.value = '';
    this.selected = null;
    this.send();
  }

  /** A plan row or point clicked: it becomes the what-if point (and so what Apply writes). */
  private choose(index: number): void {
    const plan = this.payload?.result.plans[index];
    if (!plan) return;
    this.selected = index;
    this.whatIf.systems.value = String(plan.systems);
    this.whatIf.microBatch.value = String(plan.microBatch);
    this.tier.value = String(plan.memoryxBytes);
    this.send();
  }

  // -------------------------------------------------------------------------------------------

  private render(): void {
    const payload = this.payload;
    if (!payload) return;
    const { result, preset } = payload;
    this.status.textContent = `${formatInteger(result.evaluations)} configurations evaluated in ${formatSeconds(payload.milliseconds / 1000)}; tokens: ${formatCount(result.tokens)} (${result.tokensBasis}).`;
    this.status.classList.remove('plan-error');
    this.fillInputs(payload);

    const w = payload.whatIf;
    this.whatIfLine.textContent =
      `What-if: ${formatInteger(w.systems)} x ${preset}, micro-batch ${formatInteger(w.microBatch)}, MemoryX ${formatBytes(w.memoryxBytes)}, ` +
      `${formatInteger(w.globalBatch)} x ${formatInteger(w.sequenceLength)} tokens per step: step ${formatSeconds(w.stepSeconds)}, ${formatPlanDays(w.days)}, ` +
      `${formatInteger(w.systemHours)} system-hours, ${formatEnergy(w.energyKWh)}; ${w.fits ? `fits (wafer headroom ${formatPercent(w.waferHeadroom)})` : 'does not fit'}` +
      (w.problems.length ? `. ${w.problems.join(' ')}` : '.');
    this.whatIfLine.classList.toggle('plan-error', !w.fits);
    this.applyButton.disabled = !w.fits;

    clear(this.headline);
    const line = (label: string, index: number | null) => {
      if (index === null) return null;
      const plan = result.plans[index];
      return el('p', { className: 'plan-pick' }, [
        el('strong', { text: `${label}: ` }),
        el('span', { text: `${formatInteger(plan.systems)} x ${preset}, micro-batch ${formatInteger(plan.microBatch)}, MemoryX ${formatBytes(plan.memoryxBytes)}: ${formatPlanDays(plan.days)}, ${formatInteger(plan.systemHours)} system-hours, ${formatEnergy(plan.energyKWh)}` }),
      ]);
    };
    for (const node of [line('Recommended (fewest system-hours meeting the deadline)', result.recommended), line('Fastest', result.fastest)]) if (node) this.headline.appendChild(node);
    for (const d of result.diagnostics) this.headline.appendChild(el('p', { className: `plan-diagnostic plan-${d.severity}`, text: d.message }));
    const power = result.constants.find((c) => c.name === 'system_power');
    if (power) this.headline.appendChild(el('p', { className: 'hint', text: `Energy = system-hours x ${formatInteger(power.value)} W per system${power.assumption ? ' (assumption)' : ''}; MemoryX is not priced, so it stays a third objective of the frontier.` }));

    this.renderChart(payload);
    this.renderTable(payload);
    this.renderGpu(payload);
  }

  private fillInputs(payload: PlanPayload): void {
    const config = payload.config;
    this.whatIf.sequenceLength.placeholder = String(config.sequenceLength);
    this.whatIf.globalBatch.placeholder = String(config.globalBatch);
    this.whatIf.microBatch.placeholder = String(config.microBatch);
    this.whatIf.systems.placeholder = String(config.systems);
    const current = this.tier.value;
    const options = [{ bytes: 0, label: `cluster (${formatBytes(config.memoryxBytes)})` }, ...payload.memoryxTiers];
    if (this.tier.options.length !== options.length) {
      clear(this.tier);
      for (const option of options) this.tier.appendChild(el('option', { text: option.label, attrs: { value: option.bytes ? String(option.bytes) : '' } }));
    }
    this.tier.value = current;
  }

  private renderChart(payload: PlanPayload): void {
    clear(this.chart);
    const plans = payload.result.plans;
    if (!plans.length) {
      this.chart.appendChild(placeholder('No plan to draw', payload.result.diagnostics[0]?.message));
      return;
    }
    const width = Math.max(240, this.root.clientWidth - 24 || 640);
    const innerWidth = width - MARGIN.left - MARGIN.right;
    const innerHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
    const maxSystems = Math.max(...plans.map((p) => p.systems), 2);
    const days = plans.map((p) => p.days);
    const deadline = payload.result.deadlineDays;
    const low = Math.min(...days, deadline ?? Infinity);
    const high = Math.max(...days, deadline ?? 0);
    const x = scaleLog().domain([1, maxSystems]).range([0, innerWidth]);
    const y = scaleLog().domain([low / 1.2, high * 1.2]).range([innerHeight, 0]).nice();
    const tiers = [...new Set(plans.map((p) => p.memoryxBytes))].sort((a, b) => a - b);

    const root = svg('svg', { className: 'plan-svg', attrs: { width, height: CHART_HEIGHT, role: 'img', 'aria-label': `Pareto frontier: ${plans.length} plans, days to train against systems` } });
    const g = svg('g', { attrs: { transform: `translate(${MARGIN.left},${MARGIN.top})` } });
    root.appendChild(g);
    const xAxis = svg('g', { className: 'axis', attrs: { transform: `translate(0,${innerHeight})` } });
    const yAxis = svg('g', { className: 'axis' });
    g.append(xAxis, yAxis);
    select(xAxis).call(axisBottom(x).ticks(6, '~s'));
    select(yAxis).call(axisLeft(y).ticks(5, '~s'));
    g.appendChild(svg('text', { className: 'axis-title', text: 'systems (log)', attrs: { x: innerWidth / 2, y: innerHeight + 34, 'text-anchor': 'middle' } }));
    g.appendChild(svg('text', { className: 'axis-title', text: 'days to train (log)', attrs: { transform: `translate(-50,${innerHeight / 2}) rotate(-90)`, 'text-anchor': 'middle' } }));
    if (deadline !== null) {
      g.appendChild(svg('line', { className: 'plan-deadline', attrs: { x1: 0, x2: innerWidth, y1: y(deadline), y2: y(deadline) } }));
      g.appendChild(svg('text', { className: 'axis-title', text: `deadline ${formatPlanDays(deadline)}`, attrs: { x: innerWidth - 4, y: y(deadline) - 4, 'text-anchor': 'end' } }));
    }
    // One polyline per tier, then the points on top.
    for (const [t, tier] of tiers.entries()) {
      const points = plans.filter((p) => p.memoryxBytes === tier).map((p) => `${x(p.systems)},${y(p.days)}`);
      g.appendChild(svg('polyline', { className: `plan-line plan-tier-${t % 4}`, attrs: { points: points.join(' ') } }));
    }
    // The marked plans last, so no neighbour covers them.
    const marked = (i: number) => i === payload.result.recommended || i === payload.result.fastest || i === this.selected;
    const order = [...plans.keys()].sort((a, b) => Number(marked(a)) - Number(marked(b)));
    for (const i of order) {
      const plan = plans[i];
      const t = tiers.indexOf(plan.memoryxBytes);
      const classes = [`plan-point`, `plan-tier-${t % 4}`];
      if (i === payload.result.recommended) classes.push('recommended');
      if (i === payload.result.fastest) classes.push('fastest');
      if (i === this.selected) classes.push('selected');
      if (!plan.meetsDeadline) classes.push('missed');
      const dot = svg('circle', { className: classes.join(' '), attrs: { cx: x(plan.systems), cy: y(plan.days), r: i === payload.result.recommended || i === this.selected ? 6 : 4, 'data-index': i, tabindex: 0 } });
      dot.addEventListener('pointerenter', (event) => this.showTooltip(plan, payload.preset, event));
      dot.addEventListener('pointermove', (event) => placeTooltip(this.tooltip, this.chart.parentElement!, event.clientX, event.clientY));
      dot.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
      dot.addEventListener('click', () => this.choose(i));
      g.appendChild(dot);
    }
    // Legend: one swatch per tier.
    const legend = svg('g', { className: 'chart-legend', attrs: { transform: `translate(${innerWidth - 110},4)` } });
    tiers.forEach((tier, t) => {
      legend.appendChild(svg('circle', { className: `plan-point plan-tier-${t % 4}`, attrs: { cx: 0, cy: t * 16, r: 4 } }));
      legend.appendChild(svg('text', { text: `MemoryX ${formatBytes(tier)}`, attrs: { x: 10, y: t * 16 + 4 } }));
    });
    g.appendChild(legend);
    this.chart.appendChild(root);
  }

  private showTooltip(plan: Plan, preset: string, event: PointerEvent): void {
    setTooltipLines(this.tooltip, [
      `${formatInteger(plan.systems)} x ${preset}, micro-batch ${formatInteger(plan.microBatch)}`,
      `MemoryX ${formatBytes(plan.memoryxBytes)}`,
      `${formatPlanDays(plan.days)} (step ${formatSeconds(plan.stepSeconds)})`,
      `cost ${formatInteger(plan.systemHours)} system-hours`,
      `energy ${formatEnergy(plan.energyKWh)}`,
      plan.meetsDeadline ? 'meets the deadline' : 'misses the deadline',
    ]);
    this.tooltip.hidden = false;
    placeTooltip(this.tooltip, this.chart.parentElement!, event.clientX, event.clientY);
  }

  private renderTable(payload: PlanPayload): void {
    clear(this.table);
    const { result } = payload;
    if (!result.plans.length) return;
    const head = el('tr', {}, ['systems', 'micro-batch', 'MemoryX', 'step', 'time to train', 'system-hours', 'energy', 'wafer headroom', 'batch split', 'deadline'].map((text) => el('th', { text, attrs: { scope: 'col' } })));
    const body = el('tbody');
    result.plans.forEach((plan, i) => {
      const mark = i === result.recommended ? ' (recommended)' : i === result.fastest ? ' (fastest)' : '';
      const row = el('tr', { className: i === this.selected ? 'selected' : i === result.recommended ? 'recommended' : '', attrs: { tabindex: 0, 'data-index': i } }, [
        el('td', { className: 'numeric', text: `${formatInteger(plan.systems)}${mark}` }),
        el('td', { className: 'numeric', text: formatInteger(plan.microBatch) }),
        el('td', { className: 'numeric', text: formatBytes(plan.memoryxBytes) }),
        el('td', { className: 'numeric', text: formatSeconds(plan.stepSeconds) }),
        el('td', { className: 'numeric', text: formatPlanDays(plan.days) }),
        el('td', { className: 'numeric', text: formatInteger(plan.systemHours) }),
        el('td', { className: 'numeric', text: formatEnergy(plan.energyKWh) }),
        el('td', { className: 'numeric', text: formatPercent(plan.waferHeadroom) }),
        el('td', { text: plan.evenSplit ? 'even' : 'uneven', attrs: { title: plan.evenSplit ? undefined : 'The global batch is not a whole number of micro-batches per system: batch-not-multiple warning once applied' } }),
        el('td', { text: result.deadlineDays === null ? '–' : plan.meetsDeadline ? 'met' : 'missed' }),
      ]);
      row.addEventListener('click', () => this.choose(i));
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this.choose(i);
        }
      });
      body.appendChild(row);
    });
    this.table.appendChild(
      el('table', { className: 'constants-table plan-table' }, [
        el('caption', { text: `${formatInteger(result.plans.length)} plans on the frontier (click one to try it)` }),
        el('thead', {}, [head]),
        body,
      ]),
    );
  }

  private renderExplore(explore: MicroBatchExplore): void {
    this.explore.appendChild(el('h2', { className: 'section-title', text: 'micro_batch_size: explore' }));
    const body = el('tbody');
    for (const row of explore.rows) {
      body.appendChild(
        el('tr', { className: row.microBatch === explore.best ? 'recommended' : '' }, [
          el('td', { className: 'numeric', text: `${formatInteger(row.microBatch)}${row.microBatch === explore.best ? ' (fastest)' : ''}` }),
          el('td', { className: 'numeric', text: formatSeconds(row.stepSeconds) }),
          el('td', { className: 'numeric', text: formatRate(row.tokensPerSecond, 'tokens/s') }),
          el('td', { className: 'numeric', text: formatPercent(row.headroom) }),
        ]),
      );
    }
    this.explore.appendChild(
      el('table', { className: 'constants-table plan-explore-table' }, [
        el('caption', { text: `Candidates on ${formatInteger(explore.systems)} system(s): divisors of the per-system batch ${formatInteger(explore.perSystemBatch)} that fit; the quick fix on micro_batch_size pins the fastest` }),
        el('thead', {}, [el('tr', {}, ['micro-batch', 'step', 'throughput', 'headroom'].map((text) => el('th', { text, attrs: { scope: 'col' } })))]),
        body,
      ]),
    );
  }

  private renderGpu(payload: PlanPayload): void {
    clear(this.gpu);
    const bound = payload.result.gpuBound;
    if (!bound) return;
    this.gpu.append(
      el('h2', { className: 'section-title', text: `GPU comparison (${bound.label})` }),
      el('p', { text: `The fewest GPUs whose memory holds the same training state: ${bound.rows.map((r) => `${formatInteger(r.gpus)} x ${r.name}`).join(' or ')}.` }),
      el('p', { className: 'hint', text: `State ${formatBytes(bound.stateBytes)} + activations ${formatBytes(bound.activationBytes)} (micro-batch ${formatInteger(bound.microBatch)}, full recompute). Basis: ${bound.basis}.` }),
    );
  }
}
