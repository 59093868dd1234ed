/**
 * Analysis off the main thread, for large documents: a 100,000-line YAML file takes longer to
 * parse than a person will wait for the diagnostics of another file, so it is analysed in a worker
 * thread while the server keeps answering. The worker runs the same `analyze` as the main thread.
 *
 * One job runs at a time and at most one waits per document: typing in a large file replaces the
 * waiting version instead of queueing every keystroke. A job that runs past a deadline (it cannot
 * happen with the capped reads, but a hung worker must not stop every later large document) ends the
 * worker; the next job starts a fresh one.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { analyze, type Analysis } from '../core/analyze';
import { WorkspaceFiles, type FileAccessPolicy } from '../core/fileAccess';

export interface WorkerJob {
  id: number;
  file: string;
  text: string;
  settingClusterPath?: string;
  headroomWarning: number;
  readAs?: Record<string, string>;
  /** Texts of open documents the analysis may read (cluster files), by path. */
  openFiles: Record<string, string>;
  /** Which files outside the open documents the analysis may read. */
  access: FileAccessPolicy;
}

interface WorkerReply {
  id: number;
  analysis?: Analysis;
  error?: string;
}

/** Far above the few seconds the largest accepted document (5 MB) takes; past it the worker is stuck. */
export const WORKER_JOB_DEADLINE_MS = 60_000;

/** Entry point inside the worker thread. */
export function serveAnalysisJobs(): void {
  parentPort?.on('message', (job: WorkerJob) => {
    let reply: WorkerReply;
    try {
      const files = new WorkspaceFiles(job.access);
      const analysis = analyze(job.file, job.text, {
        readFile: (path) => files.read(path, (p) => job.openFiles[p]),
        isWorkspaceFile: (path) => files.isInside(path),
        settingClusterPath: job.settingClusterPath,
        headroomWarning: job.headroomWarning,
        readAs: job.readAs,
      });
      reply = { id: job.id, analysis };
    } catch (error) {
      reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
  });
}

interface Pending {
  job: WorkerJob;
  resolve: (analysis: Analysis | undefined) => void;
  reject: (error: Error) => void;
}

/** The main thread's side: one lazily started worker, one job at a time, the latest version per document. */
/**
 * Old-generation heap of the analysis worker (assumption: documents are capped at 5 MB; the
 * hostile inputs of the protocol tier, 100,000 duplicate keys and a 1.5 MB flow-map typo among
 * them, are analysed within it).
 */
const WORKER_HEAP_MB = 256;

export class AnalysisWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private running: (Pending & { timer: ReturnType<typeof setTimeout> }) | undefined;
  /** Jobs not yet sent, by file: a newer version of a document replaces the waiting one. */
  private readonly waiting = new Map<string, Pending>();

  constructor(
    private readonly script: string,
    private readonly deadlineMs = WORKER_JOB_DEADLINE_MS,
  ) {}

  /** Resolves with the analysis, or with undefined when a newer version of the same file superseded the job. */
  analyze(job: Omit<WorkerJob, 'id'>): Promise<Analysis | undefined> {
    return new Promise((resolve, reject) => {
      const superseded = this.waiting.get(job.file);
      // Delete first, so the newer version goes to the back of the queue like any new job.
      this.waiting.delete(job.file);
      superseded?.resolve(undefined);
      this.waiting.set(job.file, { job: { ...job, id: this.nextId++ }, resolve, reject });
      this.pump();
    });
  }

  /** Jobs sent or waiting (for tests). */
  get queued(): number {
    return this.waiting.size + (this.running ? 1 : 0);
  }

  private pump(): void {
    if (this.running) return;
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [file, pending] = next.value;
    this.waiting.delete(file);
    const worker = this.ensure();
    const timer = setTimeout(() => this.stuck(), this.deadlineMs);
    timer.unref?.();
    this.running = { ...pending, timer };
    worker.postMessage(pending.job);
  }

  private finish(reply: WorkerReply): void {
    const running = this.running;
    if (!running || running.job.id !== reply.id) return;
    clearTimeout(running.timer);
    this.running = undefined;
    if (reply.analysis) running.resolve(reply.analysis);
    else running.reject(new Error(reply.error ?? 'analysis failed'));
    this.pump();
  }

  private stuck(): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.stop();
    running.reject(new Error(`the analysis of ${running.job.file} took longer than ${this.deadlineMs / 1000} s and was stopped`));
    this.pump();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // A heap bound of its own: a hostile document ends this worker (its analysis becomes an
    // internal-error diagnostic and the next job gets a fresh worker), never the whole server, and
    // garbage is collected before the process grows past what the server may use.
    const worker = new Worker(this.script, { argv: ['--analysis-worker'], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.finish(reply));
    const failed = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const running = this.running;
      if (running) {
        clearTimeout(running.timer);
        this.running = undefined;
        running.reject(error);
      }
      this.pump();
    };
    worker.on('error', failed);
    worker.on('exit', (code) => failed(new Error(`analysis worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  dispose(): void {
    for (const pending of this.waiting.values()) pending.resolve(undefined);
    this.waiting.clear();
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.resolve(undefined);
      this.running = undefined;
    }
    this.stop();
  }
}
