/**
 * Analysis off the main thread, for large documents: a 100,000-line YAML file takes longer to
 * parse than a person will wait for the diagnostics of another file, so it is analysed in a worker
 * thread while the server keeps answering. The worker runs the same `analyze` as the main thread.
 */
import { readFileSync, statSync } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';
import { analyze, type Analysis } from '../core/analyze';

export interface WorkerJob {
  id: number;
  file: string;
  text: string;
  settingClusterPath?: string;
  headroomWarning: number;
  readAs?: Record<string, string>;
  /** Texts of open documents the analysis may read (cluster files), by path. */
  openFiles: Record<string, string>;
}

interface WorkerReply {
  id: number;
  analysis?: Analysis;
  error?: string;
}

const MAX_REFERENCED_FILE_BYTES = 5 * 1024 * 1024;

/** Entry point inside the worker thread. */
export function serveAnalysisJobs(): void {
  parentPort?.on('message', (job: WorkerJob) => {
    let reply: WorkerReply;
    try {
      const analysis = analyze(job.file, job.text, {
        readFile: (path) => job.openFiles[path] ?? readSmallFile(path),
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

function readSmallFile(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_REFERENCED_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The main thread's side: one lazily started worker, jobs answered in order. */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Analysis) => void; reject: (e: Error) => void }>();

  constructor(private readonly script: string) {}

  analyze(job: Omit<WorkerJob, 'id'>): Promise<Analysis> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id });
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { argv: ['--analysis-worker'] });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.analysis) waiter.resolve(reply.analysis);
      else waiter.reject(new Error(reply.error ?? 'analysis failed'));
    });
    const failAll = (error: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`analysis worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
