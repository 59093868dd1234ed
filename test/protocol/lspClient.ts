/**
 * A small LSP client for the protocol tests: starts `node dist/server.js --stdio`, speaks JSON-RPC
 * to it exactly as an editor would, and lets a test wait for what the server publishes. Every wait
 * is event-driven and bounded: a test either sees the notification it waits for or fails with the
 * last thing the server did say.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type ClientCapabilities,
  type Diagnostic,
  type Disposable,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ResultNotificationMethod, type ResultNotification } from '../../protocol/index';

export type { Diagnostic, PublishDiagnosticsParams, ResultNotification };

/** What a test's editor claims to support; the server may only rely on these. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  window: { workDoneProgress: true, showMessage: {} },
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true, willSave: false, willSaveWaitUntil: false },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
      tagSupport: { valueSet: [1, 2] },
    },
    codeAction: {
      dynamicRegistration: false,
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.rewrite', 'source'] },
      },
    },
    hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
    completion: {
      dynamicRegistration: false,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        insertReplaceSupport: true,
        labelDetailsSupport: true,
      },
    },
  },
};

export interface StartOptions {
  /** Defaults to `dist/server.js` under the current directory (the runners use the repo root). */
  serverPath?: string;
  /** Workspace folder; defaults to the current directory. */
  rootPath?: string;
  /** Answers to `workspace/configuration`, e.g. `{ waferscope: { cluster: 'clusters/x.yaml' } }`. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
}

/** A settings value by section (`waferscope` or `waferscope.cluster`); null when not set. */
function lookupSection(settings: Record<string, unknown>, section: string | undefined): unknown {
  if (!section) return settings;
  if (section in settings) return settings[section];
  let node: unknown = settings;
  for (const part of section.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

interface Waiter<T> {
  matches(value: T): boolean;
  resolve(value: T): void;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  initializeResult: InitializeResult | undefined;
  /** Everything the server wrote to stderr, for failure messages. */
  stderr = '';
  /** Latest `publishDiagnostics` per uri. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Latest `waferscope/result` per uri. */
  readonly results = new Map<string, ResultNotification>();
  /** Every `waferscope/result` received, in order (a second handler would replace ours: jsonrpc keeps one per method). */
  readonly resultHistory: ResultNotification[] = [];
  private readonly versions = new Map<string, number>();
  private readonly diagnosticWaiters = new Set<Waiter<PublishDiagnosticsParams>>();
  private readonly resultWaiters = new Set<Waiter<ResultNotification>>();
  private settings: Record<string, unknown>;
  private exitCode: Promise<number | null>;
  private disposed = false;

  private constructor(
    readonly server: ChildProcessWithoutNullStreams,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exitCode = new Promise((resolveExit) => server.once('exit', (code) => resolveExit(code)));
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
      if (process.env.WAFERSCOPE_LSP_VERBOSE) process.stderr.write(`[server] ${chunk}`);
    });
    this.connection = createProtocolConnection(
      new StreamMessageReader(server.stdout),
      new StreamMessageWriter(server.stdin),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of this.diagnosticWaiters) if (waiter.matches(params)) waiter.resolve(params);
    });
    this.connection.onNotification(ResultNotificationMethod, (params: ResultNotification) => {
      this.results.set(params.uri, params);
      this.resultHistory.push(params);
      for (const waiter of this.resultWaiters) if (waiter.matches(params)) waiter.resolve(params);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => lookupSection(this.settings, item.section) ?? null),
    );
    // Requests an editor answers without a user; unanswered they would stall the server.
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(UnregistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(ShowMessageRequest.type, () => null);
    this.connection.listen();
  }

  /** Starts the server and completes the initialize/initialized handshake. */
  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const serverPath = resolve(options.serverPath ?? process.env.WAFERSCOPE_SERVER ?? 'dist/server.js');
    const rootPath = resolve(options.rootPath ?? '.');
    const server = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    const client = new LspTestClient(server, options.settings ?? {});
    const rootUri = pathToFileURL(rootPath).href;
    const spawnFailed = new Promise<never>((_, reject) => {
      server.once('error', reject);
      server.once('exit', (code, signal) =>
        reject(new Error(`server exited during initialize (code ${code}, signal ${signal}):\n${client.stderr}`)),
      );
    });
    try {
      client.initializeResult = await Promise.race([
        client.connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          clientInfo: { name: 'waferscope-protocol-tests' },
          rootUri,
          workspaceFolders: [{ uri: rootUri, name: 'root' }],
          capabilities: CLIENT_CAPABILITIES,
          initializationOptions: options.initializationOptions,
        }),
        spawnFailed,
      ]);
    } catch (error) {
      client.dispose();
      throw error;
    }
    spawnFailed.catch(() => undefined); // later exits are reported by shutdown()/waits
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a document (version 1) and returns its version. */
  async open(uri: string, languageId: string, text: string): Promise<number> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return 1;
  }

  /** Replaces the whole text of an open document; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * The first diagnostics for `uri` (the latest already received, or the next ones published)
   * that satisfy `predicate`. Pass a predicate on `params.version` to skip stale publications.
   */
  waitForDiagnostics(
    uri: string,
    predicate: (diagnostics: Diagnostic[], params: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10000,
  ): Promise<Diagnostic[]> {
    return this.waitFor(
      this.diagnosticWaiters,
      this.diagnostics.get(uri),
      (params) => params.uri === uri && predicate(params.diagnostics, params),
      timeoutMs,
      () => `diagnostics for ${uri}; last published: ${JSON.stringify(this.diagnostics.get(uri) ?? null)}`,
    ).then((params) => params.diagnostics);
  }

  /** Like waitForDiagnostics, for the server's `waferscope/result` notification. */
  waitForResult(
    uri: string,
    predicate: (result: ResultNotification) => boolean = () => true,
    timeoutMs = 10000,
  ): Promise<ResultNotification> {
    const last = () => {
      const result = this.results.get(uri);
      return result ? `${result.status} (version ${result.version}): ${result.summary}` : 'none';
    };
    return this.waitFor(
      this.resultWaiters,
      this.results.get(uri),
      (result) => result.uri === uri && predicate(result),
      timeoutMs,
      () => `a waferscope/result for ${uri}; last received: ${last()}`,
    );
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  onNotification<P>(method: string, handler: (params: P) => void): Disposable {
    return this.connection.onNotification(method, handler);
  }

  /** Replaces the settings the client answers `workspace/configuration` with, and tells the server. */
  async setConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  /** The LSP shutdown sequence; resolves with the server's exit code. */
  async shutdown(timeoutMs = 10000): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await Promise.race([
      this.exitCode,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref()),
    ]);
    if (code === 'timeout') {
      this.dispose();
      throw new Error(`server did not exit within ${timeoutMs} ms of the exit notification`);
    }
    this.dispose();
    return code;
  }

  /** Always safe: kills the server if it is still running. Call it in `afterEach`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.connection.dispose();
    if (this.server.exitCode === null && this.server.signalCode === null) this.server.kill('SIGKILL');
    for (const waiters of [this.diagnosticWaiters, this.resultWaiters]) waiters.clear();
  }

  private waitFor<T>(
    waiters: Set<Waiter<T>>,
    latest: T | undefined,
    matches: (value: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    if (latest !== undefined && matches(latest)) return Promise.resolve(latest);
    return new Promise<T>((resolveWait, reject) => {
      const onExit = (code: number | null) => {
        finish();
        reject(new Error(`server exited (code ${code}) while waiting for ${describe()}\n${this.stderr}`));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}\n${this.stderr}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        matches,
        resolve: (value) => {
          finish();
          resolveWait(value);
        },
      };
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
        this.server.off('exit', onExit);
      };
      waiters.add(waiter);
      this.server.once('exit', onExit);
    });
  }
}

/** A `file://` uri for a repo-relative path (the documents need not exist on disk). */
export function fileUri(repoRelativePath: string): string {
  return pathToFileURL(resolve(repoRelativePath)).href;
}

/** Applies single-document edits (end to start, so earlier offsets stay valid). */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (line: number, character: number) =>
    lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
  let out = text;
  for (const edit of sorted) {
    const start = offset(edit.range.start.line, edit.range.start.character);
    const end = offset(edit.range.end.line, edit.range.end.character);
    out = out.slice(0, start) + edit.newText + out.slice(end);
  }
  return out;
}
