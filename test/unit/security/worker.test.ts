/**
 * Finding 6 of issue 12 and the worker's last line of defence: only the latest version of a
 * document waits for the worker (superseded ones resolve as undefined), and a job that never
 * finishes ends its worker at the deadline instead of stalling every later large document.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisWorker } from '../../../language-server/server/analysisWorker';

const job = (file: string, text: string) => ({ file, text, headroomWarning: 0.1, openFiles: {}, access: { roots: ['/w'] } });

describe('analysis worker queue', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'waferscope-worker-'));
    // Stand-ins for dist/analysis-worker.js: one answers after 50 ms with the text it got, one never answers.
    writeFileSync(join(dir, 'echo.js'), "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (job) => setTimeout(() => parentPort.postMessage({ id: job.id, analysis: { text: job.text } }), 50));\n");
    writeFileSync(join(dir, 'hang.js'), "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => { for (;;) {} });\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('analyses the running version and the latest one; the versions in between are dropped', async () => {
    const worker = new AnalysisWorker(join(dir, 'echo.js'));
    try {
      const results = await Promise.all(['v1', 'v2', 'v3', 'v4', 'v5'].map((text) => worker.analyze(job('/w/a.yaml', text))));
      const texts = results.map((r) => (r as unknown as { text: string } | undefined)?.text);
      assert.deepEqual(texts, ['v1', undefined, undefined, undefined, 'v5']);
    } finally {
      worker.dispose();
    }
  });

  it('ends a worker stuck past the deadline, and the next job gets a fresh one', async () => {
    const worker = new AnalysisWorker(join(dir, 'hang.js'), 300);
    try {
      await assert.rejects(worker.analyze(job('/w/a.yaml', 'x')), /took longer than 0.3 s/);
      await assert.rejects(worker.analyze(job('/w/b.yaml', 'y')), /took longer than 0.3 s/);
      assert.equal(worker.queued, 0);
    } finally {
      worker.dispose();
    }
  });
});
