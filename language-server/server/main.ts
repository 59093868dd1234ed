/**
 * The WaferScope language server: thin handlers over the pure core (`../core`) and the language
 * services (`../services`). Every handler is guarded: a failure in one feature is logged and
 * answered with "nothing", never a dead server.
 */
import {
  type CancellationToken,
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  HeatmapMethod,
  type HeatmapParams,
  type HeatmapPayload,
  type ResultNotification,
  ResultNotificationMethod,
  RunSimulationMethod,
  type RunSimulationParams,
  type RunSimulationResult,
  TimelineMethod,
  type TimelineParams,
  type TimelinePayload,
  PlanMethod,
  type PlanParams,
  type PlanPayload,
  PlanApplyMethod,
  type PlanApplyParams,
  type PlanApplyResult,
  WorkspaceOverviewMethod,
  type WorkspaceOverviewParams,
  type WorkspaceOverviewResult,
} from '../../protocol';
import { workspaceOverview } from './overview';
import { planApplyFor, planFor } from './plan';
import { isPosition, parseHeatmapParams, parsePlanApplyParams, parsePlanParams, parseRunSimulationParams, parseTimelineParams, ProtocolError } from '../../protocol/validate';
import type { Analysis } from '../core/analyze';
import { formatReport } from '../core/format/reportText';
import { clusterFileDiagnostics } from '../services/clusterFile';
import { codeLenses } from '../services/codeLens';
import { CONVERT_TO_MODELZOO_KIND, convertToModelZooAction } from '../services/convertAction';
import { completions } from '../services/completion';
import { hover } from '../services/hover';
import { inlayHints } from '../services/inlayHints';
import { isAbsolute, join } from 'node:path';
import { AnalysisWorker } from './analysisWorker';
import { quickFixes, toLspDiagnostic } from './convert';
import { heatmapFor, timelineFor } from './panelData';
import { ConfigWorkspace, DEFAULT_SETTINGS, filePath, type Settings } from './workspace';

/** Typing pauses shorter than this do not trigger an analysis; tests set 0 via initializationOptions. */
const DEFAULT_DEBOUNCE_MS = 120;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspace: ConfigWorkspace;
let canPullConfiguration = false;
let canRefreshLenses = false;
/** The inputs fingerprint last published per document: a change without a new version is a cluster or setting change. */
const publishedInputs = new Map<string, { version: number; inputs: string }>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function log(message: string): void {
  connection.console.log(message);
}

