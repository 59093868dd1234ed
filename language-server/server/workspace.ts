/**
 * The server's view of the open config documents: the latest analysis of each (cached per document
 * version), the cluster files they depend on (so editing a cluster file re-diagnoses its models),
 * the settings, and the debounce that keeps typing cheap. No LSP types here beyond the document
 * store; the handlers in main.ts translate.
 */
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../core/analyze';
import { MAX_REFERENCED_FILE_BYTES, WorkspaceFiles, type FileAccessPolicy } from '../core/fileAccess';
import type { AnalysisWorker } from './analysisWorker';

export interface Settings {
  /** `waferscope.cluster`, resolved to an absolute path (empty: none). */
  cluster: string;
  /** The setting was written as an absolute path (only such a setting may point outside the workspace). */
  clusterAbsolute?: boolean;
  /** Fraction (the setting is in percent). */
  headroomWarning: number;
  /** `waferscope.readAs`: HF model type -> supported type to read it as (approximate). */
  readAs?: Record<string, string>;
}

export const DEFAULT_SETTINGS: Settings = { cluster: '', headroomWarning: 0.1 };

/**
 * Documents longer than this are analysed in the worker thread. Real configs are a few kB (the
 * largest shipped example is under 5 kB); 66 kB of broken YAML (one typo in a flow map) already
 * takes the parser 100-250 ms, during which every other document would wait.
 */
export const LARGE_DOCUMENT_CHARS = 32 * 1024;

interface Entry {
  version: number;
  generation: number;
  analysis: Analysis;
}

export class ConfigWorkspace {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped when anything outside a document changes (settings, a cluster file): cached analyses are stale. */
  private generation = 0;
  settings: Settings = DEFAULT_SETTINGS;
  /** The workspace folders (absolute paths); references must stay inside them. */
  workspaceFolders: string[] = [];
  /** VS Code's workspace trust; untrusted, not even an absolute setting reads outside the folders. */
  trusted = false;

  get workspaceRoot(): string | undefined {
    return this.workspaceFolders[0];
  }

  constructor(
    private readonly openDocument: (uri: string) => TextDocument | undefined,
    private readonly allDocuments: () => TextDocument[],
    private readonly onAnalysis: (uri: string, analysis: Analysis, version: number) => void,
    private readonly debounceMs: number,
    private readonly worker?: AnalysisWorker,
    private readonly logError: (message: string) => void = () => undefined,
  ) {}

  /** The analysis of the document's current version, computing it when the cache is stale. */
  analysisOf(uri: string): Analysis | undefined {
    const document = this.openDocument(uri);
    if (!document) return this.entries.get(uri)?.analysis;
    const entry = this.entries.get(uri);
    if (entry && entry.version === document.version && entry.generation === this.generation) return entry.analysis;
    // A large document is never parsed on this thread: callers get the last result until the worker answers.
    if (this.isLarge(document)) return entry?.analysis;
    return this.run(document);
  }

  /** Whether a document goes to the worker thread (in a server started with one). */
  private isLarge(document: TextDocument): boolean {
    return !!this.worker && document.getText().length > LARGE_DOCUMENT_CHARS;
  }

