/**
 * The WaferScope panel, running inside the webview. It draws what the extension host sends and
 * asks for more (a layer's heatmap, the timeline on N systems); it simulates nothing itself.
 *
 * Start-up order matters: restore state, build the DOM, listen for messages, and only then post
 * `ready` (the host sends nothing before it, so no message can be lost).
 */
import type {
  HeatmapPayload,
  HostToWebview,
  PanelState,
  PanelView,
  ResultNotification,
  TimelinePayload,
} from '../protocol/index';
import { clear, el, placeholder } from './dom';
import { HeatmapView, type LayerEntry } from './heatmap';
import { connectHost, type Host } from './host';
import { MemoryView } from './memory';
import { SummaryView } from './summary';
import { observeTheme } from './theme';
import { PlanView } from './plan';
import { ExportBar } from './export';
import { TimelineView } from './timeline';
import {
  PANEL_VIEWS,
  VIEW_TITLES,
  clampLayer,
  effectiveSystems,
  jobSystems,
  layerCountOf,
  defaultLayer,
  panelStatus,
  restoreState,
} from './viewModel';

/** Decoded layers kept for instant slider moves back and forth (about 2.7 MB each on WSE-3). */
const HEATMAP_CACHE_SIZE = 8;
/** A heatmap request with no answer after this long no longer blocks the next one. */
const REQUEST_TIMEOUT_MS = 4000;

class Panel {
  private readonly host: Host;
  private state: PanelState;
  private result: ResultNotification | null = null;
  private readonly heatmapCache = new Map<number, LayerEntry>();
  private readonly timelineCache = new Map<number, TimelinePayload>();
  private pendingHeatmap: { layer: number; sentAt: number } | undefined;
  /** A result whose heatmap has not been painted yet: `rendered` for the heatmap view waits for it. */
  private awaitingHeatmapRender: { uri: string; version: number } | undefined;

  private readonly heatmap: HeatmapView;
  private readonly timeline: TimelineView;
  private readonly memory: MemoryView;
  private readonly summary: SummaryView;
  private readonly plan: PlanView;

  private readonly fileName: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly headline: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly bannerText: HTMLElement;
  private readonly tabs: Record<PanelView, HTMLButtonElement>;
  private readonly panels: Record<PanelView, HTMLElement>;
  private readonly workspace: HTMLElement;
  private readonly emptyState: HTMLElement;
  private readonly blockedState: HTMLElement;