/** Runs a feature; an exception becomes a logged error and `fallback`; bad params a typed InvalidParams error. */
function guard<T>(feature: string, fallback: T, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ProtocolError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
    connection.console.error(`${feature} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}

process.on('uncaughtException', (error) => {
  connection.console.error(`uncaught: ${error.stack ?? error.message}`);
});

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as { debounceMs?: unknown; workspaceTrusted?: unknown };
  const debounce = typeof options.debounceMs === 'number' && Number.isFinite(options.debounceMs) ? Math.max(0, options.debounceMs) : DEFAULT_DEBOUNCE_MS;
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  workspace = new ConfigWorkspace(
    (uri) => documents.get(uri),
    () => documents.all(),
    publish,
    debounce,
    new AnalysisWorker(join(__dirname, 'analysis-worker.js')),
    (message) => connection.console.error(message),
  );
  workspace.workspaceFolders = folderPaths(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
  // Only the client knows whether the user trusts the workspace; without word, it is not trusted.
  workspace.trusted = options.workspaceTrusted === true;
  return {
    capabilities: {
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CONVERT_TO_MODELZOO_KIND] },
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: true,
    },
    serverInfo: { name: 'waferscope-language-server', version: '0.1.0' },
  };
});

/** The document a standard request is about (and its position, when it has one), checked. */
function documentUri(method: string, params: unknown, withPosition = false): string {
  const request = params as { textDocument?: { uri?: unknown }; position?: unknown } | null;
  const uri = request?.textDocument?.uri;
  if (typeof uri !== 'string' || uri === '') throw new ProtocolError(method, 'textDocument.uri', 'must be a document uri');
  if (withPosition && !isPosition(request?.position)) throw new ProtocolError(method, 'position', 'must have whole, non-negative line and character');
  return uri;
}

/** The file-system folders of the workspace (references to cluster files must stay inside them). */
function folderPaths(uris: string[]): string[] {
  return uris
    .map((uri) => (typeof uri === 'string' ? URI.parse(uri) : undefined))
    .filter((uri) => uri?.scheme === 'file')
    .map((uri) => uri!.fsPath);
}

connection.onInitialized(() => {
  connection.workspace.onDidChangeWorkspaceFolders((event) => {
    const removed = new Set(folderPaths(event.removed.map((f) => f.uri)));
    workspace.workspaceFolders = [...workspace.workspaceFolders.filter((f) => !removed.has(f)), ...folderPaths(event.added.map((f) => f.uri))];
    workspace.settingsChanged(workspace.settings);
  });
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'waferscope' });
  }
  void refreshSettings();
});

async function refreshSettings(): Promise<void> {
  let settings: Settings = DEFAULT_SETTINGS;
  if (canPullConfiguration) {
    try {
      const raw = (await connection.workspace.getConfiguration('waferscope')) as
        | RawSettings
        | null;
      settings = readSettings(raw);
    } catch (error) {
      log(`could not read settings: ${String(error)}`);
    }
  }
  workspace.settingsChanged(settings);
}

type RawSettings = { cluster?: unknown; diagnostics?: { headroomWarning?: unknown }; readAs?: unknown };

function readSettings(raw: RawSettings | null | undefined): Settings {
  if (raw === null || typeof raw !== 'object') raw = null;
  const written = typeof raw?.cluster === 'string' ? raw.cluster.trim() : '';
  const cluster = workspace.resolveSettingPath(written);
  const percent = raw?.diagnostics?.headroomWarning;
  const headroom = typeof percent === 'number' && Number.isFinite(percent) ? Math.min(Math.max(percent, 0), 90) / 100 : 0.1;
  return { cluster, clusterAbsolute: written !== '' && isAbsolute(written), headroomWarning: headroom, readAs: readAsSetting(raw?.readAs) };
}

/** Only string -> string entries of `waferscope.readAs`; anything else in the object is ignored. */
function readAsSetting(raw: unknown): Record<string, string> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const [type, target] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof target === 'string') out[type.trim().toLowerCase()] = target.trim().toLowerCase();
  }
  return Object.keys(out).length ? out : undefined;
}

connection.onDidChangeConfiguration((change) => {
  if (canPullConfiguration) {
    void refreshSettings();
  } else {
    const raw = (change.settings as { waferscope?: Parameters<typeof readSettings>[0] } | undefined)?.waferscope ?? null;
    workspace.settingsChanged(readSettings(raw));
  }
});

documents.onDidChangeContent((event) => {
  // Dependents first, so the cluster file's own diagnostics see their fresh results.
  if (isClusterPath(event.document.uri)) workspace.clusterChanged(filePath(event.document.uri));
  workspace.schedule(event.document);
});
documents.onDidClose((event) => {
  workspace.forget(event.document.uri);
  publishedInputs.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  // A closed cluster file is read from disk again by its models.
  if (isClusterPath(event.document.uri)) workspace.clusterChanged(filePath(event.document.uri));
});

connection.onDidChangeWatchedFiles((change) => {
  for (const event of change.changes) workspace.clusterChanged(URI.parse(event.uri).fsPath);
});

function isClusterPath(uri: string): boolean {
  return /\.cluster\.ya?ml$/i.test(uri) || workspace.cachedFormat(uri) === 'cluster';
}

/** Diagnostics and the result notification for one analysed document version. */
function publish(uri: string, analysis: Analysis, version: number): void {
  guard('publish', undefined, () => {
    // A cluster file also shows the errors of the models that use it: the same list goes to
    // Problems and into the report the panel summarises, so both count the same.
    const fromModels = analysis.document.format === 'cluster' ? clusterFileDiagnostics(analysis, workspace.dependentsOf(filePath(uri))) : [];
    const report = fromModels.length ? { ...analysis.report, diagnostics: [...analysis.report.diagnostics, ...fromModels] } : analysis.report;
    const diagnostics = report.diagnostics.map((d) => toLspDiagnostic(d, uri));
    void connection.sendDiagnostics({ uri, version, diagnostics });
    const result: ResultNotification = {
      uri,
      version,
      inputs: analysis.inputs,
      status: analysis.status,
      summary: analysis.summary,
      report: analysis.status === 'not-a-config' ? null : report,
    };
    void connection.sendNotification(ResultNotificationMethod, result);
    const before = publishedInputs.get(uri);
    publishedInputs.set(uri, { version, inputs: analysis.inputs });
    // An edit makes the editor ask for lenses again; a new cluster or setting (same version) does not.
    if (canRefreshLenses && before !== undefined && before.version === version && before.inputs !== analysis.inputs) {
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        void connection.sendRequest(CodeLensRefreshRequest.type);
        void connection.languages.inlayHint.refresh();
      }, 0);
    }
  });
}

connection.onHover((params) =>
  guard('hover', null, () => {
    const uri = documentUri('textDocument/hover', params, true);
    const document = documents.get(uri);
    const analysis = workspace.analysisOf(uri);
    if (!document || !analysis) return null;
    const dependents = analysis.document.format === 'cluster' ? workspace.dependentsOf(filePath(document.uri)) : [];
    return hover(document.getText(), analysis, params.position, dependents);
  }),
);

connection.onCompletion((params) =>
  guard('completion', null, () => {
    const uri = documentUri('textDocument/completion', params, true);
    const document = documents.get(uri);
    const analysis = workspace.analysisOf(uri);
    if (!document || !analysis) return null;
    return completions(document.getText(), analysis, params.position, document.uri);
  }),
);

connection.onCodeAction((params) =>
  guard('code actions', [], () => {
    const uri = documentUri('textDocument/codeAction', params);
    const diagnostics = Array.isArray(params?.context?.diagnostics) ? params.context.diagnostics : [];
    return [
      ...quickFixes(uri, diagnostics, (path) => workspace.isWorkspaceFile(path, filePath(uri))),
      ...convertToModelZooAction(uri, workspace.analysisOf(uri)),
    ];
  }),
);

connection.onCodeLens((params) =>
  guard('code lens', [], () => {
    const uri = documentUri('textDocument/codeLens', params);
    const analysis = workspace.analysisOf(uri);
    return analysis ? codeLenses(uri, analysis) : [];
  }),
);

connection.languages.inlayHint.on((params) =>
  guard('inlay hints', [], () => {
    const uri = documentUri('textDocument/inlayHint', params);
    const document = documents.get(uri);
    const analysis = workspace.analysisOf(uri);
    return document && analysis && params.range ? inlayHints(analysis, params.range) : [];
  }),
);

connection.onRequest(RunSimulationMethod, (raw: unknown): RunSimulationResult =>
  guard<RunSimulationResult>('run simulation', { text: 'WaferScope: the simulation failed; see the language server log.', report: null, status: 'invalid' }, () => {
    const params: RunSimulationParams = parseRunSimulationParams(RunSimulationMethod, raw);
    const analysis = workspace.analysisOf(params.uri);
    if (!analysis) return { text: `WaferScope: ${params.uri} is not open.`, report: null, status: 'not-a-config' };
    if (analysis.status === 'not-a-config') {
      return { text: `${filePath(params.uri)} is not a model config or cluster file WaferScope understands.`, report: null, status: 'not-a-config' };
    }
    return { text: formatReport(analysis.report), report: analysis.report, status: analysis.status };
  }),
);

connection.onRequest(HeatmapMethod, (raw: unknown, token: CancellationToken): HeatmapPayload | null =>
  guard('heatmap', null, () => {
    const params: HeatmapParams = parseHeatmapParams(HeatmapMethod, raw);
    const analysis = workspace.analysisOf(params.uri);
    if (!analysis || token.isCancellationRequested) return null;
    return heatmapFor(params.uri, analysis, params.layer);
  }),
);

connection.onRequest(TimelineMethod, (raw: unknown, token: CancellationToken): TimelinePayload | null =>
  guard('timeline', null, () => {
    const params: TimelineParams = parseTimelineParams(TimelineMethod, raw);
    const analysis = workspace.analysisOf(params.uri);
    if (!analysis || token.isCancellationRequested) return null;
    return timelineFor(params.uri, analysis, params.systems);
  }),
);

connection.onRequest(PlanMethod, (raw: PlanParams, token: CancellationToken): PlanPayload | null =>
  guard('plan', null, () => {
    const params = parsePlanParams(PlanMethod, raw);
    const analysis = workspace.analysisOf(params.uri);
    if (!analysis || token.isCancellationRequested) return null;
    return planFor(params.uri, analysis, params);
  }),
);

connection.onRequest(PlanApplyMethod, (raw: PlanApplyParams): PlanApplyResult =>
  guard<PlanApplyResult>('plan apply', { edits: [], createFiles: [], summary: '', error: 'The plan could not be turned into edits; see the language server log.' }, () => {
    const params = parsePlanApplyParams(PlanApplyMethod, raw);
    const analysis = workspace.analysisOf(params.uri);
    if (!analysis) return { edits: [], createFiles: [], summary: '', error: `${params.uri} is not open.` };
    return planApplyFor(analysis, (path) => workspace.readFile(path), params);
  }),
);

connection.onRequest(WorkspaceOverviewMethod, (params: WorkspaceOverviewParams): WorkspaceOverviewResult =>
  guard<WorkspaceOverviewResult>('workspace overview', { entries: [] }, () =>
    workspaceOverview(params, {
      openAnalysis: (uri) => (documents.get(uri) ? workspace.analysisOf(uri) : undefined),
      readFile: (path) => workspace.readFile(path),
      settings: workspace.settings,
    }),
  ),
);

documents.listen(connection);
connection.listen();
