// The integration suite's results file (written by test/integration/index.ts), as both VS Code
// launchers print it.
import { existsSync, readFileSync } from 'node:fs';

/** Parsed results, or undefined when the suite never wrote the file. */
export function readResults(file) {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every test in the order it ran, then the counts; returns { passed, failed }. */
export function printResults(results) {
  console.log(`\nIntegration suite in VS Code ${results.vscodeVersion} (${results.appHost}), ${results.durationMs} ms`);
  const outcomes = [
    ...results.passes.map((test) => ({ ...test, passed: true })),
    ...results.failures.map((test) => ({ ...test, passed: false })),
  ].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const test of outcomes) {
    if (test.passed) {
      console.log(`  \u2713 ${test.fullTitle} (${test.durationMs ?? 0} ms)`);
    } else {
      console.log(`  \u2717 ${test.fullTitle}`);
      console.log(`      ${(test.stack ?? test.error ?? '').split('\n').join('\n      ')}`);
    }
  }
  return { passed: results.passes.length, failed: results.failures.length };
}

/** Last lines of a log file, for failure reports. */
export function tail(file, lines = 40) {
  if (!existsSync(file)) return '(none)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