  constructor(app: HTMLElement, host: Host) {
    this.host = host;
    this.state = restoreState(host.getState());

    this.heatmap = new HeatmapView({
      onLayer: (layer) => this.selectLayer(layer),
      onMetric: (metric) => {
        this.state.metric = metric;
        this.heatmap.setMetric(metric);
        this.saveState();
      },
      onPainted: (payload) => this.heatmapPainted(payload),
    });
    this.timeline = new TimelineView({ onSystems: (systems) => this.selectSystems(systems) });
    this.memory = new MemoryView();
    this.summary = new SummaryView();
    this.plan = new PlanView({
      request: (requestId, params) => host.post({ type: 'requestPlan', requestId, params }),
      apply: (choice) => host.post({ type: 'applyPlan', ...choice }),
    });
    this.heatmap.setMetric(this.state.metric);

    this.fileName = el('h1', { className: 'file-name' });
    this.badge = el('span', { className: 'badge', attrs: { hidden: true } });
    this.headline = el('p', { className: 'result-summary' });
    const exportBar = new ExportBar({
      report: () => this.result?.report ?? null,
      plan: () => this.plan.current(),
      chart: () => activeChart(this.panels[this.state.view], this.state.view),
      post: (message) => host.post(message),
    });
    const header = el('header', { className: 'panel-header' }, [
      el('div', { className: 'title-row' }, [this.fileName, this.badge]),
      this.headline,
      exportBar.root,
    ]);

    this.bannerText = el('span', { className: 'banner-text' });
    const dismiss = el('button', { className: 'icon-button', text: '×', attrs: { type: 'button', 'aria-label': 'Dismiss' } });
    dismiss.addEventListener('click', () => (this.banner.hidden = true));
    this.banner = el('div', { className: 'banner error', attrs: { role: 'alert', hidden: true } }, [this.bannerText, dismiss]);

    const tablist = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'WaferScope views' } });
    this.tabs = {} as Record<PanelView, HTMLButtonElement>;
    this.panels = {} as Record<PanelView, HTMLElement>;
    const viewRoots: Record<PanelView, HTMLElement> = {
      heatmap: this.heatmap.root,
      timeline: this.timeline.root,
      memory: this.memory.root,
      summary: this.summary.root,
      plan: this.plan.root,
    };
    for (const view of PANEL_VIEWS) {
      const tab = el('button', {
        className: 'tab',
        text: VIEW_TITLES[view],
        attrs: { type: 'button', role: 'tab', id: `tab-${view}`, 'aria-controls': `panel-${view}` },
      });
      tab.addEventListener('click', () => this.showView(view));
      tablist.appendChild(tab);
      this.tabs[view] = tab;
      this.panels[view] = el('div', {
        className: 'tab-panel',
        attrs: { role: 'tabpanel', id: `panel-${view}`, 'aria-labelledby': `tab-${view}` },
      }, [viewRoots[view]]);
    }
    tablist.addEventListener('keydown', (event) => this.onTabKey(event));

    this.workspace = el('div', { className: 'workspace', attrs: { hidden: true } }, [tablist, ...PANEL_VIEWS.map((v) => this.panels[v])]);
    this.emptyState = el('div', { className: 'empty-state' }, [
      placeholder('Open a Model Zoo YAML, a Hugging Face config.json or a *.cluster.yaml', 'WaferScope shows the active config here.'),
    ]);
    this.blockedState = el('div', { className: 'blocked-state scrolling', attrs: { hidden: true } });
    app.classList.add('waferscope');
    for (const node of [header, this.banner, this.emptyState, this.blockedState, this.workspace]) app.appendChild(node);

    this.showView(this.state.view, false, false);
    observeTheme(() => {
      this.heatmap.onThemeChange();
      this.timeline.onThemeChange();
      this.memory.onThemeChange();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Messages from the host

  handle(message: HostToWebview, receivedAt: number): void {
    if (!message || typeof message !== 'object') return;
    switch (message.type) {
      case 'result':
        this.onResult(message.fileName, message.result);
        break;
      case 'heatmap':
        this.onHeatmap(message.payload, receivedAt);
        break;
      case 'timeline':
        this.onTimeline(message.payload);
        break;
      case 'showView':
        if ((PANEL_VIEWS as readonly string[]).includes(message.view)) this.showView(message.view);
        break;
      case 'error':
        this.showError(String(message.message ?? 'Unknown error'));
        break;
      case 'plan':
        this.plan.setPayload(message.payload);
        if (this.state.view === 'plan') this.postRendered();
        break;
      case 'planApplied':
        this.plan.applied(message.ok, String(message.message ?? ''));
        break;
    }
  }

  private onResult(fileName: string, result: ResultNotification): void {
    if (!result || typeof result !== 'object') return;
    if (this.keepLastGood(result)) return;
    this.workspace.classList.remove('stale-result');
    if (this.state.uri !== result.uri && (this.state.uri !== undefined || this.state.layer === 0)) {
      // Another document, or a fresh panel: start at its first decoder layer (the embedding is a
      // table lookup, not what people come to see), on its own systems count. A restored panel
      // without a uri keeps its layer and systems, clamped below.
      this.state.layer = defaultLayer(result.report);
      if (this.state.uri !== undefined) this.state.systems = 0;
    }
    this.state.uri = result.uri;
    this.result = result;
    this.heatmapCache.clear();
    this.timelineCache.clear();
    this.pendingHeatmap = undefined;
    this.banner.hidden = true;
    const report = result.report;
    this.state.layer = clampLayer(this.state.layer, layerCountOf(report));
    if (this.state.systems === jobSystems(report)) this.state.systems = 0;

    const status = panelStatus(result);
    this.fileName.textContent = fileName || baseName(result.uri);
    this.fileName.title = result.uri;
    this.badge.hidden = !status.badge;
    this.badge.textContent = status.badge;
    this.badge.className = `badge badge-${status.badgeClass}`;
    this.headline.textContent = status.kind === 'empty' ? '' : result.summary;

    this.emptyState.hidden = status.kind !== 'empty';
    this.blockedState.hidden = status.kind !== 'blocked';
    this.workspace.hidden = status.kind !== 'ok';
    if (status.kind === 'blocked') this.renderBlocked(status.headline, status.detail, status.badgeClass);
    else if (this.summary.root.parentElement !== this.panels.summary) this.panels.summary.appendChild(this.summary.root);

    this.heatmap.setReport(status.kind === 'ok' ? report : null, this.state.layer);
    this.memory.setReport(report);
    this.summary.render(result);
    this.plan.setResult(status.kind === 'ok' ? result : null);
    this.updateTimeline();

    const wantsHeatmap = status.kind === 'ok' && layerCountOf(report) > 0;
    if (wantsHeatmap) {
      this.awaitingHeatmapRender = { uri: result.uri, version: result.version };
      this.requestHeatmap(this.state.layer);
    } else {
      this.awaitingHeatmapRender = undefined;
    }
    if (this.state.systems > 0) this.requestTimeline(this.state.systems);
    this.saveState();
    this.postRendered();
  }

  /**
   * While the file has a syntax error (typing), keep the last good result of the same file on
   * screen, dimmed and labelled, instead of flipping to "cannot be simulated" at every keystroke.
   */
  private keepLastGood(result: ResultNotification): boolean {
    const previous = this.result;
    const syntax = result.report?.diagnostics?.find((d) => d?.code === 'syntax');
    const previousSyntax = previous?.report?.diagnostics?.some((d) => d?.code === 'syntax');
    if (!previous || previous.uri !== result.uri || !previous.report?.wafer || previousSyntax || !syntax) return false;
    this.workspace.classList.add('stale-result');
    this.bannerText.textContent = `Syntax error on line ${(syntax.range?.start.line ?? 0) + 1}: showing the last result that parsed, dimmed, until the file parses again.`;
    this.banner.hidden = false;
    this.badge.textContent = 'syntax error';
    this.badge.className = 'badge badge-invalid';
    this.host.post({ type: 'rendered', uri: result.uri, version: result.version, view: this.state.view });
    return true;
  }

  private onHeatmap(payload: HeatmapPayload, receivedAt: number): void {
    if (!payload || !this.result || payload.uri !== this.result.uri) return;
    if (this.pendingHeatmap?.layer === payload.layer) this.pendingHeatmap = undefined;
    const decodeStart = performance.now();
    const entry = HeatmapView.decode(payload);
    const decodeMs = performance.now() - decodeStart;
    if ('error' in entry) {
      this.heatmap.showError(entry.error);
      this.showError(entry.error);
      return;
    }
    this.heatmapCache.delete(payload.layer);
    this.heatmapCache.set(payload.layer, entry);
    while (this.heatmapCache.size > HEATMAP_CACHE_SIZE) this.heatmapCache.delete(this.heatmapCache.keys().next().value as number);
    if (payload.layer === this.state.layer) {
      this.heatmap.show(entry, receivedAt, decodeMs);
    } else if (!this.heatmapCache.has(this.state.layer)) {
      // The user moved on while this layer was computed: ask for the one on screen now.
      this.requestHeatmap(this.state.layer);
    }
  }

  private onTimeline(payload: TimelinePayload): void {
    if (!payload || !this.result || payload.uri !== this.result.uri) return;
    this.timelineCache.set(payload.systems, payload);
    this.updateTimeline();
    if (this.state.view === 'timeline') this.postRendered();
  }

  private showError(message: string): void {
    this.heatmap.stop();
    this.pendingHeatmap = undefined;
    this.bannerText.textContent = message;
    this.banner.hidden = false;
    if (this.awaitingHeatmapRender) {
      // The heatmap this result was waiting for will not come: the view is as drawn as it gets.
      this.awaitingHeatmapRender = undefined;
      this.postRendered();
    }
  }

  // -------------------------------------------------------------------------------------------
  // User actions

  private selectLayer(layer: number): void {
    this.state.layer = clampLayer(layer, layerCountOf(this.result?.report));
    this.saveState();
    const cached = this.heatmapCache.get(this.state.layer);
    if (cached) {
      this.heatmapCache.delete(this.state.layer);
      this.heatmapCache.set(this.state.layer, cached);
      this.heatmap.show(cached);
    } else {
      this.requestHeatmap(this.state.layer);
    }
  }

  private requestHeatmap(layer: number): void {
    // One request in flight at a time: while the slider is dragged, only the latest layer is asked
    // for when the previous answer arrives (see onHeatmap).
    if (this.pendingHeatmap && performance.now() - this.pendingHeatmap.sentAt < REQUEST_TIMEOUT_MS) return;
    this.pendingHeatmap = { layer, sentAt: performance.now() };
    this.host.post({ type: 'requestHeatmap', layer });
  }

  private selectSystems(systems: number): void {
    const report = this.result?.report;
    this.state.systems = systems === jobSystems(report) ? 0 : systems;
    this.saveState();
    if (this.state.systems > 0 && !this.timelineCache.has(systems)) this.requestTimeline(systems);
    this.updateTimeline();
  }

  private requestTimeline(systems: number): void {
    this.host.post({ type: 'requestTimeline', systems });
  }

  private updateTimeline(): void {
    const report = this.result?.report ?? null;
    const job = jobSystems(report);
    const selected = effectiveSystems(this.state, report);
    const payload = this.timelineCache.get(selected);
    if (selected !== job && payload) {
      this.timeline.setData({ report, timeline: payload.timeline, scaling: payload.scaling, systems: selected, jobSystems: job, selectedSystems: selected });
    } else {
      // The job's own numbers (also shown, dimmed, while another count is being simulated).
      this.timeline.setData({ report, timeline: report?.timeline, scaling: report?.scaling, systems: job, jobSystems: job, selectedSystems: selected });
    }
  }

  showView(view: PanelView, focus = false, announce = true): void {
    this.state.view = view;
    for (const v of PANEL_VIEWS) {
      const on = v === view;
      this.tabs[v].setAttribute('aria-selected', String(on));
      this.tabs[v].tabIndex = on ? 0 : -1;
      this.tabs[v].classList.toggle('selected', on);
      this.panels[v].hidden = !on;
    }
    this.heatmap.setVisible(view === 'heatmap');
    this.timeline.setVisible(view === 'timeline');
    this.memory.setVisible(view === 'memory');
    this.plan.setVisible(view === 'plan');
    if (focus) this.tabs[view].focus();
    this.saveState();
    if (announce) this.postRendered();
  }

  private onTabKey(event: KeyboardEvent): void {
    const index = PANEL_VIEWS.indexOf(this.state.view);
    let next = index;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = (index + 1) % PANEL_VIEWS.length;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = (index - 1 + PANEL_VIEWS.length) % PANEL_VIEWS.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = PANEL_VIEWS.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.showView(PANEL_VIEWS[next], true);
  }

  // -------------------------------------------------------------------------------------------

  private renderBlocked(headline: string, detail: string | undefined, kind: string): void {
    clear(this.blockedState);
    this.blockedState.appendChild(
      el('div', { className: `notice notice-${kind}` }, [
        el('p', { className: 'notice-headline', text: headline }),
        detail ? el('p', { className: 'hint', text: detail }) : null,
      ]),
    );
    // The summary lists the diagnostics and the cluster: show it here in full.
    this.blockedState.appendChild(this.summary.root);
  }

  /** Tells the host the active view shows the current result (tests and the latency bench wait on it). */
  private postRendered(): void {
    const result = this.result;
    if (!result) return;
    if (this.state.view === 'heatmap' && this.awaitingHeatmapRender && !this.workspace.hidden) return;
    this.host.post({ type: 'rendered', uri: result.uri, version: result.version, view: this.state.view });
  }

  private heatmapPainted(payload: HeatmapPayload): void {
    const awaiting = this.awaitingHeatmapRender;
    if (!awaiting || !this.result || payload.uri !== awaiting.uri || this.result.version !== awaiting.version) return;
    this.awaitingHeatmapRender = undefined;
    if (this.state.view === 'heatmap') this.postRendered();
  }

  private saveState(): void {
    this.host.setState({ ...this.state });
  }
}

/** The chart of a view for "Save chart": the heatmap canvas, else the view's first chart SVG. */
function activeChart(panel: HTMLElement, view: PanelView): { element: SVGSVGElement | HTMLCanvasElement; name: string } | null {
  const element = panel.querySelector<HTMLCanvasElement>('canvas.heatmap-canvas') ?? panel.querySelector<SVGSVGElement>('svg.plan-svg, svg.timeline-svg, svg');
  return element ? { element, name: `waferscope-${view}` } : null;
}

function baseName(uri: string): string {
  const clean = uri.split(/[?#]/)[0];
  const parts = clean.split('/');
  try {
    return decodeURIComponent(parts[parts.length - 1] || uri);
  } catch {
    return parts[parts.length - 1] || uri;
  }
}

function start(): void {
  const app = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = connectHost();
  const panel = new Panel(app, host);
  window.addEventListener('message', (event: MessageEvent) => {
    const receivedAt = performance.now();
    try {
      panel.handle(event.data as HostToWebview, receivedAt);
    } catch (error) {
      // A drawing bug must not take the panel down; say what happened instead.
      console.error('WaferScope panel:', error);
    }
  });
  host.post({ type: 'ready' });
}

start();