  private runInWorker(document: TextDocument): void {
    const { uri, version } = document;
    const generation = this.generation;
    const openFiles: Record<string, string> = {};
    // Only the open editors that can be this config's cluster go along (a copy each): the setting's
    // file, or one the first-line `# waferscope: cluster=` comment names.
    const text = document.getText();
    const lineEnd = text.search(/[\r\n]/);
    const firstLine = lineEnd === -1 ? text : text.slice(0, lineEnd);
    for (const other of this.allDocuments()) {
      const otherPath = filePath(other.uri);
      const candidate = otherPath === this.settings.cluster || (firstLine.includes('waferscope:') && firstLine.includes(basename(otherPath)));
      if (other.uri !== uri && candidate && /\.ya?ml$/i.test(other.uri) && other.getText().length < MAX_REFERENCED_FILE_BYTES) {
        openFiles[filePath(other.uri)] = other.getText();
      }
    }
    this.worker!
      .analyze({
        file: filePath(uri),
        text: document.getText(),
        settingClusterPath: this.settings.cluster || undefined,
        headroomWarning: this.settings.headroomWarning,
        readAs: this.settings.readAs,
        openFiles,
        access: this.accessPolicy(filePath(uri)),
      })
      .then((analysis) => {
        // Superseded in the queue (undefined), or the document changed while the worker ran.
        if (!analysis || this.openDocument(uri)?.version !== version) return;
        this.entries.set(uri, { version, generation, analysis });
        this.onAnalysis(uri, analysis, version);
      })
      .catch((error: unknown) => {
        this.logError(`analysis of ${uri} failed: ${String(error)}`);
        if (this.openDocument(uri)?.version !== version) return;
        // The document still gets an answer: why it has no analysis, instead of silence.
        const failed = analyze(filePath(uri), '', { readFile: () => undefined });
        const reason = error instanceof Error ? error.message : String(error);
        failed.report.diagnostics = [
          { severity: 'error', code: 'internal-error', message: `WaferScope could not analyse this file: ${reason}.`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        ];
        this.entries.set(uri, { version, generation, analysis: failed });
        this.onAnalysis(uri, failed, version);
      });
  }

  /** Schedules an analysis after the debounce; a newer edit supersedes a pending one. */
  schedule(document: TextDocument): void {
    const pending = this.timers.get(document.uri);
    if (pending) clearTimeout(pending);
    if (this.debounceMs <= 0) {
      this.runAndPublish(document.uri);
      return;
    }
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        this.runAndPublish(document.uri);
      }, this.debounceMs),
    );
  }

  /** After a cluster file changed (edited, saved, created): re-diagnose the open models that use it. */
  clusterChanged(path: string): void {
    this.generation++;
    for (const document of this.allDocuments()) {
      const entry = this.entries.get(document.uri);
      if (entry?.analysis.clusterFile === path) this.schedule(document);
    }
  }

  /** Settings changed: everything is re-diagnosed. */
  settingsChanged(settings: Settings): void {
    this.settings = settings;
    this.generation++;
    for (const document of this.allDocuments()) this.schedule(document);
  }

  /** The format of a document's last analysis, without analysing it again. */
  cachedFormat(uri: string): string | undefined {
    return this.entries.get(uri)?.analysis.document.format;
  }

  /** Open model configs whose cluster is this file (for the cluster file's own diagnostics and hovers). */
  dependentsOf(path: string): Analysis[] {
    const out: Analysis[] = [];
    for (const document of this.allDocuments()) {
      // Only configs that used this cluster file are brought up to date; analysing every open
      // document on each keystroke in a cluster file blocked the server for seconds.
      if (this.entries.get(document.uri)?.analysis.clusterFile !== path) continue;
      const analysis = this.analysisOf(document.uri);
      if (analysis?.clusterFile === path) out.push(analysis);
    }
    return out;
  }

  forget(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.entries.delete(uri);
  }

  private runAndPublish(uri: string): void {
    const document = this.openDocument(uri);
    if (!document) return;
    if (this.isLarge(document)) {
      this.runInWorker(document);
      return;
    }
    const analysis = this.analysisOf(uri);
    // Superseded while we worked: the newer version has its own timer.
    if (!analysis || this.openDocument(uri)?.version !== document.version) return;
    this.onAnalysis(uri, analysis, document.version);
  }

  private run(document: TextDocument): Analysis {
    const file = filePath(document.uri);
    const files = new WorkspaceFiles(this.accessPolicy(file));
    const analysis = analyze(file, document.getText(), {
      // Open editors win over the disk, so an unsaved cluster edit already counts.
      readFile: (path) => files.read(path, (p) => this.openDocument(URI.file(p).toString())?.getText()),
      isWorkspaceFile: (path) => files.isInside(path),
      settingClusterPath: this.settings.cluster || undefined,
      headroomWarning: this.settings.headroomWarning,
      readAs: this.settings.readAs,
    });
    this.entries.set(document.uri, { version: document.version, generation: this.generation, analysis });
    return analysis;
  }

  /**
   * A file an analysis of `fromFile` (or a plan or overview of it) may read: open editors first
   * (an unsaved cluster edit already counts), then the disk, within the access policy.
   */
  readFile(path: string, fromFile = path): string | undefined {
    const files = new WorkspaceFiles(this.accessPolicy(fromFile));
    return files.read(path, (p) => this.openDocument(URI.file(p).toString())?.getText());
  }

  /**
   * What an analysis of `file` may read: the workspace folders (without any, the config's own
   * folder), and outside them only an absolute `waferscope.cluster` setting in a trusted workspace.
   */
  accessPolicy(file: string): FileAccessPolicy {
    const roots = this.workspaceFolders.length ? this.workspaceFolders : [dirname(file)];
    const explicit = this.trusted && this.settings.clusterAbsolute && this.settings.cluster ? [this.settings.cluster] : [];
    return { roots, explicit };
  }

  /** Whether a path lies inside the workspace folders of `fromFile`'s analysis (quick fixes edit nothing else). */
  isWorkspaceFile(path: string, fromFile: string): boolean {
    return new WorkspaceFiles(this.accessPolicy(fromFile)).isInside(path);
  }

  /** The `waferscope.cluster` setting, relative to the workspace folder when not absolute. */
  resolveSettingPath(value: string): string {
    if (!value) return '';
    if (isAbsolute(value) || !this.workspaceRoot) return value;
    return resolve(this.workspaceRoot, value);
  }
}

/** A file path for any URI; untitled documents get a stable pseudo path so relative references still resolve. */
export function filePath(uri: string): string {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : `/${parsed.scheme}/${parsed.path}`;
}
