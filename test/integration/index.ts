/**
 * Entry point VS Code's extension host calls (`--extensionTestsPath`): runs every compiled
 * `*.test.js` next to this file with mocha, inside the host, with the full `vscode` API.
 *
 * The host's stdout is not the launcher's (in code-server it is a separate process behind the
 * server), so the outcome goes to a JSON file at `$WAFERSCOPE_TEST_RESULTS`, written atomically
 * (temp file + rename) so a launcher watching for it never reads half a file.
 */
import Mocha from 'mocha';
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

export interface TestOutcome {
  /** Position in the run, so a reader can interleave passes and failures as they happened. */
  order: number;
  title: string;
  fullTitle: string;
  durationMs?: number;
  error?: string;
  stack?: string;
}

export interface SuiteResults {
  passes: TestOutcome[];
  failures: TestOutcome[];
  vscodeVersion: string;
  appHost: string;
  durationMs: number;
}

function testFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...testFiles(path));
    else if (name.endsWith('.test.js')) files.push(path);
  }
  return files;
}

function writeResults(results: SuiteResults): void {
  const target = process.env.WAFERSCOPE_TEST_RESULTS;
  if (!target) {
    console.warn('[waferscope tests] WAFERSCOPE_TEST_RESULTS is not set; results only logged');
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(results, null, 2));
  renameSync(partial, target);
}

function describeError(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: error.message, stack: error.stack };
  return { error: String(error) };
}

export async function run(): Promise<void> {
  const started = Date.now();
  const results: SuiteResults = {
    passes: [],
    failures: [],
    vscodeVersion: vscode.version,
    appHost: vscode.env.appHost,
    durationMs: 0,
  };
  // The spec reporter writes to the host's stdout, which nobody may read; the launcher prints the file.
  let order = 0;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  try {
    for (const file of testFiles(__dirname)) mocha.addFile(file);
    await new Promise<void>((resolveRun) => {
      const runner = mocha.run(() => resolveRun());
      runner.on('pass', (test) => {
        results.passes.push({ order: order++, title: test.title, fullTitle: test.fullTitle(), durationMs: test.duration });
        console.log(`[waferscope tests] PASS ${test.fullTitle()}`);
      });
      // Hook failures arrive here too (`"before all" hook for ...`), so a broken setup is not silent.
      runner.on('fail', (test, error) => {
        results.failures.push({ order: order++, title: test.title, fullTitle: test.fullTitle(), ...describeError(error) });
        console.error(`[waferscope tests] FAIL ${test.fullTitle()}: ${describeError(error).error}`);
      });
    });
  } catch (error) {
    // A suite that does not even load (syntax error, missing module) is one failure, not silence.
    results.failures.push({ order: order++, title: 'load test suites', fullTitle: 'load test suites', ...describeError(error) });
    console.error('[waferscope tests] could not load the suites', error);
  }
  results.durationMs = Date.now() - started;
  writeResults(results);
  console.log(`[waferscope tests] ${results.passes.length} passed, ${results.failures.length} failed`);
  if (results.failures.length > 0) throw new Error(`${results.failures.length} integration test(s) failed`);
}
